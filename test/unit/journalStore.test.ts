import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { schemaVersion } from '../../src/core/model';
import type { StoredRecord } from '../../src/core/storeFormat';
import { emptySkipCounts } from '../../src/core/storeFormat';
import type { JournalStoreOptions, NewRecord } from '../../src/host/journalStore';
import { JournalStore } from '../../src/host/journalStore';
import type { FakeClock } from './storeTestKit';
import { dayMs, fakeClock, hookedFs, noon, readDayFile, removeDir, tempDir, utcDay, writeDayFile } from './storeTestKit';

/** Records in one stored line: a column block's row count, else 1. */
const unpackedRows = (line: string): number => {
  const parsed = JSON.parse(line) as { k: string; n?: number };
  return parsed.k === '$cols' ? (parsed.n as number) : 1;
};

describe('JournalStore', () => {
  let dir: string;
  let clock: FakeClock;
  const stores: JournalStore[] = [];

  beforeEach(() => {
    dir = tempDir('store');
    clock = fakeClock();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.dispose();
    removeDir(dir);
  });

  function open(windowId: string, options: Partial<JournalStoreOptions> = {}): JournalStore {
    const store = new JournalStore({ dir, windowId, clock, dayOf: utcDay, ...options });
    stores.push(store);
    return store;
  }

  const journal = (day: string, windowId: string): string => join(dir, `journal-${day}-${windowId}.jsonl`);
  const seqs = (records: StoredRecord[]): unknown[] => records.map((record) => record.seq);

  describe('writing', () => {
    it('batches appends for batchDelayMs and writes each batch with one append ending in a newline', async () => {
      const writes: string[] = [];
      const store = open('w1', {
        batchDelayMs: 1000,
        fs: hookedFs((operation, path) => {
          if (operation === 'appendFile') writes.push(path);
        }),
      });
      store.append({ k: 'e', t: noon, seq: 1 });
      store.append({ k: 'e', t: noon, seq: 2 });
      clock.advance(999);
      assert.equal(writes.length, 0);
      store.append({ k: 'e', t: noon, seq: 3 });
      clock.advance(1);
      assert.equal(await store.flush(), true);
      assert.equal(writes.length, 1);
      const text = readFileSync(journal('2024-05-10', 'w1'), 'utf8');
      assert.ok(text.endsWith('}\n'));
      assert.equal(text.split('\n').length, 4);
      assert.deepEqual(seqs((await store.load()).records), [1, 2, 3]);
    });

    it('stamps the schema version and the window id, and refuses reserved or malformed records', async () => {
      const rejected: [string, string][] = [];
      const store = open('w1', { onRejected: (record, error) => rejected.push([String(record.seq), error.constructor.name]) });
      store.append({ k: 'e', t: noon, w: 'spoofed', v: 99 } as NewRecord);
      assert.throws(() => store.append({ k: '$manifest', t: noon }), TypeError);
      assert.throws(() => store.append({ k: 'e', t: Number.NaN }), TypeError);
      assert.throws(() => new JournalStore({ dir, windowId: '../escape' }), TypeError);
      // A payload is checked when its batch is encoded: the record is left out and reported, its batch is written.
      store.append({ k: 'e', t: noon, seq: 'not plain JSON', bad: undefined as never });
      store.append({ k: 'e', t: noon, seq: 'too long', text: 'x'.repeat(1024 * 1024) });
      store.append({ k: 'e', t: noon + 1, seq: 'fine' });
      assert.deepEqual(rejected, [], 'nothing is encoded while appending');
      assert.equal(await store.flush(), true);
      assert.deepEqual(rejected, [['not plain JSON', 'TypeError'], ['too long', 'RangeError']]);
      const records = (await store.load()).records;
      assert.deepEqual(records.map((record) => [record.v, record.w, record.seq]), [[schemaVersion, 'w1', undefined], [schemaVersion, 'w1', 'fine']]);
    });

    it('flushes on dispose', async () => {
      const store = open('w1');
      store.append({ k: 'e', t: noon, seq: 1 });
      assert.equal(await store.dispose(), true);
      assert.deepEqual(seqs((await open('reader').load()).records), [1]);
    });

    it('starts with a newline when its journal ends in a torn line, so the torn line swallows nothing', async () => {
      writeFileSync(journal('2024-05-10', 'w1'), `{"v":1,"k":"e","t":${noon},"w":"w1","seq":1}\n{"v":1,"k":"e","t":${noon},"w":"w1","se`);
      const store = open('w1');
      store.append({ k: 'e', t: noon + 1, seq: 2 });
      await store.flush();
      const { records, skipped } = await store.load();
      assert.deepEqual(seqs(records), [1, 2]);
      assert.equal(skipped.truncated, 1);
    });

    it('rotates to a new journal per day and never goes back to a sealed one when the clock is set back', async () => {
      const store = open('w1');
      store.append({ k: 'e', t: clock.now(), seq: 1 });
      await store.flush();
      clock.advance(dayMs);
      store.append({ k: 'e', t: clock.now(), seq: 2 });
      await store.flush();
      (clock as unknown as { now: () => number }).now = (): number => noon; // the user sets the clock back
      store.append({ k: 'e', t: noon, seq: 3 });
      await store.flush();
      assert.deepEqual(readdirSync(dir).sort(), ['journal-2024-05-10-w1.jsonl', 'journal-2024-05-11-w1.jsonl']);
      assert.equal(readFileSync(journal('2024-05-11', 'w1'), 'utf8').split('\n').length, 3);
    });
  });

  describe('reading', () => {
    it('merges the journals of several windows sorted by time, then window, then stored order', async () => {
      const a = open('a');
      const b = open('b');
      b.append({ k: 'e', t: 20, seq: 'b20' });
      a.append({ k: 'e', t: 20, seq: 'a20' });
      a.append({ k: 'e', t: 10, seq: 'a10' });
      a.append({ k: 'e', t: 20, seq: 'a20bis' });
      b.append({ k: 'e', t: 5, seq: 'b5' });
      await Promise.all([a.flush(), b.flush()]);
      assert.deepEqual(seqs((await open('c').load()).records), ['b5', 'a10', 'a20', 'a20bis', 'b20']);
    });

    it('tails other windows with readNew: only new complete lines, never its own', async () => {
      const reader = open('reader');
      const writer = open('writer');
      writer.append({ k: 'e', t: noon, seq: 1 });
      await writer.flush();
      assert.deepEqual(seqs((await reader.load()).records), [1]);
      assert.deepEqual((await reader.readNew()).records, []);
      writer.append({ k: 'e', t: noon, seq: 2 });
      await writer.flush();
      reader.append({ k: 'e', t: noon, seq: 'mine' });
      await reader.flush();
      appendFileSync(journal('2024-05-10', 'writer'), `{"v":1,"k":"e","t":${noon},"w":"writer","seq":3`);
      assert.deepEqual(seqs((await reader.readNew()).records), [2]);
      appendFileSync(journal('2024-05-10', 'writer'), '}\n');
      const next = await reader.readNew();
      assert.deepEqual(seqs(next.records), [3]);
      assert.equal(next.skipped.truncated, 0);
      assert.deepEqual((await reader.readNew()).records, []);
    });

    it('exports every record and newer-version line as JSONL', async () => {
      const store = open('w1');
      store.append({ k: 'e', t: 2, seq: 2 });
      store.append({ k: 'e', t: 1, seq: 1 });
      await store.flush();
      const future = `{"v":${schemaVersion + 1},"k":"e","t":3,"w":"x"}`;
      appendFileSync(journal('2024-05-10', 'w1'), `${future}\n`);
      const lines = (await store.exportRaw()).trimEnd().split('\n');
      assert.deepEqual(lines.map((line) => (JSON.parse(line) as StoredRecord).t), [1, 2, 3]);
      assert.equal(lines[2], future);
    });

    it('measures its size and deletes every byte it wrote, staying usable', async () => {
      const store = open('w1');
      store.append({ k: 'e', t: noon, seq: 1 });
      await store.flush();
      writeFileSync(join(dir, 'compact.lock.1-2-x.tmp'), 'left over');
      assert.equal(await store.sizeBytes(), readdirSync(dir).reduce((sum, name) => sum + readFileSync(join(dir, name)).length, 0));
      assert.ok((await store.sizeBytes()) > 0);
      store.append({ k: 'e', t: noon, seq: 'queued, then deleted' });
      await store.deleteAll();
      assert.deepEqual(readdirSync(dir), []);
      assert.equal(await store.sizeBytes(), 0);
      store.append({ k: 'e', t: noon, seq: 2 });
      await store.flush();
      assert.deepEqual(seqs((await store.load()).records), [2]);
    });
  });

  describe('compaction', () => {
    /** A window writing `perDay` records on each of `days` days from 2024-05-10, on its own clock. */
    async function writeDays(windowId: string, days: number, perDay: number): Promise<void> {
      const own = fakeClock();
      const writer = open(windowId, { clock: own });
      for (let day = 0; day < days; day++) {
        for (let i = 0; i < perDay; i++) writer.append({ k: i % 2 === 0 ? 'live' : 'old', t: own.now() + i, seq: `${windowId}-${day}-${i}` });
        await writer.flush();
        own.advance(dayMs);
      }
    }

    it('folds sealed journals into per-day files and removes them, losing and duplicating nothing', async () => {
      await writeDays('a', 4, 5);
      await writeDays('b', 4, 5);
      const before = await open('r1').load();
      clock.advance(5 * dayMs);
      const compactor = open('c');
      const result = await compactor.compact();
      assert.equal(result.status, 'done');
      assert.equal(result.journalsFolded, 8);
      assert.deepEqual(readdirSync(dir).sort(), ['day-2024-05-10.jsonl', 'day-2024-05-11.jsonl', 'day-2024-05-12.jsonl', 'day-2024-05-13.jsonl']);
      assert.deepEqual((await open('r2').load()).records, before.records);
      const again = await compactor.compact();
      assert.deepEqual([again.status, again.daysWritten, again.journalsFolded], ['done', 0, 0]);
      assert.deepEqual((await open('r3').load()).records, before.records);
    });

    it('leaves journals of the last two days alone: their windows may still write them', async () => {
      await writeDays('a', 3, 2);
      clock.advance(2 * dayMs);
      const result = await open('c', { compactAfterMs: 2 * dayMs }).compact();
      assert.equal(result.journalsFolded, 1);
      assert.ok(existsSync(journal('2024-05-12', 'a')));
      assert.ok(existsSync(journal('2024-05-11', 'a')));
    });

    it('keeps live records whole and hands the rest of each day to summarize, which sees its own output again on a re-fold', async () => {
      await writeDays('a', 2, 6);
      clock.advance(3 * dayMs);
      let liveKinds = new Set(['live', 'summary']);
      const seen: string[][] = [];
      const options: Partial<JournalStoreOptions> = {
        keep: (record) => liveKinds.has(record.k),
        summarize: (day, records): NewRecord[] => {
          seen.push(records.map((record) => record.k));
          const count = records.reduce((sum, record) => sum + (record.k === 'summary' ? Number(record.count) : 1), 0);
          return [{ k: 'summary', t: Date.parse(`${day}T00:00:00Z`), count }];
        },
      };
      assert.equal((await open('c', options).compact()).status, 'done');
      assert.deepEqual(seen, [['old', 'old', 'old'], ['old', 'old', 'old']]);
      let { records } = await open('r', options).load();
      assert.deepEqual(records.map((record) => record.k), ['summary', 'live', 'live', 'live', 'summary', 'live', 'live', 'live']);
      seen.length = 0;
      assert.equal((await open('c1', options).compact()).daysWritten, 0, 'days folded under the same rules are left alone');
      assert.deepEqual(seen, []);
      // A product update: the live records are no longer live (and summaries fold into themselves).
      liveKinds = new Set(['old']);
      const refold = await open('c2', { ...options, foldVersion: 'rules-2' }).compact();
      assert.deepEqual([refold.status, refold.daysWritten, refold.error], ['done', 2, undefined]);
      assert.deepEqual(seen, [['summary', 'live', 'live', 'live'], ['summary', 'live', 'live', 'live']]);
      ({ records } = await open('r2', options).load());
      assert.deepEqual(records.map((record) => [record.k, record.count]), [['summary', 6], ['summary', 6]]);
    });

    it('keeps, across days, only the highest-ranked record of a superseding key and rewrites the days that held older ones', async () => {
      const supersede = (record: StoredRecord): { key: string; rank: number } | undefined =>
        record.k === 'state' ? { key: String(record.key), rank: Number(record.rank) } : undefined;
      const own = fakeClock();
      const writer = open('a', { clock: own });
      for (let day = 0; day < 4; day++) {
        // `x` gets news every day; `y` only on the first; on day 2 an out-of-date `x` arrives late.
        writer.append({ k: 'state', t: own.now(), key: 'x', rank: day === 2 ? -1 : day });
        if (day === 0) writer.append({ k: 'state', t: own.now() + 1, key: 'y', rank: 0 });
        writer.append({ k: 'other', t: own.now() + 2, day });
        await writer.flush();
        own.advance(dayMs);
      }
      clock.advance(6 * dayMs);
      assert.equal((await open('c', { supersede }).compact()).status, 'done');
      const { records } = await open('r', { supersede }).load();
      assert.deepEqual(records.filter((r) => r.k === 'state').map((r) => [r.key, r.rank]), [['y', 0], ['x', 3]]);
      assert.equal(records.filter((r) => r.k === 'other').length, 4);
      // News on a later day makes the day that held the latest one drop it.
      own.advance(dayMs);
      writer.append({ k: 'state', t: own.now(), key: 'y', rank: 5 });
      await writer.flush();
      clock.advance(4 * dayMs);
      const later = await open('c2', { supersede }).compact();
      assert.deepEqual([later.status, later.daysWritten], ['done', 2]);
      const again = await open('r2', { supersede }).load();
      assert.deepEqual(again.records.filter((r) => r.k === 'state').map((r) => [r.key, r.rank]), [['x', 3], ['y', 5]]);
      assert.equal(readDayFile(join(dir, 'day-2024-05-10.jsonl')).members.join('').includes('"state"'), false);
    });

    /**
     * `count` records of one kind and a lone one written on 2024-05-10, compacted into its day
     * file. With `hashes`, each record carries hash-like text that barely compresses, so the
     * day needs several gzip members.
     */
    async function compactedDay(count: number, hashes = false): Promise<{ path: string; before: StoredRecord[] }> {
      const own = fakeClock();
      const writer = open('a', { clock: own });
      for (let i = 0; i < count; i++) {
        const extra: Record<string, string> = hashes ? { h: [1, 2, 3, 4].map((k) => ((i * 2654435761 * k) >>> 0).toString(36)).join('') } : {};
        writer.append({ k: 'ins', t: own.now() + i * 1000, id: `p${i.toString(36)}`, chars: 40 + (i % 7), path: `src/f${i % 3}.ts`, span: { samples: i % 5 === 0 ? {} : { '1h': 1 } }, ...extra });
      }
      writer.append({ k: 'lone', t: own.now() + 5, note: 'one of a kind' });
      await writer.flush();
      const before = (await open('r0').load()).records;
      clock.advance(3 * dayMs);
      assert.equal((await open('c0').compact()).status, 'done');
      const path = join(dir, 'day-2024-05-10.jsonl');
      if (hashes) assert.ok(readDayFile(path).members.length >= 3, `${readDayFile(path).members.length} members`);
      return { path, before };
    }

    /** Flips a byte in the middle of member `index` of a day file; the records that member held. */
    function damageMember(path: string, index: number): number {
      const { manifest, members } = readDayFile(path);
      const sizes = manifest.gz as number[];
      const bytes = readFileSync(path);
      const start = bytes.indexOf(0x0a) + 1 + sizes.slice(0, index).reduce((sum, size) => sum + size, 0);
      bytes[start + Math.floor(sizes[index] / 2)] ^= 0xff;
      writeFileSync(path, bytes);
      return members[index].trimEnd().split('\n').reduce((sum, line) => sum + unpackedRows(line), 0);
    }

    it('stores a day\'s records of one kind in column blocks, compressed, reads them back exactly, and skips a damaged block or member alone', async () => {
      const { path, before } = await compactedDay(600);
      const { manifest, members } = readDayFile(path);
      const lines = members.join('').trimEnd().split('\n');
      // The lone record, and 600 records in blocks of at most 256.
      assert.equal(lines.length, 1 + 3);
      assert.deepEqual((await open('r2').load()).records, before);
      const journalBytes = before.reduce((sum, record) => sum + JSON.stringify(record).length + 1, 0);
      assert.ok(readFileSync(path).length * 10 < journalBytes, `${readFileSync(path).length} bytes compacted from ${journalBytes}`);

      // A block whose row count lies: that block alone is skipped.
      const block = lines.findIndex((line) => line.includes('"$cols"'));
      const damagedLines = [...lines];
      damagedLines[block] = lines[block].replace('"n":256', '"n":257');
      writeDayFile(path, manifest, damagedLines.map((line) => `${line}\n`));
      const damaged = await open('r3').load();
      assert.equal(damaged.records.length, before.length - 256);
      assert.equal(damaged.skipped.invalid, 1);

      // A member with a flipped byte: its lines alone are skipped (here, one member a line).
      writeDayFile(path, manifest, lines.map((line) => `${line}\n`));
      const lost = damageMember(path, 1);
      const flipped = await open('r4').load();
      assert.deepEqual(flipped.skipped, { ...emptySkipCounts(), garbage: 1 });
      assert.equal(flipped.records.length, before.length - lost);
    });

    it('reads what it can of a day file whose manifest is damaged, or that is cut short, and refuses a member that inflates beyond any real one', async () => {
      const { path, before } = await compactedDay(4000, true);
      const intact = readFileSync(path);
      const manifestEnd = intact.indexOf(0x0a);
      const { manifest, members } = readDayFile(path);
      const sizes = manifest.gz as number[];
      const rowsOf = (member: string): number => member.trimEnd().split('\n').reduce((sum, line) => sum + unpackedRows(line), 0);
      const written = new Map(before.map((record) => [String(record.id ?? record.k), record]));
      const isOneOfBefore = (record: StoredRecord): boolean => isDeepStrictEqual(written.get(String(record.id ?? record.k)), record);

      // The manifest garbled: every member is still found by its gzip header.
      const garbled = (bytes: Buffer): Buffer => Buffer.concat([Buffer.from('{"v":1,"k":"$manif'), bytes.subarray(manifestEnd)]);
      writeFileSync(path, garbled(intact));
      let read = await open('r1').load();
      assert.deepEqual(read.skipped, { ...emptySkipCounts(), garbage: 1 });
      assert.deepEqual(read.records, before);
      // …and its first member damaged too: only that member's records are missing.
      writeFileSync(path, intact);
      const lost = damageMember(path, 0);
      writeFileSync(path, garbled(readFileSync(path)));
      read = await open('r2').load();
      assert.deepEqual(read.skipped, { ...emptySkipCounts(), garbage: 2 });
      assert.equal(read.records.length, before.length - lost);
      assert.ok(lost > 0);

      // Cut short inside the last member: the members before it and the whole lines at the start of the last one.
      const cut = manifestEnd + 1 + sizes.slice(0, -1).reduce((sum, size) => sum + size, 0) + Math.floor(sizes[sizes.length - 1] / 2);
      writeFileSync(path, intact.subarray(0, cut));
      read = await open('r3').load();
      assert.deepEqual(read.skipped, { ...emptySkipCounts(), truncated: 1 });
      const whole = members.slice(0, -1).reduce((sum, member) => sum + rowsOf(member), 0);
      assert.ok(read.records.length > whole && read.records.length < before.length, `${read.records.length} of ${before.length} read, ${whole} in whole members`);
      assert.ok(read.records.every(isOneOfBefore), 'nothing read that was not written');

      // A member that inflates to 16 MB of newlines (a real one holds 64 KiB of lines, or one line of at most 1 MiB).
      writeDayFile(path, manifest, [...members.slice(0, 1), '\n'.repeat(16 * 1024 * 1024)]);
      read = await open('r4').load();
      assert.deepEqual(read.skipped, { ...emptySkipCounts(), garbage: 1 });
      assert.equal(read.records.length, rowsOf(members[0]));
    });

    it('reads a day file of the earlier plain format, and the next compaction rewrites it under the current rules', async () => {
      const path = join(dir, 'day-2024-05-09.jsonl');
      const plain = [
        { v: schemaVersion, k: '$manifest', t: noon, w: 'old', day: '2024-05-09', covers: {} },
        { v: schemaVersion, k: 'e', t: noon - dayMs, w: 'old', seq: 'plain-1' },
        { v: schemaVersion, k: 'e', t: noon - dayMs + 1, w: 'old', seq: 'plain-2' },
      ];
      writeFileSync(path, plain.map((line) => `${JSON.stringify(line)}\n`).join(''));
      assert.deepEqual(seqs((await open('r1').load()).records), ['plain-1', 'plain-2']);
      const result = await open('c', { foldVersion: 'rules-1' }).compact();
      assert.deepEqual([result.status, result.daysWritten], ['done', 1]);
      assert.equal(readDayFile(path).manifest.fold, 'rules-1');
      assert.deepEqual(seqs((await open('r2').load()).records), ['plain-1', 'plain-2']);
    });

    it('carries newer-version lines over verbatim, keeps unreadable lines aside, migrates old ones', async () => {
      const newer = `{"w":"z","v":${schemaVersion + 1},"k":"future","t":${noon},"shape":"unknown"}`;
      writeFileSync(journal('2024-05-10', 'old'), `${newer}\nnot json\n{"v":0,"k":"e","ts":${noon + 1},"w":"old"}\n`);
      clock.advance(3 * dayMs);
      const result = await open('c').compact();
      assert.deepEqual([result.status, result.linesDropped, result.journalsFolded], ['done', 1, 1]);
      const text = readDayFile(join(dir, 'day-2024-05-10.jsonl')).members.join('');
      assert.ok(text.startsWith(`${newer}\n`));
      const { records, newerRecords, skipped } = await open('r').load();
      assert.deepEqual(newerRecords, [newer]);
      assert.deepEqual(records, [{ v: schemaVersion, k: 'e', t: noon + 1, w: 'old' }]);
      assert.equal(skipped.garbage, 0);
      const aside = readdirSync(dir).filter((name) => name.startsWith('damaged-'));
      assert.equal(aside.length, 1);
      assert.match(aside[0], /^damaged-2024-05-10-.+-lines\.jsonl$/);
      assert.equal(readFileSync(join(dir, aside[0]), 'utf8'), 'not json\n');
    });

    it('keeps a copy of a day file it cannot read whole before rewriting that day, and removes it with its day', async () => {
      const { path, before } = await compactedDay(4000, true);
      const lost = damageMember(path, 0);
      const damagedBytes = readFileSync(path);
      // A late record of that day arrives, so compaction rewrites the day from what it can read.
      writeFileSync(journal('2024-05-10', 'late'), `{"v":${schemaVersion},"k":"e","t":${noon + 7},"w":"late","seq":"late"}\n`);
      const result = await open('c').compact();
      assert.deepEqual([result.status, result.daysWritten, result.damagedDays, result.linesDropped], ['done', 1, 1, 0]);
      const copies = readdirSync(dir).filter((name) => name.startsWith('damaged-'));
      assert.equal(copies.length, 1);
      assert.match(copies[0], /^damaged-2024-05-10-.+-day\.jsonl$/);
      assert.ok(readFileSync(join(dir, copies[0])).equals(damagedBytes), 'the copy is the damaged file, byte for byte');
      const after = await open('r').load();
      assert.deepEqual(after.skipped, emptySkipCounts(), 'the rewritten day reads whole');
      assert.equal(after.records.length, before.length - lost + 1);
      // The next compaction has nothing to keep aside.
      assert.equal((await open('c2').compact()).damagedDays, 0);
      // Retention removes the copy with its day; deleting all data removes everything.
      clock.advance(dayMs);
      const pruned = await open('c3').prune('2024-05-11');
      assert.deepEqual([pruned.status, pruned.daysPruned], ['done', 1]);
      assert.deepEqual(readdirSync(dir), []);
    });

    it('leaves a day file of a newer format alone: not read, not rewritten, its journals kept', async () => {
      const path = join(dir, 'day-2024-05-10.jsonl');
      const covered = `{"v":${schemaVersion},"k":"e","t":${noon},"w":"x","seq":"in the newer file"}\n`;
      writeFileSync(journal('2024-05-10', 'x'), `${covered}{"v":${schemaVersion},"k":"e","t":${noon + 1},"w":"x","seq":"after it"}\n`);
      const future = Buffer.from(`${JSON.stringify({ v: schemaVersion, k: '$manifest', t: noon, w: 'new', day: '2024-05-10', format: 3, covers: { 'journal-2024-05-10-x.jsonl': [[0, covered.length]] } })}\n\u0000binary`);
      writeFileSync(path, future);
      // The next day's journal of another window: a record of that day, an unreadable line, and a late record of the newer day.
      writeFileSync(
        journal('2024-05-11', 'y'),
        `{"v":${schemaVersion},"k":"e","t":${noon + dayMs},"w":"y","seq":"next day"}\nnot json\n{"v":${schemaVersion},"k":"e","t":${noon + 2},"w":"y","seq":"late"}\n`,
      );
      let read = await open('r1').load();
      assert.deepEqual(read.skipped, { ...emptySkipCounts(), newerVersion: 1, garbage: 1 });
      assert.deepEqual(seqs(read.records), ['after it', 'late', 'next day']);
      clock.advance(4 * dayMs);
      const result = await open('c').compact();
      assert.deepEqual([result.status, result.daysWritten, result.journalsFolded, result.linesDropped], ['done', 1, 0, 1]);
      assert.ok(readFileSync(path).equals(future), 'the newer day file is untouched');
      assert.ok(existsSync(journal('2024-05-10', 'x')) && existsSync(journal('2024-05-11', 'y')), 'journals holding its records stay for the newer Hindsight to fold');
      read = await open('r2').load();
      assert.deepEqual(seqs(read.records), ['after it', 'late', 'next day']);
      // The unreadable line was kept aside once, and its day's manifest covers it: later compactions do not keep it again.
      assert.deepEqual((await open('c2').compact()).linesDropped, 0);
      const aside = readdirSync(dir).filter((name) => name.startsWith('damaged-'));
      assert.equal(aside.length, 1);
      assert.equal(readFileSync(join(dir, aside[0]), 'utf8'), 'not json\n');
    });

    it('writes records one by one when their block cannot be written, and keeps aside a record that cannot be written at all', async () => {
      let deep: unknown = 1;
      for (let i = 0; i < 32; i++) deep = [deep];
      const own = fakeClock();
      const writer = open('a', { clock: own });
      for (let i = 0; i < 6; i++) writer.append({ k: 'deep', t: own.now() + i, x: deep as never, seq: i });
      writer.append({ k: 'old', t: own.now() + 10, seq: 'folded' });
      await writer.flush();
      const before = (await open('r1').load()).records.filter((record) => record.k === 'deep');
      clock.advance(3 * dayMs);
      const huge = 'x'.repeat(1024 * 1024 + 1);
      const result = await open('c', { keep: (record) => record.k !== 'old', summarize: (): NewRecord[] => [{ k: 'summary', t: noon, huge }] }).compact();
      assert.deepEqual([result.status, result.linesDropped, result.journalsFolded], ['done', 1, 1]);
      const after = await open('r2').load();
      assert.deepEqual(after.records, before, 'every deep record, none lost to its block');
      const [aside] = readdirSync(dir).filter((name) => name.startsWith('damaged-'));
      assert.match(aside, /^damaged-2024-05-10-.+-lines\.jsonl$/);
      assert.equal((JSON.parse(readFileSync(join(dir, aside), 'utf8')) as { huge: string }).huge, huge);
    });

    it('prunes whole days before the cutoff, compacting first so no newer record goes with them', async () => {
      await writeDays('a', 5, 2);
      writeFileSync(journal('2024-05-10', 'late'), `{"v":1,"k":"e","t":${noon + 2 * dayMs},"w":"late","seq":"late"}\n`);
      clock.advance(6 * dayMs);
      const result = await open('c').prune('2024-05-12');
      assert.deepEqual([result.status, result.daysPruned], ['done', 0]);
      const { records } = await open('r').load();
      assert.ok(records.every((record) => utcDay(record.t) >= '2024-05-12'));
      assert.deepEqual(seqs(records).slice(0, 3), ['a-2-0', 'late', 'a-2-1']);
      assert.equal(records.length, 7);
      assert.equal((await open('c2').prune('2024-05-13')).daysPruned, 1);
      assert.equal((await open('r2').load()).records.length, 4);
    });
  });
});
