/**
 * A year of history on disk, in the store's own format: 250 working days of
 * `syntheticHistory` (200 insertions a day, 50,000 in all) turned into the records the
 * capture pipeline writes for them — one `ins`, a few `ext`, a `surv` at landing and at
 * every checkpoint that passed — plus each day's context events (an `edit` every 15 s of
 * active time, editor and tool changes, focus changes, saves, commits), written through a
 * real JournalStore day by day and compacted as the extension's store would be.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compactionRules } from '../src/core/compaction';
import type { ContextEvent } from '../src/core/context';
import { dayKeyOf } from '../src/core/days';
import { checkpoints } from '../src/core/model';
import type { CheckpointLabel, InsertionOutcome } from '../src/core/model';
import type { CaptureRecord } from '../src/core/records';
import type { SpanRecord } from '../src/core/survival';
import { syntheticHistory } from '../src/core/synthetic';
import { JournalStore } from '../src/host/journalStore';
import type { NewRecord } from '../src/host/journalStore';
import { SimClock } from './common';

export const yearDays = 250;
export const yearInsertionsPerDay = 200;
const window = 'a1b2c3d4e5f6';
const minute = 60_000;

export interface YearStoreInfo {
  records: number;
  bytes: number;
  files: number;
  insertions: number;
  days: number;
}

/** Writes the year into `dir` (which should be empty); the last day is yesterday. */
export async function buildYearStore(dir: string): Promise<YearStoreInfo> {
  const today = Date.now();
  const history = syntheticHistory(42, yearDays, yearInsertionsPerDay, dayKeyOf(today - 24 * 60 * minute));
  const clock = new SimClock();
  const store = new JournalStore({ dir, windowId: 'benchyear', clock, maxQueuedRecords: 1_000_000, ...compactionRules });
  const byDay = new Map<string, CaptureRecord[]>();
  const add = (record: CaptureRecord): void => {
    const day = dayKeyOf(record.t);
    let list = byDay.get(day);
    if (!list) byDay.set(day, (list = []));
    list.push(record);
  };
  for (const o of history.insertions) for (const record of insertionRecords(o, history.now)) add(record);
  let seed = 7;
  const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  for (const summary of history.days) for (const event of contextEvents(summary.day, summary.activeMs, summary.byKind, random)) add({ k: 'ctx', t: event.t, w: window, event });

  let records = 0;
  for (const day of [...byDay.keys()].sort()) {
    const list = (byDay.get(day) as CaptureRecord[]).sort((a, b) => a.t - b.t);
    for (const record of list) {
      clock.now_ = record.t;
      const { w: _w, ...payload } = record as CaptureRecord & { w: string };
      store.append(payload as unknown as NewRecord);
      records++;
    }
    await store.flush();
  }
  clock.now_ = today;
  await store.dispose();
  // Compacted as the extension's store is (src/host/recorder.ts: keep / summarize): every day
  // that ended two days ago is folded.
  const compactor = new JournalStore({ dir, windowId: 'benchcompact', clock, ...compactionRules });
  const compaction = await compactor.compact();
  if (compaction.status !== 'done') throw new Error(`compaction ${compaction.status}: ${compaction.error?.message ?? ''}`);
  let bytes = 0;
  const names = readdirSync(dir);
  for (const name of names) bytes += statSync(join(dir, name)).size;
  return { records, bytes, files: names.length, insertions: history.insertions.length, days: history.days.length };
}

function insertionRecords(o: InsertionOutcome, now: number): CaptureRecord[] {
  const out: CaptureRecord[] = [];
  const extChars = o.source === 'inline' || o.source === 'typed' ? Math.round(o.chars / 4) : 0;
  const chars = o.chars - 2 * extChars;
  out.push({
    k: 'ins', t: o.t, w: window, id: o.id, source: o.source, confidence: o.confidence, chars, lines: o.lines, languageId: o.languageId,
    fileKind: o.fileKind, path: o.path, project: o.project, day: o.day, hour: o.hour, ...(o.agent ? { agent: o.agent } : {}), ...(o.tokens !== undefined ? { tokens: o.tokens } : {}),
  });
  if (extChars > 0) {
    out.push({ k: 'ext', t: o.t + 2_000, w: window, id: o.id, chars: extChars, lines: 0 });
    out.push({ k: 'ext', t: o.t + 4_000, w: window, id: o.id, chars: extChars, lines: 1 });
  }
  const span: SpanRecord = {
    id: o.id, t: o.t, originalChars: o.chars, aliveChars: o.chars, excludedChars: 0, samples: {}, reworkedAfterMs: null, quickRegret: false, fixupChars: 0, lastObservedAt: o.t + 30_000,
  };
  out.push({ k: 'surv', t: o.t + 30_000, w: window, span: { ...span, samples: {} } });
  for (const checkpoint of checkpoints) {
    const at = o.t + checkpoint.ms;
    const reading = o.survival[checkpoint.label as CheckpointLabel];
    if (at > now || reading === null || reading === undefined) break;
    span.samples[checkpoint.label] = reading;
    if (typeof reading === 'number') span.aliveChars = Math.round(o.chars * reading);
    span.lastObservedAt = at;
    span.reworkedAfterMs = o.reworkedAfterMs !== null && o.reworkedAfterMs <= checkpoint.ms ? o.reworkedAfterMs : null;
    span.quickRegret = o.quickRegret;
    span.fixupChars = Math.round(o.fixupRatio * o.chars);
    out.push({ k: 'surv', t: at, w: window, span: { ...span, samples: { ...span.samples } } });
  }
  return out;
}

/** One working day's context stream from its summary: activity from 09:00 on, an `edit` every 15 s. */
function contextEvents(day: string, activeMs: number, byKind: Record<string, number>, random: () => number): ContextEvent[] {
  const [y, m, d] = day.split('-').map(Number);
  const start = new Date(y, m - 1, d, 9, 0).getTime();
  const events: ContextEvent[] = [{ kind: 'windowFocus', t: start, day, window }];
  const base = { day, window };
  const project = (): string => (random() < 0.8 ? 'alpha' : 'beta');
  const path = (): string => `src/module${1 + Math.floor(random() * 12)}/file${1 + Math.floor(random() * 40)}.ts`;
  let t = start;
  const end = start + activeMs;
  const switchEvery = activeMs / Math.max(1, byKind.area + byKind.project + byKind.tool + byKind.app);
  let nextSwitch = start + switchEvery;
  let current = { project: project(), path: path() };
  events.push({ kind: 'editor', t, ...base, ...current });
  while (t < end) {
    t += 15_000;
    if (t >= nextSwitch) {
      nextSwitch += switchEvery;
      const r = random();
      if (r < 0.15) {
        events.push({ kind: 'windowBlur', t, ...base }, { kind: 'windowFocus', t: t + 40_000, ...base });
        t += 40_000;
      } else if (r < 0.45) {
        events.push({ kind: 'tool', t, ...base, tool: 'terminal' }, { kind: 'editor', t: t + 30_000, ...base, ...current });
        t += 30_000;
      } else {
        current = { project: r < 0.5 ? project() : current.project, path: path() };
        events.push({ kind: 'editor', t, ...base, ...current });
      }
    }
    events.push({ kind: 'edit', t, ...base, ...current });
    if (random() < 0.05) events.push({ kind: 'save', t: t + 1, ...base });
    if (random() < 0.003) events.push({ kind: 'commit', t: t + 2, ...base });
  }
  return events;
}
