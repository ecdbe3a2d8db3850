import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaVersion } from '../../src/core/model';
import type { SkipCounts, StoredRecord } from '../../src/core/storeFormat';
import { emptySkipCounts, encodeRecord, maxLineBytes } from '../../src/core/storeFormat';
import type { JournalStoreOptions, StoreState } from '../../src/host/journalStore';
import { JournalStore } from '../../src/host/journalStore';
import type { FakeClock, FsOperation } from './storeTestKit';
import { dayMs, fakeClock, fsError, hookedFs, mutatingOperations, noon, removeDir, tempDir, utcDay } from './storeTestKit';

const child = join(__dirname, 'storeWriter.child.js');
const soakMs = Number(process.env.HINDSIGHT_SOAK_MS ?? 15_000);

interface Tally {
  written: number;
  lost: number;
  corrupt: number;
}

/** Spawns the writer child; resolves its stdout lines as they come through `onLine`. */
function startChild(args: string[], onLine: (line: string) => void = (): void => undefined): { process: ChildProcess; exited: Promise<void> } {
  const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffered = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    lines.forEach(onLine);
  });
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  return { process: proc, exited };
}

/**
 * Checks the soak records of one writer prefix: numbers 0..mustHave present exactly once,
 * higher numbers at most once, each payload intact.
 */
function tallyPrefix(records: StoredRecord[], prefix: string, mustHave: number, tally: Tally): void {
  const seen = new Map<number, number>();
  for (const record of records) {
    if (typeof record.seq !== 'string' || !record.seq.startsWith(`${prefix}-`)) continue;
    const n = Number(record.n);
    if (record.seq !== `${prefix}-${n}` || record.pad !== 'x'.repeat(n % 200)) tally.corrupt++;
    seen.set(n, (seen.get(n) ?? 0) + 1);
  }
  for (const count of seen.values()) {
    tally.written++;
    if (count > 1) tally.corrupt += count - 1; // a duplicate is a corruption of the store
  }
  for (let n = 0; n <= mustHave; n++) if (!seen.has(n)) tally.lost++;
}

function skippedTotal(skipped: SkipCounts): number {
  return Object.values(skipped).reduce((sum, count) => sum + count, 0);
}

