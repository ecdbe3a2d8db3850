import assert from 'node:assert/strict';
import { kaplanMeier, survivalAt, timeToRework } from '../../src/core/kaplanMeier';
import type { TimeToEvent } from '../../src/core/kaplanMeier';
import type { InsertionOutcome } from '../../src/core/model';
import { outcomeWith } from '../../src/core/synthetic';

const hour = 60 * 60_000;

/** Times from a compact notation: 6 is an event at 6, '6+' a censoring at 6. */
function observations(...times: (number | string)[]): TimeToEvent[] {
  return times.map((time) =>
    typeof time === 'number' ? { timeMs: time, event: true } : { timeMs: Number(time.slice(0, -1)), event: false },
  );
}

function close(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not ${expected} ± ${tolerance}`);
}

function outcome(partial: Partial<InsertionOutcome>): InsertionOutcome {
  return outcomeWith({ t: 1_000_000, observedUntil: 1_000_000 + 10 * hour, ...partial });
}

describe('kaplanMeier', () => {
  // Freireich et al. (1963), 6-MP arm, as in Kleinbaum & Klein, "Survival Analysis", ch. 2.
  // Expected survival and log-log 95% limits (Greenwood variance) are the textbook / R survfit values.
  const sixMp = observations(6, 6, 6, '6+', 7, '9+', 10, '10+', '11+', 13, 16, '17+', '19+', '20+', 22, 23, '25+', '32+', '32+', '34+', '35+');
  const expected = [
    { time: 6, atRisk: 21, events: 3, censored: 1, survival: 0.8571, lower: 0.62, upper: 0.952 },
    { time: 7, atRisk: 17, events: 1, censored: 0, survival: 0.8067, lower: 0.563, upper: 0.923 },
    { time: 10, atRisk: 15, events: 1, censored: 1, survival: 0.7529, lower: 0.503, upper: 0.889 },
    { time: 13, atRisk: 12, events: 1, censored: 0, survival: 0.6902, lower: 0.432, upper: 0.849 },
    { time: 16, atRisk: 11, events: 1, censored: 0, survival: 0.6275, lower: 0.368, upper: 0.805 },
    { time: 22, atRisk: 7, events: 1, censored: 0, survival: 0.5378, lower: 0.268, upper: 0.747 },
    { time: 23, atRisk: 6, events: 1, censored: 0, survival: 0.4482, lower: 0.188, upper: 0.68 },
  ];

  it('reproduces the textbook product-limit estimate, risk sets and log-log Greenwood band', () => {
    const curve = kaplanMeier(sixMp);
    assert.deepEqual([curve.n, curve.events, curve.censored], [21, 9, 12]);
    const eventSteps = curve.steps.filter((step) => step.events > 0);
    assert.equal(eventSteps.length, expected.length);
    eventSteps.forEach((step, i) => {
      const want = expected[i];
      assert.deepEqual([step.timeMs, step.atRisk, step.events, step.censored], [want.time, want.atRisk, want.events, want.censored]);
      close(step.survival, want.survival, 5e-5, `S(${want.time})`);
      close(step.lower, want.lower, 5e-4, `lower(${want.time})`);
      close(step.upper, want.upper, 5e-4, `upper(${want.time})`);
    });
  });

  it('lists censor-only times as steps that keep the survival and shrink the risk set', () => {
    const steps = kaplanMeier(sixMp).steps;
    assert.deepEqual(
      steps.map((s) => s.timeMs),
      [6, 7, 9, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 34, 35],
    );
    const at9 = steps[2];
    assert.deepEqual([at9.atRisk, at9.events, at9.censored], [16, 0, 1]);
    assert.equal(at9.survival, steps[1].survival);
    const at32 = steps[13];
    assert.deepEqual([at32.atRisk, at32.censored], [4, 2]);
  });

  it('counts events before censorings at a tied time (the censored one is still at risk)', () => {
    // At t = 2: 4 at risk, 1 event, 1 censored → S = 3/4. At t = 3: 2 at risk, 1 event → S = 3/8.
    // Censoring first would give 2/3 · 1/2 = 1/3 instead.
    const curve = kaplanMeier(observations(2, '2+', 3, '4+'));
    assert.deepEqual(
      curve.steps.map((s) => [s.timeMs, s.atRisk, s.events, s.censored, s.survival]),
      [
        [2, 4, 1, 1, 0.75],
        [3, 2, 1, 0, 0.375],
        [4, 1, 0, 1, 0.375],
      ],
    );
  });

  it('stays at 1 with a degenerate band when nothing is reworked', () => {
    const curve = kaplanMeier(observations('1+', '2+', '3+'));
    assert.ok(curve.steps.every((s) => s.survival === 1 && s.lower === 1 && s.upper === 1));
  });

  it('drops to 0 with a degenerate band when every subject is reworked', () => {
    const curve = kaplanMeier(observations(5, 5));
    assert.deepEqual(curve.steps, [{ timeMs: 5, survival: 0, lower: 0, upper: 0, atRisk: 2, events: 2, censored: 0 }]);
  });

  it('ignores observations with a non-finite time and handles no observations', () => {
    const curve = kaplanMeier([{ timeMs: Number.NaN, event: true }, { timeMs: Infinity, event: false }, { timeMs: 3, event: true }]);
    assert.deepEqual([curve.n, curve.events, curve.censored], [1, 1, 0]);
    assert.deepEqual(kaplanMeier([]), { n: 0, events: 0, censored: 0, steps: [] });
  });
});

describe('survivalAt', () => {
  const curve = kaplanMeier(observations(2, '2+', 3, '4+'));

  it('reads 1 before the first step, with everyone at risk', () => {
    assert.deepEqual(survivalAt(curve, [1])[0], { timeMs: 1, survival: 1, lower: 1, upper: 1, atRisk: 4 });
  });

  it('reads a step at its own time (right-continuous) and counts those followed up to t as at risk', () => {
    const [at2] = survivalAt(curve, [2]);
    assert.equal(at2.survival, 0.75);
    assert.equal(at2.atRisk, 4);
  });

  it('reads the last step between steps, at risk being those followed beyond t', () => {
    const [between] = survivalAt(curve, [2.5]);
    assert.equal(between.survival, 0.75);
    assert.equal(between.atRisk, 2);
  });

  it('keeps the last value after the end of follow-up, with nobody at risk', () => {
    const [after] = survivalAt(curve, [10]);
    assert.equal(after.survival, 0.375);
    assert.equal(after.atRisk, 0);
  });

  it('reads an empty curve as 1 with nobody at risk', () => {
    assert.deepEqual(survivalAt(kaplanMeier([]), [5]), [{ timeMs: 5, survival: 1, lower: 1, upper: 1, atRisk: 0 }]);
  });
});

describe('timeToRework', () => {
  it('is an event at reworkedAfterMs', () => {
    assert.deepEqual(timeToRework(outcome({ reworkedAfterMs: 3 * hour })), { timeMs: 3 * hour, event: true });
  });

  it('censors an insertion that was not reworked where observation ends', () => {
    assert.deepEqual(timeToRework(outcome({ observedUntil: 1_000_000 + 7 * hour })), { timeMs: 7 * hour, event: false });
  });

  it('censors at closing when the file was deleted, even if the deletion removed the characters', () => {
    const deleted = outcome({ closedReason: 'fileDeleted', observedUntil: 1_000_000 + 5 * hour, reworkedAfterMs: 5 * hour });
    assert.deepEqual(timeToRework(deleted), { timeMs: 5 * hour, event: false });
  });

  it('keeps a rework that happened before the file was deleted', () => {
    const reworkedFirst = outcome({ closedReason: 'fileDeleted', observedUntil: 1_000_000 + 5 * hour, reworkedAfterMs: 2 * hour });
    assert.deepEqual(timeToRework(reworkedFirst), { timeMs: 2 * hour, event: true });
  });

  it('never yields a negative time (clock skew)', () => {
    assert.deepEqual(timeToRework(outcome({ observedUntil: 1_000_000 - 5 })), { timeMs: 0, event: false });
  });
});
