/**
 * Kaplan–Meier estimate of time-to-rework, with right-censoring: the survival curve of
 * the Hindsight panel. An insertion is "reworked" (the event) when it first lost half its
 * characters; an insertion that has not been reworked is censored where observation ends,
 * so young insertions never count as survivors.
 *
 * Ties: at a time where events and censorings coincide, the events are counted first,
 * i.e. an insertion censored at t is still in the risk set at t (the usual convention,
 * as in R's `survfit`).
 */

import type { InsertionOutcome } from './model';

/** One subject's follow-up: `timeMs` after landing, either an event (reworked) or censored. */
export interface TimeToEvent {
  timeMs: number;
  event: boolean;
}

/** One distinct time of the curve, where at least one event or censoring happened. */
export interface KmStep {
  timeMs: number;
  /** S(t) just after this time (the curve is right-continuous). */
  survival: number;
  /** 95% pointwise confidence band: Greenwood variance, log-log transformed (stays in [0, 1]). */
  lower: number;
  upper: number;
  /** Subjects still followed just before this time (time ≥ timeMs). */
  atRisk: number;
  events: number;
  censored: number;
}

export interface KmCurve {
  n: number;
  events: number;
  censored: number;
  steps: KmStep[];
}

/** The curve read at one time: S(t), its band, and how many subjects were still at risk at t. */
export interface KmPoint {
  timeMs: number;
  survival: number;
  lower: number;
  upper: number;
  atRisk: number;
}

/** Two-sided 95% normal quantile. */
const z95 = 1.959963984540054;

/**
 * Time-to-rework of one insertion, in ms after it landed. Reworked → event at
 * `reworkedAfterMs`; otherwise censored at `observedUntil - t` (never below 0).
 * A span closed because its file was deleted is censored at closing: losing the file is
 * not rework, unless the rework happened strictly before the deletion.
 */
export function timeToRework(outcome: InsertionOutcome): TimeToEvent {
  const observedMs = Math.max(0, outcome.observedUntil - outcome.t);
  const reworked = outcome.reworkedAfterMs;
  if (reworked === null) return { timeMs: observedMs, event: false };
  if (outcome.closedReason === 'fileDeleted' && reworked >= observedMs) return { timeMs: observedMs, event: false };
  return { timeMs: Math.max(0, reworked), event: true };
}

/**
 * `timeToRework(outcome)` appended to `events` or `censored` as a bare time (ms) without
 * building the object; non-finite times are dropped, as `kaplanMeier` ignores them.
 */
export function pushTimeToRework(outcome: InsertionOutcome, events: number[], censored: number[]): void {
  const observedMs = Math.max(0, outcome.observedUntil - outcome.t);
  const reworked = outcome.reworkedAfterMs;
  if (reworked === null || (outcome.closedReason === 'fileDeleted' && reworked >= observedMs)) {
    if (Number.isFinite(observedMs)) censored.push(observedMs);
    return;
  }
  const timeMs = Math.max(0, reworked);
  if (Number.isFinite(timeMs)) events.push(timeMs);
}

/**
 * Kaplan–Meier product-limit estimate over the observations (times in ms, ≥ 0).
 * Observations with a non-finite time are ignored. Steps are in increasing time order.
 */
export function kaplanMeier(observations: readonly TimeToEvent[]): KmCurve {
  // Events and censorings are sorted apart (typed arrays sort numerically and fast) and
  // merged, which also makes "events first at tied times" explicit.
  let eventCount = 0;
  let censorCount = 0;
  for (const o of observations) {
    if (!Number.isFinite(o.timeMs)) continue;
    if (o.event) eventCount++;
    else censorCount++;
  }
  const ev = new Float64Array(eventCount);
  const ce = new Float64Array(censorCount);
  eventCount = censorCount = 0;
  for (const o of observations) {
    if (!Number.isFinite(o.timeMs)) continue;
    if (o.event) ev[eventCount++] = o.timeMs;
    else ce[censorCount++] = o.timeMs;
  }
  ev.sort();
  ce.sort();
  const table = kmTable(ev, ce);
  const steps: KmStep[] = new Array(table.length);
  for (let k = 0; k < table.length; k++) {
    const survival = table.survival[k];
    const [lower, upper] = kmBand(survival, table.greenwood[k]);
    steps[k] = { timeMs: table.time[k], survival, lower, upper, atRisk: table.atRisk[k], events: table.eventsAt[k], censored: table.censoredAt[k] };
  }
  return { n: table.n, events: table.events, censored: table.censored, steps };
}