describe('store faults', function () {
  this.timeout(Math.max(120_000, 4 * soakMs));
  let dir: string;

  beforeEach(() => {
    dir = tempDir('faults');
  });
  afterEach(() => removeDir(dir));

  it('kill -9 of a writer mid-batch, 50 times: every acknowledged record once, only torn tails skipped', async () => {
    const kills = 50;
    const acked: number[] = [];
    for (let run = 0; run < kills; run++) {
      let last = -1;
      let ready: () => void = () => undefined;
      const started = new Promise<void>((resolve) => (ready = resolve));
      const writer = startChild(['write', dir, 'killed', `r${run}`], (line) => {
        if (line === 'ready') ready();
        else if (line.startsWith('ack ')) last = Number(line.slice(4));
      });
      await started;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 150));
      writer.process.kill('SIGKILL');
      await writer.exited;
      acked.push(last);
    }
    const { records, skipped } = await new JournalStore({ dir, windowId: 'checker' }).load();
    const tally: Tally = { written: 0, lost: 0, corrupt: 0 };
    acked.forEach((last, run) => tallyPrefix(records, `r${run}`, last, tally));
    const torn = skipped.truncated;
    console.log(`      store faults: kill -9 x${kills}: written ${tally.written}, acknowledged ${acked.reduce((sum, n) => sum + n + 1, 0)}, lost ${tally.lost}, corrupt ${tally.corrupt}, skipped ${torn} torn tails`);
    assert.equal(tally.lost, 0);
    assert.equal(tally.corrupt, 0);
    assert.equal(tally.written, records.length);
    assert.equal(skippedTotal(skipped), torn, 'only torn tails may be skipped');
    assert.ok(torn <= kills);

    // The same store survives a compaction intact.
    const compactor = new JournalStore({ dir, windowId: 'compactor', compactAfterMs: -2 * dayMs });
    assert.equal((await compactor.compact()).status, 'done');
    assert.deepEqual((await compactor.load()).records, records);
  });

  for (const writers of [2, 4]) {
    it(`${writers} concurrent writer processes for ${soakMs / 1000} s: nothing lost, duplicated or corrupt, tailing sees each record once`, async () => {
      const done = new Map<string, number>();
      const children = Array.from({ length: writers }, (_, i) =>
        startChild(['soak', dir, `soak${i}`, `w${i}`, String(soakMs)], (line) => {
          if (line.startsWith('done ')) done.set(`w${i}`, Number(line.slice(5)));
        }),
      );
      const reader = new JournalStore({ dir, windowId: 'reader' });
      const tailed: StoredRecord[] = [];
      let tailSkipped = 0;
      let running = true;
      void Promise.all(children.map((c) => c.exited)).then(() => (running = false));
      while (running) {
        const next = await reader.readNew();
        for (const record of next.records) tailed.push(record);
        tailSkipped += skippedTotal(next.skipped);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      for (const record of (await reader.readNew()).records) tailed.push(record);
      const { records, skipped } = await reader.load();
      const tally: Tally = { written: 0, lost: 0, corrupt: 0 };
      for (let i = 0; i < writers; i++) {
        const count = done.get(`w${i}`);
        assert.ok(count !== undefined && count > 0, `writer ${i} finished and flushed everything`);
        tallyPrefix(records, `w${i}`, count - 1, tally);
        assert.equal(records.filter((record) => record.w === `soak${i}`).length, count);
      }
      const tailTally: Tally = { written: 0, lost: 0, corrupt: 0 };
      for (let i = 0; i < writers; i++) tallyPrefix(tailed, `w${i}`, (done.get(`w${i}`) ?? 0) - 1, tailTally);
      console.log(
        `      store faults: ${writers} writers x ${soakMs} ms: written ${tally.written}, lost ${tally.lost}, corrupt ${tally.corrupt}, skipped ${skippedTotal(skipped)}; tailed ${tailTally.written}, lost ${tailTally.lost}, duplicated ${tailTally.corrupt}`,
      );
      assert.deepEqual([tally.lost, tally.corrupt, skippedTotal(skipped)], [0, 0, 0]);
      assert.deepEqual([tailTally.lost, tailTally.corrupt, tailSkipped, tailed.length], [0, 0, 0, records.length]);
    });
  }

  it('a journal with garbage, truncated lines, huge lines and a torn tail loads with exactly the expected skip counts', async () => {
    const good = (n: number): string => encodeRecord({ v: schemaVersion, k: 'e', t: noon + n, w: 'g', n });
    const huge = encodeRecord({ v: schemaVersion, k: 'e', t: noon, w: 'g', s: 'x'.repeat(maxLineBytes - 100) }).replace('"s":"', '"s":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
    const lines = [
      good(1),
      'garbage \u0000 bytes',
      good(2).slice(0, 20),
      huge,
      `{"v":${schemaVersion + 1},"k":"e","t":1,"w":"g"}`,
      good(3),
      '{"v":1,"k":"e","w":"g"}',
      '',
      good(4).slice(0, 30),
      '<<<<<<< merge conflict',
      `${'y'.repeat(3 * maxLineBytes)}`,
      good(5),
    ];
    writeFileSync(join(dir, 'journal-2024-05-10-g.jsonl'), `${lines.join('\n')}\n${good(6).slice(0, 25)}`);
    const { records, skipped } = await new JournalStore({ dir, windowId: 'reader' }).load();
    const expected: SkipCounts = { ...emptySkipCounts(), garbage: 2, truncated: 3, tooLong: 2, newerVersion: 1, invalid: 1 };
    console.log(`      store faults: damaged journal: intact records written 3, lost ${3 - records.length}, corrupt 0, skipped ${JSON.stringify(skipped)}`);
    assert.deepEqual(records.map((record) => record.n), [1, 3, 5]);
    assert.deepEqual(skipped, expected);
  });

  describe('a disk that refuses writes', () => {
    let clock: FakeClock;
    const open = (options: Partial<JournalStoreOptions>): JournalStore =>
      new JournalStore({ dir, windowId: 'w', clock, dayOf: utcDay, retryDelayMs: 1000, maxRetryDelayMs: 8000, ...options });
    beforeEach(() => {
      clock = fakeClock();
    });

    it('pauses when its journal path cannot be written (a directory stands in for read-only: tests run as root), then resumes with nothing lost', async () => {
      const journalPath = join(dir, 'journal-2024-05-10-w.jsonl');
      mkdirSync(journalPath);
      const events: [StoreState, string | undefined][] = [];
      const store = open({ onStateChange: (state, error) => events.push([state, (error as NodeJS.ErrnoException | undefined)?.code]) });
      for (let n = 0; n < 10; n++) store.append({ k: 'e', t: noon + n, n });
      assert.equal(await store.flush(), false);
      assert.equal(store.state, 'paused');
      for (let n = 10; n < 20; n++) store.append({ k: 'e', t: noon + n, n });
      for (let i = 0; i < 4; i++) {
        clock.advance(clock.delays[clock.delays.length - 1]);
        await store.flush();
      }
      assert.deepEqual(events, [['paused', 'EISDIR']]);
      rmdirSync(journalPath);
      clock.advance(8000);
      assert.equal(await store.flush(), true);
      assert.deepEqual(events, [['paused', 'EISDIR'], ['writing', undefined]]);
      const { records, skipped } = await store.load();
      console.log(`      store faults: unwritable journal: written 20, lost ${20 - records.length}, corrupt 0, skipped ${skippedTotal(skipped)}`);
      assert.deepEqual(records.map((record) => record.n), Array.from({ length: 20 }, (_, n) => n));
    });

    for (const code of ['ENOSPC', 'EROFS', 'EACCES', 'EDQUOT']) {
      it(`${code} with a partial write: pauses once, retries with backoff, resumes, writes each queued record once`, async () => {
        let failing = false;
        const appends: string[] = [];
        const store = open({
          onStateChange: (state) => appends.push(`state ${state}`),
          fs: {
            ...hookedFs(() => undefined),
            appendFile: async (path, data): Promise<void> => {
              if (!failing) return (await import('node:fs/promises')).appendFile(path, data);
              // The disk takes part of the batch, ending mid-line, then fails.
              if (code === 'ENOSPC') await (await import('node:fs/promises')).appendFile(path, data.subarray(0, Math.floor(data.length * 0.6)));
              appends.push('failed');
              throw fsError(code);
            },
          },
        });
        store.append({ k: 'e', t: noon, n: 0 });
        assert.equal(await store.flush(), true);
        failing = true;
        for (let n = 1; n <= 10; n++) store.append({ k: 'e', t: noon + n, n });
        clock.advance(1000);
        await store.flush();
        const retriesBefore = clock.delays.length;
        clock.advance(1000);
        await store.flush();
        clock.advance(2000);
        await store.flush();
        assert.deepEqual(clock.delays.slice(retriesBefore - 1, retriesBefore + 2), [1000, 2000, 4000]);
        failing = false;
        clock.advance(4000);
        await store.flush();
        assert.equal(store.state, 'writing');
        assert.deepEqual(appends.filter((entry) => entry.startsWith('state')), ['state paused', 'state writing']);
        const { records, skipped } = await store.load();
        console.log(`      store faults: ${code}: written 11, lost ${11 - records.length}, corrupt 0, skipped ${skippedTotal(skipped)} lines torn by partial writes`);
        assert.deepEqual(records.map((record) => record.n), Array.from({ length: 11 }, (_, n) => n));
        // A failed ENOSPC attempt may leave one torn line (unless it stopped at a line end); none swallowed a record.
        const failedAttempts = appends.filter((entry) => entry === 'failed').length;
        assert.ok(failedAttempts >= 4);
        const torn = code === 'ENOSPC' ? skipped.truncated : 0;
        assert.ok(code !== 'ENOSPC' || (torn >= 1 && torn <= failedAttempts));
        assert.deepEqual(skipped, { ...emptySkipCounts(), truncated: torn });
      });
    }

    it('keeps at most maxQueuedRecords in memory while paused, dropping the oldest and counting them', async () => {
      let failing = true;
      const store = open({
        maxQueuedRecords: 100,
        fs: hookedFs((operation) => {
          if (failing && operation === 'appendFile') throw fsError('ENOSPC');
        }),
      });
      for (let n = 0; n < 150; n++) store.append({ k: 'e', t: noon + n, n });
      assert.equal(await store.flush(), false);
      assert.equal(store.dropped, 50);
      failing = false;
      assert.equal(await store.flush(), true);
      const { records } = await store.load();
      assert.deepEqual(records.map((record) => record.n), Array.from({ length: 100 }, (_, n) => n + 50));
    });
  });

  describe('compaction faults', () => {
    const staleLockMs = 60_000;

    /** Journals of two windows over three days (late records, garbage, a newer line) and an earlier compaction. */
    async function prepare(): Promise<StoredRecord[]> {
      for (const windowId of ['a', 'b']) {
        const own = fakeClock();
        const writer = new JournalStore({ dir, windowId, clock: own, dayOf: utcDay });
        for (let day = 0; day < 3; day++) {
          for (let i = 0; i < 20; i++) writer.append({ k: 'e', t: own.now() - (i === 0 ? dayMs : 0) + i, id: `${windowId}${day}-${i}` });
          await writer.flush();
          if (day === 0) {
            const early = new JournalStore({ dir, windowId: 'early', clock: fakeClock(noon + 2 * dayMs), dayOf: utcDay });
            await early.compact();
          }
          own.advance(dayMs);
        }
      }
      writeFileSync(join(dir, 'journal-2024-05-11-x.jsonl'), `not json\n{"v":${schemaVersion + 1},"k":"future","t":${noon + dayMs}}\n{"v":1,"k":"e","t":${noon},"w":"x","id":"x"}\n{"v":1,"k":"e","t":`);
      return (await new JournalStore({ dir, windowId: 'r' }).load()).records;
    }

    function compactor(windowId: string, at: number, options: Partial<JournalStoreOptions> = {}): JournalStore {
      return new JournalStore({ dir, windowId, clock: fakeClock(at), dayOf: utcDay, staleLockMs, ...options });
    }

    const later = noon + 6 * dayMs;

    it('a compaction killed after any step leaves a readable store with nothing lost or duplicated', async () => {
      const expected = await prepare();
      let steps = 0;
      const counted = await compactor('c', later, {
        fs: hookedFs((operation) => {
          if (mutatingOperations.includes(operation)) steps++;
        }),
      }).compact();
      assert.equal(counted.status, 'done');
      let lost = 0;
      let duplicated = 0;
      for (let crashAt = 1; crashAt <= steps; crashAt++) {
        removeDir(dir);
        mkdirSync(dir);
        await prepare();
        let mutations = 0;
        let dead = false;
        await compactor('c', later, {
          fs: hookedFs((operation: FsOperation) => {
            if (mutatingOperations.includes(operation) && ++mutations === crashAt) dead = true;
            if (dead) throw fsError('EKILLED');
          }),
        }).compact();
        const check = (records: StoredRecord[]): void => {
          const ids = records.map((record) => JSON.stringify(record));
          lost += expected.filter((record) => !ids.includes(JSON.stringify(record))).length;
          duplicated += ids.length - new Set(ids).size;
          assert.deepEqual(records, expected, `after a crash at step ${crashAt} of ${steps}`);
        };
        check((await new JournalStore({ dir, windowId: 'r' }).load()).records);
        const recovered = await compactor('c2', later + staleLockMs + 1).compact();
        assert.equal(recovered.status, 'done', `recovery after a crash at step ${crashAt}: ${recovered.error?.message}`);
        check((await new JournalStore({ dir, windowId: 'r' }).load()).records);
        // The journal's unreadable lines are not folded, but kept aside (once, or twice when the crash came after they were).
        const leftovers = readdirSync(dir).filter((name) => !name.startsWith('day-'));
        assert.ok(leftovers.length >= 1 && leftovers.length <= 2, `after a crash at step ${crashAt}: ${leftovers.join(', ')}`);
        for (const name of leftovers) {
          assert.match(name, /^damaged-2024-05-11-.+-lines\.jsonl$/, 'journals, temp files and the lock are gone');
          assert.equal(readFileSync(join(dir, name), 'utf8'), `not json\n{"v":1,"k":"e","t":\n`);
        }
      }
      console.log(`      store faults: compaction killed at each of ${steps} steps: written ${expected.length} each time, lost ${lost}, corrupt ${duplicated} (duplicates), skipped 0`);
      assert.deepEqual([lost, duplicated], [0, 0]);
    });

    it('a compaction killed after any step of dropping superseded records across days never loses the latest one', async () => {
      // `state` records of a key keep only the highest rank across days; the other kinds stay whole.
      const supersede = (record: StoredRecord): { key: string; rank: number } | undefined =>
        record.k === 'state' ? { key: String(record.key), rank: Number(record.rank) } : undefined;
      const writeDays = async (): Promise<void> => {
        const own = fakeClock();
        const writer = new JournalStore({ dir, windowId: 'a', clock: own, dayOf: utcDay });
        for (let day = 0; day < 4; day++) {
          for (const key of ['x', 'y', 'z']) if (day === 0 || key !== 'z') writer.append({ k: 'state', t: own.now() + day, key, rank: day * 10 + (key === 'y' ? 5 : 0) });
          writer.append({ k: 'other', t: own.now() + 9, day });
          await writer.flush();
          // Days 0 and 1 are compacted before the later days arrive, so the drop spans files.
          if (day === 1) await new JournalStore({ dir, windowId: 'early', clock: fakeClock(noon + 4 * dayMs), dayOf: utcDay, supersede }).compact();
          own.advance(dayMs);
        }
      };
      const latest = { x: 30, y: 35, z: 0 };
      const check = (records: StoredRecord[], when: string): void => {
        for (const [key, rank] of Object.entries(latest)) {
          const copies = records.filter((r) => r.k === 'state' && r.key === key);
          assert.equal(copies.filter((r) => r.rank === rank).length, 1, `${when}: the latest ${key} once`);
          assert.ok(copies.every((r) => Number(r.rank) <= rank), `${when}: nothing newer than the latest ${key}`);
        }
        assert.deepEqual(records.filter((r) => r.k === 'other').map((r) => r.day), [0, 1, 2, 3], `${when}: every other record once`);
      };
      const compactAt = noon + 8 * dayMs;
      await writeDays();
      let steps = 0;
      const counted = await new JournalStore({ dir, windowId: 'c', clock: fakeClock(compactAt), dayOf: utcDay, staleLockMs, supersede, fs: hookedFs((operation) => {
        if (mutatingOperations.includes(operation)) steps++;
      }) }).compact();
      // The two new days, and day 1, whose states they replace (day 0's were replaced by day 1's in the early compaction).
      assert.deepEqual([counted.status, counted.daysWritten], ['done', 3]);
      const compacted = (await new JournalStore({ dir, windowId: 'r', supersede }).load()).records;
      check(compacted, 'without a crash');
      assert.equal(compacted.filter((r) => r.k === 'state').length, 3, 'only the latest of each key is left');
      for (let crashAt = 1; crashAt <= steps; crashAt++) {
        removeDir(dir);
        mkdirSync(dir);
        await writeDays();
        let mutations = 0;
        await new JournalStore({ dir, windowId: 'c', clock: fakeClock(compactAt), dayOf: utcDay, staleLockMs, supersede, fs: hookedFs((operation) => {
          if (mutatingOperations.includes(operation) && ++mutations >= crashAt) throw fsError('EKILLED');
        }) }).compact();
        check((await new JournalStore({ dir, windowId: 'r', supersede }).load()).records, `after a crash at step ${crashAt} of ${steps}`);
        const recovered = await new JournalStore({ dir, windowId: 'c2', clock: fakeClock(compactAt + staleLockMs + 1), dayOf: utcDay, staleLockMs, supersede }).compact();
        assert.equal(recovered.status, 'done', `recovery after a crash at step ${crashAt}: ${recovered.error?.message}`);
        const records = (await new JournalStore({ dir, windowId: 'r', supersede }).load()).records;
        check(records, `recovered after a crash at step ${crashAt}`);
        assert.deepEqual(records, compacted, `recovered after a crash at step ${crashAt}: as if never interrupted`);
      }
    });

    it('a compactor process killed -9 at random moments leaves a readable store with nothing lost or duplicated', async () => {
      const runs = 15;
      let lost = 0;
      let duplicated = 0;
      for (let run = 0; run < runs; run++) {
        removeDir(dir);
        mkdirSync(dir);
        const expected = await prepare();
        let ready: () => void = () => undefined;
        const started = new Promise<void>((resolve) => (ready = resolve));
        const proc = startChild(['compact', dir], (line) => line === 'ready' && ready());
        await started;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
        proc.process.kill('SIGKILL');
        await proc.exited;
        const { records } = await new JournalStore({ dir, windowId: 'r' }).load();
        const ids = new Set(records.map((record) => JSON.stringify(record)));
        lost += expected.filter((record) => !ids.has(JSON.stringify(record))).length;
        duplicated += records.length - ids.size;
        assert.deepEqual(records, expected);
        assert.equal((await compactor('c2', later + staleLockMs + 1).compact()).status, 'done');
        assert.deepEqual((await new JournalStore({ dir, windowId: 'r' }).load()).records, expected);
      }
      console.log(`      store faults: compactor kill -9 x${runs}: lost ${lost}, corrupt ${duplicated} (duplicates), skipped 0`);
    });

    it('two compactors at once: one wins, the other backs off', async () => {
      const expected = await prepare();
      const results = await Promise.all([compactor('c1', later).compact(), compactor('c2', later).compact()]);
      assert.deepEqual(results.map((result) => result.status).sort(), ['busy', 'done']);
      assert.deepEqual((await new JournalStore({ dir, windowId: 'r' }).load()).records, expected);
    });

    it('recovers a stale lock (dead process, or too old) and respects a live one', async () => {
      await prepare();
      const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
      const lock = (pid: number, t: number): void => writeFileSync(join(dir, 'compact.lock'), JSON.stringify({ pid, t, token: 'other' }));
      lock(process.pid, later);
      assert.equal((await compactor('c', later + 1000).compact()).status, 'busy');
      lock(deadPid, later);
      assert.equal((await compactor('c', later + 1000).compact()).status, 'done');
      lock(process.pid, later);
      assert.equal((await compactor('c', later + staleLockMs + 1).compact()).status, 'done');
      assert.ok(!readdirSync(dir).includes('compact.lock'));
    });
  });
});
