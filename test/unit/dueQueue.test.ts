import assert from 'node:assert/strict';
import { DueQueue } from '../../src/core/dueQueue';
import { mulberry32 } from '../../src/core/random';

describe('DueQueue', () => {
  it('gives back exactly the keys due by each time, earliest first, over random adds and takes', () => {
    const random = mulberry32(7);
    const queue = new DueQueue();
    const oracle: { key: string; at: number }[] = [];
    let now = 0;
    for (let step = 0; step < 5_000; step++) {
      if (random() < 0.7) {
        const at = now + Math.floor(random() * 1_000);
        const key = `k${step}`;
        queue.add(key, at);
        oracle.push({ key, at });
      } else {
        now += Math.floor(random() * 300);
        const due = queue.takeDue(now);
        const expected = oracle.filter((e) => e.at <= now).sort((a, b) => a.at - b.at);
        assert.deepEqual(due.map((e) => e.at), expected.map((e) => e.at), `at ${now}`);
        assert.deepEqual(new Set(due.map((e) => e.key)), new Set(expected.map((e) => e.key)));
        for (const e of due) oracle.splice(oracle.findIndex((o) => o.key === e.key), 1);
        assert.equal(queue.size, oracle.length);
      }
    }
    assert.deepEqual(queue.takeDue(Infinity).map((e) => e.at), oracle.map((e) => e.at).sort((a, b) => a - b));
    assert.equal(queue.size, 0);
  });
});
