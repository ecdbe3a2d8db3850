import assert from 'node:assert/strict';
import { FoldQueue } from '../../src/core/foldQueue';
import { History } from '../../src/core/history';
import type { CaptureRecord, InsertionRecord } from '../../src/core/records';

/** Timers run by hand: `fire()` runs what is armed, as the event loop would between events. */
class ManualTimers {
  armed: { callback: () => void; ms: number }[] = [];
  cleared = 0;
  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { callback, ms };
    this.armed.push(timer);
    return timer;
  }
  clearTimeout(handle: unknown): void {
    const before = this.armed.length;
    this.armed = this.armed.filter((t) => t !== handle);
    this.cleared += before - this.armed.length;
  }
  fire(): void {
    const due = this.armed;
    this.armed = [];
    for (const t of due) t.callback();
  }
}

function insertion(id: string, t: number): InsertionRecord {
  return {
    k: 'ins', t, w: 'w', id, source: 'inline', confidence: 'certain', chars: 10, lines: 1,
    languageId: 'typescript', fileKind: 'source', path: 'src/a.ts', project: 'p', day: '2026-12-03', hour: 9,
  };
}

describe('FoldQueue', () => {
  it('folds nothing inside the event, then the whole batch in one timer, in order, with one notification', () => {
    const history = new History();
    const timers = new ManualTimers();
    let notified = 0;
    const queue = new FoldQueue(history, timers, 50, () => notified++);
    const records: CaptureRecord[] = [insertion('a', 1), { k: 'ext', t: 2, w: 'w', id: 'a', chars: 5, lines: 0 }, insertion('b', 3)];
    for (const record of records) queue.add(record);
    assert.equal(history.size, 0, 'not folded during the event');
    assert.equal(queue.size, 3);
    assert.equal(timers.armed.length, 1, 'one timer for the batch');
    assert.equal(timers.armed[0].ms, 50);
    timers.fire();
    assert.equal(history.size, 3);
    assert.equal(queue.size, 0);
    assert.equal(notified, 1);
    assert.deepEqual(history.outcomes(10).map((o) => [o.id, o.chars]), [['a', 15], ['b', 10]]);
  });

  it('folds at once when asked (a reader comes before the timer), and the timer then finds nothing', () => {
    const history = new History();
    const timers = new ManualTimers();
    let notified = 0;
    const queue = new FoldQueue(history, timers, 50, () => notified++);
    queue.add(insertion('a', 1));
    queue.fold();
    assert.equal(history.size, 1);
    assert.equal(timers.armed.length, 0, 'its timer was cleared');
    assert.equal(timers.cleared, 1);
    queue.fold();
    assert.equal(notified, 1, 'an empty fold notifies nobody');
    queue.add(insertion('b', 2));
    assert.equal(timers.armed.length, 1, 'a new batch arms a new timer');
    timers.fire();
    assert.equal(history.size, 2);
    assert.equal(notified, 2);
  });

  it('drops what is queued (delete all my data) without folding it', () => {
    const history = new History();
    const timers = new ManualTimers();
    const queue = new FoldQueue(history, timers, 50, () => assert.fail('nothing was folded'));
    queue.add(insertion('a', 1));
    queue.drop();
    assert.equal(queue.size, 0);
    assert.equal(timers.armed.length, 0);
    timers.fire();
    assert.equal(history.size, 0);
  });
});
