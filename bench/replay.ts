/**
 * Replays an editing trace through the capture pipeline exactly as the change listener
 * feeds it (observation built like `CaptureListeners.changed` + `drain`, then
 * `CapturePipeline.change`, records journalled and folded like `Recorder.append`), with
 * live spans spread over the document, and through a bare string loop for reference.
 *
 * Spans: the traces start from an empty document, so spans cannot be spread over it at
 * event 0. The first `prefixShare` of the events are replayed untimed (this also warms the
 * JIT); then `spans` short AI insertions ("islands", accepted inline suggestions: accept
 * intent + change, through the real attribution) are inserted at evenly spread offsets of
 * the document, and the rest of the trace is timed. The trace's own offsets are shifted
 * past the islands before timing (precomputed, untimed); a trace deletion that covers an
 * island deletes it too (rework of that span), typing right after one is fix-up near it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangeObservation } from '../src/core/attribution';
import { needsClipboard, needsNeighbours, neighbourRanges } from '../src/core/attribution';
import { CapturePipeline, insertionIds } from '../src/core/capture';
import type { DocumentMeta } from '../src/core/capture';
import { compactionRules } from '../src/core/compaction';
import { dayKeyOf } from '../src/core/days';
import { History } from '../src/core/history';
import { JournalStore, nodeStoreFs } from '../src/host/journalStore';
import type { StoreFs } from '../src/host/journalStore';
import type { LoadedTrace, TraceEvent } from './common';
import { recorderSink, SimClock, workdayStart, yieldToEventLoop } from './common';

/** Text of one seeded AI span (an accepted one-line inline suggestion). */
const islandText = 'f(a, b);';
/** Simulated pace of change events: a keystroke every 200 ms, a brisk typist. */
export const eventIntervalMs = 200;
/** The extension's clock ticks the pipeline every 5 s (src/extension.ts). */
const tickEveryMs = 5_000;
/** Clipboard the host would read for changes that could be pastes (never equal to them here). */
const clipboard = 'const unrelated = clipboardContent();';

/** A trace event, with the text around its insertion when the listener reads it (`needsNeighbours`). */
export interface ReplayEvent extends TraceEvent {
  neighbours?: { before: string; after: string };
}

export interface PreparedReplay {
  trace: string;
  /** Untimed events that grow the document before the spans are seeded. */
  prefix: ReplayEvent[];
  /** Offsets where the islands go, in the document after `prefix`, descending. */
  islandOffsets: number[];
  /** The timed events, offsets shifted past the islands. */
  timed: ReplayEvent[];
  /** Document text after the prefix with the islands inserted (start of the bare loop). */
  textAtSeed: string;
  /** Expected document length at the end. */
  finalLength: number;
  islandsDeleted: number;
}

