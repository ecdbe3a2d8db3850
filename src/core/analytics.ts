/**
 * The Hindsight panel's figures: one pure pass over the insertions and day summaries of a
 * range, producing a plain-JSON `DashboardSnapshot` that the webview renders as is.
 *
 * Honest numbers (DESIGN.md, Principles): every figure carries its sample size `n`, and
 * below a minimum sample it is `{ value: null, insufficient: true }` instead of a number.
 * Young insertions are censored (survival curve) or left out until their checkpoint has
 * passed (means, rework, verdicts), never counted as survivors.
 */

import type { DaySummary as ContextDaySummary } from './context';
import { dayRange } from './days';
import { kmBand, kmTable, mergeSorted, pushTimeToRework } from './kaplanMeier';
import type { KmTable } from './kaplanMeier';
import { aiSources, checkpoints, confidences, insertionSources, switchKinds } from './model';
import type {
  AiSource,
  CheckpointLabel,
  Confidence,
  DayKey,
  FileKind,
  InsertionOutcome,
  InsertionSource,
  SwitchKind,
  Verdict,
} from './model';
import type { DayRange } from './ranges';
import { effectiveVerdict, verdictOf } from './verdicts';

/** Version of the snapshot's shape; bump when a field changes meaning or disappears. */
export const dashboardVersion = 1;

/** Fewest samples behind a share or a mean (checkpoint means, rework, committed, verdict mix). */
export const minSampleForShare = 5;
/** Fewest judged insertions behind a helped/hurt breakdown row. */
export const minSampleForBreakdown = 10;
/** Fewest insertions still at risk for a point of the survival curve to be drawn or read. */
export const minAtRiskForCurve = 5;

/** Rework at 72 h (share of AI characters): healthy below the target, red above the red line. */
export const reworkTarget = 0.15;
export const reworkRedLine = 0.25;

/**
 * Traffic light of a breakdown row, on shares of judged insertions: red when hurt ≥ 30%;
 * green when helped ≥ 60% and hurt ≤ 15%; yellow otherwise; insufficient below
 * `minSampleForBreakdown` judged insertions.
 */
export const lightRules = { redMinHurt: 0.3, greenMinHelped: 0.6, greenMaxHurt: 0.15 } as const;

/** Smallest survival drop drawn as its own curve point (so a curve has at most ~500 points). */
export const curveResolution = 0.002;

/** An insertion of at least this many lines is "big" for the moments list. */
export const bigInsertionLines = 10;
export const defaultMomentsLimit = 20;

/** Committed share only counts insertions at least this old: younger ones may not be committed yet. */
export const committedAfterMs = 24 * 60 * 60_000;

/** One local day of context figures (the context model's summary), with what the panel adds. */
export interface DaySummary extends ContextDaySummary {
  /** Number of focus blocks (≥ 25 min without app/project switches), when the producer counts them. */
  focusBlocks?: number;
  timeline?: { t: number; kind: SwitchKind }[];
}

/** Figures from coding-agent logs, computed by the caller for the same range and passed through. */
export interface AgentFigures {
  tokensPerSurvivingLine?: { value: number; n: number; byAgent: Record<string, { value: number; n: number }> };
  waitingOnAi?: { totalMs: number; turns: number; switchesWhileWaiting: number };
}

export interface DashboardInput {
  insertions: readonly InsertionOutcome[];
  days: readonly DaySummary[];
  agent?: AgentFigures;
}

export interface DashboardOptions {
  /** Least sure attribution to include: 'possible' includes all, 'certain' only certain. */
  minConfidence: Confidence;
  /** Most moments listed; default `defaultMomentsLimit`. */
  momentsLimit?: number;
}

/** A number with its sample: `value` is null exactly when `insufficient` (n below the minimum). */
export interface SampledFigure {
  value: number | null;
  n: number;
  insufficient: boolean;
}

/** Context figures of a day or of a range of days. */
export interface ContextFigures {
  activeMs: number;
  sessions: number;
  /** null when a day summary does not count focus blocks. */
  focusBlocks: number | null;
  focusMs: number;
  longestFocusMs: number;
  switches: number;
  byKind: Record<SwitchKind, number>;
}

export interface DayGlance extends ContextFigures {
  day: DayKey;
  /** False when no day summary exists: the figures are zeros because nothing was recorded. */
  tracked: boolean;
  aiInsertions: number;
}

export interface GlanceSection {
  /** Every day of the range, in order. */
  days: DayGlance[];
  totals: ContextFigures & { trackedDays: number };
  /** The switches of the day in time order, for a single-day range; null otherwise or when not recorded. */
  timeline: { t: number; kind: SwitchKind }[] | null;
  insertions: {
    total: number;
    ai: number;
    bySource: Record<InsertionSource, number>;
    aiByConfidence: Record<Confidence, number>;
    aiChars: number;
    aiLines: number;
  };
}

