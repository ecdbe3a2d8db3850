import assert from 'node:assert/strict';
import { mulberry32 as prng } from '../../src/core/random';
import { hashLines } from '../../src/core/lineHash';
import { lineLengthsOf, reanchor } from '../../src/core/reanchor';
import type { LineSnapshot } from '../../src/core/reanchor';
import { DocumentSpans } from '../../src/core/spans';

const salt = 'test-salt';

function snapshot(text: string): LineSnapshot {
  return { lineHashes: hashLines(salt, text), lineLengths: lineLengthsOf(text) };
}

/** A tracker over `text` where each `[marker, id]` makes the first occurrence of `marker` a span. */
function tracked(text: string, marks: [string, string][]): DocumentSpans {
  const spans = new DocumentSpans(text.length);
  for (const [marker, id] of marks) {
    const at = text.indexOf(marker);
    assert.ok(at >= 0, marker);
    spans.applyChanges([{ rangeOffset: at, rangeLength: marker.length, text: marker, spanId: id }], 0);
  }
  return spans;
}

/** The text each span covers in `text`, joined: what a reader would call "the span's code". */
function spanText(spans: DocumentSpans, text: string, id: string): string {
  return spans
    .ranges(id)
    .map(([s, e]) => text.slice(s, e))
    .join('|');
}

const oldText = ['import x from "y";', '', 'function add(a, b) {', '  return a + b;', '}', '', 'function sub(a, b) {', '  return a - b;', '}', ''].join('\n');
const addFn = 'function add(a, b) {\n  return a + b;\n}';

