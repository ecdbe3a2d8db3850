/**
 * A separate process for the store fault tests, so they can kill -9 a real writer or
 * compactor and run several windows at once.
 *   write <dir> <windowId> <prefix>            append forever; print `ack <n>` after each flush
 *   soak <dir> <windowId> <prefix> <ms>        append for <ms>, dispose, print `done <count>`
 *   compact <dir>                              compact everything once, print `compacted <status>`
 */
import { JournalStore } from '../../src/host/journalStore';
import type { NewRecord } from '../../src/host/journalStore';

const [mode, dir, windowId = 'compactor', prefix = '', soakMs = '0'] = process.argv.slice(2);

/** The record number n of a writer: its payload is derived from n so corruption is visible. */
function soakRecord(n: number): NewRecord {
  return { k: 'soak', t: Date.now(), seq: `${prefix}-${n}`, n, pad: 'x'.repeat(n % 200) };
}

async function writeUntilKilled(): Promise<void> {
  const store = new JournalStore({ dir, windowId, batchDelayMs: 60_000 });
  const sizes = [1, 7, 60, 2500];
  process.stdout.write('ready\n');
  for (let n = 0; ; ) {
    const size = sizes[Math.floor(Math.random() * sizes.length)];
    for (let i = 0; i < size; i++) store.append(soakRecord(n++));
    if (await store.flush()) process.stdout.write(`ack ${n - 1}\n`);
  }
}

async function soak(): Promise<void> {
  const store = new JournalStore({ dir, windowId, batchDelayMs: 25 });
  const end = Date.now() + Number(soakMs);
  let n = 0;
  while (Date.now() < end) {
    const burst = 1 + Math.floor(Math.random() * 20);
    for (let i = 0; i < burst; i++) store.append(soakRecord(n++));
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 6)));
  }
  const complete = await store.dispose();
  process.stdout.write(`done ${complete ? n : -1}\n`);
}

async function compactOnce(): Promise<void> {
  const store = new JournalStore({ dir, windowId, compactAfterMs: -2 * 24 * 60 * 60 * 1000 });
  process.stdout.write('ready\n');
  const result = await store.compact();
  process.stdout.write(`compacted ${result.status}\n`);
}

const run = mode === 'write' ? writeUntilKilled : mode === 'soak' ? soak : compactOnce;
run().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
