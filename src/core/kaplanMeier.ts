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
  const n = ev.length + ce.length;

  const steps: KmStep[] = [];
  let atRisk = n;
  let survival = 1;
  let greenwoodSum = 0; // Σ d / (n (n − d)) over event times so far
  let i = 0;
  let j = 0;
  while (i < ev.length || j < ce.length) {
    const time = j >= ce.length || (i < ev.length && ev[i] <= ce[j]) ? ev[i] : ce[j];
    let events = 0;
    while (i < ev.length && ev[i] === time) {
      events++;
      i++;
    }
    let censored = 0;
    while (j < ce.length && ce[j] === time) {
      censored++;
      j++;
    }
    if (events > 0) {
      survival *= (atRisk - events) / atRisk;
      // When every subject at risk has the event, S drops to 0 and the term is unbounded;
      // the band is degenerate there anyway (see band()).
      if (atRisk > events) greenwoodSum += events / (atRisk * (atRisk - events));
    }
    const [lower, upper] = band(survival, greenwoodSum);
    steps.push({ timeMs: time, survival, lower, upper, atRisk, events, censored });
    atRisk -= events + censored;
  }
  return { n, events: ev.length, censored: ce.length, steps };
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
function band(survival: number, greenwoodSum: number): [number, number] {
  if (survival <= 0 || survival >= 1) return [survival, survival];
  const logS = Math.log(survival);
  const spread = Math.exp((z95 * Math.sqrt(greenwoodSum)) / Math.abs(logS));
  return [survival ** spread, survival ** (1 / spread)];
}