/** Splits a trace (or its first `maxEvents` events) and precomputes the shifted offsets. */
export function prepareReplay(trace: LoadedTrace, spans: number, prefixShare: number, maxEvents = Infinity): PreparedReplay {
  const events = trace.events.slice(0, Math.min(maxEvents, trace.events.length));
  const split = Math.floor(events.length * prefixShare);
  // The document's text is followed here, once, so that the replays need not (the host has
  // VS Code's): the garbage of rebuilding it per event would be collected in timed events.
  const document = new GapText();
  const prefix = events.slice(0, split).map((e) => {
    document.apply(e.changes);
    return withNeighbours(e, document);
  });
  const text = document.slice(0, document.length);
  // Anchor k: the island sits right before the trace character at this offset.
  const anchors = new Float64Array(spans);
  for (let k = 0; k < spans; k++) anchors[k] = Math.floor(((k + 0.5) * text.length) / spans);
  const islandOffsets = Array.from(anchors).reverse();
  let textAtSeed = text;
  for (const offset of islandOffsets) textAtSeed = textAtSeed.slice(0, offset) + islandText + textAtSeed.slice(offset);

  const L = islandText.length;
  let live = spans;
  let traceLength = text.length;
  const timedDocument = new GapText();
  timedDocument.apply([{ rangeOffset: 0, rangeLength: 0, text: textAtSeed }]);
  const timed: ReplayEvent[] = [];
  for (const e of events.slice(split)) {
    const changes: TraceEvent['changes'] = [];
    for (const c of e.changes) {
      const p = c.rangeOffset;
      const end = p + c.rangeLength;
      const atOrBefore = upperBound(anchors, live, p);
      const inside = c.rangeLength > 0 ? lowerBound(anchors, live, end) - atOrBefore : 0;
      changes.push({ rangeOffset: p + L * atOrBefore, rangeLength: c.rangeLength + L * inside, text: c.text });
      if (inside > 0) {
        anchors.copyWithin(atOrBefore, atOrBefore + inside, live);
        live -= inside;
      }
      const delta = c.text.length - c.rangeLength;
      traceLength += delta;
      if (delta !== 0) for (let k = atOrBefore; k < live; k++) anchors[k] += delta;
    }
    timedDocument.apply(changes);
    timed.push(withNeighbours({ changes }, timedDocument));
  }
  const finalLength = traceLength + L * live;
  if (timedDocument.length !== finalLength) throw new Error(`prepared ${trace.name}: document length ${timedDocument.length}, expected ${finalLength}`);
  return { trace: trace.name, prefix, islandOffsets, timed, textAtSeed, finalLength, islandsDeleted: spans - live };
}

/** The event, with the text around its insertion in `document` (as it is after the event) when the listener reads it. */
function withNeighbours(event: TraceEvent, document: GapText): ReplayEvent {
  if (!needsNeighbours(event.changes)) return event;
  const { before, after } = neighbourRanges(event.changes[0]);
  return { changes: event.changes, neighbours: { before: document.slice(...before), after: document.slice(...after) } };
}

const utf16 = new TextDecoder('utf-16le');

/**
 * A document's text in a gap buffer: a trace's edits are local, so each costs about the
 * distance from the previous one, with no string rebuilt (260,000 edits of a 100 KB
 * document as string slices copy tens of gigabytes).
 */
class GapText {
  private buf = new Uint16Array(1024);
  private gapStart = 0;
  private gapEnd = 1024;

  get length(): number {
    return this.buf.length - (this.gapEnd - this.gapStart);
  }

  /** Applies an event's changes, each against the text left by the previous one. */
  apply(changes: TraceEvent['changes']): void {
    for (const { rangeOffset, rangeLength, text } of changes) {
      this.moveGap(rangeOffset);
      this.gapEnd += rangeLength;
      if (text.length > this.gapEnd - this.gapStart) this.grow(text.length);
      for (let i = 0; i < text.length; i++) this.buf[this.gapStart++] = text.charCodeAt(i);
    }
  }

  /** The text of `[from, to)`, clamped to the document. */
  slice(from: number, to: number): string {
    const a = Math.max(0, from);
    const b = Math.min(to, this.length);
    if (b <= a) return '';
    const gap = this.gapEnd - this.gapStart;
    let out = '';
    if (a < this.gapStart) out += utf16.decode(this.buf.subarray(a, Math.min(b, this.gapStart)));
    if (b > this.gapStart) out += utf16.decode(this.buf.subarray(Math.max(a, this.gapStart) + gap, b + gap));
    return out;
  }

  private moveGap(offset: number): void {
    if (offset < this.gapStart) {
      const moved = this.gapStart - offset;
      this.buf.copyWithin(this.gapEnd - moved, offset, this.gapStart);
      this.gapEnd -= moved;
    } else if (offset > this.gapStart) {
      const moved = offset - this.gapStart;
      this.buf.copyWithin(this.gapStart, this.gapEnd, this.gapEnd + moved);
      this.gapEnd += moved;
    }
    this.gapStart = offset;
  }

