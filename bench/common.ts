/**
 * Shared pieces of the benchmarks: where things are, trace loading, statistics, the
 * result shape every benchmark reports, and the Recorder-equivalent record sink.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { RecordSink } from '../src/core/capture';
import { parseEditingTrace } from '../src/core/editingTrace';
import { captureFoldDelayMs, FoldQueue } from '../src/core/foldQueue';
import type { TracePatch } from '../src/core/editingTrace';
import type { History } from '../src/core/history';
import type { CaptureRecord } from '../src/core/records';
import type { JournalStore, NewRecord, StoreClock } from '../src/host/journalStore';

/** The repository root: benchmarks are bundled to out/bench/*.js. */
export const repoRoot = resolve(__dirname, '..', '..');

/** CI clones the repository with ../shared beside it. */
export const tracesDir = resolve(repoRoot, '..', 'shared', 'data', 'editing-traces');

export const traceNames = ['rustcode', 'sveltecomponent', 'automerge-paper'] as const;
export type TraceName = (typeof traceNames)[number];

/** One change event of a trace: the patches of one transaction, applied one after the other. */
export interface TraceEvent {
  changes: { rangeOffset: number; rangeLength: number; text: string }[];
}

export interface LoadedTrace {
  name: TraceName;
  events: TraceEvent[];
  finalLength: number;
}

/** Loads a josephg/editing-traces file; one transaction is one change event (as VS Code delivers it). */
export function loadTrace(name: TraceName): LoadedTrace {
  const parsed = parseEditingTrace(JSON.parse(gunzipSync(readFileSync(join(tracesDir, `${name}.json.gz`))).toString('utf8')));
  const events: TraceEvent[] = [];
  let txn = -1;
  for (const p of parsed.patches as TracePatch[]) {
    if (p.txn !== txn) {
      events.push({ changes: [] });
      txn = p.txn;
    }
    events[events.length - 1].changes.push({ rangeOffset: p.offset, rangeLength: p.deleteLength, text: p.text });
  }
  return { name, events, finalLength: parsed.endContent.length };
}

export type Status = 'PASS' | 'OVER' | 'INFO';

/** One line of the results table. */
export interface Figure {
  benchmark: string;
  label: string;
  value: number;
  unit: string;
  /** The figure must be ≤ this; absent for informative figures. */
  budget?: number;
  status: Status;
  note?: string;
}

export function figure(benchmark: string, label: string, value: number, unit: string, budget?: number, note?: string): Figure {
  return { benchmark, label, value, unit, ...(budget !== undefined ? { budget } : {}), status: budget === undefined ? 'INFO' : value <= budget ? 'PASS' : 'OVER', ...(note ? { note } : {}) };
}

/** A benchmark child prints exactly one line starting with this, followed by JSON. */
export const resultPrefix = 'BENCH_RESULT ';

export interface BenchOutput {
  figures: Figure[];
  /** Anything else worth keeping in latest.json. */
  details?: Record<string, unknown>;
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** Nearest-rank quantile. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length === 0 ? NaN : sum / values.length;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const isSmoke = process.argv.includes('--smoke');

/** A full collection (the child runs with `node --expose-gc`): a measurement starts from a clean heap. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('this benchmark needs node --expose-gc');
  gc();
  gc();
}

/**
 * Timers the store schedules on the simulated clock of a replay: the replay runs due ones
 * between events, so batch flushes happen as often as they would at the simulated pace.
 */
export class SimClock implements StoreClock {
  now_ = 0;
  private timers: { due: number; callback: () => void }[] = [];
  fired = 0;

  now(): number {
    return this.now_;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { due: this.now_ + ms, callback };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }

  /** Runs the timers due at the current time; true when one ran. */
  runDue(): boolean {
    if (this.timers.length === 0 || this.timers.every((t) => t.due > this.now_)) return false;
    const due = this.timers.filter((t) => t.due <= this.now_);
    this.timers = this.timers.filter((t) => t.due > this.now_);
    for (const t of due) {
      this.fired++;
      t.callback();
    }
    return true;
  }
}

/**
 * What the extension's Recorder does with every record the pipeline emits: queue it in the
 * store (which encodes and writes its batch later, on a timer) and in its `FoldQueue`
 * (folded into the History in a batch 50 ms later, on a timer). Neither timer's work is
 * charged to the event; the benchmark times both on their own. After each fold the
 * Recorder fires `onDidChange`, whose only listener on this path (src/container.ts)
 * re-arms the status bar's 250 ms debounce timer (`clearTimeout` + `setTimeout`, here on
 * the simulated clock). Context events are not analyzed per event in the extension: the
 * status bar re-analyzes the day.
 */
export function recorderSink(store: JournalStore, history: History, clock: StoreClock): RecordSink & { folds: FoldQueue } {
  let statusTimer: unknown;
  const refreshStatusBar = (): void => undefined;
  const folds = new FoldQueue(history, clock, captureFoldDelayMs, () => {
    if (statusTimer !== undefined) clock.clearTimeout(statusTimer);
    statusTimer = clock.setTimeout(refreshStatusBar, 250);
  });
  return {
    folds,
    append(record: CaptureRecord): void {
      // The store writes its own window id in place of the record's `w` (no copy needed).
      store.append(record as unknown as NewRecord);
      folds.add(record);
    },
  };
}

/** A fixed, realistic start of the simulated workday: a Monday 09:00 local time. */
export function workdayStart(): number {
  return new Date(2025, 2, 3, 9, 0, 0).getTime();
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