/**
 * The curve of `kaplanMeier` as parallel typed arrays, without its bands (`kmBand` gives
 * the band of step k from `survival[k]` and `greenwood[k]`, exactly as `kaplanMeier` does).
 * Internal to the analytics: a year holds tens of thousands of steps, of which the panel
 * reads a few hundred, so no object is allocated per step and no band is computed unread.
 */
export interface KmTable {
  n: number;
  events: number;
  censored: number;
  /** Number of steps (distinct times); the arrays may be longer. */
  length: number;
  time: Float64Array;
  survival: Float64Array;
  /** Greenwood sum Σ d / (n (n − d)) over event times up to and including the step. */
  greenwood: Float64Array;
  atRisk: Int32Array;
  eventsAt: Int32Array;
  censoredAt: Int32Array;
}

/** `KmTable` from event and censoring times, each already sorted ascending and finite. */
export function kmTable(ev: Float64Array, ce: Float64Array): KmTable {
  const n = ev.length + ce.length;
  const time = new Float64Array(n);
  const survivalAt = new Float64Array(n);
  const greenwood = new Float64Array(n);
  const atRiskAt = new Int32Array(n);
  const eventsAt = new Int32Array(n);
  const censoredAt = new Int32Array(n);
  let length = 0;
  let atRisk = n;
  let survival = 1;
  let greenwoodSum = 0; // Σ d / (n (n − d)) over event times so far
  let i = 0;
  let j = 0;
  const evLength = ev.length;
  const ceLength = ce.length;
  while (i < evLength || j < ceLength) {
    const t = j >= ceLength || (i < evLength && ev[i] <= ce[j]) ? ev[i] : ce[j];
    let events = 0;
    while (i < evLength && ev[i] === t) {
      events++;
      i++;
    }
    let censored = 0;
    while (j < ceLength && ce[j] === t) {
      censored++;
      j++;
    }
    if (events > 0) {
      survival *= (atRisk - events) / atRisk;
      // When every subject at risk has the event, S drops to 0 and the term is unbounded;
      // the band is degenerate there anyway (see kmBand()).
      if (atRisk > events) greenwoodSum += events / (atRisk * (atRisk - events));
    }
    time[length] = t;
    survivalAt[length] = survival;
    greenwood[length] = greenwoodSum;
    atRiskAt[length] = atRisk;
    eventsAt[length] = events;
    censoredAt[length] = censored;
    length++;
    atRisk -= events + censored;
  }
  return { n, events: evLength, censored: ceLength, length, time, survival: survivalAt, greenwood, atRisk: atRiskAt, eventsAt, censoredAt };
}

/** The union of ascending arrays, ascending (a k-way merge: no sort). */
export function mergeSorted(parts: readonly Float64Array[]): Float64Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const merged = new Float64Array(total);
  const heads = new Array<number>(parts.length).fill(0);
  for (let k = 0; k < total; k++) {
    let best = -1;
    let bestValue = 0;
    for (let p = 0; p < parts.length; p++) {
      const h = heads[p];
      if (h < parts[p].length && (best < 0 || parts[p][h] < bestValue)) {
        best = p;
        bestValue = parts[p][h];
      }
    }
    merged[k] = bestValue;
    heads[best]++;
  }
  return merged;
}

/**
 * The curve read at each of the given times (ms): S(t) of the last step at or before t
 * (1 before the first step), and the number of subjects with follow-up ≥ t.
 */
export function survivalAt(curve: KmCurve, timesMs: readonly number[]): KmPoint[] {
  return timesMs.map((timeMs) => {
    const steps = curve.steps;
    // First step with time ≥ timeMs (binary search).
    let lo = 0;
    let hi = steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (steps[mid].timeMs < timeMs) lo = mid + 1;
      else hi = mid;
    }
    const atRisk = lo < steps.length ? steps[lo].atRisk : 0;
    const current = lo < steps.length && steps[lo].timeMs === timeMs ? steps[lo] : lo > 0 ? steps[lo - 1] : null;
    if (current === null) return { timeMs, survival: 1, lower: 1, upper: 1, atRisk };
    return { timeMs, survival: current.survival, lower: current.lower, upper: current.upper, atRisk };
  });
}

/** Log-log 95% band from S and the Greenwood sum; degenerate (S, S) when S is 0 or 1. */
export function kmBand(survival: number, greenwoodSum: number): [number, number] {
  if (survival <= 0 || survival >= 1) return [survival, survival];
  const logS = Math.log(survival);
  const spread = Math.exp((z95 * Math.sqrt(greenwoodSum)) / Math.abs(logS));
  return [survival ** spread, survival ** (1 / spread)];
}
