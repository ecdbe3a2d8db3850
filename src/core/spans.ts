/**
 * Per-document span tracking: which characters of one document belong to which
 * insertion ("span") and which are untracked, followed through every edit.
 *
 * Units: every offset and count is in UTF-16 code units, as VS Code reports them.
 * No text is kept, only run lengths: the document is a sequence of runs
 * `{length, slot}` (slot 0 = untracked, k > 0 = a span) held in a chunked list of
 * at most `maxRuns` runs per chunk with cached chunk lengths. A remembered cursor
 * (the chunk of the last edit and its start offset) makes the typical local edit
 * touch O(1) chunks, whatever the number of spans elsewhere in the document.
 */

/** One entry of a VS Code `TextDocumentChangeEvent.contentChanges`, in UTF-16 code units. */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
  /** The inserted text belongs to this span: a new id creates it, a known id extends it. */
  spanId?: string;
  /**
   * Optional host hint: ids of spans that have characters on the lines this change
   * touches (see `DocumentSpans.spansIn`). Untyped text inserted by the change then
   * counts as fix-up for them even when it is not directly next to their characters.
   */
  onSpanLines?: readonly string[];
}

/** What one `applyChanges` call did to the spans, per span id, in UTF-16 code units. */
export interface SpanEffects {
  /** Span characters deleted or replaced. */
  removed: ReadonlyMap<string, number>;
  /**
   * Untracked characters inserted inside a span, directly next to one of its characters,
   * in place of its characters (a replacement), or on its lines (with `onSpanLines`).
   */
  typedNear: ReadonlyMap<string, number>;
}

/** The effects being gathered: a map is made only once something goes in it (most keystrokes touch no span). */
interface EffectsBuilder {
  removed?: Map<string, number>;
  typedNear?: Map<string, number>;
}

/** The effect maps of an event that touched no span, shared (read-only for every caller). */
const noEffect: ReadonlyMap<string, number> = new Map();

/** Plain-JSON state of a `DocumentSpans`: run lengths and span ids, never text. */
export interface SpansState {
  /** Document length in UTF-16 code units (the sum of the run lengths). */
  length: number;
  /** Alternating run length and slot: slot 0 is untracked, slot k is `spans[k - 1]`. */
  runs: number[];
  /** Every span still known, alive or not. */
  spans: { id: string; original: number; createdAt: number }[];
}

interface Chunk {
  lens: number[];
  slots: number[];
  total: number;
}

/** Chunks split above this many runs; 64 keeps the in-chunk scan short and splits rare. */
const maxRuns = 64;

export class DocumentSpans {
  private chunks: Chunk[] = [{ lens: [], slots: [], total: 0 }];
  private docLength = 0;
  // Span table, indexed by slot; slot 0 is "untracked" and never used for a span.
  private readonly slotById = new Map<string, number>();
  private ids: (string | undefined)[] = [undefined];
  private aliveBySlot: number[] = [0];
  private originalBySlot: number[] = [0];
  private createdBySlot: number[] = [0];
  /** The deletion that last listed the slot in its `slotsHit`: membership in O(1), however many spans one deletion covers. */
  private hitByDeletion: number[] = [0];
  private deletions = 0;
  private freeSlots: number[] = [];
  // Remembered cursor: index of the chunk of the last edit and the offset it starts at.
  private curChunk = 0;
  private curStart = 0;
  // Result of `locate`: run index and offset inside that run, in chunk `curChunk`.
  private locRun = 0;
  private locOff = 0;
  // Result of `insertRun`: the slots of the characters left and right of the inserted ones.
  private nearLeft = 0;
  private nearRight = 0;

  /** A document of `initialLength` untracked UTF-16 code units. */
  constructor(initialLength = 0) {
    if (initialLength > 0) this.insertRun(0, initialLength, 0);
  }

  /** Document length in UTF-16 code units. */
  get length(): number {
    return this.docLength;
  }

  /**
   * Applies one change event. Like VS Code's own extension-host mirror
   * (`MirrorTextModel.onEvents`), the changes are applied sequentially, each against the
   * document produced by the previous one; VS Code orders multi-cursor changes so that
   * this is correct. Throws a RangeError if a change lies outside the document (the
   * caller's view of the document is out of sync). `t` (epoch ms) is recorded as the
   * creation time of spans created here.
   */
  applyChanges(changes: readonly TextChange[], t: number): SpanEffects {
    const effects: EffectsBuilder = {};
    for (const change of changes) this.applyOne(change, t, effects);
    return { removed: effects.removed ?? noEffect, typedNear: effects.typedNear ?? noEffect };
  }

