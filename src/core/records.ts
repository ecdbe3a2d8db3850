/**
 * The kinds of record Hindsight stores, their payloads, and how they are read back.
 * The store (storeFormat) knows only the envelope `{v, k, t, w}`; this module owns the
 * payloads and validates each one on read: a record of a known kind with a malformed
 * payload is skipped and counted, like a garbage line.
 *
 * Privacy: no record carries code text. Paths are workspace-relative; line hashes are
 * salted per install (lineHash.ts).
 */
import type { ContextEvent } from './context';
import type { AgentTurn, Confidence, DayKey, FileKind, InsertionSource, PulseAnswer, ToolKind, Verdict } from './model';
import { confidences, fileKinds, insertionSources } from './model';
import type { StoredRecord } from './storeFormat';
import type { SpansState } from './spans';
import type { SpanRecord } from './survival';

/** An insertion landed: who wrote it, how sure we are, how big, where (locally). */
export interface InsertionRecord {
  k: 'ins';
  t: number;
  w: string;
  id: string;
  source: InsertionSource;
  confidence: Confidence;
  chars: number;
  lines: number;
  languageId: string;
  fileKind: FileKind;
  path: string;
  project: string;
  day: DayKey;
  hour: number;
  agent?: string;
  tokens?: number;
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
  | AgentTurnRecord;

export type CaptureKind = CaptureRecord['k'];

const verdictValues: readonly Verdict[] = ['helped', 'hurt', 'mixed', 'tooEarly'];
const toolKinds: readonly ToolKind[] = ['editor', 'terminal', 'chat', 'debugger'];
const pulseValues: readonly PulseAnswer['answer'][] = ['better', 'different', 'worse', 'skipped'];
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

type Fields = Record<string, unknown>;
const str = (v: unknown): v is string => typeof v === 'string';
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const count = (v: unknown): v is number => num(v) && v >= 0;
const day = (v: unknown): v is string => str(v) && dayPattern.test(v);
const oneOf = <T>(values: readonly T[]) => (v: unknown): v is T => values.includes(v as T);
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every(str);
const counts = (v: unknown): v is number[] => Array.isArray(v) && v.every(count);
const obj = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

function isSpanRecord(v: unknown): v is SpanRecord {
  return obj(v) && str(v.id) && num(v.t) && count(v.originalChars) && count(v.aliveChars) && count(v.excludedChars) && obj(v.samples) &&
    (v.reworkedAfterMs === null || count(v.reworkedAfterMs)) && typeof v.quickRegret === 'boolean' && count(v.fixupChars) && num(v.lastObservedAt);
}

function isSpansState(v: unknown): v is SpansState {
  return obj(v) && count(v.length) && counts(v.runs) && Array.isArray(v.spans) &&
    v.spans.every((s) => obj(s) && str(s.id) && count(s.original) && num(s.createdAt));
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
  return obj(v) && (v.agent === 'claude-code' || v.agent === 'codex') && str(v.sessionId) && num(v.promptAt) &&
    (v.lastWriteAt === null || num(v.lastWriteAt)) && obj(v.tokens) && Array.isArray(v.writes);
}

const payloadChecks: Record<CaptureKind, (r: Fields) => boolean> = {
  ins: (r) => str(r.id) && oneOf(insertionSources)(r.source) && oneOf(confidences)(r.confidence) && count(r.chars) && count(r.lines) &&
    str(r.languageId) && oneOf(fileKinds)(r.fileKind) && str(r.path) && str(r.project) && day(r.day) && count(r.hour) &&
    (r.agent === undefined || str(r.agent)) && (r.tokens === undefined || count(r.tokens)),
  ext: (r) => str(r.id) && count(r.chars) && count(r.lines),
  surv: (r) => isSpanRecord(r.span),
  doc: (r) => str(r.path) && str(r.project) && isSpansState(r.spans) && strings(r.lineHashes) && counts(r.lineLengths),
  commit: (r) => str(r.project) && str(r.sha) && strings(r.spanIds) && obj(r.committedLines) &&
    Object.values(r.committedLines).every(strings) && (r.aiTool === null || str(r.aiTool)),
  blame: (r) => str(r.id) && num(r.share) && r.share >= 0 && r.share <= 1,
  verdict: (r) => str(r.id) && (r.verdict === null || oneOf(verdictValues)(r.verdict)),
  note: (r) => str(r.id) && str(r.note),
  pasteAi: (r) => str(r.id),
  pulse: (r) => day(r.week) && oneOf(pulseValues)(r.answer) && day(r.answeredOn),
  ctx: (r) => isContextEvent(r.event),
  turn: (r) => isAgentTurn(r.turn),
};

export type ReadResult = { ok: true; record: CaptureRecord } | { ok: false; reason: 'unknownKind' | 'invalid' };

/** Checks a stored record's payload against its kind; unknown kinds are reported, not guessed. */
export function readCaptureRecord(stored: StoredRecord): ReadResult {
  const check = payloadChecks[stored.k as CaptureKind] as ((r: Fields) => boolean) | undefined;
  if (!check) return { ok: false, reason: 'unknownKind' };
  return check(stored) ? { ok: true, record: stored as unknown as CaptureRecord } : { ok: false, reason: 'invalid' };
}
