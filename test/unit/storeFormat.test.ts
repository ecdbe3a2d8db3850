import assert from 'node:assert/strict';
import { schemaVersion } from '../../src/core/model';
import type { StoredRecord } from '../../src/core/storeFormat';
import { decodeLine, describeSkips, emptySkipCounts, encodeRecord, maxLineBytes } from '../../src/core/storeFormat';

const base: StoredRecord = { v: schemaVersion, k: 'switch', t: 1_700_000_000_000, w: 'win1' };

describe('storeFormat', () => {
  describe('encodeRecord', () => {
    it('writes the envelope first and one line, whatever the key order', () => {
      const line = encodeRecord({ note: 'a\nb', w: 'win1', t: 5, k: 'x', v: schemaVersion, nested: { list: [1, null, true] } });
      assert.equal(line, `{"v":${schemaVersion},"k":"x","t":5,"w":"win1","note":"a\\nb","nested":{"list":[1,null,true]}}`);
      assert.ok(!line.includes('\n'));
    });

    it('round-trips through decodeLine', () => {
      const record: StoredRecord = { ...base, chars: 12, tags: ['a', 'é', '😀'], deep: { x: { y: 'z' } } };
      assert.deepEqual(decodeLine(encodeRecord(record)), { ok: true, records: [record] });
    });

    const notJson: [string, unknown][] = [
      ['undefined', undefined],
      ['a function', (): void => undefined],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['a bigint', BigInt(1)],
      ['a Date', new Date(0)],
      ['a Map', new Map()],
      ['a class instance', new (class Point {})()],
      ['a sparse array', [1, , 3]],
      ['undefined inside an object', { a: undefined }],
    ];
    for (const [label, value] of notJson) {
      it(`rejects ${label}`, () => {
        assert.throws(() => encodeRecord({ ...base, payload: value as never }), TypeError);
      });
    }

    it('rejects a circular payload but accepts a shared (non-circular) one', () => {
      const loop: Record<string, unknown> = {};
      loop.self = loop;
      assert.throws(() => encodeRecord({ ...base, payload: loop as never }), /circular/);
      const shared = { a: 1 };
      assert.doesNotThrow(() => encodeRecord({ ...base, one: shared, two: shared }));
    });

    it('rejects a bad envelope: wrong version, empty kind, non-finite time, missing window', () => {
      assert.throws(() => encodeRecord({ ...base, v: schemaVersion + 1 }), TypeError);
      assert.throws(() => encodeRecord({ ...base, k: '' }), TypeError);
      assert.throws(() => encodeRecord({ ...base, t: Number.NaN }), TypeError);
      assert.throws(() => encodeRecord({ ...base, w: undefined as never }), TypeError);
    });

    it('rejects a line longer than maxLineBytes, counting UTF-8 bytes', () => {
      assert.doesNotThrow(() => encodeRecord({ ...base, s: 'a'.repeat(maxLineBytes - 100) }));
      assert.throws(() => encodeRecord({ ...base, s: 'é'.repeat(maxLineBytes / 2) }), RangeError);
    });
  });

  describe('decodeLine', () => {
    it('calls every strict prefix of a record line truncated', () => {
      const line = encodeRecord({ ...base, text: 'a "quoted" \\ value', list: [{ a: 1 }, [2]] });
      for (let cut = 1; cut < line.length; cut++) {
        assert.deepEqual(decodeLine(line.slice(0, cut)), { ok: false, reason: 'truncated' }, line.slice(0, cut));
      }
    });

    it('calls non-JSON garbage and a closed object with trailing junk garbage', () => {
      for (const line of ['hello', '}{', '{"v":1}junk', '\u0000\u0000\u0000', '{"v":1,"k":"x"}{"v":1']) {
        assert.deepEqual(decodeLine(line), { ok: false, reason: 'garbage' }, line);
      }
    });

    it('calls JSON that is not a valid record invalid', () => {
      const lines = ['[1,2]', '42', 'null', '{"k":"x","t":1,"w":"a"}', '{"v":1,"k":"","t":1,"w":"a"}', '{"v":1,"k":"x","t":"1","w":"a"}', '{"v":1,"k":"x","t":1}', '{"v":-1,"k":"x","t":1,"w":"a"}', '{"v":0.5,"k":"x","t":1,"w":"a"}'];
      for (const line of lines) assert.deepEqual(decodeLine(line), { ok: false, reason: 'invalid' }, line);
    });

    it('skips an over-long line as tooLong, by UTF-8 bytes', () => {
      assert.deepEqual(decodeLine(`{"v":1,"s":"${'a'.repeat(maxLineBytes)}"}`), { ok: false, reason: 'tooLong' });
      assert.deepEqual(decodeLine(`{"v":1,"s":"${'€'.repeat(maxLineBytes / 3 + 10)}"}`), { ok: false, reason: 'tooLong' });
      assert.equal(decodeLine(encodeRecord({ ...base, s: '€'.repeat(maxLineBytes / 3 - 100) })).ok, true);
    });

    it('reports a newer version with its raw line, untouched', () => {
      const line = `{"v":${schemaVersion + 1},"k":"future","when":"tomorrow","t":1,"w":"a"}`;
      assert.deepEqual(decodeLine(line), { ok: false, reason: 'newerVersion', raw: line });
    });

    it('migrates the v0 shape (time in `ts`) to the current version', () => {
      const decoded = decodeLine('{"v":0,"k":"switch","ts":1234,"w":"a","kind":"tool"}');
      assert.deepEqual(decoded, { ok: true, records: [{ v: schemaVersion, k: 'switch', t: 1234, w: 'a', kind: 'tool' }] });
    });

    it('calls a v0 line whose migration leaves no valid envelope invalid', () => {
      assert.deepEqual(decodeLine('{"v":0,"k":"switch","w":"a"}'), { ok: false, reason: 'invalid' });
    });

    it('ignores a trailing carriage return (a journal edited on Windows)', () => {
      assert.equal(decodeLine(`${encodeRecord(base)}\r`).ok, true);
    });
  });

  describe('describeSkips', () => {
    it('says nothing when nothing was skipped and sums the reasons otherwise', () => {
      assert.equal(describeSkips(emptySkipCounts()), undefined);
      assert.equal(describeSkips({ ...emptySkipCounts(), truncated: 2, garbage: 1 }), 'skipped 3 stored lines: 1 garbage, 2 truncated');
    });
  });
});
