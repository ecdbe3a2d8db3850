/**
 * What the History keeps of every insertion, in columns: one typed array per field, one row
 * per insertion. A year holds about 50,000 insertions; as objects (the `ins` record and the
 * latest survival record, with their boxed numbers and sample maps) they took about 670
 * bytes each, as rows about 200 (mostly the id and its map entry). Strings (paths,
 * languages, days, agents) are stored once in a table and referred to by index.
 */
import type { CheckpointLabel, Confidence, FileKind, InsertionSource, SpanClosedReason, SuspendReason } from './model';
import { checkpoints, closedReasons, confidences, fileKinds, insertionSources, suspendReasons } from './model';
import type { InsertionRecord } from './records';
import type { SpanRecord } from './survival';

/** The fields of an `ins` record the History needs, as a row gives them back. */
export type LandedInsertion = Pick<InsertionRecord, 'id' | 'source' | 'confidence' | 'chars' | 'lines' | 'languageId' | 'fileKind' | 'path' | 'project' | 't' | 'day' | 'hour' | 'agent' | 'tokens'>;

const landedFlag = 1;
const pasteAiFlag = 2;
const committedFlag = 4;
const spanFlag = 8;
const quickRegretFlag = 16;

const labels: readonly CheckpointLabel[] = checkpoints.map((c) => c.label);
const sampleCount = labels.length;
/** A sample that passed while its state could not be known ('unknown'); an absent one is NaN. */
const unknownSample = -1;

const numberColumns = ['t', 'tokens', 'chars', 'lines', 'extChars', 'extLines', 'spanT', 'originalChars', 'aliveChars', 'excludedChars', 'fixupChars', 'lastObservedAt', 'reworkedAfterMs'] as const;
const stringColumns = ['languageId', 'path', 'project', 'day', 'agent'] as const;
const codeColumns = ['flags', 'source', 'confidence', 'fileKind', 'hour', 'closedReason', 'suspendedReason'] as const;

export class InsertionTable {
  private readonly rows = new Map<string, number>();
  private ids: string[] = [];
  private capacity = 0;
  private numbers = {} as Record<(typeof numberColumns)[number], Float64Array>;
  private stringRefs = {} as Record<(typeof stringColumns)[number], Int32Array>;
  private codes = {} as Record<(typeof codeColumns)[number], Uint8Array>;
  private samples = new Float64Array(0);
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();

  constructor() {
    this.clear();
  }

  /** Rows, landed or not. */
  get size(): number {
    return this.ids.length;
  }

  clear(): void {
    this.rows.clear();
    this.ids = [];
    this.strings.length = 0;
    this.stringIndex.clear();
    this.capacity = 0;
    this.resize(1024);
  }

  /** The row of an insertion, if any record about it was added. */
  find(id: string): number | undefined {
    return this.rows.get(id);
  }

  /** The row of an insertion, created empty when a record about it comes before the insertion itself. */
  rowOf(id: string): number {
    let row = this.rows.get(id);
    if (row === undefined) {
      row = this.ids.length;
      if (row === this.capacity) this.resize(this.capacity * 2);
      this.rows.set(id, row);
      this.ids.push(id);
      this.numbers.lastObservedAt[row] = NaN;
      this.numbers.tokens[row] = NaN;
      this.stringRefs.agent[row] = -1;
    }
    return row;
  }

  id(row: number): string {
    return this.ids[row];
  }

  landed(row: number): boolean {
    return (this.codes.flags[row] & landedFlag) !== 0;
  }

  /** Records the insertion itself; a second `ins` record of the same id changes nothing. */
  land(row: number, ins: InsertionRecord): void {
    if (this.landed(row)) return;
    this.codes.flags[row] |= landedFlag;
    this.numbers.t[row] = ins.t;
    this.numbers.chars[row] = ins.chars;
    this.numbers.lines[row] = ins.lines;
    this.numbers.tokens[row] = ins.tokens ?? NaN;
    this.codes.source[row] = insertionSources.indexOf(ins.source);
    this.codes.confidence[row] = confidences.indexOf(ins.confidence);
    this.codes.fileKind[row] = fileKinds.indexOf(ins.fileKind);
    this.codes.hour[row] = ins.hour;
    this.stringRefs.languageId[row] = this.intern(ins.languageId);
    this.stringRefs.path[row] = this.intern(ins.path);
    this.stringRefs.project[row] = this.intern(ins.project);
    this.stringRefs.day[row] = this.intern(ins.day);
    this.stringRefs.agent[row] = ins.agent === undefined ? -1 : this.intern(ins.agent);
  }

  insertion(row: number): LandedInsertion {
    const agent = this.stringRefs.agent[row];
    const tokens = this.numbers.tokens[row];
    return {
      id: this.ids[row],
      source: insertionSources[this.codes.source[row]] as InsertionSource,
      confidence: confidences[this.codes.confidence[row]] as Confidence,
      chars: this.numbers.chars[row],
      lines: this.numbers.lines[row],
      languageId: this.strings[this.stringRefs.languageId[row]],
      fileKind: fileKinds[this.codes.fileKind[row]] as FileKind,
      path: this.strings[this.stringRefs.path[row]],
      project: this.strings[this.stringRefs.project[row]],
      t: this.numbers.t[row],
      day: this.strings[this.stringRefs.day[row]],
      hour: this.codes.hour[row],
      ...(agent >= 0 ? { agent: this.strings[agent] } : {}),
      ...(Number.isNaN(tokens) ? {} : { tokens }),
    };
  }