export interface CurvePoint {
  timeMs: number;
  survival: number;
  lower: number;
  upper: number;
  atRisk: number;
}

/** The Kaplan–Meier curve read at a checkpoint; null (insufficient) when fewer than the minimum were at risk. */
export interface CurveReading {
  label: CheckpointLabel;
  ms: number;
  value: number | null;
  lower: number | null;
  upper: number | null;
  atRisk: number;
  insufficient: boolean;
}

export interface SurvivalCurveView {
  n: number;
  events: number;
  censored: number;
  /** True when fewer than `minAtRiskForCurve` insertions are followed at all. */
  insufficient: boolean;
  /**
   * The curve's drops while at least `minAtRiskForCurve` were at risk (a thinner tail is not
   * drawn), merged until they reach `curveResolution`, plus the last drawable step. A point is
   * the curve just after a drop; it is flat between points and starts at (0, 1).
   */
  points: CurvePoint[];
  atCheckpoints: CurveReading[];
}

/** Mean of the known survival readings at one checkpoint. */
export interface CheckpointMean extends SampledFigure {
  label: CheckpointLabel;
  ms: number;
  /** Readings that passed while the state could not be known: excluded from the mean. */
  unknown: number;
  /** Insertions whose checkpoint has not passed yet. */
  pending: number;
}

export type ReworkStatus = 'healthy' | 'watch' | 'red' | 'insufficient';

/** Share of characters rewritten or deleted within 72 h, among insertions with a known 72 h reading. */
export interface ReworkFigure extends SampledFigure {
  /** Characters behind the share. */
  chars: number;
  /** healthy below `reworkTarget`, red above `reworkRedLine`, watch in between. */
  status: ReworkStatus;
}

export interface SurvivalSection {
  curves: { ai: SurvivalCurveView; typed: SurvivalCurveView; bySource: Record<AiSource, SurvivalCurveView> };
  checkpoints: { ai: CheckpointMean[]; typed: CheckpointMean[]; bySource: Record<AiSource, CheckpointMean[]> };
  rework72h: { ai: ReworkFigure; typed: ReworkFigure; target: number; redLine: number };
  /** AI insertions only. `share` counts insertions older than `committedAfterMs`. */
  committed: { share: SampledFigure; survival7d: SampledFigure };
}

export type Light = 'green' | 'yellow' | 'red' | 'insufficient';
export type BreakdownDimension = 'source' | 'language' | 'fileKind' | 'size' | 'timeOfDay' | 'switchLoad';
export const breakdownDimensions: readonly BreakdownDimension[] = ['source', 'language', 'fileKind', 'size', 'timeOfDay', 'switchLoad'];

/** Effective verdicts of one group of AI insertions; shares are of judged ones (`n`, too early excluded). */
export interface BreakdownRow {
  key: string;
  label: string;
  /** Judged insertions: helped + hurt + mixed. */
  n: number;
  helped: number;
  hurt: number;
  mixed: number;
  tooEarly: number;
  helpedShare: number | null;
  hurtShare: number | null;
  light: Light;
  /** "tests: helped 84%, hurt 5%, n = 120" */
  reason: string;
}

export interface VerdictSection {
  /** AI insertions only, effective (developer-overridden) verdicts. */
  mix: {
    helped: number;
    hurt: number;
    mixed: number;
    tooEarly: number;
    /** Insertions the developer judged themselves (`verdictOverride` set). */
    developerJudged: number;
    helpedShare: SampledFigure;
    hurtShare: SampledFigure;
    mixedShare: SampledFigure;
  };
  /** Rows with at least one insertion, in a fixed order (languages: most insertions first). */
  breakdowns: Record<BreakdownDimension, BreakdownRow[]>;
}

/**
 * Notable AI insertions, by effective verdict: a quick regret (hurt and half removed within
 * 2 min), a big rework (hurt, ≥ `bigInsertionLines` lines), a big win (helped, ≥ `bigInsertionLines` lines).
 * After them, to fill the list, `recent`: the latest other AI insertions and pastes (a paste
 * can be marked as AI from there), so every insertion can be found, opened and judged.
 */
export type MomentKind = 'quickRegret' | 'bigRework' | 'bigWin' | 'recent';

export interface Moment {
  kind: MomentKind;
  id: string;
  path: string;
  project: string;
  t: number;
  day: DayKey;
  source: InsertionSource;
  confidence: Confidence;
  languageId: string;
  chars: number;
  lines: number;
  verdict: Verdict;
  proposedVerdict: Verdict;
  reason: string;
  note: string | null;
  override: Verdict | null;
}