  /** Characters of the span still present (UTF-16 code units); 0 for an unknown id. */
  alive(spanId: string): number {
    const slot = this.slotById.get(spanId);
    return slot === undefined ? 0 : this.aliveBySlot[slot];
  }

  /** Characters ever inserted into the span (UTF-16 code units); 0 for an unknown id. */
  original(spanId: string): number {
    const slot = this.slotById.get(spanId);
    return slot === undefined ? 0 : this.originalBySlot[slot];
  }

  /** Epoch ms of the change that created the span, or undefined for an unknown id. */
  createdAt(spanId: string): number | undefined {
    const slot = this.slotById.get(spanId);
    return slot === undefined ? undefined : this.createdBySlot[slot];
  }

  /** Ids of all known spans (alive or fully deleted), in creation-slot order. */
  spanIds(): string[] {
    return this.ids.filter((id): id is string => id !== undefined);
  }

  /** Current `[start, end)` offsets of the span's characters, ascending; O(document runs). */
  ranges(spanId: string): [number, number][] {
    const slot = this.slotById.get(spanId);
    const out: [number, number][] = [];
    if (slot === undefined) return out;
    let pos = 0;
    for (const chunk of this.chunks) {
      for (let r = 0; r < chunk.lens.length; r++) {
        const len = chunk.lens[r];
        if (chunk.slots[r] === slot) {
          const last = out[out.length - 1];
          if (last !== undefined && last[1] === pos) last[1] = pos + len;
          else out.push([pos, pos + len]);
        }
        pos += len;
      }
    }
    return out;
  }

  /** Ids of spans with at least one character in `[start, end)` (e.g. a line, for `onSpanLines`). */
  spansIn(start: number, end: number): string[] {
    const found: string[] = [];
    if (end <= start || start >= this.docLength) return found;
    this.locate(start);
    let c = this.curChunk;
    let r = this.locRun;
    let pos = start - this.locOff;
    while (pos < end && c < this.chunks.length) {
      const chunk = this.chunks[c];
      if (r >= chunk.lens.length) {
        c++;
        r = 0;
        continue;
      }
      const id = this.ids[chunk.slots[r]];
      if (id !== undefined && !found.includes(id)) found.push(id);
      pos += chunk.lens[r];
      r++;
    }
    return found;
  }

  /**
   * Makes the untracked characters of `[start, end)` part of an existing span (a typed run
   * that just became an insertion claims the characters typed before); characters of other
   * spans are left alone. Returns how many characters were claimed. The runs are relabelled
   * in place (a run the range cuts is split first): no offset moves.
   */
  claim(spanId: string, start: number, end: number): number {
    const slot = this.slotById.get(spanId);
    if (slot === undefined) return 0;
    const claimed = this.relabel(slot, start, end);
    this.aliveBySlot[slot] += claimed;
    this.originalBySlot[slot] += claimed;
    return claimed;
  }