  /** Characters and line breaks a partial accept or continued typing added. */
  extend(row: number, chars: number, lines: number): void {
    this.numbers.extChars[row] += chars;
    this.numbers.extLines[row] += lines;
  }

  extension(row: number): { chars: number; lines: number } {
    return { chars: this.numbers.extChars[row], lines: this.numbers.extLines[row] };
  }

  /** Keeps the survival bookkeeping observed latest (of equal times, the one added last). */
  setSpan(row: number, span: SpanRecord): void {
    const { numbers, codes } = this;
    if (this.hasSpan(row) && numbers.lastObservedAt[row] > span.lastObservedAt) return;
    codes.flags[row] = (codes.flags[row] | spanFlag) & ~quickRegretFlag;
    if (span.quickRegret) codes.flags[row] |= quickRegretFlag;
    numbers.spanT[row] = span.t;
    numbers.originalChars[row] = span.originalChars;
    numbers.aliveChars[row] = span.aliveChars;
    numbers.excludedChars[row] = span.excludedChars;
    numbers.fixupChars[row] = span.fixupChars;
    numbers.lastObservedAt[row] = span.lastObservedAt;
    numbers.reworkedAfterMs[row] = span.reworkedAfterMs ?? NaN;
    codes.closedReason[row] = span.closedReason === undefined ? 0 : closedReasons.indexOf(span.closedReason) + 1;
    codes.suspendedReason[row] = span.suspendedReason === undefined ? 0 : suspendReasons.indexOf(span.suspendedReason) + 1;
    for (let i = 0; i < sampleCount; i++) {
      const sample = span.samples[labels[i]];
      this.samples[row * sampleCount + i] = sample === undefined ? NaN : sample === 'unknown' ? unknownSample : sample;
    }
  }

  hasSpan(row: number): boolean {
    return (this.codes.flags[row] & spanFlag) !== 0;
  }

  /** The latest survival bookkeeping, as the record it came from (a new object each time). */
  span(row: number): SpanRecord | undefined {
    if (!this.hasSpan(row)) return undefined;
    const { numbers, codes } = this;
    const samples: SpanRecord['samples'] = {};
    for (let i = 0; i < sampleCount; i++) {
      const sample = this.samples[row * sampleCount + i];
      if (!Number.isNaN(sample)) samples[labels[i]] = sample === unknownSample ? 'unknown' : sample;
    }
    const reworkedAfterMs = numbers.reworkedAfterMs[row];
    const closed = codes.closedReason[row];
    const suspended = codes.suspendedReason[row];
    return {
      id: this.ids[row],
      t: numbers.spanT[row],
      originalChars: numbers.originalChars[row],
      aliveChars: numbers.aliveChars[row],
      excludedChars: numbers.excludedChars[row],
      samples,
      reworkedAfterMs: Number.isNaN(reworkedAfterMs) ? null : reworkedAfterMs,
      quickRegret: (codes.flags[row] & quickRegretFlag) !== 0,
      fixupChars: numbers.fixupChars[row],
      lastObservedAt: numbers.lastObservedAt[row],
      ...(closed > 0 ? { closedReason: closedReasons[closed - 1] as SpanClosedReason } : {}),
      ...(suspended > 0 ? { suspendedReason: suspendReasons[suspended - 1] as SuspendReason } : {}),
    };
  }

  markPasteAi(row: number): void {
    this.codes.flags[row] |= pasteAiFlag;
  }

  pasteAi(row: number): boolean {
    return (this.codes.flags[row] & pasteAiFlag) !== 0;
  }

  markCommitted(row: number): void {
    this.codes.flags[row] |= committedFlag;
  }

  committed(row: number): boolean {
    return (this.codes.flags[row] & committedFlag) !== 0;
  }

  private intern(text: string): number {
    let index = this.stringIndex.get(text);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(text);
      this.stringIndex.set(text, index);
    }
    return index;
  }

  /** Grows every column to `capacity` rows, keeping what they hold (new cells are zero). */
  private resize(capacity: number): void {
    const grown = <T extends Float64Array | Int32Array | Uint8Array>(old: T | undefined, make: (n: number) => T, width = 1): T => {
      const next = make(capacity * width);
      if (old && this.capacity > 0) next.set(old.subarray(0, this.capacity * width));
      return next;
    };
    for (const name of numberColumns) this.numbers[name] = grown(this.capacity > 0 ? this.numbers[name] : undefined, (n) => new Float64Array(n));
    for (const name of stringColumns) this.stringRefs[name] = grown(this.capacity > 0 ? this.stringRefs[name] : undefined, (n) => new Int32Array(n));
    for (const name of codeColumns) this.codes[name] = grown(this.capacity > 0 ? this.codes[name] : undefined, (n) => new Uint8Array(n));
    this.samples = grown(this.capacity > 0 ? this.samples : undefined, (n) => new Float64Array(n), sampleCount);
    this.capacity = capacity;
  }
}