export interface AgentSection {
  /** null when no agent logs were read. */
  tokensPerSurvivingLine: (SampledFigure & { byAgent: Record<string, SampledFigure> }) | null;
  waitingOnAi: { totalMs: number; turns: number; switchesWhileWaiting: number; switchesPerTurn: SampledFigure } | null;
}

export interface DashboardSnapshot {
  version: number;
  /** The `now` it was computed at (epoch ms). */
  generatedAt: number;
  range: { from: DayKey; to: DayKey; days: number };
  minConfidence: Confidence;
  minimums: { share: number; breakdownRow: number; curveAtRisk: number };
  /** Insertions in the range that passed the confidence filter, and those it left out. */
  sample: { insertions: number; ai: number; excludedByConfidence: number };
  glance: GlanceSection;
  survival: SurvivalSection;
  verdicts: VerdictSection;
  /** Most recent first, at most `limit`; `total` counts every notable insertion in the range. */
  moments: { limit: number; total: number; items: Moment[] };
  agent: AgentSection;
}

/** The panel's snapshot for a valid inclusive range of local days (as from `rangeOf`) at `now` (epoch ms); one pass over the input. */
export function computeDashboard(input: DashboardInput, range: DayRange, now: number, options: DashboardOptions): DashboardSnapshot {
  const maxRank = confidences.indexOf(options.minConfidence);
  const momentsLimit = options.momentsLimit ?? defaultMomentsLimit;
  const from = range.from;
  const to = range.to;

  const bySource = countsOf(insertionSources);
  const aiByConfidence = countsOf(confidences);
  const aiPerDay = new Map<DayKey, number>();
  // Insertions come day by day: the per-day count is kept for the current run of one day
  // and written to the map when the day changes (not one map update per insertion).
  let runDay: DayKey | null = null;
  let runCount = 0;
  let total = 0;
  let ai = 0;
  let excludedByConfidence = 0;
  let aiChars = 0;
  let aiLines = 0;

  // Times to rework as bare numbers, split into events and censorings, per source; the AI
  // curve is the merge of the three sorted AI sources (one sort per source, shared).
  const typedTimes = newTimes();
  const aiTimes = [newTimes(), newTimes(), newTimes()];
  const means = { ai: newMeans(), typed: newMeans(), bySource: [newMeans(), newMeans(), newMeans()] };
  const rework = { ai: { lost: 0, chars: 0, n: 0 }, typed: { lost: 0, chars: 0, n: 0 } };
  const committed = { eligible: 0, committed: 0, survivalSum: 0, survivalN: 0 };
  const mix = { helped: 0, hurt: 0, mixed: 0, tooEarly: 0, developerJudged: 0 };
  // Breakdown counts: 4 verdict slots per group; fixed groups by index, languages by name.
  const sourceCounts = new Uint32Array(aiSources.length * 4);
  const fileKindCounts = new Uint32Array(fileKindKeys.length * 4);
  const sizeCounts = new Uint32Array(sizeKeys.length * 4);
  const timeOfDayCounts = new Uint32Array(timeOfDayKeys.length * 4);
  const switchLoadCounts = new Uint32Array(switchLoadKeys.length * 4);
  const languageCounts = new Map<string, VerdictCounts>();
  const notable: { kind: MomentKind; outcome: InsertionOutcome }[] = [];
  const recent: InsertionOutcome[] = [];
  // Their times, read while the insertion is at hand: picking the latest then scans these
  // packed numbers instead of a year of scattered insertions.
  const notableTimes: number[] = [];
  const recentTimes: number[] = [];

  // Insertions of one day share their day, often as the very same string: the range test
  // is redone only when the day changes (a year is scanned for today's few hundred).
  const insertions = input.insertions;
  let testedDay: DayKey | null = null;
  let dayInRange = false;
  for (let index = 0; index < insertions.length; index++) {
    const o = insertions[index];
    const day = o.day;
    if (day !== testedDay) {
      testedDay = day;
      dayInRange = !(day < from || day > to);
    }
    if (!dayInRange) continue;
    if (confidences.indexOf(o.confidence) > maxRank) {
      excludedByConfidence++;
      continue;
    }
    total++;
    const source = o.source;
    bySource[source]++;
    if (source === 'paste') {
      recent.push(o);
      recentTimes.push(o.t);
    }
    if (source === 'typed') {
      pushTimeToRework(o, typedTimes.events, typedTimes.censored);
      addReadings(means.typed, null, o);
      addRework(rework.typed, o);
    }
    const aiSlot = source === 'inline' ? 0 : source === 'chat' ? 1 : source === 'agent' ? 2 : -1;
    if (aiSlot < 0) continue;

    ai++;
    aiByConfidence[o.confidence]++;
    aiChars += o.chars;
    aiLines += o.lines;
    if (day === runDay) runCount++;
    else {
      if (runDay !== null) aiPerDay.set(runDay, (aiPerDay.get(runDay) ?? 0) + runCount);
      runDay = day;
      runCount = 1;
    }

    const times = aiTimes[aiSlot];
    pushTimeToRework(o, times.events, times.censored);
    addReadings(means.ai, means.bySource[aiSlot], o);
    addRework(rework.ai, o);
    if (now - o.t >= committedAfterMs) {
      committed.eligible++;
      if (o.committed) committed.committed++;
    }
    if (o.committedSurvival7d !== null) {
      committed.survivalSum += o.committedSurvival7d;
      committed.survivalN++;
    }

    const verdict = verdictOf(o, now);
    const slot = verdictIndex[verdict];
    mix[verdict]++;
    if (o.verdictOverride !== undefined) mix.developerJudged++;
    sourceCounts[aiSlot * 4 + slot]++;
    const kindSlot = fileKindSlot(o.fileKind);
    if (kindSlot >= 0) fileKindCounts[kindSlot * 4 + slot]++;
    let language = languageCounts.get(o.languageId);
    if (language === undefined) languageCounts.set(o.languageId, (language = new Uint32Array(4)));
    language[slot]++;
    sizeCounts[sizeSlot(o.lines) * 4 + slot]++;
    timeOfDayCounts[timeOfDaySlot(o.hour) * 4 + slot]++;
    switchLoadCounts[switchLoadSlot(o.sessionSwitches) * 4 + slot]++;

    const kind = momentKindOf(o, verdict);
    if (kind !== null) {
      notable.push({ kind, outcome: o });
      notableTimes.push(o.t);
    } else {
      recent.push(o);
      recentTimes.push(o.t);
    }
  }
  if (runDay !== null) aiPerDay.set(runDay, (aiPerDay.get(runDay) ?? 0) + runCount);

  const sortedBySource = aiTimes.map((times) => ({ events: sortedTimes(times.events), censored: sortedTimes(times.censored) }));
  const aiCurve = kmTable(mergeSorted(sortedBySource.map((t) => t.events)), mergeSorted(sortedBySource.map((t) => t.censored)));
  const typedCurve = kmTable(sortedTimes(typedTimes.events), sortedTimes(typedTimes.censored));

  const judgedCount = mix.helped + mix.hurt + mix.mixed;
  const rangeDays = dayRange(range.from, range.to);
  return {
    version: dashboardVersion,
    generatedAt: now,
    range: { from: range.from, to: range.to, days: rangeDays.length },
    minConfidence: options.minConfidence,
    minimums: { share: minSampleForShare, breakdownRow: minSampleForBreakdown, curveAtRisk: minAtRiskForCurve },
    sample: { insertions: total, ai, excludedByConfidence },
    glance: {
      ...glanceOfDays(input.days, range, rangeDays, aiPerDay),
      insertions: { total, ai, bySource, aiByConfidence, aiChars, aiLines },
    },
    survival: {
      curves: {
        ai: curveView(aiCurve),
        typed: curveView(typedCurve),
        bySource: recordOf(aiSources, (_s, i) => curveView(kmTable(sortedBySource[i].events, sortedBySource[i].censored))),
      },
      checkpoints: {
        ai: meansView(means.ai),
        typed: meansView(means.typed),
        bySource: recordOf(aiSources, (_s, i) => meansView(means.bySource[i])),
      },
      rework72h: { ai: reworkView(rework.ai), typed: reworkView(rework.typed), target: reworkTarget, redLine: reworkRedLine },
      committed: {
        share: sampled(committed.committed, committed.eligible, minSampleForShare),
        survival7d: sampled(committed.survivalSum, committed.survivalN, minSampleForShare),
      },
    },
    verdicts: {
      mix: {
        ...mix,
        helpedShare: sampled(mix.helped, judgedCount, minSampleForShare),
        hurtShare: sampled(mix.hurt, judgedCount, minSampleForShare),
        mixedShare: sampled(mix.mixed, judgedCount, minSampleForShare),
      },
      breakdowns: {
        source: fixedRows('source', aiSources, sourceCounts),
        language: languageRows(languageCounts),
        fileKind: fixedRows('fileKind', fileKindKeys, fileKindCounts),
        size: fixedRows('size', sizeKeys, sizeCounts),
        timeOfDay: fixedRows('timeOfDay', timeOfDayKeys, timeOfDayCounts),
        switchLoad: fixedRows('switchLoad', switchLoadKeys, switchLoadCounts),
      } satisfies Record<BreakdownDimension, BreakdownRow[]>,
    },
    moments: {
      limit: momentsLimit,
      total: notable.length,
      // Reasons are only built for the few moments shown.
      items: momentsShown(notable, notableTimes, recent, recentTimes, momentsLimit).map(({ kind, outcome }) => momentOf(kind, outcome, now)),
    },
    agent: agentSection(input.agent),
  };
}