  /**
   * Applies a change event that moves text (lines moved with Alt+↑/↓, a dragged
   * selection): every change a pure insertion or a pure deletion, and each insertion as
   * long as a deletion. The deleted characters' spans go with them: each insertion takes
   * the layout of the first unpaired deletion of its length, so a moved span keeps its
   * characters and nothing counts as removed or typed near it. Text that finds no partner
   * is deleted or inserted untracked, as `applyChanges` would.
   */
  applyMove(changes: readonly TextChange[], t: number): SpanEffects {
    const effects: EffectsBuilder = {};
    // The deleted texts' lengths and layouts (run length, slot, …), and the inserted texts' current places.
    const layouts: { length: number; runs: number[] }[] = [];
    const placed: { start: number; length: number }[] = [];
    for (const change of changes) {
      const { rangeOffset: offset, rangeLength: length, text } = change;
      if (length > 0 && text.length > 0) {
        this.applyOne(change, t, effects);
        continue;
      }
      this.checkInside(offset, length);
      if (length > 0) {
        layouts.push({ length, runs: this.layoutOf(offset, length) });
        this.deleteRange(offset, length, effects, []);
        for (const p of placed) {
          if (p.start >= offset + length) p.start -= length;
          // Deleted again in the same event: nothing left to give a layout to.
          else if (p.start + p.length > offset) p.length = -1;
        }
      } else {
        for (const p of placed) if (p.start >= offset) p.start += text.length;
        this.insertRun(offset, text.length, 0);
        placed.push({ start: offset, length: text.length });
      }
    }
    for (const p of placed) {
      const k = layouts.findIndex((layout) => layout.length === p.length);
      if (k < 0) continue;
      const { runs } = layouts[k];
      layouts.splice(k, 1);
      let pos = p.start;
      for (let i = 0; i < runs.length; i += 2) {
        const slot = runs[i + 1];
        if (slot !== 0 && this.ids[slot] !== undefined) {
          const back = this.relabel(slot, pos, pos + runs[i]);
          this.aliveBySlot[slot] += back;
          subtractFrom(effects.removed, this.ids[slot] as string, back);
        }
        pos += runs[i];
      }
    }
    return { removed: effects.removed ?? noEffect, typedNear: effects.typedNear ?? noEffect };
  }

  /** Forgets a span: its characters become untracked. O(document runs). */
  removeSpan(spanId: string): void {
    const slot = this.slotById.get(spanId);
    if (slot === undefined) return;
    for (const chunk of this.chunks) {
      for (let r = 0; r < chunk.slots.length; r++) if (chunk.slots[r] === slot) chunk.slots[r] = 0;
      mergeEqualNeighbours(chunk);
    }
    this.slotById.delete(spanId);
    this.ids[slot] = undefined;
    this.aliveBySlot[slot] = 0;
    this.originalBySlot[slot] = 0;
    this.freeSlots.push(slot);
  }

  /** Plain-JSON snapshot (runs merged across chunks); no text. */
  serialize(): SpansState {
    const spans: SpansState['spans'] = [];
    const slotMap = new Map<number, number>([[0, 0]]);
    for (let slot = 1; slot < this.ids.length; slot++) {
      const id = this.ids[slot];
      if (id === undefined) continue;
      spans.push({ id, original: this.originalBySlot[slot], createdAt: this.createdBySlot[slot] });
      slotMap.set(slot, spans.length);
    }
    const runs: number[] = [];
    for (const chunk of this.chunks) {
      for (let r = 0; r < chunk.lens.length; r++) {
        const s = slotMap.get(chunk.slots[r]) as number;
        if (runs.length > 0 && runs[runs.length - 1] === s) runs[runs.length - 2] += chunk.lens[r];
        else runs.push(chunk.lens[r], s);
      }
    }
    return { length: this.docLength, runs, spans };
  }

  /** Rebuilds a tracker from `serialize()` output; throws if the state is inconsistent. */
  static restore(state: SpansState): DocumentSpans {
    const doc = new DocumentSpans();
    for (const span of state.spans) {
      if (doc.slotById.has(span.id)) throw new Error(`spans state: duplicate span id ${span.id}`);
      doc.newSlot(span.id, span.createdAt, span.original);
    }
    if (state.runs.length % 2 !== 0) throw new Error('spans state: odd runs array');
    let chunk = doc.chunks[0];
    let total = 0;
    for (let i = 0; i < state.runs.length; i += 2) {
      const len = state.runs[i];
      const slot = state.runs[i + 1];
      if (!(Number.isInteger(len) && len > 0 && Number.isInteger(slot) && slot >= 0 && slot <= state.spans.length)) {
        throw new Error(`spans state: bad run at ${i / 2}`);
      }
      // Fill restored chunks only half-way so the first edits do not all split them.
      if (chunk.lens.length >= maxRuns / 2) {
        chunk = { lens: [], slots: [], total: 0 };
        doc.chunks.push(chunk);
      }
      chunk.lens.push(len);
      chunk.slots.push(slot);
      chunk.total += len;
      doc.aliveBySlot[slot] += len;
      total += len;
    }
    if (total !== state.length) throw new Error(`spans state: runs cover ${total}, length is ${state.length}`);
    doc.docLength = total;
    doc.aliveBySlot[0] = 0;
    return doc;
  }

