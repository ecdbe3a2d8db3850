/**
 * Survival bookkeeping for one insertion ("span"): checkpoints, rework time, quick
 * regret and fix-up effort, following DESIGN.md "Metric definitions". The functions
 * update the record in place (they run on change events, which must stay cheap); the
 * host persists records as plain JSON.
 *
 * Character counts are UTF-16 code units, as `DocumentSpans` reports them; times are
 * epoch ms.
 *
 * Fix-up effort is defined as characters typed "inside or on the lines of" the span.
 * The tracker keeps no text and so knows no lines: what it reports (`SpanEffects.typedNear`)
 * is text typed inside the span, directly next to one of its characters, or in place of
 * its characters. That covers edits within a line of the span except those separated from
 * it by untouched characters (e.g. a comment added at the end of a line the span ends
 * partway through); the host closes that gap when it passes the `onSpanLines` hint.
 */
import { checkpoints } from './model';
import type { CheckpointLabel, InsertionOutcome, SpanClosedReason, SuspendReason } from './model';

/** Quick regret: at least half removed within this long after landing. */
export const quickRegretMs = 2 * 60_000;
/** Fix-up effort counts characters typed within this long after landing. */
export const fixupWindowMs = 30 * 60_000;

export interface SpanRecord {
  id: string;
  /** When the insertion landed. */
  t: number;
  originalChars: number;
  aliveChars: number;
  /**
   * Characters lost while the span was suspended (branch switch, reformat): not the
   * developer's rework, so they are taken out of the base that survival divides by.
   */
  excludedChars: number;
  /** Survival share in [0, 1] at each checkpoint that passed, or 'unknown' if it passed unobserved. */
  samples: Partial<Record<CheckpointLabel, number | 'unknown'>>;
  /** Ms after `t` at which alive first dropped to half the base or less; null while it has not. */
  reworkedAfterMs: number | null;
  quickRegret: boolean;
  /** Untracked characters typed in, next to or on the lines of the span within `fixupWindowMs`. */
  fixupChars: number;
  /** Time up to which the span's state is known. */
  lastObservedAt: number;
  closedReason?: SpanClosedReason;
  suspendedReason?: SuspendReason;
}

/** A fresh record for an insertion of `chars` UTF-16 code units landed at `t`. */
export function newSpanRecord(id: string, t: number, chars: number): SpanRecord {
  return {
    id,
    t,
    originalChars: chars,
    aliveChars: chars,
    excludedChars: 0,
    samples: {},
    reworkedAfterMs: null,
    quickRegret: false,
    fixupChars: 0,
    lastObservedAt: t,
  };
}

/**
 * Records that the span was watched continuously up to `now` and now has `aliveChars`.
 * Checkpoints that passed in between take the count the span had until this change;
 * the first drop to half the base or less sets the rework time (and quick regret within
 * 2 minutes). A suspended span keeps its count as of the suspension (see `resume`);
 * a closed span ignores further observations.
 */
export function observe(record: SpanRecord, aliveChars: number, now: number): void {
  if (record.closedReason !== undefined) return;
  sampleCheckpoints(record, now, share(record));
  record.lastObservedAt = Math.max(record.lastObservedAt, now);
  if (record.suspendedReason !== undefined) return;
  record.aliveChars = aliveChars;
  noteRework(record, now);
}

/**
 * After a gap in observation (VS Code closed): survival can only go down, so checkpoints
 * that passed in the gap get the last seen share if nothing was lost
 * (`aliveNow === aliveAtLastSeen`), else 'unknown' (never counted as survived). A loss
 * found here is dated at `now`, the first moment it was seen. A suspended span stays
 * suspended and keeps its count, as in `observe`.
 */
export function catchUp(record: SpanRecord, aliveAtLastSeen: number, aliveNow: number, now: number): void {
  if (record.closedReason !== undefined) return;
  if (record.suspendedReason !== undefined) {
    observe(record, aliveNow, now);
    return;
  }
  record.aliveChars = aliveAtLastSeen;
  sampleCheckpoints(record, now, aliveNow === aliveAtLastSeen ? share(record) : 'unknown');
  record.aliveChars = aliveNow;
  noteRework(record, now);
  record.lastObservedAt = Math.max(record.lastObservedAt, now);
}