/**
 * The notable moments, latest first, then the recent ones, latest first, cut at `limit`:
 * the first `limit` of both lists stably sorted by descending time. A small limit is picked
 * from the lists' times (`times[i]` is the time of item i) instead of sorting a year of
 * insertions; a NaN time (which the sort's comparator cannot order) or an unusual limit
 * takes the sort.
 */
function momentsShown(
  notable: { kind: MomentKind; outcome: InsertionOutcome }[],
  notableTimes: number[],
  recent: InsertionOutcome[],
  recentTimes: number[],
  limit: number,
): { kind: MomentKind; outcome: InsertionOutcome }[] {
  const pickable = Number.isInteger(limit) && limit >= 0 && limit <= 64;
  const latestNotable = pickable ? latestOf(notableTimes, limit) : null;
  const latestRecent = latestNotable !== null ? latestOf(recentTimes, limit - Math.min(limit, latestNotable.length)) : null;
  if (latestNotable === null || latestRecent === null) {
    return notable
      .sort((a, b) => b.outcome.t - a.outcome.t)
      .concat(recent.sort((a, b) => b.t - a.t).map((outcome) => ({ kind: 'recent' as const, outcome })))
      .slice(0, limit);
  }
  const shown = latestNotable.map((i) => notable[i]);
  for (const i of latestRecent) shown.push({ kind: 'recent', outcome: recent[i] });
  return shown;
}

