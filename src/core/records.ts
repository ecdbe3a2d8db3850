/**
 * The kinds of record Hindsight stores, their payloads, and how they are read back.
 * The store (storeFormat) knows only the envelope `{v, k, t, w}`; this module owns the
 * payloads and validates each one on read: a record of a known kind with a malformed
 * payload is skipped and counted, like a garbage line.
 *
 * Privacy: no record carries code text. Paths are workspace-relative; line hashes are
 * salted per install (lineHash.ts).
 */
import type { ContextEvent, DaySummary } from './context';
import type { AgentTurn, CheckpointLabel, DayKey, InsertionOutcome, PulseAnswer, SwitchKind, ToolKind, Verdict } from './model';
import { checkpoints, closedReasons, confidences, fileKinds, insertionSources, suspendReasons } from './model';
import type { StoredRecord } from './storeFormat';
import type { SpansState } from './spans';
import type { SpanRecord } from './survival';

/** An insertion landed: who wrote it, how sure we are, how big, where (locally). */
export interface InsertionRecord
  extends Pick<InsertionOutcome, 'id' | 'source' | 'confidence' | 'chars' | 'lines' | 'languageId' | 'fileKind' | 'path' | 'project' | 't' | 'day' | 'hour' | 'agent' | 'tokens'> {
  k: 'ins';
  w: string;
}

/** A partial accept or continued typing made an insertion bigger. */
export interface ExtensionRecord {
  k: 'ext';
  t: number;
  w: string;
  id: string;
  chars: number;
  lines: number;
}

/** The latest survival bookkeeping of one insertion (the last record per id wins). */
export interface SurvivalRecord {
  k: 'surv';
  t: number;
  w: string;
  span: SpanRecord;
}

/** A document's span layout and salted line hashes, to restore or re-anchor its spans later. */
export interface DocumentRecord {
  k: 'doc';
  t: number;
  w: string;
  path: string;
  project: string;
  spans: SpansState;
  lineHashes: string[];
  lineLengths: number[];
}

/**
 * Spans whose lines landed in a commit; `aiTool` when the commit names an AI co-author.
 * `sha` and the committed lines' salted hashes let `git blame` measure, a week later, how
 * many of those lines still stand (local only, never exported).
 */
export interface CommitRecord {
  k: 'commit';
  t: number;
  w: string;
  project: string;
  sha: string;
  spanIds: string[];
  committedLines: Record<string, string[]>;
  aiTool: string | null;
}

/** Survival of committed lines by `git blame`, 7 days after their commit. */
export interface CommittedSurvivalRecord {
  k: 'blame';
  t: number;
  w: string;
  id: string;
  share: number;
}

export interface VerdictRecord {
  k: 'verdict';
  t: number;
  w: string;
  id: string;
  verdict: Verdict | null;
}

export interface NoteRecord {
  k: 'note';
  t: number;
  w: string;
  id: string;
  note: string;
}

/** The developer said a paste came from an AI chat. */
export interface PasteAiRecord {
  k: 'pasteAi';
  t: number;
  w: string;
  id: string;
}

export interface PulseRecord extends PulseAnswer {
  k: 'pulse';
  t: number;
  w: string;
}

export interface ContextRecord {
  k: 'ctx';
  t: number;
  w: string;
  event: ContextEvent;
}

/**
 * Coding-agent logs showed which turn wrote an insertion (a disk change): its agent and
 * the turn's tokens, and the attribution becomes certain.
 */
export interface AgentMatchRecord {
  k: 'agentMatch';
  t: number;
  w: string;
  id: string;
  agent: AgentTurn['agent'];
  /** `agentTurnKey` of the matched turn, so that a turn's tokens are counted once. */
  turnKey: string;
  /** All tokens of the matched turn. */
  tokens: number;
}

/** A compacted day's context figures (its raw context events are folded away). */
export interface DayRecord {
  k: 'day';
  t: number;
  w: string;
  day: DayKey;
  summary: DaySummary;
  focusBlocks: number;
  switches: { t: number; kind: SwitchKind }[];
  sessions: { start: number; end: number; switches: number }[];
}

