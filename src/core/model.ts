/**
 * The shared vocabulary of Hindsight's core. Pure types and small constants only:
 * every other core module, the host and the webview speak in these terms.
 *
 * Times are epoch milliseconds. A `DayKey` is a local calendar day `yyyy-MM-dd`,
 * fixed when the event is captured (so a time-zone change mid-day never moves
 * what was already recorded).
 */

/** Version written into every stored record; bump with a migration in storeFormat. */
export const schemaVersion = 1;

export type DayKey = string;

/** Who produced an insertion. `typed` and `paste` are the human baselines. */
export type InsertionSource = 'inline' | 'chat' | 'agent' | 'paste' | 'typed';
export type AiSource = 'inline' | 'chat' | 'agent';
export const aiSources: readonly AiSource[] = ['inline', 'chat', 'agent'];
export const insertionSources: readonly InsertionSource[] = ['inline', 'chat', 'agent', 'paste', 'typed'];

export function isAiSource(source: InsertionSource): source is AiSource {
  return source === 'inline' || source === 'chat' || source === 'agent';
}

/** How sure the attribution is. Ordered from most to least sure. */
export type Confidence = 'certain' | 'likely' | 'possible';
export const confidences: readonly Confidence[] = ['certain', 'likely', 'possible'];

export type FileKind = 'test' | 'docs' | 'config' | 'source' | 'generated';
export const fileKinds: readonly FileKind[] = ['source', 'test', 'docs', 'config', 'generated'];

export type SwitchKind = 'app' | 'project' | 'area' | 'tool';
export const switchKinds: readonly SwitchKind[] = ['app', 'project', 'area', 'tool'];

/** Where the developer's attention is inside VS Code. */
export type ToolKind = 'editor' | 'terminal' | 'chat' | 'debugger';

/** Survival checkpoints, in milliseconds after the insertion landed. */
export const checkpoints = [
  { label: '10m', ms: 10 * 60_000 },
  { label: '1h', ms: 60 * 60_000 },
  { label: '24h', ms: 24 * 60 * 60_000 },
  { label: '72h', ms: 72 * 60 * 60_000 },
  { label: '7d', ms: 7 * 24 * 60 * 60_000 },
  { label: '30d', ms: 30 * 24 * 60 * 60_000 },
] as const;
export type CheckpointLabel = (typeof checkpoints)[number]['label'];

export type Verdict = 'helped' | 'hurt' | 'mixed' | 'tooEarly';

/** Why an insertion stopped being followed before the end of observation. */
export type SpanClosedReason = 'fileDeleted' | 'reworked' | 'lost';
export const closedReasons: readonly SpanClosedReason[] = ['fileDeleted', 'reworked', 'lost'];

/** Why a span is temporarily not followed (its changes are not the developer's rework). */
export type SuspendReason = 'branchSwitch' | 'stash' | 'rebase' | 'reformat';
export const suspendReasons: readonly SuspendReason[] = ['branchSwitch', 'stash', 'rebase', 'reformat'];

/**
 * One attributed piece of inserted text, as the analytics see it: everything about an
 * insertion that the panel and the retro summary need, and nothing that names code.
 * `path` is workspace-relative and stays on this machine (never exported).
 */
export interface InsertionOutcome {
  id: string;
  source: InsertionSource;
  confidence: Confidence;
  /** Coding agent that wrote it, when known from its logs ('claude-code', 'codex'). */
  agent?: string;
  chars: number;
  lines: number;
  languageId: string;
  fileKind: FileKind;
  /** Workspace-relative path, local only. */
  path: string;
  /** Workspace folder name, local only. */
  project: string;
  /** When it landed. */
  t: number;
  day: DayKey;
  /** Local hour of day 0–23 when it landed. */
  hour: number;
  /** Until when the span was observed (now, or when it was closed). */
  observedUntil: number;
  /**
   * Share of original characters still present and unmodified at each checkpoint:
   * a number in [0, 1], `null` when the checkpoint has not passed yet, or
   * `'unknown'` when it passed while the state could not be known.
   */
  survival: Partial<Record<CheckpointLabel, number | 'unknown' | null>>;
  /** Current share of original characters still present. */
  aliveShare: number;
  /** Time (ms after landing) at which it first lost half its characters, or null. */
  reworkedAfterMs: number | null;
  /** At least half removed within 2 minutes (undo included). */
  quickRegret: boolean;
  /** Characters the developer typed in or on the lines of the span within 30 min, over chars. */
  fixupRatio: number;
  /** Some of its lines appear in a commit. */
  committed: boolean;
  /** Share of committed lines still present by `git blame` 7 days after commit, when known. */
  committedSurvival7d: number | null;
  closedReason?: SpanClosedReason;
  suspendedReason?: SuspendReason;
  /** Context switches in the editor session the insertion landed in. */
  sessionSwitches: number;
  /** The developer's own verdict, overruling the proposed one. */
  verdictOverride?: Verdict;
  note?: string;
  /** Tokens of the agent turn that wrote it, when agent logs matched it. */
  tokens?: number;
  /** Key of the matched agent turn (`agentTurnKey`), so a turn's tokens are counted once. */
  agentTurnKey?: string;
}

/** A context switch, as captured. `from`/`to` are local labels (area or tool names). */
export interface ContextSwitch {
  t: number;
  day: DayKey;
  kind: SwitchKind;
  window: string;
  from: string;
  to: string;
}

/** A stretch of activity with no gap longer than the idle timeout. */
export interface EditorSession {
  start: number;
  end: number;
  day: DayKey;
  switches: number;
}

/** A part of a session of at least 25 minutes without `app` or `project` switches. */
export interface FocusBlock {
  start: number;
  end: number;
  day: DayKey;
}

/** An agent turn from coding-agent logs: a prompt, the writes it made, and its tokens. */
export interface AgentTurn {
  agent: 'claude-code' | 'codex';
  sessionId: string;
  promptAt: number;
  lastWriteAt: number | null;
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
  /** Workspace-relative paths written in this turn. */
  writes: { path: string; t: number; lineHashes: string[] }[];
}

/** The developer's weekly answer to "Did AI make your work better this week, or just different?" */
export interface PulseAnswer {
  /** Monday of the week answered, as a DayKey. */
  week: DayKey;
  answer: 'better' | 'different' | 'worse' | 'skipped';
  answeredOn: DayKey;
}
