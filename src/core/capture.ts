/**
 * The capture pipeline: what runs on every change event, without VS Code. The host's
 * listeners translate VS Code events into plain observations and call this; the
 * benchmark replays editing traces through the very same code.
 *
 * Per change event: attribution decides what each inserted piece is; the document's span
 * tracker applies the changes (new and extended spans included); survival bookkeeping is
 * updated for the spans the event touched (only those: the cost does not grow with the
 * number of spans elsewhere); records go to the sink (the store batches them). A new
 * insertion's span is followed from its event on; its record is written by the next tick.
 */
import type { AcceptKind, AttributionOptions, ChangeDecision, ChangeObservation } from './attribution';
import { Attributor } from './attribution';
import type { ContextEvent } from './context';
import { LocalHours } from './days';
import { fileKindOf } from './fileKind';
import type { FileKind, SuspendReason } from './model';
import { checkpoints } from './model';
import type { CaptureRecord, DocumentRecord, InsertionRecord } from './records';
import type { SpansState, TextChange } from './spans';
import { DocumentSpans } from './spans';
import { DueQueue } from './dueQueue';
import type { SpanRecord } from './survival';
import { catchUp, close, extend, newSpanRecord, observe, recordFixup, resume, suspend } from './survival';
import type { LineSnapshot } from './reanchor';
import { reanchor } from './reanchor';

/** Where records go; the store batches and writes them. */
export interface RecordSink {
  append(record: CaptureRecord): void;
}

/** What the pipeline knows about a document, from the host. */
export interface DocumentMeta {
  /** Stable key of the document (its URI string). */
  docKey: string;
  /** Workspace-relative path, posix separators. */
  path: string;
  /** Workspace folder name. */
  project: string;
  languageId: string;
}

export interface CaptureOptions {
  windowId: string;
  attribution?: Partial<AttributionOptions>;
  /** Makes insertion ids; random in the extension, deterministic in tests and benchmarks. */
  newId: () => string;
  /**
   * At most one `edit` context event per document in this many ms, plus a trailing one when
   * typing stops, so sessions end when the typing did (sessions need no more).
   */
  editActivityEveryMs?: number;
  /** Survival records of changed spans are written at most this often, in ms. */
  survivalFlushEveryMs?: number;
  /**
   * Told of each new `agent` insertion with its text, so that coding-agent logs can match
   * it (by line hashes); the text is not kept.
   */
  onAgentWrite?: (id: string, path: string, t: number, text: string) => void;
}

/** An insertion landed since the last tick, as its record will tell it (see `writeLanded`). */
interface Landing {
  id: string;
  /** The document's meta and kind when it landed (a rename later does not rewrite where it landed). */
  meta: DocumentMeta;
  fileKind: FileKind;
  source: InsertionRecord['source'];
  confidence: InsertionRecord['confidence'];
  chars: number;
  lines: number;
  t: number;
}

interface TrackedDocument {
  meta: DocumentMeta;
  fileKind: FileKind;
  spans: DocumentSpans;
  /** Span ids of this document that are still followed. */
  live: Set<string>;
  lastInsertionId: string | undefined;
  lastEditActivityAt: number;
  /** Time of the latest edit not journalled yet (throttled), to journal when typing stops. */
  pendingEditAt: number | undefined;
  /** While a checkout or stash has rewritten the document: its state before, to restore when it comes back. */
  vcsAway?: { before: LineSnapshot; spans: SpansState; counts: Map<string, { alive: number; excluded: number }> };
}

/**
 * Insertion ids: a prefix unique to this extension host (random, from the caller) and a
 * counter, so ids are unique across windows and restarts and cost nothing per insertion.
 */
export function insertionIds(prefix: string): () => string {
  let next = 0;
  return () => `${prefix}${(next++).toString(36)}`;
}

