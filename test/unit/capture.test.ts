import assert from 'node:assert/strict';
import type { ChangeObservation } from '../../src/core/attribution';
import type { DocumentMeta } from '../../src/core/capture';
import { CapturePipeline } from '../../src/core/capture';
import { dayKeyOf, hourOf } from '../../src/core/days';
import { hashLines } from '../../src/core/lineHash';
import type { CaptureRecord, DocumentRecord } from '../../src/core/records';
import { lineLengthsOf } from '../../src/core/reanchor';
import type { TextChange } from '../../src/core/spans';
import type { SpanRecord } from '../../src/core/survival';

// A local-time instant, so that the day and hour the pipeline derives are known here.
const t0 = new Date(2025, 5, 10, 9, 30, 0).getTime();
const sec = 1_000;
const min = 60 * sec;
const hour = 60 * min;
const salt = 'test-salt';

const appMeta: DocumentMeta = { docKey: 'file:///w/src/app.ts', path: 'src/app.ts', project: 'w', languageId: 'typescript' };
const testMeta: DocumentMeta = { docKey: 'file:///w/test/app.test.ts', path: 'test/app.test.ts', project: 'w', languageId: 'typescript' };

/**
 * One pipeline with a recording sink and the text of every document it follows, so that
 * tests write edits as text and get VS Code-shaped changes (and can hash lines) from it.
 */
class Harness {
  readonly records: CaptureRecord[] = [];
  readonly pipeline: CapturePipeline;
  readonly texts = new Map<string, string>();
  /** Every text inserted in the scenario: none of it may ever reach a record. */
  readonly inserted: string[] = [];
  private nextId = 1;

  constructor(options: { windowId?: string } = {}) {
    this.pipeline = new CapturePipeline({ append: (r) => this.records.push(r) }, { windowId: options.windowId ?? 'w1', newId: () => `s${this.nextId++}` });
  }

  open(meta: DocumentMeta, text = ''): void {
    this.texts.set(meta.docKey, text);
    this.pipeline.openDocument(meta, text.length);
  }

  /** Applies `changes` (VS Code order: each against the text left by the previous) and feeds them as one event. */
  change(meta: DocumentMeta, t: number, changes: TextChange[], extra: Partial<ChangeObservation> = {}): ReturnType<CapturePipeline['change']> {
    let text = this.text(meta);
    for (const c of changes) {
      text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
      if (c.text.length > 0) this.inserted.push(c.text);
    }
    this.texts.set(meta.docKey, text);
    return this.pipeline.change({
      t, docKey: meta.docKey, languageId: meta.languageId, isActiveEditor: true, recentlyTypedInDoc: true, otherDocsChangedInSameTick: 0, changes, ...extra,
    });
  }

  insert(meta: DocumentMeta, t: number, offset: number, text: string, extra: Partial<ChangeObservation> = {}): ReturnType<CapturePipeline['change']> {
    return this.change(meta, t, [{ rangeOffset: offset, rangeLength: 0, text }], extra);
  }

  remove(meta: DocumentMeta, t: number, offset: number, length: number, extra: Partial<ChangeObservation> = {}): ReturnType<CapturePipeline['change']> {
    return this.change(meta, t, [{ rangeOffset: offset, rangeLength: length, text: '' }], extra);
  }

  /** An inline-suggestion accept as the host's wrapper reports it: intent, the change, then done. */
  accept(meta: DocumentMeta, t: number, offset: number, text: string, kind: 'full' | 'word' | 'line' = 'full'): void {
    this.pipeline.acceptIntent(meta.docKey, kind, t);
    this.insert(meta, t + 5, offset, text);
    this.pipeline.acceptDone(meta.docKey, t + 10);
  }

  /** Types `text` one character per event, 100 ms apart, starting at `offset`; returns the time after. */
  type(meta: DocumentMeta, t: number, offset: number, text: string): number {
    for (let i = 0; i < text.length; i++) this.insert(meta, t + i * 100, offset + i, text[i]);
    return t + text.length * 100;
  }

  text(meta: DocumentMeta): string {
    return this.texts.get(meta.docKey) ?? '';
  }

  close(meta: DocumentMeta, now: number): void {
    const text = this.text(meta);
    this.pipeline.closeDocument(meta.docKey, hashLines(salt, text), lineLengthsOf(text), now);
  }

