import assert from 'node:assert/strict';
import { dayRange } from '../../src/core/days';
import { rangeOf } from '../../src/core/ranges';

/** Epoch ms of a local wall-clock time in the time zone the suite runs in. */
function local(year: number, month: number, day: number, hours: number, minutes = 0): number {
  return new Date(year, month - 1, day, hours, minutes).getTime();
}

describe('ranges', () => {
  // Europe/Berlin: clocks go forward on 2025-03-30 and back on 2025-10-26, so a range
  // computed with 24 h steps would land on the wrong day next to midnight.
  let savedTz: string | undefined;
  before(() => {
    savedTz = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
  });
  after(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('runs in a zone with daylight saving (guards the DST cases below)', () => {
    assert.notEqual(new Date(2025, 0, 15).getTimezoneOffset(), new Date(2025, 6, 15).getTimezoneOffset());
  });

  describe('rangeOf', () => {
    it('today is the local day, even on a DST change', () => {
      assert.deepEqual(rangeOf('today', local(2025, 3, 30, 23, 30)), { preset: 'today', from: '2025-03-30', to: '2025-03-30', label: 'Today' });
    });

    it('week runs from this Monday to today', () => {
      assert.deepEqual(rangeOf('week', local(2025, 3, 26, 9)), { preset: 'week', from: '2025-03-24', to: '2025-03-26', label: 'This week' });
      assert.equal(rangeOf('week', local(2025, 3, 24, 0, 10)).from, '2025-03-24');
      assert.equal(rangeOf('week', local(2025, 3, 30, 23, 59)).from, '2025-03-24');
    });

    it('sprint is the last 14 days including today, across spring-forward', () => {
      // 13 × 24 h before 00:30 on 31 March would be 23:30 on 17 March.
      assert.deepEqual(rangeOf('sprint', local(2025, 3, 31, 0, 30)), {
        preset: 'sprint',
        from: '2025-03-18',
        to: '2025-03-31',
        label: 'Last 14 days',
      });
    });

    it('month is the last 30 days including today, across fall-back', () => {
      // 29 × 24 h before 23:30 on 5 November would be 00:30 on 8 October.
      const month = rangeOf('month', local(2025, 11, 5, 23, 30));
      assert.deepEqual([month.from, month.to, month.label], ['2025-10-07', '2025-11-05', 'Last 30 days']);
      assert.equal(dayRange(month.from, month.to).length, 30);
    });

    it('takes a valid custom range as is, future days included', () => {
      const now = local(2025, 6, 1, 12);
      assert.deepEqual(rangeOf('custom', now, { from: '2025-05-01', to: '2025-07-31' }), {
        preset: 'custom',
        from: '2025-05-01',
        to: '2025-07-31',
        label: '2025-05-01 – 2025-07-31',
      });
      assert.equal(rangeOf('custom', now, { from: '2025-05-01', to: '2025-05-01' }).label, '2025-05-01');
    });

    it('rejects a custom range that is missing, malformed, impossible or backwards', () => {
      const now = local(2025, 6, 1, 12);
      assert.throws(() => rangeOf('custom', now), RangeError);
      assert.throws(() => rangeOf('custom', now, { from: '2025-5-1', to: '2025-05-02' }), /Not a day/);
      assert.throws(() => rangeOf('custom', now, { from: '2025-05-01', to: '2025-02-30' }), /Not a day/);
      assert.throws(() => rangeOf('custom', now, { from: '2025-05-02', to: '2025-05-01' }), /starts after it ends/);
    });
  });
});