export class CapturePipeline {
  private readonly attributor: Attributor;
  private readonly documents = new Map<string, TrackedDocument>();
  /** Survival bookkeeping of every followed span, by id. */
  private readonly spanRecords = new Map<string, SpanRecord>();
  /** Spans with news worth a survival record: a checkpoint, rework, regret, suspension. */
  private readonly dirtySpans = new Set<string>();
  /** Spans whose counts changed without news: written on the next forced flush (close, deactivate). */
  private readonly staleSpans = new Set<string>();
  /** Extensions of insertions (partial accepts, continued typing) summed until the next flush. */
  private readonly pendingExtensions = new Map<string, { t: number; chars: number; lines: number }>();
  /** Followed spans by the time of their next checkpoint, so a tick visits only the spans with one due. */
  private readonly checkpointsDue = new DueQueue();
  /** The time each followed span is queued under (an older entry of the same span is stale). */
  private readonly nextCheckpointAt = new Map<string, number>();
  /**
   * Insertions landed since the last tick: their spans are followed from the event on, but
   * their records are not written yet, nor are they queued for their first checkpoint
   * (minutes away) or marked stale. The tick does all three for the whole batch, so the
   * event that lands an insertion touches neither the store, the fold queue, the checkpoint
   * queue nor the stale set.
   */
  private landedSinceTick: Landing[] = [];
  private lastSurvivalFlush = 0;
  private readonly localHours = new LocalHours();
  private readonly editActivityEveryMs: number;
  private readonly survivalFlushEveryMs: number;

  constructor(
    private readonly sink: RecordSink,
    private readonly options: CaptureOptions,
  ) {
    this.attributor = new Attributor(options.attribution);
    this.editActivityEveryMs = options.editActivityEveryMs ?? 60_000;
    this.survivalFlushEveryMs = options.survivalFlushEveryMs ?? 30_000;
  }

  /** Starts following a document of `length` UTF-16 units with no spans yet. */
  openDocument(meta: DocumentMeta, length: number): void {
    this.documents.set(meta.docKey, {
      meta, fileKind: fileKindOf(meta.path, meta.languageId), spans: new DocumentSpans(length), live: new Set(), lastInsertionId: undefined, lastEditActivityAt: 0, pendingEditAt: undefined,
    });
  }

  /**
   * Starts following a document that was closed with spans: restores the stored layout when
   * the lines are unchanged, otherwise re-anchors it (span characters on lines that are gone
   * count as lost). Checkpoints that passed while the document was not watched are filled
   * by `catchUp` (known only when nothing was lost meanwhile, else 'unknown').
   */
  reopenDocument(meta: DocumentMeta, layout: DocumentRecord, records: SpanRecord[], now: LineSnapshot, t: number): { lostChars: number; approximate: boolean } {
    const unchanged = sameLines(layout, now);
    const result = unchanged
      ? { spans: DocumentSpans.restore(layout.spans), lost: new Map<string, number>(), approximate: false }
      : reanchor(layout, layout.spans, now);
    let lostChars = 0;
    const live = new Set<string>();
    for (const record of records) {
      if (record.closedReason !== undefined) continue;
      const aliveNow = result.spans.alive(record.id);
      lostChars += Math.max(0, record.aliveChars - aliveNow);
      catchUp(record, record.aliveChars, aliveNow, t);
      this.spanRecords.set(record.id, record);
      this.scheduleNextCheckpoint(record);
      live.add(record.id);
      this.dirtySpans.add(record.id);
    }
    this.documents.set(meta.docKey, {
      meta, fileKind: fileKindOf(meta.path, meta.languageId), spans: result.spans, live, lastInsertionId: undefined, lastEditActivityAt: 0, pendingEditAt: undefined,
    });
    return { lostChars, approximate: result.approximate };
  }

  /**
   * Drops a document without writing its layout or its spans' survival (it is about to be
   * replaced, e.g. by a rename). Insertion records still waiting for the tick are written
   * first: the insertions did happen.
   */
  forgetDocument(docKey: string): void {
    this.writeLanded();
    for (const id of this.documents.get(docKey)?.live ?? []) this.forget(id);
    this.documents.delete(docKey);
    this.attributor.forget(docKey);
  }

  isOpen(docKey: string): boolean {
    return this.documents.has(docKey);
  }

