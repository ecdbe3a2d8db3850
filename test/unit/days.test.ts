import assert from 'node:assert/strict';
import { dayEnd, dayKeyOf, dayRange, dayStart, hourOf, isDayKey, LocalHours, shiftDay, weekKeyOf } from '../../src/core/days';

const hourMs = 3_600_000;

/** Runs `body` with `process.env.TZ` set to `zone` (Node applies a change at run time), restoring it after. */
function inZone(zone: string, body: () => void): void {
  const saved = process.env.TZ;
  process.env.TZ = zone;
  try {
    body();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

describe('days', () => {
  describe('LocalHours', () => {
    it('agrees with dayKeyOf and hourOf minute by minute across DST changes and odd offsets, forwards and after jumps', () => {
      const spans: [string, number][] = [
        ['America/New_York', Date.UTC(2026, 2, 7)], // spring forward on 03-08
        ['America/New_York', Date.UTC(2026, 9, 31)], // fall back on 11-01
        ['Australia/Lord_Howe', Date.UTC(2026, 3, 3)], // a 30-minute DST change on 04-05
        ['Pacific/Chatham', Date.UTC(2026, 3, 3)], // UTC+13:45 / +12:45
        ['Asia/Kathmandu', Date.UTC(2026, 0, 1)], // UTC+5:45
      ];
      for (const [zone, start] of spans) {
        inZone(zone, () => {
          const hours = new LocalHours();
          const check = (t: number): void => {
            assert.deepEqual([hours.dayKey(t), hours.hourOf(t)], [dayKeyOf(t), hourOf(t)], `${zone} ${new Date(t).toISOString()}`);
          };
          for (let t = start; t < start + 4 * 24 * hourMs; t += 60_000) check(t);
          // Back and forth: a later event may carry an earlier time (another window's clock).
          for (let i = 0; i < 2_000; i++) check(start + ((i * 7_919_237) % (4 * 24 * hourMs)));
        });
      }
    });
  });

  describe('dayKeyOf', () => {
    it('gives the local calendar day, changing exactly at local midnight', () => {
      inZone('Europe/Berlin', () => {
        const midnight = new Date(2026, 5, 11).getTime();
        assert.equal(dayKeyOf(midnight - 1), '2026-06-10');
        assert.equal(dayKeyOf(midnight), '2026-06-11');
        // Berlin is UTC+2 in summer: 23:30 UTC is already the next local day.
        assert.equal(dayKeyOf(Date.UTC(2026, 5, 10, 22, 30)), '2026-06-11');
      });
    });

    it('follows a 45-minute offset (Pacific/Chatham, UTC+13:45 in January)', () => {
      inZone('Pacific/Chatham', () => {
        const localMidnight = Date.UTC(2026, 0, 15, 10, 15);
        assert.equal(dayKeyOf(localMidnight - 1), '2026-01-15');
        assert.equal(dayKeyOf(localMidnight), '2026-01-16');
      });
    });

    it('keys the hours around a DST change to the right day (America/New_York)', () => {
      inZone('America/New_York', () => {
        // 2026-03-08 02:00 EST jumps to 03:00 EDT: 01:59 EST and 03:00 EDT are one minute apart.
        const before = Date.UTC(2026, 2, 8, 6, 59);
        assert.equal(dayKeyOf(before), '2026-03-08');
        assert.equal(hourOf(before), 1);
        assert.equal(hourOf(before + 60_000), 3);
        // 2026-11-01 01:00–02:00 happens twice; both are on 2026-11-01.
        assert.equal(dayKeyOf(Date.UTC(2026, 10, 1, 5, 30)), '2026-11-01');
        assert.equal(dayKeyOf(Date.UTC(2026, 10, 1, 6, 30)), '2026-11-01');
        assert.equal(hourOf(Date.UTC(2026, 10, 1, 5, 30)), 1);
        assert.equal(hourOf(Date.UTC(2026, 10, 1, 6, 30)), 1);
      });
    });

    it('uses the zone current at capture time, so keys recorded before a zone change stay put', () => {
      const firstEvent = Date.UTC(2026, 5, 10, 22, 30);
      const secondEvent = firstEvent + hourMs;
      let firstKey = '';
      let secondKey = '';
      inZone('Europe/Berlin', () => {
        firstKey = dayKeyOf(firstEvent);
      });
      inZone('America/New_York', () => {
        secondKey = dayKeyOf(secondEvent);
        // Recomputed now, the first instant would fall on another day: that is why keys are stored.
        assert.equal(dayKeyOf(firstEvent), '2026-06-10');
      });
      assert.equal(firstKey, '2026-06-11');
      assert.equal(secondKey, '2026-06-10');
    });
  });

  describe('dayStart and dayEnd', () => {
    it('bound a normal day to 24 hours', () => {
      inZone('Europe/Berlin', () => {
        assert.equal(dayStart('2026-06-10'), Date.UTC(2026, 5, 9, 22));
        assert.equal(dayEnd('2026-06-10') - dayStart('2026-06-10'), 24 * hourMs);
        assert.equal(dayEnd('2026-06-10'), dayStart('2026-06-11'));
      });
    });

    it('make spring-forward days 23 hours and fall-back days 25 hours long (America/New_York)', () => {
      inZone('America/New_York', () => {
        assert.equal(dayEnd('2026-03-08') - dayStart('2026-03-08'), 23 * hourMs);
        assert.equal(dayEnd('2026-11-01') - dayStart('2026-11-01'), 25 * hourMs);
        assert.equal(dayKeyOf(dayEnd('2026-11-01') - 1), '2026-11-01');
        assert.equal(dayKeyOf(dayEnd('2026-11-01')), '2026-11-02');
      });
    });

    it('start a day whose midnight is skipped at its first existing instant (America/Santiago)', () => {
      inZone('America/Santiago', () => {
        // Chile moves from 24:00 on 2026-09-05 to 01:00 on 2026-09-06.
        const start = dayStart('2026-09-06');
        assert.equal(hourOf(start), 1);
        assert.equal(dayKeyOf(start - 1), '2026-09-05');
        assert.equal(dayKeyOf(start), '2026-09-06');
        assert.equal(dayEnd('2026-09-05') - dayStart('2026-09-05'), 24 * hourMs);
        assert.equal(dayEnd('2026-09-06') - dayStart('2026-09-06'), 23 * hourMs);
      });
    });

    it('reject strings that are not day keys', () => {
      assert.throws(() => dayStart('2026-2-3'), RangeError);
      assert.throws(() => dayStart('2026-02-30'), RangeError);
      assert.throws(() => dayEnd('today'), RangeError);
    });
  });

  describe('calendar arithmetic', () => {
    it('validates day keys', () => {
      assert.equal(isDayKey('2026-02-28'), true);
      assert.equal(isDayKey('2028-02-29'), true);
      assert.equal(isDayKey('2026-02-29'), false);
      assert.equal(isDayKey('2026-13-01'), false);
      assert.equal(isDayKey('2026-1-01'), false);
      assert.equal(isDayKey(' 2026-01-01'), false);
    });

    it('shifts across month, year and leap days', () => {
      assert.equal(shiftDay('2026-01-31', 1), '2026-02-01');
      assert.equal(shiftDay('2026-12-31', 1), '2027-01-01');
      assert.equal(shiftDay('2028-03-01', -1), '2028-02-29');
      assert.equal(shiftDay('2026-03-01', -1), '2026-02-28');
      assert.equal(shiftDay('2026-06-10', 0), '2026-06-10');
      assert.equal(shiftDay('2026-06-10', -365), '2025-06-10');
    });

    it('does not depend on the time zone, even where a zone skipped a whole day (Pacific/Apia, 2011-12-30)', () => {
      inZone('Pacific/Apia', () => {
        assert.equal(shiftDay('2011-12-29', 1), '2011-12-30');
        assert.deepEqual(dayRange('2011-12-29', '2011-12-31'), ['2011-12-29', '2011-12-30', '2011-12-31']);
      });
      inZone('America/New_York', () => {
        assert.deepEqual(dayRange('2026-03-07', '2026-03-09'), ['2026-03-07', '2026-03-08', '2026-03-09']);
        assert.deepEqual(dayRange('2026-10-31', '2026-11-02'), ['2026-10-31', '2026-11-01', '2026-11-02']);
      });
    });

    it('lists a range of days inclusively, and nothing for a reversed range', () => {
      assert.deepEqual(dayRange('2026-02-27', '2026-03-02'), ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
      assert.deepEqual(dayRange('2026-06-10', '2026-06-10'), ['2026-06-10']);
      assert.deepEqual(dayRange('2026-06-11', '2026-06-10'), []);
      assert.equal(dayRange('2026-01-01', '2026-12-31').length, 365);
      assert.throws(() => dayRange('2026-06-11', 'x'), RangeError);
    });

    it('names a week by its Monday', () => {
      assert.equal(weekKeyOf('2026-06-08'), '2026-06-08'); // Monday
      assert.equal(weekKeyOf('2026-06-10'), '2026-06-08'); // Wednesday
      assert.equal(weekKeyOf('2026-06-14'), '2026-06-08'); // Sunday
      assert.equal(weekKeyOf('2026-06-15'), '2026-06-15');
      assert.equal(weekKeyOf('2027-01-01'), '2026-12-28'); // across a year end
      assert.equal(weekKeyOf('2026-03-08'), '2026-03-02'); // a DST Sunday in New York
    });
  });
});
