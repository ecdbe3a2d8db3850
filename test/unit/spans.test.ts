import assert from 'node:assert/strict';
import { mulberry32 as prng } from '../../src/core/random';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DocumentSpans } from '../../src/core/spans';
import type { SpanEffects, TextChange } from '../../src/core/spans';
import { applyPatches, parseEditingTrace } from '../../src/core/editingTrace';

/**
 * Brute-force oracle: one tag per UTF-16 code unit (0 = untracked, k = span k), in a
 * growable Int32Array so that the 260k-patch traces stay fast. Deliberately shares no
 * code with DocumentSpans.
 */
class Oracle {
  tags = new Int32Array(1024);
  length = 0;
  readonly idOf: string[] = [''];
  readonly numOf = new Map<string, number>();
  readonly original = new Map<string, number>();

  apply(changes: readonly TextChange[]): SpanEffects {
    const removed = new Map<string, number>();
    const typedNear = new Map<string, number>();
    const bump = (m: Map<string, number>, id: string, n: number): void => {
      m.set(id, (m.get(id) ?? 0) + n);
    };
    for (const ch of changes) {
      const hit = new Set<number>();
      for (let i = ch.rangeOffset; i < ch.rangeOffset + ch.rangeLength; i++) {
        const tag = this.tags[i];
        if (tag !== 0) {
          bump(removed, this.idOf[tag], 1);
          hit.add(tag);
        }
      }
      this.tags.copyWithin(ch.rangeOffset, ch.rangeOffset + ch.rangeLength, this.length);
      this.length -= ch.rangeLength;
      let tag = 0;
      if (ch.spanId !== undefined) {
        if (!this.numOf.has(ch.spanId)) {
          this.numOf.set(ch.spanId, this.idOf.length);
          this.idOf.push(ch.spanId);
          this.original.set(ch.spanId, 0);
        }
        tag = this.numOf.get(ch.spanId) as number;
        bump(this.original, ch.spanId, ch.text.length);
      } else if (ch.text.length > 0) {
        if (ch.rangeOffset > 0) hit.add(this.tags[ch.rangeOffset - 1]);
        if (ch.rangeOffset < this.length) hit.add(this.tags[ch.rangeOffset]);
        for (const id of ch.onSpanLines ?? []) if (this.numOf.has(id)) hit.add(this.numOf.get(id) as number);
        for (const t of hit) if (t !== 0) bump(typedNear, this.idOf[t], ch.text.length);
      }
      const n = ch.text.length;
      if (this.length + n > this.tags.length) {
        const grown = new Int32Array(Math.max(this.tags.length * 2, this.length + n));
        grown.set(this.tags.subarray(0, this.length));
        this.tags = grown;
      }
      this.tags.copyWithin(ch.rangeOffset + n, ch.rangeOffset, this.length);
      this.tags.fill(tag, ch.rangeOffset, ch.rangeOffset + n);
      this.length += n;
    }
    return { removed, typedNear };
  }

  /** The untracked code units of `[start, end)` become the span's; returns how many. */
  claim(id: string, start: number, end: number): number {
    const tag = this.numOf.get(id);
    if (tag === undefined) return 0;
    let claimed = 0;
    for (let i = Math.max(0, start); i < Math.min(end, this.length); i++) {
      if (this.tags[i] === 0) {
        this.tags[i] = tag;
        claimed++;
      }
    }
    this.original.set(id, (this.original.get(id) as number) + claimed);
    return claimed;
  }

  /** Characters per span id, counted in one pass. */
  aliveCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const id of this.numOf.keys()) counts.set(id, 0);
    for (let i = 0; i < this.length; i++) {
      const tag = this.tags[i];
      if (tag !== 0) counts.set(this.idOf[tag], (counts.get(this.idOf[tag]) as number) + 1);
    }
    return counts;
  }

  /** Tags as span ids ('' for untracked), for comparison with the tracker's runs. */
  idsAt(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.idOf[this.tags[i]]);
    return out;
  }
}

