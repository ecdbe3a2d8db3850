/**
 * The local store: append-only JSONL journals, one per window and day, folded into
 * per-day compacted files. Plain Node (no `vscode`), so every failure mode can be
 * driven from unit tests: crashes, concurrent windows, full or read-only disks.
 *
 * Files in the store directory (which the store owns entirely):
 *   journal-<day>-<windowId>.jsonl  written by exactly one window, only during <day>
 *   day-<day>.jsonl                 compacted records of <day>; first line is a manifest
 *                                   of the journal byte ranges folded into it, then the
 *                                   lines as gzip members (their lengths are in the
 *                                   manifest); records of one kind are stored in column
 *                                   blocks (core/columns.ts)
 *   damaged-<day>-<stamp>-day.jsonl    a copy of a day file that could not be read whole,
 *                                   kept before compaction rewrote that day from what it could read
 *   damaged-<day>-<stamp>-lines.jsonl  journal lines compaction could not read, and records
 *                                   it could not write; never read, removed with their day
 *   compact.lock                    held by the one window compacting
 *   *.tmp                           being written; never read
 */
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { dayKeyOf } from '../core/days';
import { schemaVersion } from '../core/model';
import type { JsonValue, SkipCounts, StoredRecord } from '../core/storeFormat';
import { columnsKind, packRecords, unpackColumns } from '../core/columns';
import { decodeLine, emptySkipCounts, encodeNewRecord, encodeRecord, maxLineBytes } from '../core/storeFormat';

/** A record as the product appends it; the store sets `v` and `w` (over any the record carries). */
export interface NewRecord {
  k: string;
  t: number;
  [field: string]: JsonValue;
}

export type StoreState = 'writing' | 'paused';

