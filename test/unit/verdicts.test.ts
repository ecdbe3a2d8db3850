import assert from 'node:assert/strict';
import type { InsertionOutcome } from '../../src/core/model';
import { outcomeWith } from '../../src/core/synthetic';
import { effectiveVerdict, proposeVerdict, verdictOf } from '../../src/core/verdicts';

const minute = 60_000;
const hour = 60 * minute;
const now = 1_000 * hour;

/** An insertion old enough to judge (100 h), with a 72 h reading unless overridden. */
function aged(partial: Partial<InsertionOutcome>): InsertionOutcome {
  return outcomeWith({ t: now - 100 * hour, observedUntil: now, survival: { '72h': 1 }, ...partial });
}

/** An insertion that landed `ageMs` ago and has no 72 h reading yet. */
function young(ageMs: number, partial: Partial<InsertionOutcome> = {}): InsertionOutcome {
  return outcomeWith({ t: now - ageMs, observedUntil: now, survival: { '72h': null }, ...partial });
}

describe('proposeVerdict', () => {
  it('calls it helped with the numbers behind it', () => {
    assert.deepEqual(proposeVerdict(aged({ survival: { '72h': 0.94 }, fixupRatio: 0.05 }), now), {
      verdict: 'helped',
      reason: '94% still there after 72 h, 5% fix-up',
    });
  });

  it('is helped exactly at the thresholds (80% survived, 20% fix-up) and mixed just past them', () => {
    assert.equal(proposeVerdict(aged({ survival: { '72h': 0.8 }, fixupRatio: 0.2 }), now).verdict, 'helped');
    assert.equal(proposeVerdict(aged({ survival: { '72h': 0.79 }, fixupRatio: 0.2 }), now).verdict, 'mixed');
    assert.equal(proposeVerdict(aged({ survival: { '72h': 0.8 }, fixupRatio: 0.21 }), now).verdict, 'mixed');
  });

  it('never shows a figure that looks better than the one judged (survival rounded down, fix-up up)', () => {
    assert.deepEqual(proposeVerdict(aged({ survival: { '72h': 0.796 }, fixupRatio: 0.201 }), now), {
      verdict: 'mixed',
      reason: '79% still there after 72 h, 21% fix-up',
    });
  });

  it('is hurt at 50% or less surviving 72 h, mixed just above', () => {
    assert.deepEqual(proposeVerdict(aged({ survival: { '72h': 0.5 } }), now), {
      verdict: 'hurt',
      reason: 'Only 50% still there after 72 h (half or more reworked)',
    });
    assert.equal(proposeVerdict(aged({ survival: { '72h': 0.51 } }), now).verdict, 'mixed');
  });

  it('is hurt when fix-up is over 100%, not at exactly 100%', () => {
    assert.deepEqual(proposeVerdict(aged({ fixupRatio: 1.01 }), now), { verdict: 'hurt', reason: 'Fix-up 101% of its size (over 100%)' });
    assert.equal(proposeVerdict(aged({ fixupRatio: 1 }), now).verdict, 'mixed');
  });

  it('calls a quick regret hurt at once, before 72 h', () => {
    const regret = young(5 * minute, { quickRegret: true, reworkedAfterMs: 30_000 });
    assert.deepEqual(proposeVerdict(regret, now), { verdict: 'hurt', reason: 'Quick regret: half or more removed within 2 min' });
  });

  it('calls a rework within 72 h hurt before the 72 h reading exists', () => {
    assert.deepEqual(proposeVerdict(young(10 * hour, { reworkedAfterMs: 5 * hour }), now), {
      verdict: 'hurt',
      reason: 'Half reworked after 5 h',
    });
  });

  it('does not count a rework after 72 h against the 72 h verdict', () => {
    assert.equal(proposeVerdict(aged({ survival: { '72h': 0.9 }, reworkedAfterMs: 80 * hour }), now).verdict, 'helped');
  });

  it('is too early before 72 h, saying how old it is', () => {
    assert.deepEqual(proposeVerdict(young(5 * hour), now), { verdict: 'tooEarly', reason: 'Too early: 5 h old, judged after 72 h' });
    assert.equal(proposeVerdict(young(30 * minute), now).reason, 'Too early: 30 min old, judged after 72 h');
    assert.equal(proposeVerdict(young(50 * hour), now).reason, 'Too early: 2 d old, judged after 72 h');
  });

  it('never calls an unknown 72 h state helped', () => {
    assert.deepEqual(proposeVerdict(aged({ survival: { '72h': 'unknown' }, fixupRatio: 0 }), now), {
      verdict: 'tooEarly',
      reason: 'Not judged: its state at 72 h is unknown',
    });
  });

  it('does not judge a span whose file was deleted before 72 h, and the deletion is not rework', () => {
    const deleted = outcomeWith({
      t: now - 100 * hour,
      observedUntil: now - 95 * hour,
      closedReason: 'fileDeleted',
      reworkedAfterMs: 5 * hour,
      survival: { '72h': null },
    });
    assert.deepEqual(proposeVerdict(deleted, now), { verdict: 'tooEarly', reason: 'Not judged: file deleted after 5 h, before 72 h' });
  });

  it('says so when an old, open span has no 72 h reading', () => {
    assert.deepEqual(proposeVerdict(aged({ survival: {} }), now), { verdict: 'tooEarly', reason: 'Not judged yet: no 72 h reading' });
  });
});

describe('effectiveVerdict', () => {
  it("applies the developer's override and keeps the proposal in the reason", () => {
    const overruled = aged({ survival: { '72h': 0.94 }, fixupRatio: 0.05, verdictOverride: 'hurt' });
    assert.deepEqual(effectiveVerdict(overruled, now), {
      verdict: 'hurt',
      reason: 'You judged it hurt (proposed: helped, 94% still there after 72 h, 5% fix-up)',
      proposed: 'helped',
      overridden: true,
    });
  });

  it('keeps the proposal when the override agrees with it or is absent', () => {
    const agreed = aged({ survival: { '72h': 0.94 }, fixupRatio: 0.05, verdictOverride: 'helped' });
    assert.deepEqual(effectiveVerdict(agreed, now), {
      verdict: 'helped',
      reason: '94% still there after 72 h, 5% fix-up',
      proposed: 'helped',
      overridden: false,
    });
    assert.equal(effectiveVerdict(aged({}), now).overridden, false);
  });

  it('lets the developer judge an insertion that is too early', () => {
    const judged = effectiveVerdict(young(hour, { verdictOverride: 'helped' }), now);
    assert.deepEqual([judged.verdict, judged.proposed, judged.overridden], ['helped', 'tooEarly', true]);
  });
});

describe('verdictOf', () => {
  it('agrees with effectiveVerdict on every rule', () => {
    const cases = [
      aged({ survival: { '72h': 0.94 } }),
      aged({ survival: { '72h': 0.6 } }),
      aged({ survival: { '72h': 0.3 } }),
      aged({ survival: { '72h': 'unknown' } }),
      aged({ fixupRatio: 2 }),
      aged({ verdictOverride: 'mixed' }),
      young(hour),
      young(hour, { quickRegret: true }),
      young(hour, { reworkedAfterMs: 10 * minute }),
    ];
    for (const c of cases) assert.equal(verdictOf(c, now), effectiveVerdict(c, now).verdict);
  });
});