  /**
   * Gives the untracked characters of `[start, end)` to `slot`, relabelling runs in place
   * (a run the range cuts is split first; no offset moves). Returns how many it gave.
   */
  private relabel(slot: number, start: number, end: number): number {
    const from = Math.max(0, start);
    const to = Math.min(end, this.docLength);
    if (to <= from) return 0;
    this.locate(from);
    const firstChunk = this.curChunk;
    let c = firstChunk;
    let r = this.locRun;
    let pos = from - this.locOff;
    let given = 0;
    let relabelled = false;
    while (pos < to && c < this.chunks.length) {
      const { lens, slots } = this.chunks[c];
      if (r >= lens.length) {
        c++;
        r = 0;
        continue;
      }
      const runEnd = pos + lens[r];
      if (slots[r] === 0) {
        const a = Math.max(pos, from);
        const b = Math.min(runEnd, to);
        given += b - a;
        // [pos, a) stays untracked, [a, b) becomes the slot's, [b, runEnd) stays untracked.
        // The usual claim (the characters typed just before the span's) takes the end of a
        // run whose neighbour is the span already: lengths move, no run is cut.
        if (a === pos && b === runEnd) {
          slots[r] = slot;
          relabelled = true;
        } else if (b === runEnd && r + 1 < lens.length && slots[r + 1] === slot) {
          lens[r] -= b - a;
          lens[r + 1] += b - a;
          // The span's run now starts at `a`: walk on from it.
          pos = a;
          r++;
          continue;
        } else if (a === pos && r > 0 && slots[r - 1] === slot) {
          lens[r - 1] += b - a;
          lens[r] -= b - a;
        } else {
          if (b < runEnd) {
            lens.splice(r + 1, 0, runEnd - b);
            slots.splice(r + 1, 0, 0);
          }
          if (a > pos) {
            lens[r] = a - pos;
            lens.splice(r + 1, 0, b - a);
            slots.splice(r + 1, 0, slot);
            r++;
          } else {
            lens[r] = b - a;
            slots[r] = slot;
          }
          relabelled = true;
        }
      }
      pos = runEnd;
      r++;
    }
    // A whole run relabelled may now equal its neighbours, and a cut run adds up to two runs.
    if (relabelled) {
      for (let k = Math.min(c, this.chunks.length - 1); k >= firstChunk; k--) {
        mergeEqualNeighbours(this.chunks[k]);
        if (this.chunks[k].lens.length > maxRuns) this.splitChunk(k);
      }
    }
    return given;
  }

  /** Throws a RangeError unless `[offset, offset + length)` lies in the document (the caller's view of it is out of sync). */
  private checkInside(offset: number, length: number): void {
    if (!(offset >= 0 && length >= 0 && offset + length <= this.docLength)) {
      throw new RangeError(`change [${offset}, +${length}) outside document of length ${this.docLength}`);
    }
  }

  /** The runs of `[offset, offset + length)` as alternating length and slot. */
  private layoutOf(offset: number, length: number): number[] {
    const layout: number[] = [];
    this.locate(offset);
    let c = this.curChunk;
    let r = this.locRun;
    let off = this.locOff;
    let remaining = length;
    while (remaining > 0 && c < this.chunks.length) {
      const { lens, slots } = this.chunks[c];
      if (r >= lens.length) {
        c++;
        r = 0;
        continue;
      }
      const take = Math.min(lens[r] - off, remaining);
      layout.push(take, slots[r]);
      remaining -= take;
      off = 0;
      r++;
    }
    return layout;
  }