  of<K extends CaptureRecord['k']>(kind: K): Extract<CaptureRecord, { k: K }>[] {
    return this.records.filter((r): r is Extract<CaptureRecord, { k: K }> => r.k === kind);
  }

  /** The last `surv` record written for a span. */
  lastSurvival(id: string): SpanRecord {
    const found = this.of('surv').filter((r) => r.span.id === id);
    assert.ok(found.length > 0, `no surv record for ${id}`);
    return found[found.length - 1].span;
  }

  ranges(meta: DocumentMeta): Record<string, [number, number][]> {
    return Object.fromEntries(this.pipeline.liveSpans(meta.docKey).map((s) => [s.id, s.ranges]));
  }
}

/** Brute-force span layout: one owner per character, changes applied one after the other. */
function bruteForce(initial: (string | null)[], events: { changes: TextChange[]; owner: string | null }[]): Record<string, [number, number][]> {
  const tags = initial.slice();
  for (const { changes, owner } of events) {
    for (const c of changes) tags.splice(c.rangeOffset, c.rangeLength, ...new Array<string | null>(c.text.length).fill(owner));
  }
  const out: Record<string, [number, number][]> = {};
  tags.forEach((tag, i) => {
    if (tag === null) return;
    const list = (out[tag] ??= []);
    const last = list[list.length - 1];
    if (last !== undefined && last[1] === i) last[1] = i + 1;
    else list.push([i, i + 1]);
  });
  return out;
}

const block = 'function addNumbers(a, b) {\n  return a + b;\n}\n';

