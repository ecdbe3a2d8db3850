import assert from 'node:assert/strict';
import { catchUp, close, extend, newSpanRecord, observe, recordFixup, resume, suspend, toOutcomeFields } from '../../src/core/survival';

const t0 = Date.UTC(2024, 4, 6, 9, 0, 0);
const min = 60_000;
const hour = 60 * min;

describe('survival bookkeeping', () => {
  it('samples every checkpoint passed while observed with the count held until then', () => {
    const r = newSpanRecord('a', t0, 100);
    observe(r, 90, t0 + 5 * min);
    observe(r, 80, t0 + 2 * hour); // 10m and 1h passed while it had 90
    assert.deepEqual(r.samples, { '10m': 0.9, '1h': 0.9 });
    observe(r, 80, t0 + 25 * hour);
    assert.deepEqual(r.samples, { '10m': 0.9, '1h': 0.9, '24h': 0.8 });
    const out = toOutcomeFields(r, t0 + 25 * hour);
    assert.deepEqual(out.survival, { '10m': 0.9, '1h': 0.9, '24h': 0.8, '72h': null, '7d': null, '30d': null });
    assert.equal(out.aliveShare, 0.8);
    assert.equal(out.reworkedAfterMs, null);
    assert.equal(out.quickRegret, false);
  });

  it('dates rework at the first drop to half and flags quick regret within 2 minutes', () => {
    const quick = newSpanRecord('q', t0, 10);
    observe(quick, 6, t0 + 30_000);
    observe(quick, 5, t0 + 90_000);
    observe(quick, 0, t0 + 100_000);
    assert.equal(quick.reworkedAfterMs, 90_000);
    assert.equal(quick.quickRegret, true);

    const slow = newSpanRecord('s', t0, 10);
    observe(slow, 4, t0 + 3 * min);
    assert.equal(slow.reworkedAfterMs, 3 * min);
    assert.equal(slow.quickRegret, false);
  });

  it('counts fix-up only in the first 30 minutes and reports it as a ratio', () => {
    const r = newSpanRecord('f', t0, 40);
    recordFixup(r, 10, t0 + 29 * min);
    recordFixup(r, 10, t0 + 30 * min);
    recordFixup(r, 50, t0 + 31 * min);
    assert.equal(toOutcomeFields(r, t0 + hour).fixupRatio, 0.5);
  });

  it('grows original and alive counts when a partial accept extends the span', () => {
    const r = newSpanRecord('w', t0, 6);
    extend(r, 4);
    observe(r, 5, t0 + min);
    assert.equal(r.reworkedAfterMs, min);
    assert.equal(toOutcomeFields(r, t0 + min).aliveShare, 0.5);
  });

  describe('after a restart (catchUp)', () => {
    it('gives checkpoints passed while closed the last seen share when nothing was lost', () => {
      const r = newSpanRecord('c', t0, 50);
      observe(r, 40, t0 + min);
      catchUp(r, 40, 40, t0 + 30 * hour);
      assert.deepEqual(r.samples, { '10m': 0.8, '1h': 0.8, '24h': 0.8 });
    });

    it("marks them 'unknown' when something was lost, never survived", () => {
      const r = newSpanRecord('c', t0, 50);
      observe(r, 40, t0 + 20 * min);
      catchUp(r, 40, 10, t0 + 30 * hour);
      assert.deepEqual(r.samples, { '10m': 1, '1h': 'unknown', '24h': 'unknown' });
      assert.equal(r.aliveChars, 10);
      assert.equal(r.reworkedAfterMs, 30 * hour, 'loss is dated when first seen');
      assert.equal(r.quickRegret, false);
    });
  });

  it('records no loss while suspended and excludes it from the base on resume', () => {
    const r = newSpanRecord('b', t0, 100);
    observe(r, 80, t0 + min);
    suspend(r, 'branchSwitch', t0 + 2 * min);
    observe(r, 0, t0 + 3 * min); // branch switched away: everything "deleted"
    catchUp(r, 0, 0, t0 + 20 * min);
    assert.equal(r.reworkedAfterMs, null);
    assert.equal(r.samples['10m'], 0.8, 'checkpoints passed while suspended keep the count at suspension');
    resume(r, 60, t0 + 30 * min); // back on the branch: 20 characters did not come back
    assert.equal(r.suspendedReason, undefined);
    assert.equal(r.excludedChars, 20);
    assert.equal(toOutcomeFields(r, t0 + 30 * min).aliveShare, 60 / 80);
    observe(r, 41, t0 + 40 * min);
    assert.equal(r.reworkedAfterMs, null, '41 of a base of 80 is more than half');
    observe(r, 40, t0 + 50 * min);
    assert.equal(r.reworkedAfterMs, 50 * min);
  });

  it('rework after resume is measured against the reduced base', () => {
    const r = newSpanRecord('b', t0, 100);
    suspend(r, 'reformat', t0);
    observe(r, 90, t0 + min);
    resume(r, 90, t0 + min);
    observe(r, 44, t0 + 5 * min);
    assert.equal(r.reworkedAfterMs, 5 * min);
    assert.equal(toOutcomeFields(r, t0 + 5 * min).aliveShare, 44 / 90);
  });

  it("stops observing a closed span: later checkpoints are 'unknown'", () => {
    const r = newSpanRecord('d', t0, 20);
    observe(r, 20, t0 + 15 * min);
    close(r, 'fileDeleted', t0 + 2 * hour);
    observe(r, 0, t0 + 3 * hour);
    recordFixup(r, 5, t0 + 3 * hour);
    catchUp(r, 20, 0, t0 + 4 * hour);
    const out = toOutcomeFields(r, t0 + 100 * hour);
    assert.deepEqual(out.survival, { '10m': 1, '1h': 1, '24h': 'unknown', '72h': 'unknown', '7d': null, '30d': null });
    assert.equal(out.aliveShare, 1);
    assert.equal(out.observedUntil, t0 + 2 * hour);
    assert.equal(out.fixupRatio, 0);
  });

  it('leaves a passed but not yet sampled checkpoint of an open span null until observed', () => {
    const r = newSpanRecord('o', t0, 20);
    assert.equal(toOutcomeFields(r, t0 + 2 * hour).survival['1h'], null);
    observe(r, 20, t0 + 2 * hour);
    assert.equal(toOutcomeFields(r, t0 + 2 * hour).survival['1h'], 1);
  });
});
