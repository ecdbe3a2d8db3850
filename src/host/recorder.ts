import * as vscode from 'vscode';
import { CapturePipeline } from '../core/capture';
import type { ContextEvent } from '../core/context';
import { compactionRules } from '../core/compaction';
import { captureFoldDelayMs, FoldQueue } from '../core/foldQueue';
import { History } from '../core/history';
import type { CaptureRecord } from '../core/records';
import { readCaptureRecord } from '../core/records';
import type { SkipCounts, StoredRecord } from '../core/storeFormat';
import { emptySkipCounts, skipReasons } from '../core/storeFormat';
import { JournalStore, nodeClock, type NewRecord } from './journalStore';

export interface RecorderOptions {
  storageDir: string;
  /** Unique per extension host: names this window's journal. */
  journalId: string;
  /** Stable per workspace across reloads: the context model's window identity. */
  contextWindow: string;
  idleTimeoutMs: number;
  detectAiShapedInserts: boolean;
  newId: () => string;
  /** See `CaptureOptions.onAgentWrite`. */
  onAgentWrite?: (id: string, path: string, t: number, text: string) => void;
}

/** How often a long-running window compacts old journals, in ms. */
const compactEveryMs = 6 * 60 * 60_000;
/** How long other windows' new records may wait before this window reads them, in ms. */
const otherWindowsPollMs = 3_000;

/**
 * The store, the history folded from it, and the capture pipeline that writes to both.
 * Loading is deferred (activation must stay instant); records captured before the load
 * completes are written and folded all the same.
 */
export class Recorder implements vscode.Disposable {
  readonly pipeline: CapturePipeline;
  private readonly folded: History;
  /** Records the pipeline emitted inside change events, folded just after them. */
  private readonly captured: FoldQueue;
  private readonly store: JournalStore;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when recorded data changed (this window or another one). */
  readonly onDidChange = this.changed.event;
  private readonly stateChanged = new vscode.EventEmitter<void>();
  /** Fires when the store starts or stops failing to write. */
  readonly onDidChangeStoreState = this.stateChanged.event;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private compactTimer: ReturnType<typeof setInterval> | undefined;
  private loadPromise: Promise<void> | undefined;
  private skipped: SkipCounts = emptySkipCounts();
  private unknownRecords = 0;
  private writeProblem: string | null = null;
  private readonly oversized = new Set<string>();
  private paused = false;

  constructor(
    options: RecorderOptions,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.folded = new History({ idleTimeoutMs: options.idleTimeoutMs });
    this.captured = new FoldQueue(this.folded, nodeClock, captureFoldDelayMs, () => this.changed.fire());
    this.store = new JournalStore({
      dir: options.storageDir,
      windowId: options.journalId,
      ...compactionRules,
      onStateChange: (state, error) => this.storeStateChanged(state, error),
      // Only a record too large for one store line gets here (the layout of a gigantic
      // file): it is left out of the store, everything else goes on.
      onRejected: (record, error) => {
        if (!this.oversized.has(record.k)) this.output.warn(`A ${record.k} record was too large to store and was left out: ${error.message}`);
        this.oversized.add(record.k);
      },
    });
    this.pipeline = new CapturePipeline(
      { append: (record) => this.capture(record) },
      {
        windowId: options.contextWindow,
        newId: options.newId,
        attribution: { detectAiShapedInserts: options.detectAiShapedInserts },
        ...(options.onAgentWrite ? { onAgentWrite: options.onAgentWrite } : {}),
      },
    );
  }

  /** Everything recorded so far, the records captured a moment ago included. */
  get history(): History {
    this.pipeline.writeLanded();
    this.captured.fold();
    return this.folded;
  }

  /** Loads the store once (later calls wait for the same load), then follows other windows. */
  load(): Promise<void> {
    this.loadPromise ??= this.loadOnce();
    return this.loadPromise;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Tracking paused by the developer: listeners stop feeding the pipeline. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    this.changed.fire();
  }

  /** The reason writes fail right now, or null. */
  get storeProblem(): string | null {
    return this.writeProblem;
  }

  /** Lines that could not be read (all reasons) plus records of unknown kinds or malformed payloads. */
  get skippedRecords(): number {
    return skipReasons.reduce((sum, reason) => sum + this.skipped[reason], 0) + this.unknownRecords;
  }

  /** Records a context event of this window. */
  context(event: ContextEvent): void {
    if (!this.paused) this.pipeline.context(event);
  }

  /** Writes a record the developer made (verdict, note, pulse…): kept even while tracking is paused. */
  append(record: CaptureRecord): void {
    if (!this.queueInStore(record)) return;
    this.history.add(record);
    this.changed.fire();
  }

  /** A record the pipeline emitted, usually inside a change event: stored, and folded with its batch. */
  private capture(record: CaptureRecord): void {
    if (this.queueInStore(record)) this.captured.add(record);
  }