describe('reanchor', () => {
  it('keeps everything when the document is unchanged', () => {
    const before = tracked(oldText, [[addFn, 'ai']]);
    const result = reanchor(snapshot(oldText), before.serialize(), snapshot(oldText));
    assert.deepEqual(result.spans.serialize(), before.serialize());
    assert.equal(result.lost.size, 0);
    assert.equal(result.approximate, false);
  });

  it('moves span characters down when lines are inserted above', () => {
    const before = tracked(oldText, [[addFn, 'ai']]);
    const newText = '// header\n// more\n' + oldText;
    const result = reanchor(snapshot(oldText), before.serialize(), snapshot(newText));
    assert.equal(result.spans.length, newText.length);
    assert.equal(spanText(result.spans, newText, 'ai'), addFn);
    assert.equal(result.lost.size, 0);
  });

  it('loses the span characters of an edited line and keeps the rest', () => {
    const before = tracked(oldText, [[addFn, 'ai']]);
    const newText = oldText.replace('  return a + b;', '  return b + a; // swapped');
    const result = reanchor(snapshot(oldText), before.serialize(), snapshot(newText));
    assert.equal(spanText(result.spans, newText, 'ai'), 'function add(a, b) {\n|}');
    assert.deepEqual([...result.lost], [['ai', '  return a + b;\n'.length]]);
    assert.equal(result.spans.alive('ai') + (result.lost.get('ai') ?? 0), addFn.length);
  });

  it('follows lines that moved as a block', () => {
    const before = tracked(oldText, [[addFn, 'ai']]);
    const lines = oldText.split('\n');
    // add() (lines 2-5) moved below sub().
    const newText = [...lines.slice(0, 2), ...lines.slice(6, 9), '', ...lines.slice(2, 5), ''].join('\n');
    const result = reanchor(snapshot(oldText), before.serialize(), snapshot(newText));
    const moved = newText.indexOf('function add');
    assert.deepEqual(result.spans.ranges('ai')[1], [moved, moved + 'function add(a, b) {\n  return a + b;\n'.length]);
    // Equal lines are interchangeable to a hash diff: add()'s closing brace is matched to
    // sub()'s, which the diff kept in place. No character counts as lost.
    assert.equal(spanText(result.spans, newText, 'ai'), '}|function add(a, b) {\n  return a + b;\n');
    assert.equal(result.lost.size, 0);
  });

  it('loses every span character when the whole file is replaced', () => {
    const before = tracked(oldText, [
      [addFn, 'a'],
      ['import x', 'b'],
    ]);
    const newText = 'completely\ndifferent\ncontent';
    const result = reanchor(snapshot(oldText), before.serialize(), snapshot(newText));
    assert.deepEqual(result.spans.serialize().runs, [newText.length, 0]);
    assert.deepEqual(
      [...result.lost].sort(),
      [
        ['a', addFn.length],
        ['b', 'import x'.length],
      ],
    );
    assert.deepEqual(result.spans.spanIds().sort(), ['a', 'b'], 'spans stay known, with nothing alive');
  });

  it('survives a CRLF to LF conversion, losing only the carriage returns', () => {
    const crlf = oldText.replace(/\n/g, '\r\n');
    const addCrlf = addFn.replace(/\n/g, '\r\n');
    const before = tracked(crlf, [[addCrlf, 'ai']]);
    const result = reanchor(snapshot(crlf), before.serialize(), snapshot(oldText));
    assert.equal(spanText(result.spans, oldText, 'ai'), addFn);
    assert.deepEqual([...result.lost], [['ai', 2]]);
  });

  it('rejects line data that does not describe the spans document', () => {
    const before = tracked(oldText, [[addFn, 'ai']]);
    assert.throws(() => reanchor(snapshot(oldText + 'x'), before.serialize(), snapshot(oldText)), /describe/);
  });

  it('keeps exactly the span characters of surviving lines on randomized line edits', () => {
    const rand = prng(7);
    for (let round = 0; round < 300; round++) {
      // Unique lines (so the true matching is known) mixed with repeated ones ('}', '').
      let serial = 0;
      const fresh = (): string => (rand() < 0.25 ? (rand() < 0.5 ? '}' : '') : `line ${round}.${serial++} ${'x'.repeat(Math.floor(rand() * 8))}`);
      const oldLines = Array.from({ length: 5 + Math.floor(rand() * 40) }, fresh);
      const text = oldLines.join('\n');
      const spans = new DocumentSpans(text.length);
      for (let k = 0; k < 4; k++) {
        const a = Math.floor(rand() * text.length);
        const b = Math.min(text.length, a + Math.floor(rand() * 60));
        if (b > a) spans.applyChanges([{ rangeOffset: a, rangeLength: b - a, text: text.slice(a, b), spanId: `s${k}` }], 0);
      }
      // Line edits; survivors remember their old index.
      const newLines: { text: string; from: number }[] = oldLines.map((line, i) => ({ text: line, from: i }));
      for (let e = 0; e < 1 + Math.floor(rand() * 6); e++) {
        const at = Math.floor(rand() * newLines.length);
        const op = rand();
        if (op < 0.35) newLines.splice(at, 0, { text: fresh(), from: -1 });
        else if (op < 0.7 && newLines.length > 1) newLines.splice(at, 1);
        else newLines[at] = { text: `${newLines[at].text} edited ${serial++}`, from: -1 };
      }
      const newText = newLines.map((l) => l.text).join('\n');
      const result = reanchor(snapshot(text), spans.serialize(), snapshot(newText));
      assert.equal(result.spans.length, newText.length);
      for (const id of spans.spanIds()) {
        assert.equal(result.spans.alive(id) + (result.lost.get(id) ?? 0), spans.alive(id), `round ${round} ${id}: kept + lost`);
      }
      const oldOwner = ownerPerChar(spans);
      const newOwner = ownerPerChar(result.spans);
      const oldStarts = lineStarts(oldLines);
      const newStarts = lineStarts(newLines.map((l) => l.text));
      newLines.forEach((line, j) => {
        if (line.from < 0 || line.text === '}' || line.text === '') return;
        const o = oldStarts[line.from];
        const n = newStarts[j];
        assert.deepEqual(newOwner.slice(n, n + line.text.length), oldOwner.slice(o, o + line.text.length), `round ${round}: line ${j}`);
      });
    }
  });

  it('handles a large file with many repeated lines within its work cap', () => {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) lines.push(i % 10 === 0 ? `unique ${i}` : i % 3 === 0 ? '}' : '');
    const text = lines.join('\n');
    const spans = tracked(text, [['unique 50000\n}', 'ai']]);
    const edited = [...lines];
    edited.splice(100, 0, 'new line', '}', '');
    edited.splice(70_000, 5);
    const newText = edited.join('\n');
    const result = reanchor(snapshot(text), spans.serialize(), snapshot(newText));
    assert.equal(spanText(result.spans, newText, 'ai'), 'unique 50000\n}');
    assert.equal(result.lost.size, 0);
  });

  it('gives up on a huge region without unique lines, says so, and still accounts for every character', () => {
    const rand = prng(11);
    const lines = Array.from({ length: 3000 }, () => (rand() < 0.5 ? 'x' : 'y'));
    const text = lines.join('\n');
    const spans = new DocumentSpans(text.length);
    spans.applyChanges([{ rangeOffset: 10, rangeLength: 4000, text: text.slice(10, 4010), spanId: 'ai' }], 0);
    const newText = ['start', ...lines.slice().reverse(), 'end'].join('\n');
    const result = reanchor(snapshot(text), spans.serialize(), snapshot(newText));
    assert.equal(result.approximate, true);
    assert.equal(result.spans.length, newText.length);
    assert.equal(result.spans.alive('ai') + (result.lost.get('ai') ?? 0), 4000);
  });
});

function ownerPerChar(spans: DocumentSpans): string[] {
  const state = spans.serialize();
  const out: string[] = [];
  for (let k = 0; k < state.runs.length; k += 2) {
    for (let n = 0; n < state.runs[k]; n++) out.push(state.runs[k + 1] === 0 ? '' : state.spans[state.runs[k + 1] - 1].id);
  }
  return out;
}

function lineStarts(lines: string[]): number[] {
  const starts: number[] = [];
  let pos = 0;
  for (const line of lines) {
    starts.push(pos);
    pos += line.length + 1;
  }
  return starts;
}