  /** The span layout of a document, for persisting with its line hashes. */
  documentState(docKey: string): { meta: DocumentMeta; spans: SpansState; liveIds: string[] } | undefined {
    const doc = this.documents.get(docKey);
    return doc && { meta: doc.meta, spans: doc.spans.serialize(), liveIds: [...doc.live] };
  }

  /** Ids of the spans still followed in a document, with their current offsets. */
  liveSpans(docKey: string): { id: string; ranges: [number, number][] }[] {
    const doc = this.documents.get(docKey);
    if (!doc) return [];
    return [...doc.live].map((id) => ({ id, ranges: doc.spans.ranges(id) }));
  }

  /** The survival bookkeeping of a followed span. */
  spanRecord(id: string): SpanRecord | undefined {
    return this.spanRecords.get(id);
  }

  /** Stops following a document: writes its layout (with the host's line hashes) and its spans' survival. */
  closeDocument(docKey: string, lineHashes: string[], lineLengths: number[], now: number): void {
    const doc = this.documents.get(docKey);
    if (!doc) return;
    this.writeLanded();
    // Lines that do not add up to the tracked length (the host's view is out of sync) would
    // make the layout impossible to re-anchor: the previous layout is better than that one.
    if (doc.live.size > 0 && describes(lineLengths, doc.spans.length)) {
      const record: DocumentRecord = {
        k: 'doc', t: now, w: this.options.windowId, path: doc.meta.path, project: doc.meta.project,
        spans: doc.spans.serialize(), lineHashes, lineLengths,
      };
      this.sink.append(record);
    }
    for (const id of doc.live) {
      // Watched without a gap up to now: checkpoints passed since the last tick are known,
      // and must not be left to the reopen's catch-up, which may have to call them unknown.
      const span = this.spanRecords.get(id);
      if (span) {
        const { aliveChars, reworkedAfterMs } = span;
        const sampled = sampleCount(span);
        observe(span, doc.spans.alive(id), now);
        // Only what the store does not know yet is written: a span with no news and no
        // change since its last survival record (most spans of a file opened again and
        // again) would only repeat it, in every file close, forever.
        const news = sampleCount(span) !== sampled || span.aliveChars !== aliveChars || span.reworkedAfterMs !== reworkedAfterMs;
        if (news || this.dirtySpans.has(id) || this.staleSpans.has(id) || this.pendingExtensions.has(id)) this.writeSurvival(id, now);
      }
      this.dirtySpans.delete(id);
      this.staleSpans.delete(id);
      this.forget(id);
    }
    this.documents.delete(docKey);
    this.attributor.forget(docKey);
  }

  /** The wrapper around an inline-suggestion accept command ran (before the real command). */
  acceptIntent(docKey: string, kind: AcceptKind, t: number): void {
    this.attributor.noteAcceptIntent(docKey, kind, t);
  }

  /** The real accept command resolved. */
  acceptDone(docKey: string, t: number): void {
    this.attributor.noteAcceptDone(docKey, t);
  }

