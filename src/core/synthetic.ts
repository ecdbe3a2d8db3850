/**
 * A deterministic synthetic history: insertions and day summaries shaped like a real
 * developer's, for seeding the panel in tests and for benchmarks. Same arguments, same
 * history, on any machine (a seeded PRNG, local calendar days via date-fns).
 *
 * The shape it mimics: inline completions are mostly one-liners, agents write large
 * blocks that get reworked sooner, the typed baseline survives longest; a few quick
 * regrets, heavy fix-ups, deleted files and unknown readings keep every branch busy.
 */

import { endOfDay, format, parse, subDays } from 'date-fns';
import type { DaySummary, DashboardInput } from './analytics';
import { checkpoints, isAiSource, switchKinds } from './model';
import type { CheckpointLabel, Confidence, DayKey, FileKind, InsertionOutcome, InsertionSource, SwitchKind, Verdict } from './model';
import { isDayKey } from './days';
import type { Random } from './random';
import { mulberry32 } from './random';

export interface SyntheticHistory extends DashboardInput {
  insertions: InsertionOutcome[];
  days: DaySummary[];
  /** The moment the history was "observed" at: the end of `endDay`, local time (epoch ms). */
  now: number;
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/**
 * `days` local days ending with `endDay` (yyyy-MM-dd), exactly `insertionsPerDay`
 * insertions each (so sizes are predictable for benchmarks), deterministic in `seed`.
 */
export function syntheticHistory(seed: number, days: number, insertionsPerDay: number, endDay: DayKey): SyntheticHistory {
  if (!isDayKey(endDay)) throw new RangeError(`Not a day (yyyy-MM-dd): ${JSON.stringify(endDay)}`);
  const random = mulberry32(seed);
  const last = parse(endDay, 'yyyy-MM-dd', new Date(0));
  const now = endOfDay(last).getTime();
  const insertions: InsertionOutcome[] = [];
  const summaries: DaySummary[] = [];
  for (let d = days - 1; d >= 0; d--) {
    const dayStart = subDays(last, d);
    const dayKey = format(dayStart, 'yyyy-MM-dd');
    summaries.push(daySummary(random, dayKey, dayStart));
    for (let i = 0; i < insertionsPerDay; i++) {
      insertions.push(insertion(random, `syn-${seed}-${insertions.length}`, dayKey, dayStart, now));
    }
  }
  return { insertions, days: summaries, now };
}


function pick<T>(random: Random, weighted: readonly (readonly [T, number])[]): T {
  let r = random() * weighted.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of weighted) {
    r -= weight;
    if (r < 0) return value;
  }
  return weighted[weighted.length - 1][0];
}