export interface AgentTurnRecord {
  k: 'turn';
  t: number;
  w: string;
  turn: AgentTurn;
}

export type CaptureRecord =
  | InsertionRecord
  | ExtensionRecord
  | SurvivalRecord
  | DocumentRecord
  | CommitRecord
  | CommittedSurvivalRecord
  | VerdictRecord
  | NoteRecord
  | PasteAiRecord
  | PulseRecord
  | ContextRecord
  | AgentTurnRecord
  | AgentMatchRecord
  | DayRecord;

export type CaptureKind = CaptureRecord['k'];

const verdictValues: readonly Verdict[] = ['helped', 'hurt', 'mixed', 'tooEarly'];
const switchKindValues: readonly SwitchKind[] = ['app', 'project', 'area', 'tool'];
const toolKinds: readonly ToolKind[] = ['editor', 'terminal', 'chat', 'debugger'];
const pulseValues: readonly PulseAnswer['answer'][] = ['better', 'different', 'worse', 'skipped'];
const agentNames: readonly AgentTurn['agent'][] = ['claude-code', 'codex'];
const checkpointLabels: readonly CheckpointLabel[] = checkpoints.map((c) => c.label);
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

type Fields = Record<string, unknown>;
const str = (v: unknown): v is string => typeof v === 'string';
const id = (v: unknown): v is string => str(v) && v.length > 0;
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const count = (v: unknown): v is number => num(v) && v >= 0;
/** Character, line and run counts are whole numbers of UTF-16 code units or lines. */
const whole = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const share = (v: unknown): v is number => num(v) && v >= 0 && v <= 1;
const day = (v: unknown): v is string => str(v) && dayPattern.test(v);
const oneOf = <T>(values: readonly T[]) => (v: unknown): v is T => values.includes(v as T);
const optional = <T>(check: (v: unknown) => v is T) => (v: unknown): boolean => v === undefined || check(v);
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every(str);
const wholes = (v: unknown): v is number[] => Array.isArray(v) && v.every(whole);
const obj = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

// Survival samples feed arithmetic in the analytics: a share in [0, 1] or 'unknown', for a known checkpoint.
function isSamples(v: unknown): boolean {
  return obj(v) && Object.entries(v).every(([label, sample]) => oneOf(checkpointLabels)(label) && (sample === 'unknown' || share(sample)));
}

function isSpanRecord(v: unknown): v is SpanRecord {
  return obj(v) && id(v.id) && num(v.t) && whole(v.originalChars) && whole(v.aliveChars) && whole(v.excludedChars) && isSamples(v.samples) &&
    (v.reworkedAfterMs === null || count(v.reworkedAfterMs)) && typeof v.quickRegret === 'boolean' && whole(v.fixupChars) && num(v.lastObservedAt) &&
    optional(oneOf(closedReasons))(v.closedReason) && optional(oneOf(suspendReasons))(v.suspendedReason);
}

/** What `DocumentSpans.restore` needs to rebuild the layout without throwing. */
function isSpansState(v: unknown): v is SpansState {
  if (!obj(v) || !whole(v.length) || !wholes(v.runs) || v.runs.length % 2 !== 0 || !Array.isArray(v.spans)) return false;
  const spans = v.spans;
  if (!spans.every((s) => obj(s) && id(s.id) && whole(s.original) && num(s.createdAt))) return false;
  if (new Set(spans.map((s) => (s as Fields).id)).size !== spans.length) return false;
  let total = 0;
  for (let i = 0; i < v.runs.length; i += 2) {
    if (v.runs[i] === 0 || v.runs[i + 1] > spans.length) return false;
    total += v.runs[i];
  }
  return total === v.length;
}

/** One hash and one length per line, describing a document of the layout's length (what `reanchor` checks). */
function isLineSnapshotOf(r: Fields): boolean {
  if (!strings(r.lineHashes) || !wholes(r.lineLengths) || r.lineHashes.length !== r.lineLengths.length || r.lineLengths.length === 0) return false;
  const length = r.lineLengths.reduce((n, len) => n + len, r.lineLengths.length - 1);
  return obj(r.spans) && length === r.spans.length;
}