/** Expands the tracker's serialized runs into one span id per code unit ('' = untracked). */
function expand(spans: DocumentSpans): string[] {
  const state = spans.serialize();
  const out: string[] = [];
  for (let i = 0; i < state.runs.length; i += 2) {
    const id = state.runs[i + 1] === 0 ? '' : state.spans[state.runs[i + 1] - 1].id;
    for (let k = 0; k < state.runs[i]; k++) out.push(id);
  }
  return out;
}

function assertSameState(spans: DocumentSpans, oracle: Oracle, where: string): void {
  assert.equal(spans.length, oracle.length, `${where}: length`);
  const expected = oracle.idsAt();
  const actual = expand(spans);
  if (actual.join('\u0000') !== expected.join('\u0000')) {
    const first = actual.findIndex((id, i) => id !== expected[i]);
    assert.fail(`${where}: ownership differs first at offset ${first}: tracker ${actual[first]}, oracle ${expected[first]}`);
  }
  for (const [id] of oracle.numOf) {
    assert.equal(spans.original(id), oracle.original.get(id), `${where}: original of ${id}`);
  }
}

function sortedEntries(map: ReadonlyMap<string, number>): [string, number][] {
  return [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function assertSameEffects(actual: SpanEffects, expected: SpanEffects, where: string): void {
  assert.deepEqual(sortedEntries(actual.removed), sortedEntries(expected.removed), `${where}: removed`);
  assert.deepEqual(sortedEntries(actual.typedNear), sortedEntries(expected.typedNear), `${where}: typedNear`);
}


const pieces = ['a', 'bc', 'def ', '\r\n', '\n', 'é', '😀', '𝒳y', '中文', '\t'];

/** Offsets VS Code could report: never inside a surrogate pair or a CRLF. */
function boundaries(text: string): number[] {
  const out = [0];
  for (let i = 1; i <= text.length; i++) {
    const prev = text.charCodeAt(i - 1);
    const next = text.charCodeAt(i);
    if (prev >= 0xd800 && prev <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) continue;
    if (prev === 13 && next === 10) continue;
    out.push(i);
  }
  return out;
}

interface RandomRunStats {
  events: number;
  maxRuns: number;
}

/** One randomized sequence, checked against the oracle after every event. */
function runRandomSequence(seed: number, events: number, spanBias: number, pureInsertShare: number, claimShare = 0): RandomRunStats {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const makeText = (max: number): string => {
    let s = '';
    const n = 1 + Math.floor(rand() * max);
    for (let i = 0; i < n; i++) s += pick(pieces);
    return s;
  };
  let spans = new DocumentSpans();
  const oracle = new Oracle();
  let text = '';
  let nextSpan = 0;
  let maxRuns = 0;
  for (let e = 0; e < events; e++) {
    const changes: TextChange[] = [];
    const count = rand() < 0.7 ? 1 : 2 + Math.floor(rand() * 3);
    for (let k = 0; k < count; k++) {
      const bounds = boundaries(text);
      const known = [...oracle.numOf.keys()];
      // Span edges are where bugs hide: pick them as often as arbitrary offsets (for the
      // first change of an event only: the tracker has not seen the later ones yet).
      const edges: number[] = [];
      if (k === 0 && known.length > 0 && rand() < 0.5) {
        for (const [s, end] of spans.ranges(pick(known))) edges.push(s, end);
      }
      const at = (): number => (edges.length > 0 && rand() < 0.5 ? pick(edges) : pick(bounds));
      let a = at();
      let b = rand() < pureInsertShare ? a : at();
      if (b < a) [a, b] = [b, a];
      const roll = rand();
      const change: TextChange = { rangeOffset: a, rangeLength: b - a, text: roll < 0.2 ? '' : makeText(4) };
      if (change.text === '' && change.rangeLength === 0) change.text = pick(pieces);
      if (change.text !== '') {
        if (rand() < spanBias) change.spanId = `s${nextSpan++}`;
        else if (known.length > 0 && rand() < 0.15) change.spanId = pick(known);
        else if (known.length > 0 && rand() < 0.2) change.onSpanLines = [pick(known), 'no-such-span'];
      }
      changes.push(change);
      text = text.slice(0, a) + change.text + text.slice(b);
    }
    const where = `seed ${seed} event ${e}`;
    const effects = spans.applyChanges(changes, e);
    assertSameEffects(effects, oracle.apply(changes), where);
    if (claimShare > 0 && rand() < claimShare && oracle.numOf.size > 0) {
      // A typed run becoming an insertion: a stretch (across runs and chunks) claimed by a span.
      const id = pick([...oracle.numOf.keys()]);
      const a = Math.floor(rand() * (text.length + 1));
      const b = a + Math.floor(rand() * rand() * 400);
      assert.equal(spans.claim(id, a, b), oracle.claim(id, a, b), `${where}: claimed by ${id}`);
    }
    assert.equal(spans.length, text.length, `${where}: length vs text`);
    assertSameState(spans, oracle, where);
    for (const [id, n] of oracle.aliveCounts()) assert.equal(spans.alive(id), n, `${where}: alive ${id}`);
    maxRuns = Math.max(maxRuns, spans.serialize().runs.length / 2);
    // Restoring mid-sequence must give a tracker that carries on identically.
    if (rand() < 0.05) spans = DocumentSpans.restore(JSON.parse(JSON.stringify(spans.serialize())));
  }
  return { events, maxRuns };
}

describe('DocumentSpans', () => {
  it('applies multi-change events sequentially, each against the previous result', () => {
    const spans = new DocumentSpans(10);
    // Two cursors at offsets 2 and 6, as VS Code reports them: the second change's offset
    // already counts the first change's insertion.
    spans.applyChanges(
      [
        { rangeOffset: 2, rangeLength: 0, text: 'AB', spanId: 'x' },
        { rangeOffset: 8, rangeLength: 0, text: 'CD', spanId: 'x' },
      ],
      0,
    );
    assert.deepEqual(spans.ranges('x'), [
      [2, 4],
      [8, 10],
    ]);
    assert.equal(spans.alive('x'), 4);
    assert.equal(spans.length, 14);
  });

  it('splits a span when untracked text is typed inside it and reports the fix-up', () => {
    const spans = new DocumentSpans(4);
    spans.applyChanges([{ rangeOffset: 2, rangeLength: 0, text: 'abcdefgh', spanId: 'ai' }], 1);
    const effects = spans.applyChanges([{ rangeOffset: 5, rangeLength: 0, text: 'xy' }], 2);
    assert.deepEqual(spans.ranges('ai'), [
      [2, 5],
      [7, 12],
    ]);
    assert.equal(spans.alive('ai'), 8);
    assert.equal(spans.original('ai'), 8);
    assert.deepEqual([...effects.typedNear], [['ai', 2]]);
    assert.equal(effects.removed.size, 0);
    assert.equal(spans.createdAt('ai'), 1);
  });

  it('counts deletions across several spans per span and replacements as fix-up', () => {
    const spans = new DocumentSpans();
    spans.applyChanges([{ rangeOffset: 0, rangeLength: 0, text: 'aaaa', spanId: 'a' }], 0);
    spans.applyChanges([{ rangeOffset: 4, rangeLength: 0, text: '--' }], 0);
    spans.applyChanges([{ rangeOffset: 6, rangeLength: 0, text: 'bbbb', spanId: 'b' }], 0);
    const effects = spans.applyChanges([{ rangeOffset: 2, rangeLength: 6, text: 'Z' }], 1);
    assert.deepEqual(sortedEntries(effects.removed), [
      ['a', 2],
      ['b', 2],
    ]);
    assert.deepEqual(sortedEntries(effects.typedNear), [
      ['a', 1],
      ['b', 1],
    ]);
    assert.equal(spans.alive('a'), 2);
    assert.equal(spans.alive('b'), 2);
    assert.equal(spans.length, 5);
  });

  it('extends an existing span from a later change (partial accept, next word)', () => {
    const spans = new DocumentSpans();
    spans.applyChanges([{ rangeOffset: 0, rangeLength: 0, text: 'const ', spanId: 'w' }], 0);
    spans.applyChanges([{ rangeOffset: 6, rangeLength: 0, text: 'x', spanId: 'w' }], 1);
    assert.deepEqual(spans.ranges('w'), [[0, 7]]);
    assert.equal(spans.original('w'), 7);
    assert.equal(spans.createdAt('w'), 0);
  });

  it('forgets a removed span, merging its characters into untracked text', () => {
    const spans = new DocumentSpans(3);
    spans.applyChanges([{ rangeOffset: 1, rangeLength: 0, text: 'xyz', spanId: 'gone' }], 0);
    spans.removeSpan('gone');
    assert.deepEqual(spans.spanIds(), []);
    assert.equal(spans.alive('gone'), 0);
    assert.deepEqual(spans.serialize(), { length: 6, runs: [6, 0], spans: [] });
  });

  it('lists the spans inside a range (the host uses it for the on-the-lines hint)', () => {
    const spans = new DocumentSpans(10);
    spans.applyChanges([{ rangeOffset: 3, rangeLength: 0, text: 'abc', spanId: 'p' }], 0);
    spans.applyChanges([{ rangeOffset: 9, rangeLength: 0, text: 'de', spanId: 'q' }], 0);
    assert.deepEqual(spans.spansIn(0, 4), ['p']);
    assert.deepEqual(spans.spansIn(6, 9), []);
    assert.deepEqual(spans.spansIn(0, 16), ['p', 'q']);
  });

  it('rejects a change outside the document and a malformed state', () => {
    const spans = new DocumentSpans(5);
    assert.throws(() => spans.applyChanges([{ rangeOffset: 4, rangeLength: 2, text: '' }], 0), RangeError);
    assert.throws(() => DocumentSpans.restore({ length: 3, runs: [2, 0], spans: [] }), /runs cover 2/);
    assert.throws(() => DocumentSpans.restore({ length: 2, runs: [2, 1], spans: [] }), /bad run/);
  });

  it('round-trips through plain JSON without text', () => {
    const spans = new DocumentSpans(2);
    spans.applyChanges([{ rangeOffset: 1, rangeLength: 0, text: 'hello', spanId: 'h' }], 7);
    spans.applyChanges([{ rangeOffset: 3, rangeLength: 1, text: '' }], 8);
    const state = JSON.parse(JSON.stringify(spans.serialize()));
    assert.deepEqual(state, { length: 6, runs: [1, 0, 4, 1, 1, 0], spans: [{ id: 'h', original: 5, createdAt: 7 }] });
    const back = DocumentSpans.restore(state);
    assert.equal(back.alive('h'), 4);
    assert.deepEqual(back.ranges('h'), [[1, 5]]);
  });

  it('matches the brute-force oracle on 10,000 randomized sequences, at every step', () => {
    let events = 0;
    for (let seed = 1; seed <= 10_000; seed++) events += runRandomSequence(seed, 12, 0.35, 0.45).events;
    console.log(`      randomized: 10000 sequences, ${events} events`);
  });

  it('matches the oracle on long randomized sequences that span many chunks', () => {
    let maxRuns = 0;
    for (let seed = 1; seed <= 12; seed++) maxRuns = Math.max(maxRuns, runRandomSequence(1_000_000 + seed, 1500, 0.5, 0.93).maxRuns);
    console.log(`      long sequences: 12, up to ${maxRuns} runs`);
    // Chunks hold at most 64 runs: below 129 runs this test would not need three of them.
    assert.ok(maxRuns > 128, `only ${maxRuns} runs`);
  });

  describe('on the real editing traces', () => {
    const dir = '/work/shared/data/editing-traces';
    const files = readdirSync(dir).filter((f) => f.endsWith('.json.gz'));
    it('finds the traces', () => {
      assert.ok(files.length >= 3, `traces in ${dir}: ${files.join(', ')}`);
    });
    for (const file of files) {
      it(`matches the oracle on ${file}`, () => {
        const trace = parseEditingTrace(JSON.parse(gunzipSync(readFileSync(join(dir, file))).toString('utf8')));
        assert.equal(applyPatches(trace.startContent, trace.patches), trace.endContent, 'UTF-16 conversion reproduces endContent');
        const spans = new DocumentSpans(trace.startContent.length);
        const oracle = new Oracle();
        oracle.apply([{ rangeOffset: 0, rangeLength: 0, text: trace.startContent }]);
        // Besides the ≥ 20-char spans, some typing runs become `typed` spans that every
        // contiguous keystroke extends, so the trace of pure typing exercises extension too.
        let typed: { id: string; end: number; chars: number } | undefined;
        let typedCount = 0;
        trace.patches.forEach((p, i) => {
          const change: TextChange = { rangeOffset: p.offset, rangeLength: p.deleteLength, text: p.text };
          if (p.text.length >= 20) change.spanId = `t${p.txn}.${p.patch}`;
          else if (p.text.length > 0 && p.deleteLength === 0) {
            if (!(typed !== undefined && typed.end === p.offset && typed.chars < 30)) {
              typed = i % 97 === 0 ? { id: `k${typedCount++}`, end: p.offset, chars: 0 } : undefined;
            }
            if (typed !== undefined) {
              change.spanId = typed.id;
              typed.end += p.text.length;
              typed.chars += p.text.length;
            }
          } else typed = undefined;
          const where = `${file} patch ${i}`;
          assertSameEffects(spans.applyChanges([change], p.time), oracle.apply([change]), where);
          if (i % 1000 === 0) assertSameState(spans, oracle, where);
        });
        assertSameState(spans, oracle, `${file} end`);
        assert.equal(spans.length, trace.endContent.length);
        for (const [id, n] of oracle.aliveCounts()) assert.equal(spans.alive(id), n, `${file}: alive ${id}`);
        assert.equal(spans.spanIds().length, oracle.numOf.size);
        console.log(`      ${file}: ${trace.patches.length} patches, ${oracle.numOf.size} spans`);
      });
    }
  });

  it('converts code points to UTF-16 in traces with astral characters', () => {
    const trace = parseEditingTrace({
      startContent: 'a😀b',
      endContent: '😀x𝒳y',
      txns: [
        { time: '2024-01-01T00:00:00Z', patches: [[2, 1, '𝒳y'], [0, 1, '']] },
        { time: '2024-01-01T00:00:01Z', patches: [[1, 0, 'x']] },
      ],
    });
    assert.deepEqual(
      trace.patches.map((p) => [p.offset, p.deleteLength, p.text]),
      [
        [3, 1, '𝒳y'],
        [0, 1, ''],
        [2, 0, 'x'],
      ],
    );
    assert.equal(applyPatches(trace.startContent, trace.patches), trace.endContent);
    assert.throws(() => parseEditingTrace({ startContent: '', endContent: '', txns: [{ time: '', patches: [[1, 0, 'x']] }] }), /bad patch/);
  });
});

describe('DocumentSpans.claim', () => {
  it('relabels exactly the untracked code units of the range, across runs and chunks, over random edits and claims', () => {
    let maxRuns = 0;
    for (let seed = 1; seed <= 8; seed++) maxRuns = Math.max(maxRuns, runRandomSequence(2_000_000 + seed, 800, 0.5, 0.9, 0.25).maxRuns);
    assert.ok(maxRuns > 2 * 64, `the documents spread over several chunks (${maxRuns} runs)`);
  });

  it('turns the untracked characters of a range into span characters and leaves other spans alone', () => {
    const doc = new DocumentSpans(10);
    doc.applyChanges([{ rangeOffset: 4, rangeLength: 0, text: 'AB', spanId: 'other' }], 1);
    doc.applyChanges([{ rangeOffset: 12, rangeLength: 0, text: '\n', spanId: 'run' }], 2);
    const claimed = doc.claim('run', 2, 13);
    assert.equal(claimed, 8); // 2..4 (2) + 6..12 (6); 'other' keeps its 2
    assert.equal(doc.alive('run'), 9);
    assert.equal(doc.original('run'), 9);
    assert.equal(doc.alive('other'), 2);
    assert.deepEqual(doc.ranges('run'), [[2, 4], [6, 13]]);
    assert.deepEqual(doc.ranges('other'), [[4, 6]]);
    assert.equal(doc.length, 13);
  });

  it('claims nothing for an unknown span or an empty range', () => {
    const doc = new DocumentSpans(5);
    assert.equal(doc.claim('missing', 0, 5), 0);
    doc.applyChanges([{ rangeOffset: 5, rangeLength: 0, text: 'x', spanId: 's' }], 1);
    assert.equal(doc.claim('s', 3, 3), 0);
    assert.equal(doc.alive('s'), 1);
  });
});

describe('DocumentSpans.applyMove', () => {
  /** Moves `[from, from + length)` to `to` (an offset of the document without it), per code unit: the oracle. */
  function moveTags(tags: string[], from: number, length: number, to: number): string[] {
    const moved = tags.slice(from, from + length);
    const rest = [...tags.slice(0, from), ...tags.slice(from + length)];
    return [...rest.slice(0, to), ...moved, ...rest.slice(to)];
  }

  /** A line moved down with Alt+Down arrives as VS Code sends it: the insertion first, then the deletion. */
  it('keeps a moved span whole, wherever its lines go, with nothing removed or typed near it', () => {
    const doc = new DocumentSpans(0);
    doc.applyChanges([{ rangeOffset: 0, rangeLength: 0, text: 'one\n' }], 1);
    doc.applyChanges([{ rangeOffset: 4, rangeLength: 0, text: 'const x = f();\n', spanId: 'ai' }], 2);
    doc.applyChanges([{ rangeOffset: 19, rangeLength: 0, text: 'three\n' }], 3);
    // 'const x = f();\n' (4..19) goes below 'three\n': inserted at 25, then deleted at 4.
    const effects = doc.applyMove([{ rangeOffset: 25, rangeLength: 0, text: 'const x = f();\n' }, { rangeOffset: 4, rangeLength: 15, text: '' }], 4);
    assert.deepEqual(doc.ranges('ai'), [[10, 25]]);
    assert.equal(doc.alive('ai'), 15);
    assert.equal(doc.original('ai'), 15);
    assert.equal(effects.removed.size, 0);
    assert.equal(effects.typedNear.size, 0);
    assert.equal(doc.length, 25);
  });

  it('moves a stretch holding parts of two spans and untracked text, the deletion first (moved up)', () => {
    const doc = new DocumentSpans(20);
    doc.applyChanges([{ rangeOffset: 12, rangeLength: 0, text: 'AAA', spanId: 'a' }], 1);
    doc.applyChanges([{ rangeOffset: 17, rangeLength: 0, text: 'BB', spanId: 'b' }], 2);
    // [13, 19) = 'AA' of a, 2 untracked, 'BB' of b; goes to offset 2.
    const before = expand(doc);
    const effects = doc.applyMove([{ rangeOffset: 13, rangeLength: 6, text: '' }, { rangeOffset: 2, rangeLength: 0, text: 'xxxxxx' }], 3);
    assert.deepEqual(expand(doc), moveTags(before, 13, 6, 2));
    assert.equal(doc.alive('a'), 3);
    assert.equal(doc.alive('b'), 2);
    assert.equal(effects.removed.size, 0);
  });

  it('pairs two moves of one event (two cursors) by length, and deletes a deletion that finds no partner', () => {
    const doc = new DocumentSpans(30);
    doc.applyChanges([{ rangeOffset: 5, rangeLength: 0, text: 'abc', spanId: 'a' }], 1);
    doc.applyChanges([{ rangeOffset: 20, rangeLength: 0, text: 'wxyz', spanId: 'b' }], 2);
    // b (20..24, 24..28 after the first insertion) moves to 0, a (9..12 by then) to the end
    // (33 before its deletion, 30 after it), in one event.
    doc.applyMove([
      { rangeOffset: 0, rangeLength: 0, text: '1234' },
      { rangeOffset: 24, rangeLength: 4, text: '' },
      { rangeOffset: 33, rangeLength: 0, text: '123' },
      { rangeOffset: 9, rangeLength: 3, text: '' },
    ], 3);
    assert.deepEqual(doc.ranges('b'), [[0, 4]]);
    assert.deepEqual(doc.ranges('a'), [[30, 33]]);
    const lonely = doc.applyMove([{ rangeOffset: 0, rangeLength: 2, text: '' }, { rangeOffset: 10, rangeLength: 0, text: '\n' }], 4);
    assert.deepEqual([...lonely.removed], [['b', 2]]);
    assert.equal(doc.alive('b'), 2);
  });

  it('matches the per-code-unit oracle on random moves in both change orders, across chunks', () => {
    const rand = prng(77);
    const doc = new DocumentSpans(0);
    let tags: string[] = [];
    let nextSpan = 0;
    for (let e = 0; e < 3000; e++) {
      const where = `event ${e}`;
      if (tags.length < 50 || rand() < 0.5) {
        // Grow the document: untracked text or a new span at a random place.
        const at = Math.floor(rand() * (tags.length + 1));
        const length = 1 + Math.floor(rand() * 12);
        const id = rand() < 0.5 ? `s${nextSpan++}` : undefined;
        doc.applyChanges([{ rangeOffset: at, rangeLength: 0, text: 'x'.repeat(length), spanId: id }], e);
        tags = [...tags.slice(0, at), ...Array<string>(length).fill(id ?? ''), ...tags.slice(at)];
        continue;
      }
      const length = 1 + Math.floor(rand() * Math.min(60, tags.length - 1));
      const from = Math.floor(rand() * (tags.length - length + 1));
      const to = Math.floor(rand() * (tags.length - length + 1));
      const expected = moveTags(tags, from, length, to);
      const text = 'm'.repeat(length);
      // Deletion first: the insertion's offset is in the document without the text. Insertion
      // first: at the same place in the document that still holds it (after it if below).
      const changes: TextChange[] = rand() < 0.5
        ? [{ rangeOffset: from, rangeLength: length, text: '' }, { rangeOffset: to, rangeLength: 0, text }]
        : to <= from
          ? [{ rangeOffset: to, rangeLength: 0, text }, { rangeOffset: from + length, rangeLength: length, text: '' }]
          : [{ rangeOffset: to + length, rangeLength: 0, text }, { rangeOffset: from, rangeLength: length, text: '' }];
      const aliveBefore = new Map(doc.spanIds().map((id) => [id, doc.alive(id)]));
      const effects = doc.applyMove(changes, e);
      assert.deepEqual(expand(doc), expected, where);
      assert.equal(effects.removed.size, 0, `${where}: removed`);
      for (const [id, n] of aliveBefore) assert.equal(doc.alive(id), n, `${where}: alive ${id}`);
      tags = expected;
    }
    assert.ok(doc.serialize().runs.length / 2 > 2 * 64, 'the document spread over several chunks');
  });
});