  /**
   * One `onDidChangeTextDocument` event: attributes each change, applies all of them to the
   * document's spans, and updates the spans it touched. Returns the decisions (for tests
   * and the debug view).
   */
  change(obs: ChangeObservation): ChangeDecision[] {
    const doc = this.documents.get(obs.docKey);
    if (!doc) return [];
    const decisions = this.attributor.observe(obs);
    // Most events insert nothing attributed: their changes are applied as they came. The
    // others are copied, so the span ids written into them stay out of the caller's event.
    let changes: readonly TextChange[] = obs.changes;
    let landed: { id: string; decision: ChangeDecision & { kind: 'insertion' }; isNew: boolean }[] | undefined;
    let claim: { id: string; start: number; end: number } | undefined;
    for (const decision of decisions) {
      if (decision.kind !== 'insertion') continue;
      if (landed === undefined) {
        landed = [];
        changes = obs.changes.map((c) => ({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, text: c.text }));
      }
      const previous = decision.extendsPrevious ? doc.lastInsertionId : undefined;
      const id = previous !== undefined && doc.live.has(previous) ? previous : this.options.newId();
      (changes as TextChange[])[decision.index].spanId = id;
      landed.push({ id, decision, isNew: id !== previous });
      doc.lastInsertionId = id;
      // A typed run becomes an insertion once it holds a full line: its earlier characters,
      // typed by earlier events, are claimed for the span too.
      if (decision.runStart !== undefined) claim = { id, start: decision.runStart, end: decision.runStart + decision.chars };
    }
    // Moved text takes its spans along: moving AI lines is neither rework nor new code.
    const moved = decisions.length > 0 && decisions[0].kind === 'ignore' && decisions[0].why === 'move';
    const effects = moved ? doc.spans.applyMove(changes, obs.t) : doc.spans.applyChanges(changes, obs.t);
    if (claim) doc.spans.claim(claim.id, claim.start, claim.end);
    if (landed !== undefined) for (const { id, decision, isNew } of landed) {
      if (isNew) {
        this.landInsertion(doc, id, decision.source, decision.confidence, doc.spans.original(id), decision.lines, obs.t);
        if (decision.source === 'agent') this.options.onAgentWrite?.(id, doc.meta.path, obs.t, changes[decision.index].text);
      }
      else this.extendInsertion(id, decision.chars, decision.lines, obs.t);
    }
    // Most keystrokes touch no span: no iteration then.
    if (effects.removed.size > 0) for (const [id, removed] of effects.removed) if (removed > 0) this.touch(doc, id, obs.t);
    if (effects.typedNear.size > 0) for (const [id, typed] of effects.typedNear) {
      const record = this.spanRecords.get(id);
      if (record) recordFixup(record, typed, obs.t);
      this.touch(doc, id, obs.t);
    }
    if (obs.isActiveEditor) {
      if (obs.t - doc.lastEditActivityAt >= this.editActivityEveryMs) this.journalEdit(doc, obs.t);
      else doc.pendingEditAt = obs.t;
    }
    return decisions;
  }

  /** A context event of this window: journalled for the context model of every window. */
  context(event: ContextEvent): void {
    this.sink.append({ k: 'ctx', t: event.t, w: this.options.windowId, event });
  }

  /** Follows a renamed file: its spans stay with it. */
  rename(oldKey: string, meta: DocumentMeta): void {
    const doc = this.documents.get(oldKey);
    if (!doc) return;
    this.documents.delete(oldKey);
    this.attributor.forget(oldKey);
    this.documents.set(meta.docKey, { ...doc, meta, fileKind: fileKindOf(meta.path, meta.languageId) });
  }

  /** A deleted file's spans are closed with reason `fileDeleted`, apart from rework. */
  deleted(docKey: string, now: number): void {
    const doc = this.documents.get(docKey);
    if (!doc) return;
    this.writeLanded();
    for (const id of doc.live) {
      const record = this.spanRecords.get(id);
      if (!record) continue;
      close(record, 'fileDeleted', now);
      this.writeSurvival(id, now);
      this.forget(id);
    }
    this.documents.delete(docKey);
    this.attributor.forget(docKey);
  }

  /**
   * A checkout, stash or rebase is about to rewrite a document whose last saved lines were
   * `before` (git only rewrites documents without unsaved changes). Its spans are suspended
   * with the reason, so what the rewrite removes is not counted as rework, and their state
   * is kept to be restored exactly when the document comes back (`vcsReturned`).
   */
  vcsRewriting(docKey: string, before: LineSnapshot, reason: SuspendReason, t: number): void {
    const doc = this.documents.get(docKey);
    if (!doc || doc.vcsAway || doc.live.size === 0) return;
    const counts = new Map<string, { alive: number; excluded: number }>();
    for (const id of doc.live) {
      const record = this.spanRecords.get(id);
      if (!record) continue;
      counts.set(id, { alive: record.aliveChars, excluded: record.excludedChars });
      suspend(record, reason, t);
      this.dirtySpans.add(id);
    }
    doc.vcsAway = { before, spans: doc.spans.serialize(), counts };
  }

