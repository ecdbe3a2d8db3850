import assert from 'node:assert/strict';
import { checkpoints } from '../../src/core/model';
import { syntheticHistory } from '../../src/core/synthetic';

describe('syntheticHistory', () => {
  it('is deterministic in its seed', () => {
    assert.deepEqual(syntheticHistory(11, 20, 30, '2025-06-10'), syntheticHistory(11, 20, 30, '2025-06-10'));
    assert.notDeepEqual(syntheticHistory(11, 20, 30, '2025-06-10').insertions, syntheticHistory(12, 20, 30, '2025-06-10').insertions);
  });

  it('has exactly the requested days, ending with endDay, and insertions per day', () => {
    const history = syntheticHistory(3, 31, 7, '2025-03-31');
    assert.equal(history.days.length, 31);
    assert.equal(history.days[0].day, '2025-03-01');
    assert.equal(history.days[30].day, '2025-03-31');
    assert.equal(history.insertions.length, 31 * 7);
    assert.ok(history.insertions.every((o) => o.day >= '2025-03-01' && o.day <= '2025-03-31' && o.t <= history.now));
  });

  it('keeps every outcome consistent: shares in [0, 1], survival never rising, nothing observed after now', () => {
    const history = syntheticHistory(5, 60, 50, '2025-06-10');
    for (const o of history.insertions) {
      assert.ok(o.observedUntil <= history.now && o.observedUntil >= o.t, o.id);
      let previous = 1;
      for (const { label, ms } of checkpoints) {
        const reading = o.survival[label];
        if (typeof reading !== 'number') continue;
        assert.ok(reading >= 0 && reading <= previous, `${o.id} ${label}`);
        assert.ok(o.t + ms <= o.observedUntil, `${o.id} ${label} read after observation ended`);
        previous = reading;
      }
      if (o.reworkedAfterMs !== null) assert.ok(o.reworkedAfterMs <= o.observedUntil - o.t, o.id);
      assert.ok(o.aliveShare >= 0 && o.aliveShare <= 1, o.id);
    }
  });

  it('mixes every source and some quick regrets, rework and unknown readings', () => {
    const { insertions } = syntheticHistory(9, 60, 50, '2025-06-10');
    for (const source of ['inline', 'chat', 'agent', 'typed', 'paste']) {
      assert.ok(
        insertions.some((o) => o.source === source),
        source,
      );
    }
    assert.ok(insertions.some((o) => o.quickRegret));
    assert.ok(insertions.some((o) => o.reworkedAfterMs !== null && !o.quickRegret));
    assert.ok(insertions.some((o) => Object.values(o.survival).includes('unknown')));
  });

  it('rejects an end day that is not a day', () => {
    assert.throws(() => syntheticHistory(1, 1, 1, '2025-02-30'), RangeError);
  });
});
