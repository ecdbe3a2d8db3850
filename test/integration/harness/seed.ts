/**
 * A known history written into Hindsight's store before VS Code starts, in the store's
 * own format, so a test can compare what the panel shows with what the core computes
 * from the very same records.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkpoints, schemaVersion } from '../../../src/core/model';
import type { InsertionOutcome } from '../../../src/core/model';
import type { CaptureRecord } from '../../../src/core/records';
import { encodeRecord, type StoredRecord } from '../../../src/core/storeFormat';
import type { SyntheticHistory } from '../../../src/core/synthetic';

/** Leaves out insertions with a checkpoint within `marginMs` of `now`, whose verdict could flip while a test runs. */
export function awayFromCheckpoints(insertions: readonly InsertionOutcome[], now: number, marginMs: number): InsertionOutcome[] {
  return insertions.filter((o) => checkpoints.every(({ ms }) => Math.abs(o.t + ms - now) > marginMs));
}

/** The records Hindsight would have stored for a synthetic history. */
export function recordsOf(history: SyntheticHistory, insertions: readonly InsertionOutcome[]): CaptureRecord[] {
  const records: CaptureRecord[] = [];
  for (const o of insertions) {
    records.push({
      k: 'ins', t: o.t, w: 'seed', id: o.id, source: o.source, confidence: o.confidence, chars: o.chars, lines: o.lines,
      languageId: o.languageId, fileKind: o.fileKind, path: o.path, project: o.project, day: o.day, hour: o.hour,
    });
    const samples: Record<string, number | 'unknown'> = {};
    for (const [label, value] of Object.entries(o.survival)) if (value !== null && value !== undefined) samples[label] = value;
    records.push({
      k: 'surv', t: o.observedUntil, w: 'seed',
      span: {
        id: o.id, t: o.t, originalChars: o.chars, aliveChars: Math.round(o.aliveShare * o.chars), excludedChars: 0, samples,
        reworkedAfterMs: o.reworkedAfterMs, quickRegret: o.quickRegret, fixupChars: Math.round(o.fixupRatio * o.chars),
        lastObservedAt: o.observedUntil, ...(o.closedReason ? { closedReason: o.closedReason } : {}),
      },
    });
    if (o.committed) records.push({ k: 'commit', t: o.t + 60_000, w: 'seed', project: o.project, sha: 'a'.repeat(40), spanIds: [o.id], committedLines: {}, aiTool: null });
    if (o.committedSurvival7d !== null) records.push({ k: 'blame', t: o.t + 8 * 86_400_000, w: 'seed', id: o.id, share: o.committedSurvival7d });
  }
  for (const day of history.days) {
    records.push({
      k: 'day', t: Date.parse(`${day.day}T23:00:00`), w: 'seed', day: day.day,
      summary: { day: day.day, switches: day.switches, byKind: day.byKind, activeMs: day.activeMs, sessions: day.sessions, focusMs: day.focusMs, longestFocusMs: day.longestFocusMs },
      focusBlocks: day.focusBlocks ?? 0,
      switches: day.timeline ?? [],
      sessions: [],
    });
  }
  return records;
}

/** Writes records into a store folder as one journal per day, as a window named `seed` would have. */
export function writeStore(storeDir: string, records: readonly CaptureRecord[], dayOf: (t: number) => string): void {
  mkdirSync(storeDir, { recursive: true });
  const byDay = new Map<string, string[]>();
  for (const record of records) {
    const { w: _w, ...payload } = record;
    const line = encodeRecord({ ...payload, v: schemaVersion, w: 'seed' } as unknown as StoredRecord);
    const day = dayOf(record.t);
    byDay.set(day, [...(byDay.get(day) ?? []), line]);
  }
  for (const [day, lines] of byDay) writeFileSync(join(storeDir, `journal-${day}-seed.jsonl`), lines.map((l) => `${l}\n`).join(''));
}