  private grow(needed: number): void {
    const after = this.buf.length - this.gapEnd;
    const grown = new Uint16Array(Math.max(this.buf.length * 2, this.length + needed + 1024));
    grown.set(this.buf.subarray(0, this.gapStart));
    grown.set(this.buf.subarray(this.gapEnd), grown.length - after);
    this.buf = grown;
    this.gapEnd = grown.length - after;
  }
}

/** First index in sorted `a[0..n)` with a value > x. */
function upperBound(a: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in sorted `a[0..n)` with a value ≥ x. */
function lowerBound(a: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Per-event nanoseconds of the bare loop: the same patches applied to a string (slice + concat). */
export function replayBare(prepared: PreparedReplay): Float64Array {
  const samples = new Float64Array(prepared.timed.length);
  let text = prepared.textAtSeed;
  const events = prepared.timed;
  for (let i = 0; i < events.length; i++) {
    const start = process.hrtime.bigint();
    const changes = events[i].changes;
    for (let j = 0; j < changes.length; j++) {
      const c = changes[j];
      text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
    }
    samples[i] = Number(process.hrtime.bigint() - start);
  }
  if (text.length !== prepared.finalLength) throw new Error(`bare replay of ${prepared.trace}: length ${text.length}, expected ${prepared.finalLength}`);
  return samples;
}

export interface CaptureRun {
  /** Per-event nanoseconds of the timed events. */
  samples: Float64Array;
  /** Nanoseconds of each pipeline tick (timer work, not per event). */
  ticks: number[];
  /** Live spans (followed by the pipeline) when timing starts and at the end. */
  liveAtStart: number;
  liveAtEnd: number;
  /** Store batch timers that fired during the replay, and appends that reached the disk. */
  timerFlushes: number;
  /** Nanoseconds the store's batches spent encoding the records (timer work, not per event). */
  encodeNs: number;
  /** Nanoseconds the fold queue spent folding the records into the History (timer work, not per event). */
  foldNs: number;
  diskAppends: number;
  journalBytes: number;
  records: number;
  pipeline: CapturePipeline;
  history: History;
}

export interface CaptureReplayOptions {
  /** Store folder; a fresh temporary one (removed afterwards) when absent. */
  storeDir?: string;
  /** Reuse a pipeline, history and store (several documents in one window). */
  shared?: SharedCapture;
  docIndex?: number;
  startAt?: number;
}

export interface SharedCapture {
  pipeline: CapturePipeline;
  /** The History with every record captured so far folded in, the insertions landed since the last tick included (as `Recorder.history`). */
  readonly history: History;
  store: JournalStore;
  clock: SimClock;
  counters: { appends: number; bytes: number; records: number; encodeNs: number; foldNs: number };
}

/** A capture setup like the extension's Recorder, on a simulated clock, writing to a real store in `dir`. */
export function newCapture(dir: string, windowId: string): SharedCapture {
  const clock = new SimClock();
  const counters = { appends: 0, bytes: 0, records: 0, encodeNs: 0, foldNs: 0 };
  const fs: StoreFs = {
    ...nodeStoreFs,
    appendFile: (path, data) => {
      counters.appends++;
      counters.bytes += data.length;
      return nodeStoreFs.appendFile(path, data);
    },
  };
  // Configured as src/host/recorder.ts does (keep / summarize for compaction), on the simulated clock.
  const store = new JournalStore({ dir, windowId, clock, fs, ...compactionRules });
  const history = new History();
  const sink = recorderSink(store, history, clock);
  // The batch's encoding runs in the store's timer and the History fold in the fold queue's,
  // between events: each is timed here on its own.
  timeCalls(store as unknown as { encodePending(): void }, 'encodePending', (ns) => (counters.encodeNs += ns));
  timeCalls(sink.folds, 'fold', (ns) => (counters.foldNs += ns));
  // The extension's own id maker (src/container.ts): it runs on the event that lands an insertion.
  const newId = insertionIds(randomBytes(6).toString('hex'));
  const pipeline = new CapturePipeline(
    {
      append: (record): void => {
        counters.records++;
        sink.append(record);
      },
    },
    { windowId, newId },
  );
  return {
    pipeline, store, clock, counters,
    get history(): History {
      pipeline.writeLanded();
      sink.folds.fold();
      return history;
    },
  };
}

/** Replaces `owner[method]` by itself timed: `add` gets the nanoseconds of every call. */
function timeCalls<K extends string>(owner: Record<K, () => void>, method: K, add: (ns: number) => void): void {
  const call = owner[method].bind(owner);
  owner[method] = (): void => {
    const start = process.hrtime.bigint();
    call();
    add(Number(process.hrtime.bigint() - start));
  };
}

/** Spans the edited document holds at most in the workspace scaling rows; the rest are in other open documents. */
export const spansPerDocument = 1_000;

/**
 * Opens `documents` other documents of the workspace (30,000 untracked characters each, as
 * if open in background tabs) in the capture's pipeline, and lands `spansPerDocument`
 * accepted suggestions spread over each of them: live spans the pipeline follows while the
 * timed document is edited. Untimed.
 */
export function seedOtherDocuments(shared: SharedCapture, documents: number): number {
  const { pipeline, clock } = shared;
  let t = clock.now_ > 0 ? clock.now_ : workdayStart();
  const length = 30_000;
  let seeded = 0;
  for (let d = 0; d < documents; d++) {
    const meta: DocumentMeta = { docKey: `file:///work/alpha/lib/other${d}.rs`, path: `lib/other${d}.rs`, project: 'alpha', languageId: 'rust' };
    pipeline.openDocument(meta, length);
    const listener = new ListenerState(meta);
    for (let k = spansPerDocument - 1; k >= 0; k--) {
      acceptIsland(pipeline, listener, meta, Math.floor(((k + 0.5) * length) / spansPerDocument), ++t);
      seeded++;
    }
  }
  clock.now_ = t;
  return seeded;
}

/**
 * Replays prefix (untimed), seeds the islands (untimed), then the timed events, running the
 * store's batch timers and the pipeline's 5 s tick between events at the simulated pace.
 */
export async function replayCapture(prepared: PreparedReplay, options: CaptureReplayOptions = {}): Promise<CaptureRun> {
  const tempDir = options.shared || options.storeDir ? undefined : mkdtempSync(join(tmpdir(), 'hindsight-bench-'));
  const shared = options.shared ?? newCapture(options.storeDir ?? (tempDir as string), 'benchwin');
  const { pipeline, clock, store, counters } = shared;
  const index = options.docIndex ?? 0;
  const ext = prepared.trace === 'rustcode' ? 'rs' : prepared.trace === 'sveltecomponent' ? 'svelte' : 'md';
  const languageId = prepared.trace === 'rustcode' ? 'rust' : prepared.trace === 'sveltecomponent' ? 'svelte' : 'markdown';
  const meta: DocumentMeta = { docKey: `file:///work/alpha/src/${prepared.trace}${index}.${ext}`, path: `src/${prepared.trace}${index}.${ext}`, project: 'alpha', languageId };
  const listener = new ListenerState(meta);
  let t = options.startAt ?? (clock.now_ > 0 ? clock.now_ : workdayStart());
  clock.now_ = t;
  pipeline.openDocument(meta, 0);
  const window = 'benchwin';
  pipeline.context({ kind: 'windowFocus', t, day: dayKeyOf(t), window });
  pipeline.context({ kind: 'editor', t, day: dayKeyOf(t), window, project: meta.project, path: meta.path });

  let nextTick = t + tickEveryMs;
  const ticks: number[] = [];
  const timers = async (): Promise<void> => {
    if (t >= nextTick) {
      const start = process.hrtime.bigint();
      pipeline.tick(t);
      ticks.push(Number(process.hrtime.bigint() - start));
      nextTick += tickEveryMs;
    }
    if (clock.runDue()) await yieldToEventLoop();
  };

  for (const e of prepared.prefix) {
    t += eventIntervalMs;
    clock.now_ = t;
    pipeline.change(listener.observation(e, t));
    await timers();
  }
  for (const offset of prepared.islandOffsets) {
    t += 1;
    clock.now_ = t;
    acceptIsland(pipeline, listener, meta, offset, t);
  }
  const liveAtStart = liveSpanCount(pipeline, meta.docKey);

  const events = prepared.timed;
  const samples = new Float64Array(events.length);
  const firesBefore = clock.fired;
  for (let i = 0; i < events.length; i++) {
    t += eventIntervalMs;
    clock.now_ = t;
    const start = process.hrtime.bigint();
    pipeline.change(listener.observation(events[i], t));
    samples[i] = Number(process.hrtime.bigint() - start);
    await timers();
  }
  const state = pipeline.documentState(meta.docKey);
  if (state?.spans.length !== prepared.finalLength) throw new Error(`capture replay of ${prepared.trace}: document length ${state?.spans.length}, expected ${prepared.finalLength}`);
  const liveAtEnd = liveSpanCount(pipeline, meta.docKey);
  pipeline.tick(t, true);
  const timerFlushes = clock.fired - firesBefore;
  if (!options.shared) {
    await store.flush();
    await store.dispose();
  }
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  return {
    samples, ticks, liveAtStart, liveAtEnd, timerFlushes, encodeNs: counters.encodeNs, foldNs: counters.foldNs, diskAppends: counters.appends, journalBytes: counters.bytes, records: counters.records,
    pipeline, history: shared.history,
  };
}

/** One seeded AI span: an inline suggestion accepted at `offset` (accept intent, its change, accept done). */
function acceptIsland(pipeline: CapturePipeline, listener: ListenerState, meta: DocumentMeta, offset: number, t: number): void {
  pipeline.acceptIntent(meta.docKey, 'full', t);
  pipeline.change(listener.observation({ changes: [{ rangeOffset: offset, rangeLength: 0, text: islandText }] }, t));
  pipeline.acceptDone(meta.docKey, t);
}

/** Spans with characters in the document (one pass over its runs). */
function liveSpanCount(pipeline: CapturePipeline, docKey: string): number {
  const runs = pipeline.documentState(docKey)?.spans.runs ?? [];
  const slots = new Set<number>();
  for (let i = 1; i < runs.length; i += 2) if (runs[i] > 0) slots.add(runs[i]);
  return slots.size;
}

/**
 * What `CaptureListeners.changed` and `drain` compute for one event, minus the VS Code
 * calls: the document is the active editor, the cursor sits at each change, the clipboard
 * (read asynchronously by the host, before `change`) is given for changes that could be
 * pastes, and the text around one AI-shaped insertion is taken from the prepared event
 * (the host reads it from VS Code's document with `getText`).
 */
class ListenerState {
  private lastTypedAt = 0;

  constructor(private readonly meta: DocumentMeta) {}

  observation(event: ReplayEvent, t: number): ChangeObservation {
    const changes = event.changes;
    if (changes.length === 1 && changes[0].text.length === 1) this.lastTypedAt = t;
    const recentlyTyped = t - this.lastTypedAt < 10_000;
    const obs: ChangeObservation = {
      t,
      docKey: this.meta.docKey,
      languageId: this.meta.languageId,
      isActiveEditor: true,
      recentlyTypedInDoc: recentlyTyped,
      changes: changes.map((c) => ({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, text: c.text })),
      cursorOffsets: changes.map((c) => c.rangeOffset + c.rangeLength),
      formatOrRefactorInFlight: false,
      chatEditingScheme: false,
      otherDocsChangedInSameTick: 0,
      fromDisk: false,
      vcsOperationInFlight: false,
      snippetActive: false,
      neighbours: undefined,
      clipboardText: undefined,
    };
    if (needsNeighbours(obs.changes)) obs.neighbours = event.neighbours;
    // `drain` completes the same object in place.
    obs.otherDocsChangedInSameTick = 0;
    obs.snippetActive = false;
    if (needsClipboard(obs.changes)) obs.clipboardText = clipboard;
    return obs;
  }
}