/** Adds `chars` accepted into an existing span later (partial accept, next word) to its original and alive counts. */
export function extend(record: SpanRecord, chars: number): void {
  record.originalChars += chars;
  record.aliveChars += chars;
}

/** Adds untracked characters typed near the span at `now`; only the first 30 minutes count. */
export function recordFixup(record: SpanRecord, typedChars: number, now: number): void {
  if (record.closedReason !== undefined || now - record.t > fixupWindowMs) return;
  record.fixupChars += typedChars;
}

/** Stops counting losses (branch switch, stash, rebase, reformat) from `now` on. */
export function suspend(record: SpanRecord, reason: SuspendReason, now: number): void {
  if (record.closedReason !== undefined) return;
  sampleCheckpoints(record, now, share(record));
  record.lastObservedAt = Math.max(record.lastObservedAt, now);
  record.suspendedReason = reason;
}

/**
 * Resumes counting losses at `now`. Characters lost while suspended (the count at
 * suspension minus `aliveNow`) were not the developer's rework: they leave the base.
 */
export function resume(record: SpanRecord, aliveNow: number, now: number): void {
  if (record.closedReason !== undefined || record.suspendedReason === undefined) return;
  sampleCheckpoints(record, now, share(record));
  record.lastObservedAt = Math.max(record.lastObservedAt, now);
  if (aliveNow < record.aliveChars) record.excludedChars += record.aliveChars - aliveNow;
  record.aliveChars = aliveNow;
  delete record.suspendedReason;
}

/** Ends observation at `now` (e.g. the file was deleted); later checkpoints become 'unknown'. */
export function close(record: SpanRecord, reason: SpanClosedReason, now: number): void {
  if (record.closedReason !== undefined) return;
  sampleCheckpoints(record, now, share(record));
  record.lastObservedAt = Math.max(record.lastObservedAt, now);
  record.closedReason = reason;
}

/**
 * The survival fields of `InsertionOutcome` at `now`. A checkpoint still in the future,
 * or passed after the last observation of an open span (it will be sampled by the next
 * `observe`/`catchUp`), is null; one passed after a close is 'unknown'.
 */
export function toOutcomeFields(
  record: SpanRecord,
  now: number,
): Pick<InsertionOutcome, 'survival' | 'aliveShare' | 'reworkedAfterMs' | 'quickRegret' | 'fixupRatio' | 'observedUntil'> {
  const survival: InsertionOutcome['survival'] = {};
  for (const { label, ms } of checkpoints) {
    const sample = record.samples[label];
    if (sample !== undefined) survival[label] = sample;
    else if (record.t + ms > now || record.closedReason === undefined) survival[label] = null;
    else survival[label] = 'unknown';
  }
  return {
    survival,
    aliveShare: share(record),
    reworkedAfterMs: record.reworkedAfterMs,
    quickRegret: record.quickRegret,
    fixupRatio: record.originalChars > 0 ? record.fixupChars / record.originalChars : 0,
    observedUntil: record.closedReason !== undefined ? record.lastObservedAt : Math.max(now, record.lastObservedAt),
  };
}

/** Alive share of the base (original minus excluded), in [0, 1]; 0 when nothing is left to count. */
function share(record: SpanRecord): number {
  const base = record.originalChars - record.excludedChars;
  return base > 0 ? Math.min(1, record.aliveChars / base) : 0;
}

/** Fills every unsampled checkpoint at or before `now` with `value`. */
function sampleCheckpoints(record: SpanRecord, now: number, value: number | 'unknown'): void {
  for (const { label, ms } of checkpoints) {
    if (record.t + ms > now) break;
    if (record.samples[label] === undefined) record.samples[label] = value;
  }
}

function noteRework(record: SpanRecord, now: number): void {
  if (record.reworkedAfterMs !== null) return;
  const base = record.originalChars - record.excludedChars;
  if (base <= 0 || record.aliveChars * 2 > base) return;
  record.reworkedAfterMs = now - record.t;
  record.quickRegret = now - record.t <= quickRegretMs;
}