  /**
   * After a version-control rewrite: when the document's lines are again those it had
   * before (the branch came back, the stash was popped), its spans and their counts are
   * restored exactly and followed again. Returns whether that happened.
   */
  vcsReturned(docKey: string, now: LineSnapshot, t: number): boolean {
    const doc = this.documents.get(docKey);
    if (!doc?.vcsAway || !sameLines(doc.vcsAway.before, now)) return false;
    doc.spans = DocumentSpans.restore(doc.vcsAway.spans);
    for (const [id, { alive, excluded }] of doc.vcsAway.counts) {
      const record = this.spanRecords.get(id);
      if (!record) continue;
      record.aliveChars = alive;
      record.excludedChars = excluded;
      resume(record, alive, t);
      this.dirtySpans.add(id);
    }
    doc.vcsAway = undefined;
    return true;
  }

  /**
   * Timer tick: samples the checkpoints that passed (for the spans that have one due; for
   * every followed span when `force`) and writes the survival of spans that changed, at most
   * every `survivalFlushEveryMs` (and always when `force`, e.g. on deactivate). Spans with
   * nothing due are left alone: their counts are kept current by the edits that touch them.
   */
  tick(now: number, force = false): void {
    this.writeLanded();
    for (const doc of this.documents.values()) {
      // Typing stopped (or a minute of it passed): journal the last edit with its own time.
      const pending = doc.pendingEditAt;
      if (pending !== undefined && (force || now - pending >= trailingEditMs || pending - doc.lastEditActivityAt >= this.editActivityEveryMs)) {
        this.journalEdit(doc, pending);
      }
    }
    if (!force && now - this.lastSurvivalFlush < this.survivalFlushEveryMs) return;
    this.lastSurvivalFlush = now;
    for (const id of [...this.pendingExtensions.keys()]) this.flushExtension(id);
    if (force) {
      for (const doc of this.documents.values()) for (const id of doc.live) this.observeAtTick(doc, id, now);
    } else {
      for (const { key: id, at } of this.checkpointsDue.takeDue(now)) {
        if (this.nextCheckpointAt.get(id) !== at) continue;
        this.nextCheckpointAt.delete(id);
        const doc = this.documentOf(id);
        if (doc) this.observeAtTick(doc, id, now);
      }
    }
    if (force) for (const id of this.staleSpans) this.dirtySpans.add(id);
    for (const id of this.dirtySpans) {
      this.writeSurvival(id, now);
      this.staleSpans.delete(id);
    }
    this.dirtySpans.clear();
  }

  /**
   * The freshest survival bookkeeping of a followed span (the store may lag behind it until
   * the next checkpoint or flush); undefined for spans not followed in this window.
   */
  liveRecord(id: string): SpanRecord | undefined {
    return this.spanRecords.get(id);
  }

  /** Samples the checkpoints of a span that passed by `now`, and queues it under its next one. */
  private observeAtTick(doc: TrackedDocument, id: string, now: number): void {
    const record = this.spanRecords.get(id);
    if (!record) return;
    const sampled = sampleCount(record);
    observe(record, doc.spans.alive(id), now);
    if (sampleCount(record) !== sampled) this.dirtySpans.add(id);
    this.scheduleNextCheckpoint(record);
  }

  /**
   * Writes the records of the insertions landed since the last tick, queues their spans for
   * their first checkpoint and marks them stale (their survival is not written yet). The
   * tick calls this, and so does a reader that needs every insertion recorded now (the
   * host's History, an export).
   */
  writeLanded(): void {
    if (this.landedSinceTick.length === 0) return;
    const landed = this.landedSinceTick;
    this.landedSinceTick = [];
    for (const { id, meta, fileKind, source, confidence, chars, lines, t } of landed) {
      const insertion: InsertionRecord = {
        k: 'ins', t, w: this.options.windowId, id, source, confidence, chars, lines,
        languageId: meta.languageId, fileKind, path: meta.path, project: meta.project,
        day: this.localHours.dayKey(t), hour: this.localHours.hourOf(t),
      };
      this.sink.append(insertion);
      const record = this.spanRecords.get(id);
      if (!record) continue;
      this.scheduleNextCheckpoint(record);
      this.staleSpans.add(id);
    }
  }