/**
 * Indices of the first `limit` items of a stable sort by descending time, in that order;
 * null when a time is NaN. Scanned from the end, as histories come oldest first: the
 * latest are met first and the rest is turned down with one comparison each.
 */
function latestOf(times: readonly number[], limit: number): number[] | null {
  const best: number[] = [];
  if (limit <= 0) return best;
  for (let i = times.length - 1; i >= 0; i--) {
    const t = times[i];
    if (t !== t) return null;
    // On equal times the earlier item (this one: the scan goes backwards) comes first.
    if (best.length === limit && t < times[best[limit - 1]]) continue;
    let at = best.length;
    while (at > 0 && times[best[at - 1]] <= t) at--;
    best.splice(at, 0, i);
    if (best.length > limit) best.pop();
  }
  return best;
}

interface TimeLists {
  events: number[];
  censored: number[];
}

function newTimes(): TimeLists {
  return { events: [], censored: [] };
}

function sortedTimes(times: number[]): Float64Array {
  return new Float64Array(times).sort();
}

/** Slots of the fixed breakdown groups (`fixedRows` finds each label key here; display order is `groupLabels`). */
const fileKindKeys: readonly FileKind[] = ['source', 'test', 'docs', 'config', 'generated'];
const sizeKeys: readonly SizeBucket[] = ['1', '2-10', '11-50', '51+'];
const timeOfDayKeys: readonly TimeOfDay[] = ['night', 'morning', 'afternoon', 'evening'];
const switchLoadKeys: readonly SwitchLoad[] = ['calm', 'busy', 'scattered'];

/** Slot of a file kind in `fileKindKeys`; -1 for a kind without a row (no label: never shown). */
function fileKindSlot(kind: string): number {
  switch (kind) {
    case 'source':
      return 0;
    case 'test':
      return 1;
    case 'docs':
      return 2;
    case 'config':
      return 3;
    case 'generated':
      return 4;
    default:
      return -1;
  }
}

function sizeSlot(lines: number): number {
  return lines <= 1 ? 0 : lines <= 10 ? 1 : lines <= 50 ? 2 : 3;
}

function timeOfDaySlot(hour: number): number {
  return hour < 6 ? 0 : hour < 12 ? 1 : hour < 18 ? 2 : 3;
}

function switchLoadSlot(sessionSwitches: number): number {
  return sessionSwitches <= 2 ? 0 : sessionSwitches <= 9 ? 1 : 2;
}

/** Verdict counts of one breakdown group, indexed by `verdictIndex` (a typed array: this runs per insertion and dimension). */
type VerdictCounts = Uint32Array;
const verdictIndex: Record<Verdict, number> = { helped: 0, hurt: 1, mixed: 2, tooEarly: 3 };

/** Per checkpoint i: sum of known readings at 4i, their count at 4i + 1, unknown at 4i + 2, pending at 4i + 3. */
type ReadingSums = Float64Array;