function isContextEvent(v: unknown): v is ContextEvent {
  if (!obj(v) || !num(v.t) || !day(v.day) || !str(v.window)) return false;
  switch (v.kind) {
    case 'edit':
    case 'editor':
      return str(v.project) && str(v.path);
    case 'tool':
      return oneOf(toolKinds)(v.tool);
    case 'windowFocus':
    case 'windowBlur':
    case 'save':
    case 'commit':
    case 'tick':
      return true;
    default:
      return false;
  }
}

function isAgentTurn(v: unknown): v is AgentTurn {
  return obj(v) && oneOf(agentNames)(v.agent) && str(v.sessionId) && num(v.promptAt) &&
    (v.lastWriteAt === null || num(v.lastWriteAt)) && obj(v.tokens) &&
    count(v.tokens.input) && count(v.tokens.output) && count(v.tokens.cacheRead) && count(v.tokens.cacheWrite) &&
    Array.isArray(v.writes) && v.writes.every((w) => obj(w) && str(w.path) && num(w.t) && strings(w.lineHashes));
}

const payloadChecks: Record<CaptureKind, (r: Fields) => boolean> = {
  ins: (r) => id(r.id) && oneOf(insertionSources)(r.source) && oneOf(confidences)(r.confidence) && whole(r.chars) && whole(r.lines) &&
    str(r.languageId) && oneOf(fileKinds)(r.fileKind) && str(r.path) && str(r.project) && day(r.day) && whole(r.hour) && r.hour <= 23 &&
    optional(str)(r.agent) && optional(count)(r.tokens),
  ext: (r) => id(r.id) && whole(r.chars) && whole(r.lines),
  surv: (r) => isSpanRecord(r.span),
  doc: (r) => str(r.path) && str(r.project) && isSpansState(r.spans) && isLineSnapshotOf(r),
  commit: (r) => str(r.project) && str(r.sha) && Array.isArray(r.spanIds) && r.spanIds.every(id) && obj(r.committedLines) &&
    Object.values(r.committedLines).every(strings) && (r.aiTool === null || str(r.aiTool)),
  blame: (r) => id(r.id) && share(r.share),
  verdict: (r) => id(r.id) && (r.verdict === null || oneOf(verdictValues)(r.verdict)),
  note: (r) => id(r.id) && str(r.note),
  pasteAi: (r) => id(r.id),
  pulse: (r) => day(r.week) && oneOf(pulseValues)(r.answer) && day(r.answeredOn),
  ctx: (r) => isContextEvent(r.event),
  turn: (r) => isAgentTurn(r.turn),
  agentMatch: (r) => id(r.id) && oneOf(agentNames)(r.agent) && id(r.turnKey) && count(r.tokens),
  day: (r) => day(r.day) && isDaySummary(r.summary) && count(r.focusBlocks) &&
    Array.isArray(r.switches) && r.switches.every((s) => obj(s) && num(s.t) && oneOf(switchKindValues)(s.kind)) &&
    Array.isArray(r.sessions) && r.sessions.every((s) => obj(s) && num(s.start) && num(s.end) && count(s.switches)),
};

function isDaySummary(v: unknown): v is DaySummary {
  return obj(v) && day(v.day) && count(v.switches) && obj(v.byKind) && switchKindValues.every((k) => count((v.byKind as Fields)[k])) &&
    count(v.activeMs) && count(v.sessions) && count(v.focusMs) && count(v.longestFocusMs);
}

export type ReadResult = { ok: true; record: CaptureRecord } | { ok: false; reason: 'unknownKind' | 'invalid' };

/** Checks a stored record's payload against its kind; unknown kinds are reported, not guessed. */
export function readCaptureRecord(stored: StoredRecord): ReadResult {
  // Own properties only: a kind such as `toString` or `constructor` must not find Object.prototype's.
  if (!Object.hasOwn(payloadChecks, stored.k)) return { ok: false, reason: 'unknownKind' };
  const check = payloadChecks[stored.k as CaptureKind];
  return check(stored) ? { ok: true, record: stored as unknown as CaptureRecord } : { ok: false, reason: 'invalid' };
}
