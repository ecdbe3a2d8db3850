/**
 * Ties disk changes to coding-agent turns, and the two figures agent logs make possible:
 * tokens per line still alive after 72 h, and time spent waiting on AI.
 */
import type { AgentTurn, ContextSwitch, DayKey, InsertionOutcome, SwitchKind } from './model';
import { switchKinds } from './model';
import type { AgentName } from './agentLogs';
import { agentTurnKey, turnTokenTotal } from './agentLogs';
import { dayKeyOf } from './days';

/** A disk-change insertion, as the attribution side sees it. */
export interface AgentInsertion {
  /** Workspace-relative, posix separators. */
  path: string;
  t: number;
  /** `nonBlankLineHashes` of the inserted text. */
  lineHashes: readonly string[];
}

export interface AgentMatch {
  agent: AgentName;
  turnKey: string;
  /** All tokens of the matched turn (`turnTokenTotal`). */
  tokens: number;
}

export interface AgentMatchOptions {
  /** How long before the logged write the disk change may be seen (the log line lands after the file). */
  maxEarlyMs: number;
  /** How long after the logged write the disk change may be seen (watchers and reloads lag). */
  maxLateMs: number;
  /** Share of the insertion's non-blank lines that must appear in the turn's writes to that path. */
  minOverlap: number;
  caseInsensitivePaths?: boolean;
}

export const defaultAgentMatchOptions: AgentMatchOptions = { maxEarlyMs: 10_000, maxLateMs: 60_000, minOverlap: 0.5 };

/**
 * The agent turn that most likely wrote an insertion: same path, a write within the time
 * window, and enough of the insertion's lines among the turn's written lines. Several
 * writes of one turn to the path count together (the disk may show them as one change).
 * Best overlap wins, then the write closest in time.
 */
export function matchAgentWrite(
  insertion: AgentInsertion,
  turns: readonly AgentTurn[],
  options: AgentMatchOptions = defaultAgentMatchOptions,
): AgentMatch | null {
  if (insertion.lineHashes.length === 0) return null;
  const fold = options.caseInsensitivePaths === true ? (s: string): string => s.toLowerCase() : (s: string): string => s;
  const path = fold(insertion.path);
  let best: { turn: AgentTurn; overlap: number; distance: number } | null = null;
  for (const turn of turns) {
    let written: Set<string> | null = null;
    let distance = Infinity;
    for (const write of turn.writes) {
      const offset = insertion.t - write.t;
      if (offset < -options.maxEarlyMs || offset > options.maxLateMs || fold(write.path) !== path) continue;
      written ??= new Set();
      for (const hash of write.lineHashes) written.add(hash);
      distance = Math.min(distance, Math.abs(offset));
    }
    if (written === null) continue;
    let found = 0;
    for (const hash of insertion.lineHashes) if (written.has(hash)) found++;
    const overlap = found / insertion.lineHashes.length;
    if (overlap < options.minOverlap) continue;
    if (best === null || overlap > best.overlap || (overlap === best.overlap && distance < best.distance)) {
      best = { turn, overlap, distance };
    }
  }
  return best === null ? null : { agent: best.turn.agent, turnKey: agentTurnKey(best.turn), tokens: turnTokenTotal(best.turn) };
}

/** Tokens spent per line still alive 72 h after landing, over turns whose insertions all reached 72 h. */
export interface TokensPerLineFigure {
  tokens: number;
  /** Lines of the matched insertions, each weighted by its 72 h character survival. */
  aliveLines: number;
  /** null when no line survived (every token was spent on reworked code). */
  tokensPerLine: number | null;
  /** Sample size: turns counted. */
  turns: number;
  insertions: number;
}

export interface TurnWait {
  turnKey: string;
  agent: AgentName;
  promptAt: number;
  lastWriteAt: number;
  waitMs: number;
  switches: number;
  switchesByKind: Record<SwitchKind, number>;
}

/** Waiting on AI: prompt → last write, and the context switches made meanwhile. */
export interface WaitingFigure {
  /** Sample size: turns with at least one write. */
  turns: number;
  totalWaitMs: number;
  medianWaitMs: number | null;
  switches: number;
  switchesByKind: Record<SwitchKind, number>;
  /** Turns during which the developer switched context at least once. */
  turnsWithSwitch: number;
}

export interface AgentFigures {
  tokensPerSurvivingLine: {
    all: TokensPerLineFigure;
    byAgent: Partial<Record<AgentName, TokensPerLineFigure>>;
    /** By the local day the turn's first insertion landed. */
    byDay: Record<DayKey, TokensPerLineFigure>;
  };
  waiting: {
    all: WaitingFigure;
    byAgent: Partial<Record<AgentName, WaitingFigure>>;
    /** By the local day of the prompt. */
    byDay: Record<DayKey, WaitingFigure>;
    perTurn: TurnWait[];
  };
}

interface TurnLines {
  turn: AgentTurn;
  day: DayKey;
  aliveLines: number;
  insertions: number;
}

function zeroByKind(): Record<SwitchKind, number> {
  return { app: 0, project: 0, area: 0, tool: 0 };
}

