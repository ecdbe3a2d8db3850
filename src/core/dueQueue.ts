/**
 * Keys due at a time, taken earliest first: a binary min-heap. The capture pipeline keeps
 * each followed span here under the time of its next survival checkpoint, so its timer
 * visits only the spans that have one due instead of every span in the workspace.
 */
export class DueQueue {
  private readonly times: number[] = [];
  private readonly keys: string[] = [];

  get size(): number {
    return this.times.length;
  }

  /** Adds `key` due at `at`; a key may be in the queue more than once (the taker tells which entry is current). */
  add(key: string, at: number): void {
    let i = this.times.length;
    this.times.push(at);
    this.keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.times[parent] <= at) break;
      this.move(parent, i);
      i = parent;
    }
    this.times[i] = at;
    this.keys[i] = key;
  }

  /** Removes and returns every key due at or before `now` with its time, earliest first. */
  takeDue(now: number): { key: string; at: number }[] {
    const due: { key: string; at: number }[] = [];
    while (this.times.length > 0 && this.times[0] <= now) {
      const at = this.times[0];
      due.push({ key: this.pop(), at });
    }
    return due;
  }

  private pop(): string {
    const top = this.keys[0];
    const lastTime = this.times.pop() as number;
    const lastKey = this.keys.pop() as string;
    const n = this.times.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const child = left + 1 < n && this.times[left + 1] < this.times[left] ? left + 1 : left;
      if (this.times[child] >= lastTime) break;
      this.move(child, i);
      i = child;
    }
    this.times[i] = lastTime;
    this.keys[i] = lastKey;
    return top;
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from];
    this.keys[to] = this.keys[from];
  }
}