  /** Queues a followed span under the time of its first checkpoint not sampled yet (none once closed or all sampled). */
  private scheduleNextCheckpoint(record: SpanRecord): void {
    if (record.closedReason !== undefined) return;
    let i = 0;
    while (i < checkpoints.length && record.samples[checkpoints[i].label] !== undefined) i++;
    if (i === checkpoints.length) return;
    const at = record.t + checkpoints[i].ms;
    if (this.nextCheckpointAt.get(record.id) === at) return;
    this.nextCheckpointAt.set(record.id, at);
    this.checkpointsDue.add(record.id, at);
  }

  /** The document that follows a span (a handful of documents are open at a time). */
  private documentOf(id: string): TrackedDocument | undefined {
    for (const doc of this.documents.values()) if (doc.live.has(id)) return doc;
    return undefined;
  }

  /** Stops following a span. */
  private forget(id: string): void {
    this.spanRecords.delete(id);
    this.nextCheckpointAt.delete(id);
  }

  private journalEdit(doc: TrackedDocument, t: number): void {
    doc.lastEditActivityAt = t;
    doc.pendingEditAt = undefined;
    this.context({ kind: 'edit', t, day: this.localHours.dayKey(t), window: this.options.windowId, project: doc.meta.project, path: doc.meta.path });
  }

  /** Follows the span of a new insertion from now on; its record waits for the tick (`writeLanded`). */
  private landInsertion(doc: TrackedDocument, id: string, source: InsertionRecord['source'], confidence: InsertionRecord['confidence'], chars: number, lines: number, t: number): void {
    this.spanRecords.set(id, newSpanRecord(id, t, chars));
    doc.live.add(id);
    this.landedSinceTick.push({ id, meta: doc.meta, fileKind: doc.fileKind, source, confidence, chars, lines, t });
  }

  private extendInsertion(id: string, chars: number, lines: number, t: number): void {
    const record = this.spanRecords.get(id);
    if (record) extend(record, chars);
    const pending = this.pendingExtensions.get(id);
    if (pending) {
      pending.t = t;
      pending.chars += chars;
      pending.lines += lines;
    } else this.pendingExtensions.set(id, { t, chars, lines });
    this.staleSpans.add(id);
  }

  /** Updates a span the event touched; only news (a checkpoint, rework, regret) makes a record now. */
  private touch(doc: TrackedDocument, id: string, t: number): void {
    const record = this.spanRecords.get(id);
    if (!record) return;
    const { reworkedAfterMs } = record;
    const sampled = sampleCount(record);
    observe(record, doc.spans.alive(id), t);
    if (record.reworkedAfterMs !== reworkedAfterMs || sampleCount(record) !== sampled) this.dirtySpans.add(id);
    else this.staleSpans.add(id);
  }

  private flushExtension(id: string): void {
    const extension = this.pendingExtensions.get(id);
    if (!extension) return;
    this.pendingExtensions.delete(id);
    this.sink.append({ k: 'ext', w: this.options.windowId, id, ...extension });
  }

  /** Writes a span's survival, after any extension still summed in memory (so both tell the same size). */
  private writeSurvival(id: string, now: number): void {
    this.flushExtension(id);
    const record = this.spanRecords.get(id);
    if (record) this.sink.append({ k: 'surv', t: now, w: this.options.windowId, span: { ...record, samples: { ...record.samples } } });
  }
}

function sameLines(a: LineSnapshot, b: LineSnapshot): boolean {
  return a.lineHashes.length === b.lineHashes.length &&
    a.lineHashes.every((hash, i) => hash === b.lineHashes[i] && a.lineLengths[i] === b.lineLengths[i]);
}

/** True when `lineLengths` (one per `\n`-separated line) describe a document of `length` code units. */
function describes(lineLengths: readonly number[], length: number): boolean {
  return lineLengths.length > 0 && lineLengths.reduce((n, len) => n + len, lineLengths.length - 1) === length;
}

/** A typing pause this long ends the edit activity (its last edit is journalled), in ms. */
const trailingEditMs = 10_000;

function sampleCount(record: SpanRecord): number {
  let n = 0;
  for (const _ in record.samples) n++;
  return n;
}