/** `sum / n` with its sample, or insufficient below `min` (also guards n = 0). */
function sampled(sum: number, n: number, min: number): SampledFigure {
  return n >= min && n > 0 ? { value: sum / n, n, insufficient: false } : { value: null, n, insufficient: true };
}

function countsOf<K extends string>(keys: readonly K[]): Record<K, number> {
  return recordOf(keys, () => 0);
}

function recordOf<K extends string, V>(keys: readonly K[], make: (key: K, index: number) => V): Record<K, V> {
  const record = {} as Record<K, V>;
  for (let i = 0; i < keys.length; i++) record[keys[i]] = make(keys[i], i);
  return record;
}

function newMeans(): ReadingSums {
  return new Float64Array(checkpoints.length * 4);
}

const checkpointLabels: readonly CheckpointLabel[] = checkpoints.map((c) => c.label);

/** Adds the insertion's checkpoint readings to `sums`, and to `also` when given. */
function addReadings(sums: ReadingSums, also: ReadingSums | null, o: InsertionOutcome): void {
  const survival = o.survival;
  for (let i = 0; i < checkpointLabels.length; i++) {
    const reading = survival[checkpointLabels[i]];
    const at = i * 4 + (typeof reading === 'number' ? 1 : reading === 'unknown' ? 2 : 3);
    if (typeof reading === 'number') {
      sums[i * 4] += reading;
      if (also !== null) also[i * 4] += reading;
    }
    sums[at]++;
    if (also !== null) also[at]++;
  }
}

function meansView(sums: ReadingSums): CheckpointMean[] {
  return checkpoints.map((checkpoint, i) => ({
    label: checkpoint.label,
    ms: checkpoint.ms,
    ...sampled(sums[i * 4], sums[i * 4 + 1], minSampleForShare),
    unknown: sums[i * 4 + 2],
    pending: sums[i * 4 + 3],
  }));
}

// Only a known 72 h reading counts: it exists exactly when the insertion was observed for 72 h.
function addRework(acc: { lost: number; chars: number; n: number }, o: InsertionOutcome): void {
  const s72 = o.survival['72h'];
  if (typeof s72 !== 'number') return;
  acc.lost += o.chars * (1 - s72);
  acc.chars += o.chars;
  acc.n++;
}

function reworkView(acc: { lost: number; chars: number; n: number }): ReworkFigure {
  if (acc.n < minSampleForShare || acc.chars <= 0) {
    return { value: null, n: acc.n, insufficient: true, chars: acc.chars, status: 'insufficient' };
  }
  const value = acc.lost / acc.chars;
  const status: ReworkStatus = value < reworkTarget ? 'healthy' : value > reworkRedLine ? 'red' : 'watch';
  return { value, n: acc.n, insufficient: false, chars: acc.chars, status };
}

function curveView(curve: KmTable): SurvivalCurveView {
  const points: CurvePoint[] = [];
  let lastKept = 1;
  const length = curve.length;
  for (let i = 0; i < length; i++) {
    const atRisk = curve.atRisk[i];
    if (atRisk < minAtRiskForCurve) break; // at-risk only shrinks: the rest is thinner still
    const lastDrawn = i + 1 >= length || curve.atRisk[i + 1] < minAtRiskForCurve;
    const survival = curve.survival[i];
    // A year holds tens of thousands of steps; a chart cannot show drops finer than
    // `curveResolution`, so only those drops and the end of the drawn curve are kept
    // (and only their bands are computed).
    if (!lastDrawn && (curve.eventsAt[i] === 0 || lastKept - survival < curveResolution)) continue;
    lastKept = survival;
    const [lower, upper] = kmBand(survival, curve.greenwood[i]);
    points.push({ timeMs: curve.time[i], survival, lower, upper, atRisk });
  }
  return {
    n: curve.n,
    events: curve.events,
    censored: curve.censored,
    insufficient: curve.n < minAtRiskForCurve,
    points,
    atCheckpoints: checkpoints.map((checkpoint): CurveReading => {
      const reading = readingAt(curve, checkpoint.ms);
      const enough = reading.atRisk >= minAtRiskForCurve;
      return {
        label: checkpoint.label,
        ms: checkpoint.ms,
        value: enough ? reading.survival : null,
        lower: enough ? reading.lower : null,
        upper: enough ? reading.upper : null,
        atRisk: reading.atRisk,
        insufficient: !enough,
      };
    }),
  };
}