  /** Queues a record in the store; false when the store is closed. */
  private queueInStore(record: CaptureRecord): boolean {
    try {
      // The store writes its own window id in place of the record's `w` (no copy needed), and
      // encodes the record with its batch, after this change event.
      this.store.append(record as unknown as NewRecord);
      return true;
    } catch (error) {
      // Only after the extension was deactivated (an event on its way when the store closed).
      this.output.warn(`A ${record.k} record was not stored: ${String(error)}`);
      return false;
    }
  }

  sizeBytes(): Promise<number> {
    return this.store.sizeBytes();
  }

  /** Writes every record captured so far to disk, the insertions landed since the last tick included. */
  flush(): Promise<boolean> {
    this.pipeline.writeLanded();
    return this.store.flush();
  }

  exportRaw(): Promise<string> {
    return this.store.exportRaw();
  }

  /** Removes every stored byte and forgets the history in memory. */
  async deleteAll(): Promise<void> {
    await this.store.deleteAll();
    this.captured.drop();
    this.folded.clear();
    this.skipped = emptySkipCounts();
    this.unknownRecords = 0;
    this.changed.fire();
  }

  /** Removes whole days before `day` (retention). */
  async prune(day: string): Promise<void> {
    const result = await this.store.prune(day);
    if (result.status === 'failed') this.output.warn(`Could not apply the retention setting: ${result.error?.message ?? 'unknown error'}`);
  }

  private async loadOnce(): Promise<void> {
    const started = Date.now();
    const { records, skipped, newerRecords } = await this.store.load();
    this.skipped = skipped;
    for (const stored of records) this.fold(stored);
    this.output.info(`Loaded ${records.length} records in ${Date.now() - started} ms`);
    const skippedTotal = this.skippedRecords;
    if (skippedTotal > 0) {
      const detail = skipReasons.filter((r) => skipped[r] > 0).map((r) => `${skipped[r]} ${r}`);
      if (this.unknownRecords > 0) detail.push(`${this.unknownRecords} unknown or malformed`);
      this.output.warn(`Skipped ${skippedTotal} unreadable store line(s) (${detail.join(', ')}); everything else loaded.`);
    }
    if (newerRecords.length > 0) {
      this.output.warn(`${newerRecords.length} record(s) were written by a newer Hindsight; they are kept untouched.`);
    }
    this.pollTimer = setInterval(() => void this.readOtherWindows(), otherWindowsPollMs);
    // Journals of days that ended two days ago are folded into daily summaries (one window
    // at a time, under the store's lock); a window that stays open compacts now and then.
    this.compactTimer = setInterval(() => void this.compact(), compactEveryMs);
    setTimeout(() => void this.compact(), 60_000).unref?.();
    this.changed.fire();
  }

  private async compact(): Promise<void> {
    const result = await this.store.compact();
    if (result.status === 'failed') this.output.warn(`Could not compact the store: ${result.error?.message ?? 'unknown error'}`);
    else if (result.journalsFolded > 0) this.output.info(`Compacted ${result.journalsFolded} journal(s) into ${result.daysWritten} day file(s).`);
    if (result.damagedDays > 0 || result.linesDropped > 0) {
      const what = [
        ...(result.damagedDays > 0 ? [`${result.damagedDays} damaged day file(s) rewritten from what could be read`] : []),
        ...(result.linesDropped > 0 ? [`${result.linesDropped} unreadable line(s) left out`] : []),
      ];
      this.output.warn(`Compaction: ${what.join('; ')}. The unreadable bytes are kept in the data folder (files named damaged-…) and removed with their day.`);
    }
  }

  private async readOtherWindows(): Promise<void> {
    try {
      const { records, skipped } = await this.store.readNew();
      for (const reason of skipReasons) this.skipped[reason] += skipped[reason];
      for (const stored of records) this.fold(stored);
      if (records.length > 0) this.changed.fire();
    } catch (error) {
      this.output.warn(`Could not read other windows' records: ${String(error)}`);
    }
  }

  private fold(stored: StoredRecord): void {
    const read = readCaptureRecord(stored);
    if (read.ok) this.folded.add(read.record);
    else this.unknownRecords++;
  }

  private storeStateChanged(state: 'writing' | 'paused', error?: Error): void {
    if (state === 'paused') {
      this.writeProblem = error?.message ?? 'the store cannot write';
      this.output.error(`Hindsight cannot write its data (${this.writeProblem}); tracking is paused and resumes when writing works again.`);
      void vscode.window.showWarningMessage(
        `Hindsight cannot write its data (${this.writeProblem}). Tracking is paused and resumes by itself when writing works again; nothing stored so far is affected.`,
      );
    } else {
      this.writeProblem = null;
      this.output.info('Hindsight can write again; tracking resumed.');
    }
    this.stateChanged.fire();
    this.changed.fire();
  }

  async dispose(): Promise<void> {
    clearInterval(this.pollTimer);
    clearInterval(this.compactTimer);
    this.pipeline.tick(Date.now(), true);
    this.captured.fold();
    await this.store.dispose();
    this.changed.dispose();
    this.stateChanged.dispose();
  }
}

export type { NewRecord };
