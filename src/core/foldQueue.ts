/**
 * Capture records on their way into the History. The pipeline emits them inside a change
 * event; folding them there (a History row, its interned strings, the listeners that
 * redraw the status bar) would make the rare event that lands an insertion several times
 * dearer than a keystroke. They are queued instead and folded in one batch a moment
 * later, on a timer; whoever reads the History first calls `fold()`, so no reader ever
 * sees it behind the records emitted so far.
 */
import type { History } from './history';
import type { CaptureRecord } from './records';

/** How long a captured record may wait before it is folded, in ms: a burst of records (an agent's many edits) is one batch. */
export const captureFoldDelayMs = 50;

/** The two timer functions the queue needs (the host's, or a benchmark's simulated clock). */
export interface FoldTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export class FoldQueue {
  private pending: CaptureRecord[] = [];
  private timer: unknown;

  constructor(
    private readonly history: History,
    private readonly timers: FoldTimers,
    /** How long a record may wait; records emitted meanwhile join its batch. */
    private readonly delayMs: number,
    /** Called after a batch was folded (not for an empty one). */
    private readonly onFolded: () => void,
  ) {}

  /** Records waiting to be folded. */
  get size(): number {
    return this.pending.length;
  }

  add(record: CaptureRecord): void {
    this.pending.push(record);
    this.timer ??= this.timers.setTimeout(() => {
      this.timer = undefined;
      this.fold();
    }, this.delayMs);
  }

  /** Folds every queued record now, in the order they were emitted. */
  fold(): void {
    this.cancelTimer();
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    for (const record of batch) this.history.add(record);
    this.onFolded();
  }

  /** Forgets the queued records without folding them (their store lines were deleted too). */
  drop(): void {
    this.cancelTimer();
    this.pending = [];
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