  private applyOne(change: TextChange, t: number, effects: EffectsBuilder): void {
    const { rangeOffset: offset, rangeLength: deleteLength, text } = change;
    this.checkInside(offset, deleteLength);
    // Slots of the span characters this change replaced (a list only when it deletes).
    const replaced: number[] | undefined = deleteLength > 0 ? [] : undefined;
    if (replaced !== undefined) this.deleteRange(offset, deleteLength, effects, replaced);
    let slot = 0;
    if (change.spanId !== undefined) {
      slot = this.slotById.get(change.spanId) ?? this.newSlot(change.spanId, t, 0);
    }
    if (text.length === 0) return;
    this.insertRun(offset, text.length, slot);
    if (slot !== 0) {
      this.aliveBySlot[slot] += text.length;
      this.originalBySlot[slot] += text.length;
      return;
    }
    // Fix-up: spans touched by untracked text are those around the insertion point and
    // those whose characters this same change replaced, plus the host's line hint.
    const { nearLeft, nearRight } = this;
    if (replaced === undefined && nearLeft === 0 && nearRight === 0 && change.onSpanLines === undefined) return;
    const touched = replaced ?? [];
    if (nearLeft !== 0 && !touched.includes(nearLeft)) touched.push(nearLeft);
    if (nearRight !== 0 && !touched.includes(nearRight)) touched.push(nearRight);
    for (const s of touched) addTo((effects.typedNear ??= new Map()), this.ids[s] as string, text.length);
    if (change.onSpanLines !== undefined) {
      for (const id of change.onSpanLines) {
        const s = this.slotById.get(id);
        if (s !== undefined && !touched.includes(s)) {
          touched.push(s);
          addTo((effects.typedNear ??= new Map()), id, text.length);
        }
      }
    }
  }

  /** A slot for a span id the document does not know yet (the callers have checked). */
  private newSlot(id: string, t: number, original: number): number {
    const slot = this.freeSlots.pop() ?? this.ids.length;
    this.ids[slot] = id;
    this.aliveBySlot[slot] = 0;
    this.originalBySlot[slot] = original;
    this.createdBySlot[slot] = t;
    this.hitByDeletion[slot] = 0;
    this.slotById.set(id, slot);
    return slot;
  }

  /**
   * Points the cursor at the chunk holding `offset` and sets `locRun`/`locOff`. An offset
   * on a chunk boundary resolves to the start of the later chunk; the document end
   * resolves to one past the last run of the last chunk.
   */
  private locate(offset: number): void {
    const chunks = this.chunks;
    let c = this.curChunk;
    let start = this.curStart;
    while (offset < start) {
      c--;
      start -= chunks[c].total;
    }
    while (c < chunks.length - 1 && offset >= start + chunks[c].total) {
      start += chunks[c].total;
      c++;
    }
    const lens = chunks[c].lens;
    let r = 0;
    let o = offset - start;
    while (r < lens.length && o >= lens[r]) {
      o -= lens[r];
      r++;
    }
    this.curChunk = c;
    this.curStart = start;
    this.locRun = r;
    this.locOff = o;
  }

  /** Inserts `length` characters of `slot` at `offset`; sets `nearLeft`/`nearRight` to the slots of the characters around it. */
  private insertRun(offset: number, length: number, slot: number): void {
    this.locate(offset);
    const c = this.curChunk;
    const chunk = this.chunks[c];
    const { lens, slots } = chunk;
    const r = this.locRun;
    const off = this.locOff;
    this.docLength += length;
    if (off > 0) {
      const inside = slots[r];
      if (inside === slot) lens[r] += length;
      else {
        lens.splice(r + 1, 0, length, lens[r] - off);
        slots.splice(r + 1, 0, slot, inside);
        lens[r] = off;
      }
      chunk.total += length;
      if (lens.length > maxRuns) this.splitChunk(c);
      this.nearLeft = inside;
      this.nearRight = inside;
      return;
    }
    const prev = c > 0 ? this.chunks[c - 1] : undefined;
    const left = r > 0 ? slots[r - 1] : prev !== undefined ? prev.slots[prev.slots.length - 1] : 0;
    const right = r < lens.length ? slots[r] : 0;
    if (left === slot && r > 0) {
      lens[r - 1] += length;
      chunk.total += length;
    } else if (left === slot && prev !== undefined) {
      prev.lens[prev.lens.length - 1] += length;
      prev.total += length;
      this.curStart += length;
    } else if (right === slot && r < lens.length) {
      lens[r] += length;
      chunk.total += length;
    } else {
      lens.splice(r, 0, length);
      slots.splice(r, 0, slot);
      chunk.total += length;
      if (lens.length > maxRuns) this.splitChunk(c);
    }
    this.nearLeft = left;
    this.nearRight = right;
  }

