/**
 * Shared by the store tests: a manual clock, throw-away store folders, a UTC day function
 * (so results never depend on the machine's time zone) and a file system that fails on cue.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { StoreClock, StoreFs } from '../../src/host/journalStore';
import { nodeStoreFs } from '../../src/host/journalStore';

export const dayMs = 24 * 60 * 60 * 1000;

/** 2024-05-10T12:00:00Z. */
export const noon = Date.UTC(2024, 4, 10, 12);

export interface FakeClock extends StoreClock {
  /** Moves time on and runs the timers that fall due, in order. */
  advance(ms: number): void;
  /** Delays of every timer ever set, in order. */
  readonly delays: number[];
  pending(): number;
}

/** A clock that only moves when told to. */
export function fakeClock(start = noon): FakeClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { due: number; callback: () => void }>();
  const delays: number[] = [];
  return {
    now: () => now,
    setTimeout: (callback, ms) => {
      delays.push(ms);
      timers.set(nextId, { due: now + ms, callback });
      return nextId++;
    },
    clearTimeout: (handle) => {
      timers.delete(handle as number);
    },
    advance: (ms) => {
      const until = now + ms;
      for (;;) {
        const due = [...timers].filter(([, timer]) => timer.due <= until).sort((a, b) => a[1].due - b[1].due)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].due;
        due[1].callback();
      }
      now = until;
    },
    delays,
    pending: () => timers.size,
  };
}

/** UTC calendar day of a time. */
export function utcDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** A fresh empty folder under the OS temp folder; remove it with `removeDir`. */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `hindsight-${label}-`));
}

/** Removes a folder made by `tempDir`. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export type FsOperation = keyof StoreFs;

/** Operations that change the disk; the others only read it. */
export const mutatingOperations: readonly FsOperation[] = ['mkdir', 'appendFile', 'writeFileDurable', 'link', 'rename', 'remove', 'syncDir'];

/**
 * The real file system with a hook before every operation: the hook may throw to fail
 * that call (and the ones after it, to simulate a process that died).
 */
export function hookedFs(before: (operation: FsOperation, path: string) => void, base: StoreFs = nodeStoreFs): StoreFs {
  const hooked = {} as Record<FsOperation, (...args: never[]) => Promise<unknown>>;
  for (const operation of Object.keys(base) as FsOperation[]) {
    const real = base[operation] as (...args: unknown[]) => Promise<unknown>;
    hooked[operation] = async (...args: unknown[]): Promise<unknown> => {
      before(operation, String(args[0]));
      return real(...args);
    };
  }
  return hooked as unknown as StoreFs;
}

/** An error shaped like the one Node raises for `code`. */
export function fsError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/**
 * A compacted day file read independently of the store: its manifest line and the text of
 * its gzip members (whose lengths the manifest lists), one entry per member.
 */
export function readDayFile(path: string): { manifest: Record<string, unknown>; members: string[] } {
  const bytes = readFileSync(path);
  const newline = bytes.indexOf(0x0a);
  const manifest = JSON.parse(bytes.toString('utf8', 0, newline)) as Record<string, unknown>;
  let at = newline + 1;
  const members = (manifest.gz as number[]).map((length) => gunzipSync(bytes.subarray(at, (at += length))).toString('utf8'));
  return { manifest, members };
}

/** Writes a day file with the given manifest and member texts (one gzip member each). */
export function writeDayFile(path: string, manifest: Record<string, unknown>, members: string[]): void {
  const compressed = members.map((text) => gzipSync(text));
  writeFileSync(path, Buffer.concat([Buffer.from(`${JSON.stringify({ ...manifest, gz: compressed.map((m) => m.length) })}\n`), ...compressed]));
}