/** The curve read at `timeMs`, as `survivalAt` reads a `kaplanMeier` curve. */
function readingAt(curve: KmTable, timeMs: number): { survival: number; lower: number; upper: number; atRisk: number } {
  // First step with time ≥ timeMs (binary search).
  let lo = 0;
  let hi = curve.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (curve.time[mid] < timeMs) lo = mid + 1;
    else hi = mid;
  }
  const atRisk = lo < curve.length ? curve.atRisk[lo] : 0;
  const current = lo < curve.length && curve.time[lo] === timeMs ? lo : lo > 0 ? lo - 1 : -1;
  if (current < 0) return { survival: 1, lower: 1, upper: 1, atRisk };
  const survival = curve.survival[current];
  const [lower, upper] = kmBand(survival, curve.greenwood[current]);
  return { survival, lower, upper, atRisk };
}

function glanceOfDays(
  summaries: readonly DaySummary[],
  range: DayRange,
  rangeDays: DayKey[],
  aiPerDay: Map<DayKey, number>,
): Omit<GlanceSection, 'insertions'> {
  const byDay = new Map<DayKey, DaySummary>();
  for (const summary of summaries) {
    if (summary.day >= range.from && summary.day <= range.to) byDay.set(summary.day, summary);
  }
  const totals = {
    trackedDays: 0,
    activeMs: 0,
    sessions: 0,
    focusBlocks: 0 as number | null,
    focusMs: 0,
    longestFocusMs: 0,
    switches: 0,
    byKind: countsOf(switchKinds),
  };
  const days = rangeDays.map((day): DayGlance => {
    const summary = byDay.get(day);
    const aiInsertions = aiPerDay.get(day) ?? 0;
    if (summary === undefined) {
      return { day, tracked: false, activeMs: 0, sessions: 0, focusBlocks: null, focusMs: 0, longestFocusMs: 0, switches: 0, byKind: countsOf(switchKinds), aiInsertions };
    }
    const focusBlocks = summary.focusBlocks ?? null;
    totals.trackedDays++;
    totals.activeMs += summary.activeMs;
    totals.sessions += summary.sessions;
    totals.focusBlocks = totals.focusBlocks === null || focusBlocks === null ? null : totals.focusBlocks + focusBlocks;
    totals.focusMs += summary.focusMs;
    totals.longestFocusMs = Math.max(totals.longestFocusMs, summary.longestFocusMs);
    totals.switches += summary.switches;
    const byKind = countsOf(switchKinds);
    for (const kind of switchKinds) {
      byKind[kind] = summary.byKind[kind] ?? 0;
      totals.byKind[kind] += byKind[kind];
    }
    return {
      day,
      tracked: true,
      activeMs: summary.activeMs,
      sessions: summary.sessions,
      focusBlocks,
      focusMs: summary.focusMs,
      longestFocusMs: summary.longestFocusMs,
      switches: summary.switches,
      byKind,
      aiInsertions,
    };
  });
  if (totals.trackedDays === 0) totals.focusBlocks = null;
  const single = range.from === range.to ? byDay.get(range.from) : undefined;
  const timeline = single?.timeline ? [...single.timeline].sort((a, b) => a.t - b.t) : null;
  return { days, totals, timeline };
}

type TimeOfDay = 'night' | 'morning' | 'afternoon' | 'evening';
type SizeBucket = '1' | '2-10' | '11-50' | '51+';
type SwitchLoad = 'calm' | 'busy' | 'scattered';

// Group of an insertion in each breakdown (`sizeSlot`, `timeOfDaySlot`, `switchLoadSlot`
// above). Size in lines: 1, 2–10, 11–50, > 50. Time of day by local landing hour: night
// 0–6, morning 6–12, afternoon 12–18, evening 18–24. Switch load of the session it landed
// in: calm 0–2 switches, busy 3–9, scattered ≥ 10.

/** Row labels in display order; `null` for dimensions whose keys are their own labels (languages). */
const groupLabels: Record<BreakdownDimension, Record<string, string> | null> = {
  source: { inline: 'inline completions', chat: 'chat edits', agent: 'agent edits' } satisfies Record<AiSource, string>,
  language: null,
  fileKind: { source: 'source', test: 'tests', docs: 'docs', config: 'config', generated: 'generated' } satisfies Record<FileKind, string>,
  size: { '1': '1 line', '2-10': '2–10 lines', '11-50': '11–50 lines', '51+': 'over 50 lines' } satisfies Record<SizeBucket, string>,
  timeOfDay: {
    night: 'night (0–6 h)',
    morning: 'morning (6–12 h)',
    afternoon: 'afternoon (12–18 h)',
    evening: 'evening (18–24 h)',
  } satisfies Record<TimeOfDay, string>,
  switchLoad: {
    calm: 'calm sessions (0–2 switches)',
    busy: 'busy sessions (3–9 switches)',
    scattered: 'scattered sessions (10+ switches)',
  } satisfies Record<SwitchLoad, string>,
};