/** Time and timers, injected so tests drive batching and retries deterministically. */
export interface StoreClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The file-system operations the store uses, injected so tests can fail any of them. */
export interface StoreFs {
  mkdir(dir: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
  stat(path: string): Promise<{ size: number }>;
  readFile(path: string): Promise<Buffer>;
  /** The bytes of a file from `offset` to its end. */
  readFrom(path: string, offset: number): Promise<Buffer>;
  appendFile(path: string, data: Buffer): Promise<void>;
  /** Creates a new file (failing if it exists), writes it and fsyncs it. */
  writeFileDurable(path: string, data: Buffer): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or folder; nothing happens when it is already gone. */
  remove(path: string): Promise<void>;
  /** Makes renames and removals in a folder durable. */
  syncDir(dir: string): Promise<void>;
}

export interface JournalStoreOptions {
  /** A folder owned by the store alone (`deleteAll` empties it). */
  dir: string;
  /** Unique among the extension hosts running at the same time (e.g. `vscode.env.sessionId`). */
  windowId: string;
  /** Longest time an appended record waits in memory before it is written. */
  batchDelayMs?: number;
  /** Records kept in memory while the disk refuses writes; the oldest beyond it are dropped. */
  maxQueuedRecords?: number;
  /** First retry delay while paused; doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Journals are folded once their day is at least this old (they can no longer grow). */
  compactAfterMs?: number;
  /** A compaction lock older than this is taken over even if its process seems alive. */
  staleLockMs?: number;
  /** Records that stay whole in compacted files; the others are handed to `summarize`. */
  keep?: (record: StoredRecord) => boolean;
  /**
   * Folds the records of one day that `keep` rejected into summary records. It may be
   * called again for the same day with its own earlier output among the input (late
   * records, or a re-fold), so it must merge what it summarized before.
   */
  summarize?: (day: string, records: StoredRecord[]) => NewRecord[];
  /**
   * Names the rules of `keep` and `summarize`: day files compacted under another name are
   * folded again by the next compaction (after a product update changed the rules).
   */
  foldVersion?: string;
  /**
   * For records that matter only until a newer one of the same key replaces them (the latest
   * state of something): compaction keeps, across every day, only the record of highest
   * `rank` per key (of equal ranks, the one read last), and drops the others.
   */
  supersede?: (record: StoredRecord) => { key: string; rank: number } | undefined;
  /** Called once when writes start failing (`paused`) and once when they work again. */
  onStateChange?: (state: StoreState, error?: Error) => void;
  /**
   * Called for an appended record that cannot be written (not plain JSON, or longer than a
   * store line once encoded): records are encoded with their batch, so this comes after `append` returned.
   */
  onRejected?: (record: NewRecord, error: Error) => void;
  clock?: StoreClock;
  fs?: StoreFs;
  /** Day key of a time; local calendar day by default. */
  dayOf?: (t: number) => string;
  isProcessAlive?: (pid: number) => boolean;
  /** This process's id, written into the compaction lock. */
  pid?: number;
}

export interface LoadResult {
  /** Every readable record, sorted by time, then window id, then stored order. */
  records: StoredRecord[];
  skipped: SkipCounts;
  /** Lines written by a newer Hindsight, verbatim: kept on disk, not understood here. */
  newerRecords: string[];
}

export interface CompactionResult {
  /** `busy`: another window holds the lock or changed the store meanwhile; try later. */
  status: 'done' | 'busy' | 'failed';
  journalsFolded: number;
  daysWritten: number;
  daysPruned: number;
  /** Unreadable journal lines (and records that could not be written) left out of the compacted files; their bytes are kept in a `damaged-` file. */
  linesDropped: number;
  /** Day files that could not be read whole and were rewritten from what could; a copy of each is kept in a `damaged-` file. */
  damagedDays: number;
  error?: Error;
}

type Range = [number, number];
type Coverage = Map<string, Range[]>;

interface Sink {
  records: StoredRecord[];
  newer: string[];
  skipped: SkipCounts;
}

interface DayFile {
  name: string;
  bytes: Buffer;
  covers: Coverage;
  /** The `foldVersion` the day was compacted under ('' before there was one). */
  foldVersion: string;
  records: StoredRecord[];
  newer: string[];
  /** Parts that could not be read (damaged, or a format newer than this build's). */
  skipped: SkipCounts;
  /** Written by a newer Hindsight in a format this build cannot read: left as it is. */
  foreign: boolean;
}

/** Journal records of one day on their way into its day file. */
interface IncomingDay {
  records: StoredRecord[];
  newer: string[];
  covers: Coverage;
}

interface Snapshot {
  sink: Sink;
  /** Journal name → byte offset up to which its lines were consumed. */
  journalEnds: Map<string, number>;
}

interface LockInfo {
  pid: number;
  t: number;
  token: string;
}

/** Thrown inside a compaction when another window is (or was) compacting too. */
class CompactionConflict extends Error {}

const journalPattern = /^journal-(\d{4}-\d{2}-\d{2})-(.+)\.jsonl$/;
const dayFilePattern = /^day-(\d{4}-\d{2}-\d{2})\.jsonl$/;
const damagedPattern = /^damaged-(\d{4}-\d{2}-\d{2})-/;
/**
 * Layout of the day files this build writes: 1, the lines in plain text; 2, the lines as gzip
 * members listed in the manifest. A day file of a higher format is read by nobody here and
 * never rewritten: a window still running an older Hindsight leaves a newer one's days alone.
 */
const dayFileFormat = 2;
const windowIdPattern = /^[A-Za-z0-9_.-]{1,100}$/;
const lockName = 'compact.lock';
const manifestKind = '$manifest';
const dayMs = 24 * 60 * 60 * 1000;

/** Timers from Node, unref'd so a pending retry never keeps a process alive. */
export const nodeClock: StoreClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The real file system. */
export const nodeStoreFs: StoreFs = {
  mkdir: async (dir) => {
    await fsp.mkdir(dir, { recursive: true });
  },
  readdir: (dir) => fsp.readdir(dir),
  stat: (path) => fsp.stat(path),
  readFile: (path) => fsp.readFile(path),
  readFrom: async (path, offset) => {
    const handle = await fsp.open(path, 'r');
    try {
      const { size } = await handle.stat();
      const buffer = Buffer.alloc(Math.max(0, size - offset));
      let read = 0;
      while (read < buffer.length) {
        const { bytesRead } = await handle.read(buffer, read, buffer.length - read, offset + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return buffer.subarray(0, read);
    } finally {
      await handle.close();
    }
  },
  appendFile: (path, data) => fsp.appendFile(path, data),
  writeFileDurable: async (path, data) => {
    const handle = await fsp.open(path, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  link: (existing, newPath) => fsp.link(existing, newPath),
  rename: (from, to) => fsp.rename(from, to),
  remove: (path) => fsp.rm(path, { recursive: true, force: true }),
  syncDir: async (dir) => {
    // Windows cannot open or fsync a directory; there a rename is durable enough.
    if (process.platform === 'win32') return;
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** Whether a process id is running on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** The store of one window; see the file comment for the layout on disk. */
export class JournalStore {
  private readonly dir: string;
  private readonly windowId: string;
  private readonly batchDelayMs: number;
  private readonly maxQueuedRecords: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly compactAfterMs: number;
  private readonly staleLockMs: number;
  private readonly keep: (record: StoredRecord) => boolean;
  private readonly summarize: (day: string, records: StoredRecord[]) => NewRecord[];
  private readonly foldVersion: string;
  private readonly supersede: (record: StoredRecord) => { key: string; rank: number } | undefined;
  private readonly onStateChange: (state: StoreState, error?: Error) => void;
  private readonly onRejected: (record: NewRecord, error: Error) => void;
  private readonly clock: StoreClock;
  private readonly fs: StoreFs;
  private readonly dayOf: (t: number) => string;
  private readonly isProcessAlive: (pid: number) => boolean;
  private readonly pid: number;

  /** Appended records not encoded yet: encoding waits for the batch, so a change event only queues. */
  private pending: NewRecord[] = [];
  /** Encoded lines waiting to be written (kept across failed writes). */
  private queue: string[] = [];
  private flushing: Promise<boolean> = Promise.resolve(true);
  private batchTimer: unknown;
  private retryTimer: unknown;
  private failures = 0;
  private currentState: StoreState = 'writing';
  private droppedRecords = 0;
  private disposed = false;
  /** Last journal day written, so a clock set back never reopens a sealed journal. */
  private lastDay = '';
  /** What we know of the end of the journal we append to; unknown after any failure. */
  private tail: { path: string; size: number; needsNewline: boolean } | undefined;
  /** Read offsets of other windows' journals, for `readNew`. */
  private readonly offsets = new Map<string, number>();

  constructor(options: JournalStoreOptions) {
    if (!windowIdPattern.test(options.windowId)) throw new TypeError(`window id must match ${windowIdPattern}`);
    this.dir = options.dir;
    this.windowId = options.windowId;
    this.batchDelayMs = options.batchDelayMs ?? 1000;
    this.maxQueuedRecords = options.maxQueuedRecords ?? 10_000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
    this.compactAfterMs = options.compactAfterMs ?? 2 * dayMs;
    this.staleLockMs = options.staleLockMs ?? 5 * 60_000;
    this.keep = options.keep ?? ((): boolean => true);
    this.summarize = options.summarize ?? ((): NewRecord[] => []);
    this.foldVersion = options.foldVersion ?? '';
    this.supersede = options.supersede ?? ((): undefined => undefined);
    this.onStateChange = options.onStateChange ?? ((): void => undefined);
    this.onRejected = options.onRejected ?? ((): void => undefined);
    this.clock = options.clock ?? nodeClock;
    this.fs = options.fs ?? nodeStoreFs;
    this.dayOf = options.dayOf ?? dayKeyOf;
    this.isProcessAlive = options.isProcessAlive ?? processAlive;
    this.pid = options.pid ?? process.pid;
  }

  /** `paused` while the disk refuses writes (records wait in memory). */
  get state(): StoreState {
    return this.currentState;
  }

  /** Records dropped because the in-memory queue overflowed while paused. */
  get dropped(): number {
    return this.droppedRecords;
  }

  /**
   * Queues a record; it is encoded and written with its batch, within `batchDelayMs`, so it
   * must not be changed after this call. Throws only when the store is disposed or the
   * envelope is malformed; a payload that cannot be written goes to `onRejected`.
   */
  append(record: NewRecord): void {
    if (this.disposed) throw new Error('the store is disposed');
    if (typeof record.k !== 'string' || record.k.length === 0 || !Number.isFinite(record.t)) throw new TypeError('a record needs a kind and a finite time');
    if (record.k.startsWith('$')) throw new TypeError(`record kinds starting with $ belong to the store: ${record.k}`);
    this.pending.push(record);
    this.enforceQueueCap();
    if (this.currentState === 'writing' && this.batchTimer === undefined) {
      this.batchTimer = this.clock.setTimeout(() => {
        this.batchTimer = undefined;
        void this.flush();
      }, this.batchDelayMs);
    }
  }

  /** Writes every queued record now; true when all of them are on disk. Never rejects. */
  flush(): Promise<boolean> {
    this.clearTimer('batchTimer');
    const run = this.flushing.then(() => this.writeQueued());
    this.flushing = run;
    return run;
  }

  /** Flushes and stops timers; true when nothing was left unwritten. */
  async dispose(): Promise<boolean> {
    this.disposed = true;
    this.clearTimer('retryTimer');
    return this.flush();
  }

  /** Every stored record (journals merged with compacted days) and what could not be read. */
  async load(): Promise<LoadResult> {
    const snapshot = await this.readAll();
    for (const [name, end] of snapshot.journalEnds) this.offsets.set(name, end);
    const { records, skipped, newer } = snapshot.sink;
    return { records: sortRecords(records), skipped, newerRecords: newer };
  }

  /** Records other windows appended since the last `load`/`readNew` (complete lines only). */
  async readNew(): Promise<{ records: StoredRecord[]; skipped: SkipCounts }> {
    const sink = emptySink();
    const cutoff = this.compactionCutoff();
    for (const name of await this.list()) {
      const match = journalPattern.exec(name);
      // Journals old enough to compact are sealed: everything in them was read already.
      if (!match || match[2] === this.windowId || match[1] <= cutoff) continue;
      const path = join(this.dir, name);
      let offset = this.offsets.get(name) ?? 0;
      let size: number;
      try {
        size = (await this.fs.stat(path)).size;
      } catch (error) {
        if (errorCode(error) === 'ENOENT') continue;
        throw error;
      }
      if (size < offset) offset = 0; // deleted and written anew
      if (size === offset) continue;
      const bytes = await this.fs.readFrom(path, offset);
      this.offsets.set(name, scanLines(bytes, offset, sink, [], false));
    }
    return { records: sortRecords(sink.records), skipped: sink.skipped };
  }

  /** All stored records as JSONL, newer-version lines included verbatim, for the user's raw export. */
  async exportRaw(): Promise<string> {
    const { sink } = await this.readAll();
    const lines = sortRecords(sink.records).map(encodeRecord).concat(sink.newer);
    return lines.map((line) => `${line}\n`).join('');
  }

  /** Bytes the store occupies on disk. */
  async sizeBytes(): Promise<number> {
    let total = 0;
    for (const name of await this.list()) {
      try {
        total += (await this.fs.stat(join(this.dir, name))).size;
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error;
      }
    }
    return total;
  }

  /** Removes everything in the store folder and forgets what is queued; the store stays usable. */
  async deleteAll(): Promise<void> {
    this.clearTimer('batchTimer');
    this.clearTimer('retryTimer');
    this.queue = [];
    this.pending = [];
    await this.flushing;
    for (const name of await this.list()) await this.fs.remove(join(this.dir, name));
    await this.fs.syncDir(this.dir);
    this.tail = undefined;
    this.offsets.clear();
    this.droppedRecords = 0;
    this.failures = 0;
    this.setState('writing');
  }

  /** Folds sealed journals into per-day files (keeping what `keep` accepts, summarizing the rest). */
  compact(): Promise<CompactionResult> {
    return this.underLock(undefined);
  }

  /** Compacts, then removes whole days before `olderThanDay` (a `yyyy-MM-dd` day key). */
  prune(olderThanDay: string): Promise<CompactionResult> {
    return this.underLock(olderThanDay);
  }

  // ---- writing ----

  private async writeQueued(): Promise<boolean> {
    this.encodePending();
    if (this.queue.length === 0) return true;
    const batch = this.queue.splice(0);
    const path = this.journalPath();
    let tail = this.tail?.path === path ? this.tail : undefined;
    let payload: Buffer | undefined;
    try {
      tail ??= await this.inspectTail(path);
      payload = Buffer.from(`${tail.needsNewline ? '\n' : ''}${batch.join('\n')}\n`);
      await this.fs.appendFile(path, payload);
      this.tail = { path, size: tail.size + payload.length, needsNewline: false };
    } catch (error) {
      this.tail = undefined;
      const unwritten = tail && payload ? await this.unwrittenLines(batch, path, tail, payload) : batch;
      this.queue = unwritten.concat(this.queue);
      this.enforceQueueCap();
      this.writeFailed(asError(error));
      return false;
    }
    this.failures = 0;
    this.clearTimer('retryTimer');
    this.setState('writing');
    if (this.queue.length > 0 && !this.disposed) {
      // Appends made while paused did not start a batch timer.
      this.batchTimer ??= this.clock.setTimeout(() => {
        this.batchTimer = undefined;
        void this.flush();
      }, this.batchDelayMs);
    }
    return true;
  }

  /** Size of a journal and whether a torn last line needs a newline before the next record. */
  private async inspectTail(path: string): Promise<{ path: string; size: number; needsNewline: boolean }> {
    await this.fs.mkdir(this.dir);
    let size: number;
    try {
      size = (await this.fs.stat(path)).size;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { path, size: 0, needsNewline: false };
      throw error;
    }
    if (size === 0) return { path, size, needsNewline: false };
    const last = await this.fs.readFrom(path, size - 1);
    return { path, size, needsNewline: last[0] !== 0x0a };
  }

  /**
   * After a failed append, the lines of the batch that did not fully reach the disk. This
   * window is the journal's only writer, so whatever it grew by is a prefix of our payload;
   * lines already written must not be written twice.
   */
  private async unwrittenLines(batch: string[], path: string, tail: { size: number; needsNewline: boolean }, payload: Buffer): Promise<string[]> {
    let written: number;
    try {
      written = Math.min((await this.fs.stat(path)).size - tail.size, payload.length);
    } catch {
      return batch;
    }
    let end = tail.needsNewline ? 1 : 0;
    let done = 0;
    while (done < batch.length) {
      const next = end + Buffer.byteLength(batch[done]) + 1;
      if (next > written) break;
      end = next;
      done++;
    }
    return batch.slice(done);
  }

  /** Any write error pauses (ENOSPC, EROFS, EACCES, EDQUOT, EISDIR…): throwing into an editor event handler would help nobody. */
  private writeFailed(error: Error): void {
    this.setState('paused', error);
    if (this.disposed || this.retryTimer !== undefined) return;
    const delay = Math.min(this.retryDelayMs * 2 ** this.failures, this.maxRetryDelayMs);
    this.failures++;
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush();
    }, delay);
  }

  private setState(state: StoreState, error?: Error): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.onStateChange(state, error);
  }

  /** Encodes the appended records into lines, in order, after any lines still waiting. */
  private encodePending(): void {
    const records = this.pending;
    this.pending = [];
    for (const record of records) {
      try {
        this.queue.push(encodeNewRecord(record, this.windowId));
      } catch (error) {
        this.onRejected(record, asError(error));
      }
    }
  }

  /** Drops the oldest records (written lines first, then appended ones) beyond `maxQueuedRecords`. */
  private enforceQueueCap(): void {
    const excess = this.queue.length + this.pending.length - this.maxQueuedRecords;
    if (excess <= 0) return;
    const lines = Math.min(excess, this.queue.length);
    this.queue.splice(0, lines);
    this.pending.splice(0, excess - lines);
    this.droppedRecords += excess;
  }

  private clearTimer(which: 'batchTimer' | 'retryTimer'): void {
    if (this[which] === undefined) return;
    this.clock.clearTimeout(this[which]);
    this[which] = undefined;
  }

  private journalPath(): string {
    const today = this.dayOf(this.clock.now());
    if (today > this.lastDay) this.lastDay = today;
    return join(this.dir, `journal-${this.lastDay}-${this.windowId}.jsonl`);
  }

  // ---- reading ----

  private async list(): Promise<string[]> {
    try {
      return (await this.fs.readdir(this.dir)).sort();
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    }
  }

  /** Reads journals before day files: a compaction finishing meanwhile then shows up as coverage, never as a gap. */
  private async readAll(): Promise<Snapshot> {
    const journals = new Map<string, Buffer>();
    for (const name of await this.list()) {
      if (!journalPattern.test(name)) continue;
      const bytes = await this.readIfPresent(join(this.dir, name));
      if (bytes) journals.set(name, bytes);
    }
    const sink = emptySink();
    const dayFiles = await this.readDayFiles(sink);
    const coverage = mergeCoverage([...dayFiles.values()].map((file) => file.covers));
    const journalEnds = new Map<string, number>();
    for (const [name, bytes] of journals) journalEnds.set(name, scanLines(bytes, 0, sink, coverage.get(name) ?? [], true));
    return { sink, journalEnds };
  }

  /** Compacted day files by day; their records and skips also go to `sink`. */
  private async readDayFiles(sink: Sink): Promise<Map<string, DayFile>> {
    const dayFiles = new Map<string, DayFile>();
    for (const name of await this.list()) {
      const match = dayFilePattern.exec(name);
      if (!match) continue;
      const bytes = await this.readIfPresent(join(this.dir, name));
      if (!bytes) continue;
      const dayFile = parseDayFile(name, bytes);
      dayFiles.set(match[1], dayFile);
      // Not push(...spread): a day can hold more records than the call stack has room for arguments.
      for (const record of dayFile.records) sink.records.push(record);
      for (const line of dayFile.newer) sink.newer.push(line);
      addCounts(sink.skipped, dayFile.skipped);
    }
    return dayFiles;
  }

  private async readIfPresent(path: string): Promise<Buffer | undefined> {
    try {
      return await this.fs.readFile(path);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  // ---- compaction ----

  /** Latest journal day that can no longer grow. */
  private compactionCutoff(): string {
    return this.dayOf(this.clock.now() - this.compactAfterMs);
  }

  private async underLock(pruneBefore: string | undefined): Promise<CompactionResult> {
    const result: CompactionResult = { status: 'busy', journalsFolded: 0, daysWritten: 0, daysPruned: 0, linesDropped: 0, damagedDays: 0 };
    let token: string | undefined;
    try {
      token = await this.acquireLock();
      if (token === undefined) return result;
      await this.fold(token, pruneBefore, result);
      result.status = 'done';
    } catch (error) {
      result.status = error instanceof CompactionConflict ? 'busy' : 'failed';
      if (result.status === 'failed') result.error = asError(error);
    } finally {
      if (token !== undefined) await this.releaseLock(token).catch(() => undefined);
    }
    return result;
  }

  /**
   * Crash-safe order: every day file is replaced atomically and lists the journal byte
   * ranges it holds, so a reader skips exactly those ranges; journals are removed only
   * once all their bytes are covered. A crash between any two steps leaves each record
   * either in its journal or in a day file, never in both (readers apply the coverage).
   */
  private async fold(token: string, pruneBefore: string | undefined, result: CompactionResult): Promise<void> {
    const names = await this.list();
    for (const name of names) {
      if (!name.endsWith('.tmp')) continue;
      // Leftovers of crashed compactions. A lock temp is in use while its lock would not be stale.
      const lockTemp = /^compact\.lock\.(\d+)-(\d+)-/.exec(name);
      if (!lockTemp || !this.isLiveLock({ pid: Number(lockTemp[1]), t: Number(lockTemp[2]) })) await this.fs.remove(join(this.dir, name));
    }
    const dayFiles = await this.readDayFiles(emptySink());
    const foreignDays = new Set([...dayFiles].filter(([, file]) => file.foreign).map(([day]) => day));
    const coverage = mergeCoverage([...dayFiles.values()].map((file) => file.covers));
    const cutoff = this.compactionCutoff();
    const kept = (day: string): boolean => pruneBefore === undefined || day >= pruneBefore;
    const incoming = new Map<string, IncomingDay>();
    const sealed: { name: string; size: number; ranges: Range[] }[] = [];
    /** Bytes compaction cannot carry into a day file, by day: they go to a `damaged-` file instead. */
    const unreadable = new Map<string, Buffer[]>();
    const keepUnreadable = (day: string, bytes: Buffer): void => {
      const list = unreadable.get(day) ?? [];
      list.push(bytes, newlineByte);
      unreadable.set(day, list);
    };

    for (const name of names) {
      const match = journalPattern.exec(name);
      if (!match || match[1] > cutoff) continue;
      const bytes = await this.readIfPresent(join(this.dir, name));
      if (!bytes) throw new CompactionConflict('a journal vanished: another window is compacting');
      const ranges = [...(coverage.get(name) ?? [])];
      forEachLine(bytes, (start, end, next) => {
        if (isCovered(ranges, start)) return;
        if (end === start) {
          addRange(ranges, start, next);
          return;
        }
        const decoded = decodeBytes(bytes, start, end);
        const unreadableLine = !decoded.ok && decoded.reason !== 'newerVersion';
        // An unreadable line goes with its journal's day (whose manifest then covers it, so it is kept aside once).
        const days = decoded.ok ? decoded.records.map((record) => this.dayOf(record.t)) : [(unreadableLine ? undefined : newerLineDay(decoded.raw, this.dayOf)) ?? match[1]];
        // A day a newer Hindsight compacted is left to it: the line stays in its journal.
        if (days.some((day) => foreignDays.has(day))) return;
        addRange(ranges, start, next);
        const targetOf = (day: string): IncomingDay | undefined => {
          if (!kept(day)) return undefined;
          let target = incoming.get(day);
          if (!target) incoming.set(day, (target = { records: [], newer: [], covers: new Map() }));
          const covered = target.covers.get(name) ?? [];
          addRange(covered, start, next);
          target.covers.set(name, covered);
          return target;
        };
        if (decoded.ok) decoded.records.forEach((record, i) => targetOf(days[i])?.records.push(record));
        else if (!unreadableLine) targetOf(days[0])?.newer.push(decoded.raw ?? '');
        else {
          result.linesDropped++;
          if (targetOf(days[0])) keepUnreadable(days[0], bytes.subarray(start, end));
        }
      });
      sealed.push({ name, size: bytes.length, ranges });
    }

    const liveJournals = new Set(names.filter((name) => journalPattern.test(name)));
    const readable = [...dayFiles].filter(([day, file]) => kept(day) && !file.foreign);
    const superseded = this.supersededRecords(readable.map(([, file]) => file.records), [...incoming.values()].map((added) => added.records));
    const refold = readable
      .filter(([day, file]) => !incoming.has(day) && (file.foldVersion !== this.foldVersion || file.records.some((record) => superseded.has(record))))
      .map(([day]) => day);
    const days = [...new Set([...incoming.keys(), ...refold])].filter(kept).sort();
    const written = new Map<string, Buffer>();
    for (const day of days) {
      const existing = dayFiles.get(day);
      const lines = this.dayFileLines(day, existing, incoming.get(day), superseded, (record) => {
        keepUnreadable(day, Buffer.from(JSON.stringify(record)));
        result.linesDropped++;
      });
      written.set(day, this.dayFileBytes(day, existing, incoming.get(day), liveJournals, lines));
    }
    // What this compaction cannot carry over is kept aside first: a crash later leaves a copy too many, never one too few.
    const stamp = `${this.clock.now()}-${token.split('-').pop() ?? ''}`;
    for (const day of days) {
      const existing = dayFiles.get(day);
      if (existing && unreadableParts(existing.skipped) > 0) {
        await this.keepAside(token, `damaged-${day}-${stamp}-day.jsonl`, existing.bytes);
        result.damagedDays++;
      }
    }
    for (const [day, parts] of unreadable) await this.keepAside(token, `damaged-${day}-${stamp}-lines.jsonl`, Buffer.concat(parts));
    for (const day of days) {
      await this.replaceDayFile(token, day, dayFiles.get(day), written.get(day) as Buffer);
      result.daysWritten++;
    }

    await this.checkLock(token);
    for (const journal of sealed) {
      if (!coversWhole(journal.ranges, journal.size)) continue;
      const path = join(this.dir, journal.name);
      // Never remove bytes that appeared after we read the journal.
      if ((await this.fs.stat(path)).size !== journal.size) continue;
      await this.fs.remove(path);
      result.journalsFolded++;
    }
    if (pruneBefore !== undefined) {
      for (const name of names) {
        const day = dayFilePattern.exec(name)?.[1] ?? damagedPattern.exec(name)?.[1];
        if (day === undefined || day >= pruneBefore) continue;
        await this.checkLock(token);
        await this.fs.remove(join(this.dir, name));
        if (dayFilePattern.test(name)) result.daysPruned++;
      }
    }
    await this.fs.syncDir(this.dir);
  }

  /** Writes a file the store keeps but never reads (a damaged day's copy, unreadable lines). */
  private async keepAside(token: string, name: string, bytes: Buffer): Promise<void> {
    const path = join(this.dir, name);
    const temp = `${path}.${token}.tmp`;
    await this.fs.writeFileDurable(temp, bytes);
    await this.checkLock(token);
    await this.fs.rename(temp, path);
  }

  /**
   * Records a record of the same `supersede` key and a higher rank replaces, over `groups`
   * in the order they are read (day files by day, then the incoming journal records).
   */
  private supersededRecords(...groups: StoredRecord[][][]): Set<StoredRecord> {
    const latest = new Map<string, { rank: number; record: StoredRecord }>();
    const superseded = new Set<StoredRecord>();
    for (const records of groups.flat()) {
      for (const record of records) {
        const claim = this.supersede(record);
        if (!claim) continue;
        const known = latest.get(claim.key);
        if (known && known.rank > claim.rank) {
          superseded.add(record);
          continue;
        }
        if (known) superseded.add(known.record);
        latest.set(claim.key, { rank: claim.rank, record });
      }
    }
    return superseded;
  }

  /**
   * The lines of a day file: what it held and what arrives, minus what a later record
   * replaced, the bulk folded by `summarize`, in column blocks. A block or record that
   * cannot be written (too long a line, once encoded) is written record by record, and a
   * record that cannot be written at all goes to `unwritable`.
   */
  private dayFileLines(day: string, existing: DayFile | undefined, added: IncomingDay | undefined, superseded: Set<StoredRecord>, unwritable: (record: StoredRecord) => void): string[] {
    const kept: StoredRecord[] = [];
    const folded: StoredRecord[] = [];
    for (const record of (existing?.records ?? []).concat(added?.records ?? [])) {
      if (!superseded.has(record)) (this.keep(record) ? kept : folded).push(record);
    }
    const summaries = folded.length === 0 ? [] : this.summarize(day, folded).map((record) => this.stamp(record));
    const lines = [...(existing?.newer ?? []), ...(added?.newer ?? [])];
    const write = (record: StoredRecord): void => {
      try {
        lines.push(encodeRecord(record));
      } catch {
        if (record.k !== columnsKind) unwritable(record);
        else for (const row of unpackColumns(record) ?? []) write(row);
      }
    };
    for (const record of packRecords(sortRecords(kept.concat(summaries)))) write(record);
    return lines;
  }

  private dayFileBytes(day: string, existing: DayFile | undefined, added: IncomingDay | undefined, liveJournals: Set<string>, lines: string[]): Buffer {
    // Coverage of journals already removed is dropped, so manifests do not grow forever.
    const previous = new Map([...(existing?.covers ?? new Map<string, Range[]>())].filter(([name]) => liveJournals.has(name)));
    const covers = mergeCoverage([previous, added?.covers ?? new Map()]);
    const members = gzipMembers(lines);
    const manifest = JSON.stringify({
      v: schemaVersion, k: manifestKind, t: this.clock.now(), w: this.windowId, day, format: dayFileFormat, fold: this.foldVersion, covers: Object.fromEntries(covers),
      gz: members.map((member) => member.length),
    });
    return Buffer.concat([Buffer.from(`${manifest}\n`), ...members]);
  }

  private stamp(record: NewRecord): StoredRecord {
    if (record.k.startsWith('$')) throw new TypeError(`summary kind ${record.k} is reserved`);
    return { ...record, v: schemaVersion, w: this.windowId };
  }

  private async replaceDayFile(token: string, day: string, existing: DayFile | undefined, bytes: Buffer): Promise<void> {
    const path = join(this.dir, `day-${day}.jsonl`);
    const temp = `${path}.${token}.tmp`;
    await this.fs.writeFileDurable(temp, bytes);
    await this.checkLock(token);
    // Optimistic check: if the day file changed since we read it, someone else compacted.
    const current = await this.readIfPresent(path);
    if ((current === undefined) !== (existing === undefined) || (current && existing && !current.equals(existing.bytes))) {
      await this.fs.remove(temp);
      throw new CompactionConflict(`day file ${day} changed during compaction`);
    }
    await this.fs.rename(temp, path);
    await this.fs.syncDir(this.dir);
  }

  // ---- the compaction lock ----

  /** Takes the lock (O_EXCL through `link`, so it is never seen half-written); undefined when busy. */
  private async acquireLock(): Promise<string | undefined> {
    await this.fs.mkdir(this.dir);
    const now = this.clock.now();
    const token = `${this.pid}-${now}-${Math.random().toString(36).slice(2, 10)}`;
    const temp = join(this.dir, `${lockName}.${token}.tmp`);
    const info: LockInfo = { pid: this.pid, t: now, token };
    await this.fs.writeFileDurable(temp, Buffer.from(JSON.stringify(info)));
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await this.fs.link(temp, join(this.dir, lockName));
          return token;
        } catch (error) {
          if (errorCode(error) !== 'EEXIST') throw error;
        }
        const held = await this.readLock();
        if (held?.info && this.isLiveLock(held.info)) return undefined;
        if (held) await this.removeLockIf(held.raw);
      }
      return undefined;
    } finally {
      await this.fs.remove(temp);
    }
  }

  /** A lock is stale when its process is gone or it is older than `staleLockMs`. */
  private isLiveLock(lock: { pid: number; t: number }): boolean {
    return this.clock.now() - lock.t <= this.staleLockMs && this.isProcessAlive(lock.pid);
  }

  private async readLock(): Promise<{ raw: string; info?: LockInfo } | undefined> {
    const bytes = await this.readIfPresent(join(this.dir, lockName));
    if (!bytes) return undefined;
    const raw = bytes.toString('utf8');
    try {
      const info = JSON.parse(raw) as LockInfo;
      return typeof info.pid === 'number' && typeof info.t === 'number' && typeof info.token === 'string' ? { raw, info } : { raw };
    } catch {
      return { raw };
    }
  }

  /** Removes the lock only if it is still the one judged stale (another window may have replaced it). */
  private async removeLockIf(raw: string): Promise<void> {
    const again = await this.readLock();
    if (again?.raw === raw) await this.fs.remove(join(this.dir, lockName));
  }

  private async checkLock(token: string): Promise<void> {
    const held = await this.readLock();
    if (held?.info?.token !== token) throw new CompactionConflict('the compaction lock was taken over');
  }

  private async releaseLock(token: string): Promise<void> {
    const held = await this.readLock();
    if (held?.info?.token === token) await this.fs.remove(join(this.dir, lockName));
  }
}

function emptySink(): Sink {
  return { records: [], newer: [], skipped: emptySkipCounts() };
}

function sortRecords(records: StoredRecord[]): StoredRecord[] {
  // Array.prototype.sort is stable: equal (t, w) keep their stored order.
  return records.sort((a, b) => a.t - b.t || (a.w < b.w ? -1 : a.w > b.w ? 1 : 0));
}

/** Calls `visit(start, end, next)` for each line: `end` excludes the newline, `next` is where the following line starts. */
function forEachLine(bytes: Buffer, visit: (start: number, end: number, next: number, complete: boolean) => void): void {
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    const next = newline === -1 ? bytes.length : newline + 1;
    visit(start, end, next, newline !== -1);
    start = next;
  }
}

/** Over-long lines are rejected before they are turned into a string. */
function decodeBytes(bytes: Buffer, start: number, end: number): ReturnType<typeof decodeLine> {
  if (end - start > maxLineBytes) return { ok: false, reason: 'tooLong' };
  return decodeLine(bytes.toString('utf8', start, end));
}

/**
 * Decodes the lines of `bytes` (which start at byte `base` of their file) not covered by
 * `covered`; returns the file offset consumed up to. An unterminated last line that does
 * not decode may be a write still in progress: it is not consumed, and counted as
 * truncated only when `countTornTail`.
 */
function scanLines(bytes: Buffer, base: number, sink: Sink, covered: Range[], countTornTail: boolean): number {
  let consumed = base + bytes.length;
  forEachLine(bytes, (start, end, _next, complete) => {
    if (end === start || isCovered(covered, base + start)) return;
    const decoded = decodeBytes(bytes, start, end);
    if (decoded.ok) for (const record of decoded.records) sink.records.push(record);
    else if (decoded.reason === 'newerVersion') {
      sink.newer.push(decoded.raw ?? '');
      sink.skipped.newerVersion++;
    } else if (!complete) {
      consumed = base + start;
      if (countTornTail) sink.skipped.truncated++;
    } else sink.skipped[decoded.reason]++;
  });
  return consumed;
}

/**
 * The lines of a day file after its manifest, as gzip members of at most `memberBytes` of
 * lines each: compaction runs once a day, reading happens at startup, and a damaged member
 * loses only its own lines.
 */
function gzipMembers(lines: string[]): Buffer[] {
  const members: Buffer[] = [];
  let chunk: string[] = [];
  let size = 0;
  const close = (): void => {
    if (chunk.length > 0) members.push(gzipSync(chunk.join(''), { level: 9 }));
    chunk = [];
    size = 0;
  };
  for (const line of lines) {
    if (size + line.length > memberBytes) close();
    chunk.push(`${line}\n`);
    size += line.length + 1;
  }
  close();
  return members;
}

const memberBytes = 64 * 1024;

const newlineByte = Buffer.from('\n');

/** Most bytes one member may inflate to: one over-long line on its own, or `memberBytes` of lines (a damaged member must not inflate beyond). */
const maxMemberOutput = maxLineBytes + memberBytes + 2;

function parseDayFile(name: string, bytes: Buffer): DayFile {
  const sink = emptySink();
  const newline = bytes.indexOf(0x0a);
  const body = newline === -1 ? bytes.length : newline + 1;
  const manifest = parseManifest(bytes.toString('utf8', 0, newline === -1 ? bytes.length : newline));
  const file = (covers: Coverage, foldVersion: string, foreign = false): DayFile => ({ name, bytes, covers, foldVersion, records: sink.records, newer: sink.newer, skipped: sink.skipped, foreign });
  if (!manifest) {
    // Not a manifest (a damaged file): keep whatever records it holds, claim no coverage.
    sink.skipped.garbage++;
    if (bytes.indexOf(gzipMagic, body) === -1) scanLines(bytes.subarray(body), 0, sink, [], true);
    else salvageMembers(bytes.subarray(body), sink);
    return file(new Map(), '');
  }
  if (manifest.format > dayFileFormat) {
    sink.skipped.newerVersion++;
    return file(manifest.covers, manifest.fold, true);
  }
  if (!manifest.gz) {
    scanLines(bytes.subarray(body), 0, sink, [], true);
    return file(manifest.covers, manifest.fold);
  }
  let at = body;
  let cut = false;
  for (const length of manifest.gz) {
    if (at >= bytes.length) {
      cut = true;
      break;
    }
    const member = bytes.subarray(at, (at += length));
    cut = member.length < length;
    const text = inflateMember(member, cut);
    // The torn last line of a file cut short is part of the one `truncated` counted below.
    if (text) scanLines(text, 0, sink, [], !cut);
    else if (!cut) sink.skipped.garbage++;
  }
  if (cut) sink.skipped.truncated++;
  else if (at < bytes.length) sink.skipped.garbage++;
  return file(manifest.covers, manifest.fold);
}

/** The first bytes of a gzip member (magic, deflate). */
const gzipMagic = Buffer.from([0x1f, 0x8b, 0x08]);

/**
 * A member's lines, or undefined when it is damaged (its check cannot vouch for any of it).
 * A member the file ends inside (`cutShort`) gives the lines it still holds, the last one possibly torn.
 */
function inflateMember(member: Buffer, cutShort: boolean): Buffer | undefined {
  try {
    return gunzipSync(member, { maxOutputLength: maxMemberOutput });
  } catch (error) {
    if (!cutShort || errorCode(error) !== 'Z_BUF_ERROR') return undefined;
  }
  try {
    return gunzipSync(member, { maxOutputLength: maxMemberOutput, finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return undefined;
  }
}

/**
 * The lines of gzip members whose lengths are unknown (the manifest is damaged): each
 * member starts with the gzip magic, so each stretch from one magic to a later one is tried
 * as a member, and a damaged member costs only its own lines.
 */
function salvageMembers(bytes: Buffer, sink: Sink): void {
  const starts: number[] = [];
  for (let at = bytes.indexOf(gzipMagic); at !== -1; at = bytes.indexOf(gzipMagic, at + 1)) starts.push(at);
  starts.push(bytes.length);
  const last = starts.length - 1;
  for (let i = 0; i < last; ) {
    // The magic can also occur inside compressed data: then the member ends at a later start.
    let next = i + 1;
    let text = inflateMember(bytes.subarray(starts[i], starts[next]), next === last);
    while (!text && next < last) text = inflateMember(bytes.subarray(starts[i], starts[++next]), next === last);
    if (text) {
      scanLines(text, 0, sink, [], true);
      i = next;
    } else {
      sink.skipped.garbage++;
      i++;
    }
  }
}

/** Parts of a day file that could not be read (lines written by a newer Hindsight are carried over, not lost). */
function unreadableParts(skipped: SkipCounts): number {
  return skipped.garbage + skipped.truncated + skipped.tooLong + skipped.invalid;
}

/** The manifest line is read without the record length limit: losing it would duplicate records. */
function parseManifest(line: string): { covers: Coverage; fold: string; format: number; gz?: number[] } | undefined {
  try {
    const parsed = JSON.parse(line) as { k?: unknown; covers?: unknown; fold?: unknown; format?: unknown; gz?: unknown };
    if (parsed.k !== manifestKind || typeof parsed.covers !== 'object' || parsed.covers === null) return undefined;
    const covers: Coverage = new Map();
    for (const [journal, ranges] of Object.entries(parsed.covers)) {
      if (!Array.isArray(ranges) || !ranges.every((r) => Array.isArray(r) && r.length === 2 && r.every(Number.isInteger))) return undefined;
      covers.set(journal, ranges as Range[]);
    }
    const gz = Array.isArray(parsed.gz) && parsed.gz.every((length) => Number.isSafeInteger(length) && length > 0) ? (parsed.gz as number[]) : undefined;
    // Files written before the format was named: gzip members make format 2, plain lines 1.
    const format = parsed.format === undefined ? (gz ? 2 : 1) : Number.isSafeInteger(parsed.format) && (parsed.format as number) > 0 ? (parsed.format as number) : undefined;
    if (format === undefined) return undefined;
    return { covers, fold: typeof parsed.fold === 'string' ? parsed.fold : '', format, ...(gz ? { gz } : {}) };
  } catch {
    return undefined;
  }
}

function newerLineDay(raw: string | undefined, dayOf: (t: number) => string): string | undefined {
  try {
    const t: unknown = (JSON.parse(raw ?? '') as { t?: unknown }).t;
    return typeof t === 'number' && Number.isFinite(t) ? dayOf(t) : undefined;
  } catch {
    return undefined;
  }
}

function mergeCoverage(maps: Coverage[]): Coverage {
  const merged: Coverage = new Map();
  for (const map of maps) {
    for (const [journal, ranges] of map) {
      const target = merged.get(journal) ?? [];
      for (const [start, end] of ranges) addRange(target, start, end);
      merged.set(journal, target);
    }
  }
  return merged;
}

/** Adds [start, end) to a sorted list of disjoint ranges, merging neighbours. */
function addRange(ranges: Range[], start: number, end: number): void {
  ranges.push([start, end]);
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  ranges.length = 0;
  for (const range of merged) ranges.push(range);
}

function isCovered(ranges: Range[], offset: number): boolean {
  return ranges.some(([start, end]) => offset >= start && offset < end);
}

function coversWhole(ranges: Range[], size: number): boolean {
  return ranges.length === 1 && ranges[0][0] === 0 && ranges[0][1] >= size;
}

function addCounts(into: SkipCounts, from: SkipCounts): void {
  for (const reason of Object.keys(from) as (keyof SkipCounts)[]) into[reason] += from[reason];
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