describe('CapturePipeline', () => {
  describe('insertions', () => {
    it('turns an inline accept (intent → change → done) into an inline, certain `ins` record with size, day, hour and file kind', () => {
      const h = new Harness();
      h.open(appMeta, '// header\n');
      h.accept(appMeta, t0, 10, block);
      h.open(testMeta, '');
      h.accept(testMeta, t0 + min, 0, 'it("adds", () => expectEqual(addNumbers(1, 2), 3));\n');
      h.pipeline.tick(t0 + min + sec);
      const [ins, testIns] = h.of('ins');
      assert.deepEqual(ins, {
        k: 'ins', t: t0 + 5, w: 'w1', id: 's1', source: 'inline', confidence: 'certain', chars: block.length, lines: 3,
        languageId: 'typescript', fileKind: 'source', path: 'src/app.ts', project: 'w', day: dayKeyOf(t0), hour: hourOf(t0),
      });
      assert.equal(ins.day, '2025-06-10');
      assert.equal(ins.hour, 9);
      assert.equal(testIns.fileKind, 'test');
      assert.equal(testIns.source, 'inline');
      assert.deepEqual(h.ranges(appMeta), { s1: [[10, 10 + block.length]] });
    });

    it('extends the same span for a partial accept followed by another (`ext` record, alive grows)', () => {
      const h = new Harness();
      h.open(appMeta, '');
      h.accept(appMeta, t0, 0, 'const ', 'word');
      h.accept(appMeta, t0 + sec, 6, 'total = ', 'word');
      h.accept(appMeta, t0 + 2 * sec, 14, 'compute(items);\n', 'line');
      h.pipeline.writeLanded();
      assert.equal(h.of('ins').length, 1);
      assert.deepEqual(h.of('ext'), [], 'extensions are summed in memory, not written per keystroke');
      assert.deepEqual(h.ranges(appMeta), { s1: [[0, 30]] });
      const record = h.pipeline.spanRecord('s1');
      assert.equal(record?.originalChars, 30);
      assert.equal(record?.aliveChars, 30);
      h.pipeline.tick(t0 + 3 * sec, true);
      // One `ext` record with the sum, written before the survival that counts it.
      assert.deepEqual(h.of('ext').map(({ id, chars, lines, t }) => ({ id, chars, lines, t })), [{ id: 's1', chars: 24, lines: 1, t: t0 + 2 * sec + 5 }]);
      assert.equal(h.lastSurvival('s1').aliveChars, 30);
      assert.ok(h.records.findIndex((r) => r.k === 'ext') < h.records.findIndex((r) => r.k === 'surv'));
    });

    it('makes a typed run of at least one line a `typed` insertion that claims the characters typed before', () => {
      const h = new Harness();
      h.open(appMeta, '// top\n');
      const end = h.type(appMeta, t0, 7, 'let count = 0;');
      h.pipeline.writeLanded();
      assert.equal(h.of('ins').length, 0, 'no insertion before the line is complete');
      const [decision] = h.insert(appMeta, end, 21, '\n');
      assert.equal(decision.kind, 'insertion');
      h.pipeline.writeLanded();
      const [ins] = h.of('ins');
      assert.equal(ins.source, 'typed');
      assert.equal(ins.confidence, 'certain');
      assert.equal(ins.chars, 15);
      assert.equal(ins.lines, 1);
      assert.deepEqual(h.ranges(appMeta), { [ins.id]: [[7, 22]] });
      assert.equal(h.pipeline.spanRecord(ins.id)?.originalChars, 15);
      // Typing on in the run extends the typed insertion.
      h.type(appMeta, end + 100, 22, 'x');
      h.pipeline.tick(end + 200, true);
      assert.deepEqual(h.of('ext').map((r) => [r.id, r.chars]), [[ins.id, 1]]);
      assert.deepEqual(h.ranges(appMeta), { [ins.id]: [[7, 23]] });
    });

    it('records a paste equal to the clipboard as `paste`, certain', () => {
      const h = new Harness();
      h.open(appMeta, '');
      const pasted = 'const pastedValue = readConfig();\nexport default pastedValue;\n';
      h.insert(appMeta, t0, 0, pasted, { clipboardText: pasted, recentlyTypedInDoc: false });
      h.pipeline.writeLanded();
      const [ins] = h.of('ins');
      assert.equal(ins.source, 'paste');
      assert.equal(ins.confidence, 'certain');
      assert.equal(ins.chars, pasted.length);
      assert.equal(ins.lines, 2);
    });

    it('follows a new span from its event on and writes its record at the next tick, with the size and path it landed with', () => {
      const h = new Harness();
      h.open(appMeta, '');
      h.accept(appMeta, t0, 0, 'const ', 'word');
      assert.deepEqual(h.records.filter((r) => r.k !== 'ctx'), [], 'the event that lands the insertion writes nothing');
      assert.deepEqual(h.ranges(appMeta), { s1: [[0, 6]] });
      assert.equal(h.pipeline.spanRecord('s1')?.originalChars, 6);
      // Extended and renamed before the tick: the record still tells what landed, and where.
      h.accept(appMeta, t0 + sec, 6, 'total = 1;\n', 'line');
      const renamed: DocumentMeta = { ...appMeta, docKey: 'file:///w/src/total.ts', path: 'src/total.ts' };
      h.pipeline.rename(appMeta.docKey, renamed);
      h.pipeline.tick(t0 + 2 * sec);
      assert.deepEqual(h.of('ins').map(({ id, t, chars, path }) => ({ id, t, chars, path })), [{ id: 's1', t: t0 + 5, chars: 6, path: 'src/app.ts' }]);
      h.pipeline.tick(t0 + 3 * sec);
      assert.equal(h.of('ins').length, 1, 'written once');
    });

    it('writes the records of insertions not written yet before a closed or deleted document’s survival', () => {
      const h = new Harness();
      h.open(appMeta, 'x\n');
      h.open(testMeta, '');
      h.accept(appMeta, t0, 2, block);
      h.accept(testMeta, t0 + sec, 0, block);
      const kinds = (): string[] => h.records.filter((r) => r.k !== 'ctx').map((r) => (r.k === 'surv' ? `surv ${r.span.id}` : r.k === 'ins' ? `ins ${r.id}` : r.k));
      h.pipeline.deleted(testMeta.docKey, t0 + 2 * sec);
      assert.deepEqual(kinds(), ['ins s1', 'ins s2', 'surv s2']);
      h.accept(appMeta, t0 + 3 * sec, 0, block);
      h.close(appMeta, t0 + 4 * sec);
      assert.deepEqual(kinds(), ['ins s1', 'ins s2', 'surv s2', 'ins s3', 'doc', 'surv s1', 'surv s3']);
    });
  });

  describe('survival', () => {
    it('counts typing inside a span as fix-up and splits the span around it', () => {
      const h = new Harness();
      h.open(appMeta, '');
      h.accept(appMeta, t0, 0, block);
      h.insert(appMeta, t0 + 20 * sec, 9, 'X');
      h.insert(appMeta, t0 + 21 * sec, 10, 'Y');
      assert.deepEqual(h.ranges(appMeta), { s1: [[0, 9], [11, block.length + 2]] });
      const record = h.pipeline.spanRecord('s1');
      assert.equal(record?.fixupChars, 2);
      assert.equal(record?.aliveChars, block.length);
      h.pipeline.tick(t0 + min, true);
      assert.equal(h.lastSurvival('s1').fixupChars, 2);
    });

    it('gives quick regret and the rework time when half of an insertion goes within 2 minutes', () => {
      const h = new Harness();
      h.open(appMeta, '');
      h.accept(appMeta, t0, 0, block);
      const half = Math.ceil(block.length / 2);
      h.remove(appMeta, t0 + 5 + 90 * sec, 0, half);
      h.pipeline.tick(t0 + 100 * sec, true);
      const span = h.lastSurvival('s1');
      assert.equal(span.quickRegret, true);
      assert.equal(span.reworkedAfterMs, 90 * sec);
      assert.equal(span.aliveChars, block.length - half);
      assert.equal(h.of('ins').length, 1);
    });

    it('keeps an insertion whole when its lines are moved (Alt+Down): no rework, no new insertion', () => {
      const h = new Harness();
      h.open(appMeta, 'const a = 1;\nconst b = 2;\n');
      h.accept(appMeta, t0, 13, block);
      const end = 13 + block.length;
      // The accepted function goes below `const b = 2;\n`: inserted there first, then deleted.
      h.change(appMeta, t0 + 30 * sec, [{ rangeOffset: end + 13, rangeLength: 0, text: block }, { rangeOffset: 13, rangeLength: block.length, text: '' }]);
      assert.equal(h.text(appMeta), `const a = 1;\nconst b = 2;\n${block}`);
      assert.deepEqual(h.ranges(appMeta), { s1: [[26, 26 + block.length]] });
      h.pipeline.tick(t0 + min, true);
      const span = h.lastSurvival('s1');
      assert.equal(span.aliveChars, block.length);
      assert.equal(span.reworkedAfterMs, null);
      assert.equal(span.quickRegret, false);
      assert.equal(span.fixupChars, 0);
      assert.equal(h.of('ins').length, 1);
    });

    it('does not flag quick regret when the loss comes after 2 minutes', () => {
      const h = new Harness();
      h.open(appMeta, '');
      h.accept(appMeta, t0, 0, block);
      h.remove(appMeta, t0 + 5 + 3 * min, 0, block.length);
      h.pipeline.tick(t0 + 4 * min, true);
      const span = h.lastSurvival('s1');
      assert.equal(span.quickRegret, false);
      assert.equal(span.reworkedAfterMs, 3 * min);
    });

    it('samples checkpoints on ticks, writing survival at most every flush interval unless forced', () => {
      const h = new Harness();
      h.open(appMeta, '');
      h.accept(appMeta, t0, 0, block);
      h.pipeline.tick(t0 + min);
      assert.equal(h.of('surv').length, 0, 'a new span has no news until its first checkpoint');
      h.remove(appMeta, t0 + 5 * min, 0, 10);
      h.pipeline.tick(t0 + 5 * min + 10 * sec);
      assert.equal(h.of('surv').length, 0, 'losing a few characters is no news: it waits for the checkpoint');
      h.pipeline.tick(t0 + 11 * min);
      assert.equal(h.of('surv').length, 1, 'the 10 min checkpoint is written');
      assert.deepEqual(h.lastSurvival('s1').samples, { '10m': (block.length - 10) / block.length });
      h.pipeline.tick(t0 + 61 * min);
      assert.deepEqual(h.lastSurvival('s1').samples, { '10m': (block.length - 10) / block.length, '1h': (block.length - 10) / block.length });
      const count = h.of('surv').length;
      h.pipeline.tick(t0 + 62 * min, true);
      assert.equal(h.of('surv').length, count, 'a forced tick writes nothing when nothing changed');
    });

    it('samples each span at its own checkpoints, in every open document, and leaves spans with nothing due alone', () => {
      const h = new Harness();
      h.open(appMeta, '');
      h.open(testMeta, '');
      h.accept(appMeta, t0, 0, block);
      h.accept(testMeta, t0 + 5 * min, 0, block);
      const landed = h.pipeline.spanRecord('s2')?.lastObservedAt;
      h.pipeline.tick(t0 + 11 * min);
      assert.deepEqual(h.of('surv').map((r) => [r.span.id, Object.keys(r.span.samples)]), [['s1', ['10m']]]);
      assert.equal(h.pipeline.spanRecord('s2')?.lastObservedAt, landed, 'a span whose first checkpoint is 4 minutes away is not visited');
      h.pipeline.tick(t0 + 16 * min);
      assert.deepEqual(h.of('surv').map((r) => [r.span.id, Object.keys(r.span.samples)]), [['s1', ['10m']], ['s2', ['10m']]]);
      // Closed and opened again several times: each checkpoint is still sampled once, at its time.
      for (let i = 0; i < 3; i++) {
        h.close(appMeta, t0 + (20 + i) * min);
        const layout = h.of('doc').at(-1) as DocumentRecord;
        const text = h.text(appMeta);
        h.pipeline.reopenDocument(appMeta, layout, [structuredClone(h.lastSurvival('s1'))], { lineHashes: hashLines(salt, text), lineLengths: lineLengthsOf(text) }, t0 + (20 + i) * min + sec);
      }
      h.pipeline.tick(t0 + 24 * min); // writes what the reopen caught up
      const written = h.of('surv').length;
      h.pipeline.tick(t0 + 59 * min);
      assert.equal(h.of('surv').length, written, 'nothing due before the hour');
      h.pipeline.tick(t0 + 66 * min);
      assert.deepEqual(h.of('surv').slice(written).map((r) => [r.span.id, Object.keys(r.span.samples)]), [['s1', ['10m', '1h']], ['s2', ['10m', '1h']]]);
      h.pipeline.tick(t0 + 67 * min);
      assert.equal(h.of('surv').length, written + 2);
    });

    it('treats undo of an accept as no new insertion and lowers its survival', () => {
      const h = new Harness();
      h.open(appMeta, 'x\n');
      h.accept(appMeta, t0, 2, block);
      const decisions = h.remove(appMeta, t0 + 30 * sec, 2, block.length, { reason: 'undo' });
      assert.deepEqual(decisions.map((d) => d.kind), ['ignore']);
      h.change(appMeta, t0 + 31 * sec, [{ rangeOffset: 2, rangeLength: 0, text: block }], { reason: 'redo' });
      h.pipeline.tick(t0 + min, true);
      assert.equal(h.of('ins').length, 1);
      const span = h.lastSurvival('s1');
      assert.equal(span.aliveChars, 0);
      assert.equal(span.quickRegret, true);
      assert.deepEqual(h.ranges(appMeta), { s1: [] });
    });

    it('keeps offsets right for an event with several changes (multi-cursor typing and deleting)', () => {
      const h = new Harness();
      const initial = 'alpha\nbeta\ngamma\ndelta\n';
      h.open(appMeta, initial);
      h.accept(appMeta, t0, 6, block);
      const events: { changes: TextChange[]; owner: string | null }[] = [
        { changes: [{ rangeOffset: 6, rangeLength: 0, text: block }], owner: 's1' },
        // VS Code sends multi-cursor changes last-first, each valid against the previous result.
        { changes: [40, 20, 12, 3].map((o) => ({ rangeOffset: o, rangeLength: 0, text: 'q' })), owner: null },
        { changes: [44, 30, 8].map((o) => ({ rangeOffset: o, rangeLength: 1, text: '' })), owner: null },
        { changes: [50, 25, 6].map((o) => ({ rangeOffset: o, rangeLength: 2, text: 'zz' })), owner: null },
      ];
      for (const [i, event] of events.entries()) {
        if (i > 0) h.change(appMeta, t0 + i * sec, event.changes);
      }
      const expected = bruteForce(new Array<string | null>(initial.length).fill(null), events);
      assert.deepEqual(h.ranges(appMeta), expected);
      const alive = expected.s1.reduce((n, [a, b]) => n + b - a, 0);
      assert.equal(h.pipeline.spanRecord('s1')?.aliveChars, alive);
    });
  });

  describe('edit activity', () => {
    it('journals edit activity at most once a minute per document, plus the last edit when typing stops, only for the active editor', () => {
      const h = new Harness();
      h.open(appMeta, '');
      h.open(testMeta, '');
      const edit = (path: string, t: number): object => ({ kind: 'edit', t, day: dayKeyOf(t), window: 'w1', project: 'w', path });
      h.insert(appMeta, t0, 0, 'a');
      h.insert(appMeta, t0 + 5 * sec, 1, 'b');
      h.insert(testMeta, t0 + 6 * sec, 0, 'c');
      h.insert(appMeta, t0 + 59_999, 2, 'd');
      h.insert(testMeta, t0 + 30 * sec, 1, 'f', { isActiveEditor: false });
      assert.deepEqual(h.of('ctx').map((r) => r.event), [edit('src/app.ts', t0), edit('test/app.test.ts', t0 + 6 * sec)], 'leading edges only so far');
      h.pipeline.tick(t0 + 70 * sec);
      // Typing in src/app.ts stopped at 59.999 s: that edit is journalled with its own time.
      assert.deepEqual(h.of('ctx').map((r) => r.event), [edit('src/app.ts', t0), edit('test/app.test.ts', t0 + 6 * sec), edit('src/app.ts', t0 + 59_999)]);
      // Continuous typing: one edit a minute, not one per keystroke.
      for (let t = t0 + 2 * min; t < t0 + 5 * min; t += 2 * sec) {
        h.insert(appMeta, t, 3, 'x');
        h.pipeline.tick(t);
      }
      const during = h.of('ctx').filter((r) => r.event.t >= t0 + 2 * min).length;
      assert.ok(during >= 3 && during <= 4, `${during} edit events in 3 minutes of typing`);
      assert.ok(h.of('ctx').every((r) => r.t === r.event.t && r.w === 'w1'));
    });
  });

  describe('closing and reopening', () => {
    /** A pipeline that followed `block` accepted into a small file, then closed it at `closedAt`. */
    function closedScenario(closedAt: number): { h: Harness; layout: DocumentRecord; records: SpanRecord[]; text: string } {
      const h = new Harness();
      h.open(appMeta, 'import { x } from "y";\n\n');
      h.accept(appMeta, t0, 24, block);
      h.insert(appMeta, t0 + min, 24 + block.length, 'export { addNumbers };\n', { clipboardText: 'export { addNumbers };\n' });
      h.close(appMeta, closedAt);
      const layout = h.of('doc')[0];
      const records = h.of('surv').filter((r) => r.t === closedAt).map((r) => r.span);
      return { h, layout, records, text: h.text(appMeta) };
    }

    it('writes the layout with the given line hashes and the survival of its spans', () => {
      const { h, layout, records, text } = closedScenario(t0 + 5 * min);
      assert.equal(h.pipeline.isOpen(appMeta.docKey), false);
      assert.equal(layout.lineHashes.length, text.split('\n').length);
      assert.deepEqual(layout.lineHashes, hashLines(salt, text));
      assert.deepEqual(layout.lineLengths, lineLengthsOf(text));
      assert.equal(layout.path, 'src/app.ts');
      assert.equal(layout.project, 'w');
      assert.equal(layout.spans.length, text.length);
      assert.deepEqual(records.map((r) => r.id).sort(), ['s1', 's2']);
      assert.equal(h.pipeline.spanRecord('s1'), undefined);
    });

    it('observes the spans up to the close, so checkpoints passed while open are known', () => {
      const { records } = closedScenario(t0 + 15 * min);
      const s1 = records.find((r) => r.id === 's1');
      assert.deepEqual(s1?.samples, { '10m': 1 });
      assert.equal(s1?.lastObservedAt, t0 + 15 * min);
    });

    it('writes no layout whose lines do not describe the tracked document, but still the survival', () => {
      const h = new Harness();
      h.open(appMeta, '');
      h.accept(appMeta, t0, 0, block);
      h.pipeline.closeDocument(appMeta.docKey, ['a', 'b'], [3, 4], t0 + min);
      assert.equal(h.of('doc').length, 0);
      assert.equal(h.lastSurvival('s1').lastObservedAt, t0 + min);
      assert.equal(h.pipeline.isOpen(appMeta.docKey), false);
    });

    it('writes no layout for a document without spans', () => {
      const h = new Harness();
      h.open(appMeta, 'plain\n');
      h.insert(appMeta, t0, 0, 'a');
      h.close(appMeta, t0 + sec);
      assert.deepEqual(h.records.filter((r) => r.k !== 'ctx'), []);
    });

    it('restores the exact spans and survival when the lines are unchanged, filling checkpoints passed while closed', () => {
      const { h, layout, records, text } = closedScenario(t0 + 5 * min);
      const before = h.of('doc')[0].spans;
      const fresh = new Harness();
      const result = fresh.pipeline.reopenDocument(appMeta, layout, structuredClone(records), { lineHashes: hashLines(salt, text), lineLengths: lineLengthsOf(text) }, t0 + 2 * hour);
      assert.deepEqual(result, { lostChars: 0, approximate: false });
      assert.deepEqual(fresh.pipeline.documentState(appMeta.docKey)?.spans, before);
      const s1 = fresh.pipeline.spanRecord('s1');
      assert.equal(s1?.aliveChars, block.length);
      assert.deepEqual(s1?.samples, { '10m': 1, '1h': 1 });
      assert.equal(s1?.lastObservedAt, t0 + 2 * hour);
      fresh.pipeline.tick(t0 + 2 * hour, true);
      assert.deepEqual(fresh.of('surv').map((r) => r.span.id).sort(), ['s1', 's2']);
    });

    it('re-anchors changed lines, counts the lost characters and marks checkpoints passed while closed unknown', () => {
      const { layout, records, text } = closedScenario(t0 + 5 * min);
      // The `return` line of the accepted block is gone, the rest moved down by a new first line.
      const lines = text.split('\n');
      const changed = ['// new first line', ...lines.filter((l) => l !== '  return a + b;')].join('\n');
      const fresh = new Harness();
      fresh.texts.set(appMeta.docKey, changed);
      const result = fresh.pipeline.reopenDocument(appMeta, layout, structuredClone(records), { lineHashes: hashLines(salt, changed), lineLengths: lineLengthsOf(changed) }, t0 + 2 * hour);
      const lost = '  return a + b;\n'.length;
      assert.deepEqual(result, { lostChars: lost, approximate: false });
      const s1 = fresh.pipeline.spanRecord('s1');
      assert.equal(s1?.aliveChars, block.length - lost);
      assert.deepEqual(s1?.samples, { '10m': 'unknown', '1h': 'unknown' });
      // s2 lost nothing: its checkpoints keep the last seen share.
      assert.deepEqual(fresh.pipeline.spanRecord('s2')?.samples, { '10m': 1, '1h': 1 });
      const start = changed.indexOf('function');
      assert.deepEqual(fresh.ranges(appMeta).s1, [[start, start + block.length - lost]]);
      // Followed again: an edit to the re-anchored span counts.
      fresh.remove(appMeta, t0 + 2 * hour + sec, start, 9);
      assert.equal(fresh.pipeline.spanRecord('s1')?.aliveChars, block.length - lost - 9);
    });

    it('skips closed span records on reopen', () => {
      const { layout, records, text } = closedScenario(t0 + 5 * min);
      const closed = records.map((r) => (r.id === 's1' ? { ...r, closedReason: 'fileDeleted' as const } : r));
      const fresh = new Harness();
      fresh.pipeline.reopenDocument(appMeta, layout, closed, { lineHashes: hashLines(salt, text), lineLengths: lineLengthsOf(text) }, t0 + hour);
      assert.deepEqual(fresh.pipeline.liveSpans(appMeta.docKey).map((s) => s.id), ['s2']);
    });
  });

  describe('rename, delete, suspension', () => {
    it('keeps the spans of a renamed document under its new key', () => {
      const h = new Harness();
      h.open(appMeta, '');
      h.accept(appMeta, t0, 0, block);
      const renamed: DocumentMeta = { docKey: 'file:///w/src/sum.ts', path: 'src/sum.ts', project: 'w', languageId: 'typescript' };
      h.pipeline.rename(appMeta.docKey, renamed);
      h.texts.set(renamed.docKey, h.text(appMeta));
      assert.equal(h.pipeline.isOpen(appMeta.docKey), false);
      assert.equal(h.pipeline.isOpen(renamed.docKey), true);
      assert.deepEqual(h.ranges(renamed), { s1: [[0, block.length]] });
      h.remove(renamed, t0 + min, 0, 4);
      assert.equal(h.pipeline.spanRecord('s1')?.aliveChars, block.length - 4);
      h.close(renamed, t0 + 2 * min);
      assert.equal(h.of('doc')[0].path, 'src/sum.ts');
    });

    it('closes the spans of a deleted document with reason fileDeleted', () => {
      const h = new Harness();
      h.open(appMeta, '');
      h.accept(appMeta, t0, 0, block);
      h.pipeline.deleted(appMeta.docKey, t0 + 20 * min);
      const span = h.lastSurvival('s1');
      assert.equal(span.closedReason, 'fileDeleted');
      assert.deepEqual(span.samples, { '10m': 1 });
      assert.equal(span.reworkedAfterMs, null);
      assert.equal(h.pipeline.isOpen(appMeta.docKey), false);
      assert.equal(h.pipeline.spanRecord('s1'), undefined);
      assert.equal(h.of('doc').length, 0);
    });

    it('suspends spans while a checkout rewrites the document, and restores them exactly when it comes back', () => {
      const h = new Harness();
      h.open(appMeta, '');
      h.accept(appMeta, t0, 0, block);
      const lines = (text: string): { lineHashes: string[]; lineLengths: number[] } => ({ lineHashes: hashLines('salt', text), lineLengths: lineLengthsOf(text) });
      const saved = lines(h.text(appMeta));
      h.pipeline.vcsRewriting(appMeta.docKey, saved, 'branchSwitch', t0 + sec);
      // The other branch has none of it: git rewrites the file, VS Code reloads it.
      const removed = h.text(appMeta);
      h.remove(appMeta, t0 + 2 * sec, 0, removed.length, { vcsOperationInFlight: true });
      let span = h.pipeline.spanRecord('s1');
      assert.equal(span?.suspendedReason, 'branchSwitch');
      assert.equal(span?.reworkedAfterMs, null, 'a checkout is not rework');
      assert.equal(span?.quickRegret, false);
      assert.equal(h.pipeline.vcsReturned(appMeta.docKey, lines(h.text(appMeta)), t0 + 3 * sec), false, 'still on the other branch');
      // Back on the first branch: the same lines, the same spans, nothing lost.
      assert.deepEqual(h.insert(appMeta, t0 + 4 * sec, 0, removed, { vcsOperationInFlight: true }).map((d) => d.kind), ['ignore']);
      assert.equal(h.pipeline.vcsReturned(appMeta.docKey, lines(h.text(appMeta)), t0 + 5 * sec), true);
      span = h.pipeline.spanRecord('s1');
      assert.deepEqual([span?.aliveChars, span?.excludedChars, span?.suspendedReason, span?.reworkedAfterMs], [block.length, 0, undefined, null]);
      assert.deepEqual(h.ranges(appMeta), { s1: [[0, block.length]] });
      // Followed as before: deleting half of it now is rework.
      h.remove(appMeta, t0 + 6 * sec, 0, Math.ceil(block.length / 2));
      assert.equal(h.pipeline.spanRecord('s1')?.reworkedAfterMs, 6 * sec - 5);
    });
  });

  describe('privacy', () => {
    it('never writes inserted text into any record', () => {
      const h = new Harness();
      h.open(appMeta, '');
      h.open(testMeta, '');
      h.accept(appMeta, t0, 0, 'const secretAlpha = computeBravo();\n');
      h.accept(appMeta, t0 + sec, 36, 'chain', 'word');
      h.accept(appMeta, t0 + 2 * sec, 41, 'Continuation()', 'word');
      const end = h.type(appMeta, t0 + 3 * sec, 55, ' // typedComment');
      h.insert(appMeta, end, 71, '\n');
      const pasted = 'pastedSecretValue = loadFromVault();\n';
      h.insert(testMeta, t0 + 10 * sec, 0, pasted, { clipboardText: pasted });
      h.insert(testMeta, t0 + 11 * sec, 0, 'agentWroteThis();\nandThisToo();\n', { isActiveEditor: false });
      h.change(testMeta, t0 + 12 * sec, [{ rangeOffset: 30, rangeLength: 0, text: 'multiRangeOne' }, { rangeOffset: 5, rangeLength: 0, text: 'multiRangeTwo' }]);
      h.remove(appMeta, t0 + 13 * sec, 0, 6);
      h.pipeline.tick(t0 + 11 * min, true);
      h.close(appMeta, t0 + 12 * min);
      h.pipeline.deleted(testMeta.docKey, t0 + 13 * min);
      assert.ok(h.of('ins').length >= 4, 'the scenario made insertions');
      const json = JSON.stringify(h.records);
      const pieces = h.inserted.flatMap((text) => text.split(/[^\w]+/)).filter((w) => w.length >= 5);
      assert.ok(pieces.length > 10);
      for (const piece of pieces) assert.ok(!json.includes(piece), `record text contains ${JSON.stringify(piece)}`);
    });
  });
});