/** Rows of a dimension with fixed groups: `keys[i]` counted at `counts[4i .. 4i + 3]`; rows with an insertion, in label order. */
function fixedRows(dimension: Exclude<BreakdownDimension, 'language'>, keys: readonly string[], counts: Uint32Array): BreakdownRow[] {
  const labels = groupLabels[dimension]!;
  const rows: BreakdownRow[] = [];
  for (const key of Object.keys(labels)) {
    const i = keys.indexOf(key);
    if (i < 0) continue;
    const group = counts.subarray(i * 4, i * 4 + 4);
    if (totalOf(group) > 0) rows.push(breakdownRow(key, labels[key], group));
  }
  return rows;
}

/** Language rows: most insertions first, then by name. */
function languageRows(groups: Map<string, VerdictCounts>): BreakdownRow[] {
  const keys = [...groups.keys()].sort((a, b) => totalOf(groups.get(b)!) - totalOf(groups.get(a)!) || (a < b ? -1 : 1));
  return keys.map((key) => breakdownRow(key, key, groups.get(key)!));
}

function totalOf(counts: VerdictCounts): number {
  return counts[0] + counts[1] + counts[2] + counts[3];
}

function breakdownRow(key: string, label: string, counts: VerdictCounts): BreakdownRow {
  const tally = {
    helped: counts[verdictIndex.helped],
    hurt: counts[verdictIndex.hurt],
    mixed: counts[verdictIndex.mixed],
    tooEarly: counts[verdictIndex.tooEarly],
  };
  const n = tally.helped + tally.hurt + tally.mixed;
  if (n < minSampleForBreakdown) {
    const reason = `${label}: not enough data yet (n = ${n}, needs ${minSampleForBreakdown})`;
    return { key, label, n, ...tally, helpedShare: null, hurtShare: null, light: 'insufficient', reason };
  }
  const helpedShare = tally.helped / n;
  const hurtShare = tally.hurt / n;
  const light: Light =
    hurtShare >= lightRules.redMinHurt
      ? 'red'
      : helpedShare >= lightRules.greenMinHelped && hurtShare <= lightRules.greenMaxHurt
        ? 'green'
        : 'yellow';
  const helped = `helped ${Math.round(helpedShare * 100)}%`;
  const hurt = `hurt ${Math.round(hurtShare * 100)}%`;
  // Lead with what decided the light: a red row is about its hurt share.
  const figures = light === 'red' ? `${hurt}, ${helped}` : `${helped}, ${hurt}`;
  return { key, label, n, ...tally, helpedShare, hurtShare, light, reason: `${label}: ${figures}, n = ${n}` };
}

function momentKindOf(o: InsertionOutcome, verdict: Verdict): MomentKind | null {
  if (verdict === 'hurt') {
    if (o.quickRegret) return 'quickRegret';
    if (o.lines >= bigInsertionLines) return 'bigRework';
  }
  if (verdict === 'helped' && o.lines >= bigInsertionLines) return 'bigWin';
  return null;
}

function momentOf(kind: MomentKind, o: InsertionOutcome, now: number): Moment {
  const judged = effectiveVerdict(o, now);
  return {
    kind,
    id: o.id,
    path: o.path,
    project: o.project,
    t: o.t,
    day: o.day,
    source: o.source,
    confidence: o.confidence,
    languageId: o.languageId,
    chars: o.chars,
    lines: o.lines,
    verdict: judged.verdict,
    proposedVerdict: judged.proposed,
    reason: judged.reason,
    note: o.note ?? null,
    override: o.verdictOverride ?? null,
  };
}

function agentSection(agent: AgentFigures | undefined): AgentSection {
  const tokens = agent?.tokensPerSurvivingLine;
  const waiting = agent?.waitingOnAi;
  return {
    tokensPerSurvivingLine:
      tokens === undefined
        ? null
        : {
            ...passThrough(tokens),
            byAgent: Object.fromEntries(Object.entries(tokens.byAgent).map(([name, figure]) => [name, passThrough(figure)])),
          },
    waitingOnAi:
      waiting === undefined
        ? null
        : {
            totalMs: waiting.totalMs,
            turns: waiting.turns,
            switchesWhileWaiting: waiting.switchesWhileWaiting,
            switchesPerTurn: sampled(waiting.switchesWhileWaiting, waiting.turns, minSampleForShare),
          },
  };
}

/** A figure computed elsewhere, held to the same minimum sample (and to being a finite number). */
function passThrough(figure: { value: number; n: number }): SampledFigure {
  return figure.n >= minSampleForShare && Number.isFinite(figure.value)
    ? { value: figure.value, n: figure.n, insufficient: false }
    : { value: null, n: figure.n, insufficient: true };
}