  /** Deletes `[offset, offset + length)`, adding removed span characters to `effects.removed` and their slots to `slotsHit`. */
  private deleteRange(offset: number, length: number, effects: EffectsBuilder, slotsHit: number[]): void {
    this.locate(offset);
    const deletion = ++this.deletions;
    const firstChunk = this.curChunk;
    const firstStart = this.curStart;
    let c = firstChunk;
    let r = this.locRun;
    let off = this.locOff;
    let remaining = length;
    this.docLength -= length;
    while (remaining > 0) {
      const chunk = this.chunks[c];
      const { lens, slots } = chunk;
      let i = r;
      if (off > 0) {
        const take = Math.min(lens[i] - off, remaining);
        this.account(slots[i], take, effects, slotsHit, deletion);
        lens[i] -= take;
        chunk.total -= take;
        remaining -= take;
        i++;
      }
      const firstWhole = i;
      while (remaining > 0 && i < lens.length) {
        const take = Math.min(lens[i], remaining);
        this.account(slots[i], take, effects, slotsHit, deletion);
        chunk.total -= take;
        remaining -= take;
        if (take === lens[i]) i++;
        else lens[i] -= take;
      }
      if (i > firstWhole) {
        lens.splice(firstWhole, i - firstWhole);
        slots.splice(firstWhole, i - firstWhole);
      }
      // The runs on both sides of the deleted stretch may now touch: keep them merged.
      if (firstWhole > 0 && firstWhole < lens.length && slots[firstWhole - 1] === slots[firstWhole]) {
        lens[firstWhole - 1] += lens[firstWhole];
        lens.splice(firstWhole, 1);
        slots.splice(firstWhole, 1);
      }
      if (lens.length === 0 && this.chunks.length > 1) this.chunks.splice(c, 1);
      else c++;
      r = 0;
      off = 0;
    }
    // Chunks before `firstChunk` are untouched, so the cursor can stay there (or step back).
    if (firstChunk < this.chunks.length) {
      this.curChunk = firstChunk;
      this.curStart = firstStart;
      this.mergeSmallChunk(firstChunk);
    } else {
      this.curChunk = firstChunk - 1;
      this.curStart = firstStart - this.chunks[firstChunk - 1].total;
    }
  }

  private account(slot: number, count: number, effects: EffectsBuilder, slotsHit: number[], deletion: number): void {
    if (slot === 0 || count === 0) return;
    this.aliveBySlot[slot] -= count;
    addTo((effects.removed ??= new Map()), this.ids[slot] as string, count);
    if (this.hitByDeletion[slot] !== deletion) {
      this.hitByDeletion[slot] = deletion;
      slotsHit.push(slot);
    }
  }

  private splitChunk(c: number): void {
    const chunk = this.chunks[c];
    const half = chunk.lens.length >> 1;
    const lens = chunk.lens.splice(half);
    const slots = chunk.slots.splice(half);
    let total = 0;
    for (const len of lens) total += len;
    chunk.total -= total;
    this.chunks.splice(c + 1, 0, { lens, slots, total });
  }

  /** Merges chunk `c` with its successor when both fit in half a chunk, so deletions do not fragment the list. */
  private mergeSmallChunk(c: number): void {
    const chunk = this.chunks[c];
    const next = this.chunks[c + 1];
    if (next === undefined || chunk.lens.length + next.lens.length > maxRuns / 2) return;
    for (let r = 0; r < next.lens.length; r++) {
      chunk.lens.push(next.lens[r]);
      chunk.slots.push(next.slots[r]);
    }
    chunk.total += next.total;
    mergeEqualNeighbours(chunk);
    this.chunks.splice(c + 1, 1);
  }
}

function mergeEqualNeighbours(chunk: Chunk): void {
  const { lens, slots } = chunk;
  let w = 0;
  for (let r = 0; r < lens.length; r++) {
    if (w > 0 && slots[w - 1] === slots[r]) lens[w - 1] += lens[r];
    else {
      lens[w] = lens[r];
      slots[w] = slots[r];
      w++;
    }
  }
  lens.length = w;
  slots.length = w;
}

function addTo(map: Map<string, number>, key: string, count: number): void {
  map.set(key, (map.get(key) ?? 0) + count);
}

/** Takes back `count` of what `addTo` put under `key`; nothing left, no entry. */
function subtractFrom(map: Map<string, number> | undefined, key: string, count: number): void {
  const left = (map?.get(key) ?? 0) - count;
  if (left > 0) map?.set(key, left);
  else map?.delete(key);
}