function groupBy<T, K extends string>(items: readonly T[], key: (item: T) => K): Partial<Record<K, T[]>> {
  const groups: Partial<Record<K, T[]>> = {};
  for (const item of items) (groups[key(item)] ??= []).push(item);
  return groups;
}

function mapValues<K extends string, T, U>(groups: Partial<Record<K, T[]>>, f: (items: T[]) => U): Partial<Record<K, U>> {
  const out: Partial<Record<K, U>> = {};
  for (const k of Object.keys(groups) as K[]) out[k] = f(groups[k] as T[]);
  return out;
}

function tokensFigure(items: readonly TurnLines[]): TokensPerLineFigure {
  let tokens = 0;
  let aliveLines = 0;
  let insertions = 0;
  for (const item of items) {
    tokens += turnTokenTotal(item.turn);
    aliveLines += item.aliveLines;
    insertions += item.insertions;
  }
  return { tokens, aliveLines, tokensPerLine: aliveLines > 0 ? tokens / aliveLines : null, turns: items.length, insertions };
}

function waitingFigure(waits: readonly TurnWait[]): WaitingFigure {
  const switchesByKind = zeroByKind();
  let totalWaitMs = 0;
  let switches = 0;
  let turnsWithSwitch = 0;
  for (const wait of waits) {
    totalWaitMs += wait.waitMs;
    switches += wait.switches;
    if (wait.switches > 0) turnsWithSwitch++;
    for (const kind of switchKinds) switchesByKind[kind] += wait.switchesByKind[kind];
  }
  const sorted = waits.map((w) => w.waitMs).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianWaitMs = sorted.length === 0 ? null : sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { turns: waits.length, totalWaitMs, medianWaitMs, switches, switchesByKind, turnsWithSwitch };
}

/** Lines alive at 72 h per matched turn; a turn counts only when all its insertions have a known 72 h survival. */
function turnLines(byKey: ReadonlyMap<string, AgentTurn>, outcomes: readonly InsertionOutcome[]): TurnLines[] {
  const acc = new Map<string, TurnLines | null>();
  for (const outcome of outcomes) {
    const key = outcome.agentTurnKey;
    if (key === undefined) continue;
    const turn = byKey.get(key);
    if (turn === undefined || acc.get(key) === null) continue;
    const s72 = outcome.survival['72h'];
    if (typeof s72 !== 'number') {
      // Still young or unknown at 72 h: counting the turn's tokens without its lines would bias the figure.
      acc.set(key, null);
      continue;
    }
    const item = acc.get(key) ?? { turn, day: outcome.day, aliveLines: 0, insertions: 0 };
    item.aliveLines += outcome.lines * s72;
    item.insertions++;
    if (outcome.day < item.day) item.day = outcome.day;
    acc.set(key, item);
  }
  return [...acc.values()].filter((item): item is TurnLines => item !== null);
}

function turnWaits(turns: Iterable<AgentTurn>, switches: readonly ContextSwitch[]): TurnWait[] {
  const sorted = switches.slice().sort((a, b) => a.t - b.t);
  const waits: TurnWait[] = [];
  for (const turn of turns) {
    if (turn.lastWriteAt === null) continue;
    const switchesByKind = zeroByKind();
    let count = 0;
    // Switches are sorted: binary search for the first one at or after the prompt.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].t < turn.promptAt) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < sorted.length && sorted[i].t <= turn.lastWriteAt; i++) {
      switchesByKind[sorted[i].kind]++;
      count++;
    }
    waits.push({
      turnKey: agentTurnKey(turn),
      agent: turn.agent,
      promptAt: turn.promptAt,
      lastWriteAt: turn.lastWriteAt,
      waitMs: Math.max(0, turn.lastWriteAt - turn.promptAt),
      switches: count,
      switchesByKind,
    });
  }
  return waits;
}

/** Token efficiency and waiting on AI from agent turns, insertion outcomes and context switches. */
export function agentFigures(
  turns: readonly AgentTurn[],
  outcomes: readonly InsertionOutcome[],
  switches: readonly ContextSwitch[],
): AgentFigures {
  // Later snapshots of a turn replace earlier ones, should the caller pass both.
  const byKey = new Map(turns.map((turn) => [agentTurnKey(turn), turn]));
  const lines = turnLines(byKey, outcomes);
  const waits = turnWaits(byKey.values(), switches);
  return {
    tokensPerSurvivingLine: {
      all: tokensFigure(lines),
      byAgent: mapValues(groupBy(lines, (item) => item.turn.agent), tokensFigure),
      byDay: mapValues(groupBy(lines, (item) => item.day), tokensFigure) as Record<DayKey, TokensPerLineFigure>,
    },
    waiting: {
      all: waitingFigure(waits),
      byAgent: mapValues(groupBy(waits, (wait) => wait.agent), waitingFigure),
      byDay: mapValues(groupBy(waits, (wait) => dayKeyOf(wait.promptAt)), waitingFigure) as Record<DayKey, WaitingFigure>,
      perTurn: waits,
    },
  };
}