function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Exponentially distributed with the given mean. */
function exponential(random: Random, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

/** Epoch ms of a local wall-clock time on the given day (right on DST days, unlike adding hours). */
function localTime(dayStart: Date, hours: number, minutes: number): number {
  return new Date(dayStart.getFullYear(), dayStart.getMonth(), dayStart.getDate(), hours, minutes).getTime();
}

const sourceWeights = [
  ['inline', 45],
  ['chat', 15],
  ['agent', 15],
  ['typed', 20],
  ['paste', 5],
] as const;

const confidenceWeights: Record<InsertionSource, readonly (readonly [Confidence, number])[]> = {
  inline: [['certain', 7], ['likely', 3]],
  chat: [['likely', 85], ['possible', 15]],
  agent: [['certain', 5], ['possible', 5]],
  typed: [['certain', 1]],
  paste: [['certain', 1]],
};

const kindWeights = [
  ['source', 60],
  ['test', 20],
  ['docs', 8],
  ['config', 8],
  ['generated', 4],
] as const;

const languagesByKind: Record<FileKind, readonly (readonly [string, number])[]> = {
  source: [['typescript', 60], ['python', 25], ['go', 15]],
  test: [['typescript', 60], ['python', 25], ['go', 15]],
  docs: [['markdown', 1]],
  config: [['json', 6], ['yaml', 4]],
  generated: [['typescript', 1]],
};

const extensions: Record<string, string> = { typescript: 'ts', python: 'py', go: 'go', markdown: 'md', json: 'json', yaml: 'yaml' };

/** Mean time to rework of a 1-line insertion, by source; bigger ones are reworked sooner. */
const meanReworkMs: Record<InsertionSource, number> = { inline: 60 * day, chat: 30 * day, agent: 20 * day, typed: 150 * day, paste: 45 * day };
const quickRegretChance: Record<InsertionSource, number> = { inline: 0.06, chat: 0.05, agent: 0.04, typed: 0.01, paste: 0.02 };

function linesOf(random: Random, source: InsertionSource): number {
  switch (source) {
    case 'inline':
      return pick(random, [
        [1, 60],
        [between(random, 2, 10), 35],
        [between(random, 11, 30), 5],
      ]);
    case 'chat':
      return between(random, 2, 40);
    case 'agent':
      return Math.round(Math.exp(Math.log(5) + random() * (Math.log(150) - Math.log(5))));
    case 'typed':
      return between(random, 1, 10);
    case 'paste':
      return between(random, 1, 30);
  }
}

function insertion(random: Random, id: string, dayKey: string, dayStart: Date, now: number): InsertionOutcome {
  const source = pick(random, sourceWeights);
  const fileKind = pick(random, kindWeights);
  const languageId = pick(random, languagesByKind[fileKind]);
  const lines = linesOf(random, source);
  const chars = lines * between(random, 15, 60);
  const landingHour = pick(random, [
    [between(random, 9, 18), 93],
    [between(random, 19, 23), 5],
    [between(random, 0, 5), 2],
  ]);
  const t = localTime(dayStart, landingHour, between(random, 0, 59));

  // Fate: a quick regret, or an exponential time to rework, plus some gradual erosion.
  const quickRegret = random() < quickRegretChance[source];
  const reworkAt = quickRegret ? random() * 2 * minute : exponential(random, meanReworkMs[source] / (1 + lines / 100));
  const erosion = 0.3 * random() ** 2;
  const afterRework = 0.5 * random();
  const survivalAfter = (age: number): number => (age < reworkAt ? 1 - (erosion * age) / (age + day) : afterRework);

  const deletedAt = random() < 0.01 ? t + random() * 10 * day : Infinity;
  const closed = deletedAt < now;
  const observedUntil = closed ? deletedAt : now;
  const unknownCheckpoint = random() < 0.02 ? between(random, 0, checkpoints.length - 1) : -1;
  const survival: Partial<Record<CheckpointLabel, number | 'unknown' | null>> = {};
  checkpoints.forEach((checkpoint, i) => {
    const at = t + checkpoint.ms;
    if (at > now) survival[checkpoint.label] = null;
    else if (at > observedUntil || i === unknownCheckpoint) survival[checkpoint.label] = 'unknown';
    else survival[checkpoint.label] = survivalAfter(checkpoint.ms);
  });

  const age = now - t;
  const committed = !quickRegret && age >= 2 * hour && random() < (source === 'typed' ? 0.7 : 0.6);
  const agent = source === 'agent' ? pick(random, [['claude-code', 6], ['codex', 4]] as const) : undefined;
  const outcome: InsertionOutcome = {
    id,
    source,
    confidence: pick(random, confidenceWeights[source]),
    chars,
    lines,
    languageId,
    fileKind,
    path: `${fileKind === 'test' ? 'test' : fileKind === 'docs' ? 'docs' : 'src'}/module${between(random, 1, 12)}/file${between(random, 1, 40)}.${extensions[languageId]}`,
    project: random() < 0.7 ? 'alpha' : 'beta',
    t,
    day: dayKey,
    hour: landingHour,
    observedUntil,
    survival,
    aliveShare: survivalAfter(observedUntil - t),
    reworkedAfterMs: reworkAt <= observedUntil - t ? reworkAt : null,
    quickRegret,
    fixupRatio: random() < 0.04 ? 1 + random() : Math.min(1, exponential(random, 0.08)),
    committed,
    committedSurvival7d: committed && age >= 8 * day ? 0.6 + 0.4 * random() : null,
    sessionSwitches: Math.floor(exponential(random, 5)),
  };
  if (closed) outcome.closedReason = 'fileDeleted';
  if (agent !== undefined) {
    outcome.agent = agent;
    if (random() < 0.7) outcome.tokens = lines * between(random, 100, 400);
  }
  if (isAiSource(source) && random() < 0.01) outcome.verdictOverride = pick<Verdict>(random, [['helped', 1], ['hurt', 1], ['mixed', 1]]);
  if (random() < 0.005) outcome.note = pick(random, [['good scaffold, kept it', 1], ['had to rethink the approach', 1], ['tests caught it', 1]]);
  return outcome;
}

function daySummary(random: Random, dayKey: string, dayStart: Date): DaySummary {
  const byKind: Record<SwitchKind, number> = { app: between(random, 5, 20), project: between(random, 0, 5), area: between(random, 5, 30), tool: between(random, 10, 40) };
  const switches = switchKinds.reduce((sum, kind) => sum + byKind[kind], 0);
  const focusBlocks = between(random, 0, 4);
  const blockLengths = Array.from({ length: focusBlocks }, () => between(random, 25, 70) * minute);
  const workStart = localTime(dayStart, 9, 0);
  const timeline = switchKinds
    .flatMap((kind) => Array.from({ length: byKind[kind] }, () => ({ t: workStart + Math.floor(random() * 9 * hour), kind })))
    .sort((a, b) => a.t - b.t);
  return {
    day: dayKey,
    switches,
    byKind,
    activeMs: between(random, 120, 420) * minute,
    sessions: between(random, 2, 6),
    focusBlocks,
    focusMs: blockLengths.reduce((sum, ms) => sum + ms, 0),
    longestFocusMs: Math.max(0, ...blockLengths),
    timeline,
  };
}

/**
 * One insertion with neutral defaults (an unreworked one-line inline completion, landed and
 * observed at t = 0), overridden by `partial`: for hand-built examples in tests and demos.
 */
export function outcomeWith(partial: Partial<InsertionOutcome>): InsertionOutcome {
  return {
    id: 'insertion',
    source: 'inline',
    confidence: 'certain',
    chars: 100,
    lines: 1,
    languageId: 'typescript',
    fileKind: 'source',
    path: 'src/example.ts',
    project: 'example',
    t: 0,
    day: '1970-01-01',
    hour: 0,
    observedUntil: 0,
    survival: {},
    aliveShare: 1,
    reworkedAfterMs: null,
    quickRegret: false,
    fixupRatio: 0,
    committed: false,
    committedSurvival7d: null,
    sessionSwitches: 0,
    ...partial,
  };
}
