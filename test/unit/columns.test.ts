import assert from 'node:assert/strict';
import { blockDecodeBudget, columnsKind, decodeInts, encodeInts, maxBlockRows, packRecords, unpackColumns } from '../../src/core/columns';
import { schemaVersion } from '../../src/core/model';
import type { Random } from '../../src/core/random';
import { mulberry32 } from '../../src/core/random';
import type { JsonValue, StoredRecord } from '../../src/core/storeFormat';
import { decodeLine, encodeRecord, maxLineBytes } from '../../src/core/storeFormat';

const record = (fields: Record<string, JsonValue>): StoredRecord => ({ v: schemaVersion, k: 'surv', t: 1_700_000_000_000, w: 'win', ...fields });

/** What a day file holds after packing, read back line by line as the store reads it. */
function throughLines(records: StoredRecord[]): StoredRecord[] {
  return packRecords(records).flatMap((packed) => {
    const decoded = decodeLine(encodeRecord(packed));
    assert.ok(decoded.ok, encodeRecord(packed).slice(0, 200));
    return decoded.records;
  });
}

const byKindThenOrder = (records: StoredRecord[]): StoredRecord[] => [...records].sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));

describe('column blocks', () => {
  describe('encodeInts / decodeInts', () => {
    it('writes runs once and reads back what it wrote, negative and large numbers included', () => {
      const values = [0, 0, 0, 5, -3, 1_732_500_000_000, 1_732_500_000_000, 35, 36, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
      const text = encodeInts(values);
      assert.equal(text.startsWith('0*3,5,-3,'), true, text);
      assert.deepEqual(decodeInts(text, values.length), values);
      assert.deepEqual(decodeInts('', 0), []);
    });

    it('refuses text it did not write, and more numbers than asked for', () => {
      for (const bad of ['1,,2', 'x y', '1*0', '1*-2', '1.5', `1*${(maxBlockRows + 1).toString(36)}`, 'zzzzzzzzzzzz']) assert.equal(decodeInts(bad, maxBlockRows), undefined, bad);
    });
  });

  it('gives back exactly the records it packed, over random shapes (fields present or not, nested, unicode, floats, arrays)', () => {
    const random: Random = mulberry32(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const leaves: (() => JsonValue)[] = [
      () => Math.floor(random() * 1000),
      () => -Math.floor(random() * 1e12),
      () => Math.round(random() * 1000) / 1000,
      () => pick(['src/a.ts', 'src/ä/😀.ts', 'inline', '', 'a:b:c', '\ud83d']),
      () => pick([true, false, null]),
      () => [1, 'two', { three: 3 }],
      () => Array.from({ length: Math.floor(random() * 5) }, () => Math.floor(random() * 100)),
      () => Array.from({ length: Math.floor(random() * 4) }, (_, i) => ({ id: `s${i}`, original: Math.floor(random() * 50), ...(random() < 0.5 ? { createdAt: 1_700_000_000_000 + i } : {}) })),
      () => [[1, 2], [], ['x']],
      () => ({}),
      () => Number.MAX_SAFE_INTEGER,
    ];
    for (let round = 0; round < 500; round++) {
      const count = 1 + Math.floor(random() * 40);
      const records: StoredRecord[] = [];
      let t = 1_700_000_000_000;
      for (let i = 0; i < count; i++) {
        t += Math.floor(random() * 100_000);
        const fields: Record<string, JsonValue> = { t, id: `abc${i.toString(36)}`, k: pick(['surv', 'ins', 'doc']) };
        for (const name of ['a', 'b', 'c']) if (random() < 0.7) fields[name] = pick(leaves)();
        if (random() < 0.5) fields.span = { samples: random() < 0.5 ? {} : { '24h': pick(leaves)(), '7d': 'unknown' }, alive: pick(leaves)() };
        records.push(record(fields));
      }
      assert.deepEqual(byKindThenOrder(throughLines(records)), byKindThenOrder(records), `round ${round}`);
    }
  });

  it('packs a kind only when it has several records, and leaves a record with a dotted field name on its own line', () => {
    const few = [record({ id: 'a' }), record({ id: 'b' })];
    assert.deepEqual(packRecords(few), few);
    const many = Array.from({ length: 10 }, (_, i) => record({ id: `s${i}` }));
    const odd = record({ 'file.name': 'x' });
    const packed = packRecords([...many, odd]);
    assert.deepEqual(packed.map((r) => r.k), ['surv', columnsKind]);
    assert.equal(packed[0], odd);
  });

  it('keeps blocks far below the line limit: large records are split over blocks, and a huge one stays on its own line', () => {
    const layout = (i: number, lines: number): StoredRecord => record({ k: 'doc', path: `src/f${i}.ts`, lineHashes: Array.from({ length: lines }, (_, n) => `h${i}x${n}`) });
    const records = [...Array.from({ length: 40 }, (_, i) => layout(i, 2_000)), layout(99, 30_000)];
    const packed = packRecords(records);
    for (const line of packed.map(encodeRecord)) assert.ok(line.length < maxLineBytes / 2, `a line of ${line.length} bytes`);
    assert.ok(packed.filter((r) => r.k === columnsKind).length >= 2);
    assert.ok(packed.some((r) => r.k === 'doc' && r.path === 'src/f99.ts'));
    const byPath = (rs: StoredRecord[]): StoredRecord[] => [...rs].sort((a, b) => Number(String(a.path).slice(5, -3)) - Number(String(b.path).slice(5, -3)));
    assert.deepEqual(byPath(throughLines(records)), records);
  });

  it('stores survival records in a fraction of the bytes of their lines', () => {
    const records = Array.from({ length: 200 }, (_, i) =>
      record({
        t: 1_732_500_000_000 + i * 7_000,
        span: {
          id: `k3f9a2${i.toString(36)}`, t: 1_732_500_000_000 + i * 7_000, originalChars: 30 + (i % 50), aliveChars: 30 + (i % 50) - (i % 9 === 0 ? 5 : 0),
          excludedChars: 0, samples: { '10m': 1, '1h': 1, '24h': i % 9 === 0 ? 0.9 : 1 }, reworkedAfterMs: null, quickRegret: false, fixupChars: i % 4, lastObservedAt: 1_732_600_000_000,
        },
      }),
    );
    const lineBytes = records.reduce((sum, r) => sum + encodeRecord(r).length + 1, 0);
    const blockBytes = packRecords(records).reduce((sum, r) => sum + encodeRecord(r).length + 1, 0);
    assert.ok(blockBytes * 8 < lineBytes, `${blockBytes} bytes in blocks, ${lineBytes} as lines`);
  });

  it('calls a malformed block undefined rather than guessing', () => {
    const [block] = packRecords(Array.from({ length: 5 }, (_, i) => record({ id: `s${i}`, chars: i })));
    const c = block.c as Record<string, Record<string, JsonValue>>;
    const broken: Record<string, JsonValue>[] = [
      { n: 6 },
      { n: 0 },
      { n: maxBlockRows + 1 },
      { kind: '$cols' },
      { kind: 7 },
      { c: [] },
      { c: { ...c, chars: { n: '0,1,2' } } }, // too few values
      { c: { ...c, chars: { e: [1], x: '0,0,0,0,1' } } }, // index outside the dictionary
      { c: { ...c, id: { s: ['0:s0', '9:s1', '0:s2', '0:s3', '0:s4'] } } }, // shares more than the previous string has
      { c: { ...c, chars: { a: '2,2', n: '1,2' } } }, // presence runs that do not add up to the rows
      { c: { ...c, '__proto__.x': { n: '1*5' } } },
      { c: { ...c, t: { e: ['soon'], x: '0*5' } } }, // no time
      { c: { ...c, chars: { L: '1*5', E: { n: '1,2' } } } }, // lists whose elements do not add up
      // Lists of more elements than a block may decode, given as a valid column that would make them all.
      { c: { ...c, chars: { L: `${blockDecodeBudget.toString(36)},0*4`, E: { e: [0], x: `0*${blockDecodeBudget.toString(36)}` } } } },
      { c: { ...c, chars: { L: '1*5', E: { o: { x: { n: '1,2,3,4' } } } } } }, // list elements missing a field's value
    ];
    for (const change of broken) assert.equal(unpackColumns({ ...block, ...change }), undefined, JSON.stringify(change));
    assert.equal(unpackColumns(block)?.length, 5);
  });

  it('refuses a block that would decode to far more than it was packed from, before making it', () => {
    const [block] = packRecords(Array.from({ length: maxBlockRows }, (_, i) => record({ id: `s${i}`, chars: i })));
    assert.equal(block.n, maxBlockRows);
    const c = block.c as Record<string, JsonValue>;
    const rows = `0*${maxBlockRows.toString(36)}`;
    const big = 'x'.repeat(300_000);
    // One 300 KB dictionary value for every record (77 MB), one 300 KB string repeated through front coding.
    const dictionaryBomb = { ...block, c: { ...c, blob: { e: [{ text: big }], x: rows } } };
    const frontBomb = { ...block, c: { ...c, blob: { s: [`0:${big}`, ...Array.from({ length: maxBlockRows - 1 }, () => `${big.length.toString(36)}:`)] } } };
    for (const bomb of [dictionaryBomb, frontBomb]) {
      assert.ok(encodeRecord(bomb).length < maxLineBytes, 'the bomb fits on one stored line');
      assert.equal(unpackColumns(bomb), undefined);
      assert.deepEqual(decodeLine(encodeRecord(bomb)), { ok: false, reason: 'invalid' });
    }
    // The same value for four records is an honest dictionary.
    const [small] = packRecords(Array.from({ length: 4 }, (_, i) => record({ id: `s${i}`, chars: i })));
    assert.equal(unpackColumns({ ...small, c: { ...(small.c as Record<string, JsonValue>), blob: { e: [{ text: big }], x: '0*4' } } })?.length, 4);
  });

  it('calls a block or record nested deeper than a record may be invalid, without running out of stack', () => {
    const depth = 50_000;
    const deepBlock = `{"v":${schemaVersion},"k":"${columnsKind}","t":1,"w":"","kind":"surv","n":4,"c":{"t":{"n":"1*4"},"w":{"e":["w"],"x":"0*4"},"x":${'{"L":"1*4","E":'.repeat(depth)}{"n":"1*4"}${'}'.repeat(depth)}}}`;
    assert.deepEqual(decodeLine(deepBlock), { ok: false, reason: 'invalid' });
    const deepRecord = `{"v":${schemaVersion},"k":"surv","t":1,"w":"w","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    assert.deepEqual(decodeLine(deepRecord), { ok: false, reason: 'invalid' });
    // As deep as a record may be written is read.
    let nested: JsonValue = 1;
    for (let i = 0; i < 32; i++) nested = [nested];
    const deepest = record({ x: nested });
    assert.deepEqual(decodeLine(encodeRecord(deepest)), { ok: true, records: [deepest] });
  });
});
