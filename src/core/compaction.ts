/**
 * What the store keeps of a day once its journals are compacted (two days after it ended):
 * records the developer or the analytics need one by one stay whole (insertions, verdicts,
 * notes, commits, pulse answers); the bulk is folded — context events into one `day`
 * summary, survival and layouts into their latest state, extensions and agent-turn
 * snapshots into one record each. The store calls `summarizeDay` again with its own
 * earlier output when late records of a day arrive, so the fold merges what it folded before.
 */
import { agentTurnKey } from './agentLogs';
import type { ContextEvent } from './context';
import { analyzeContext, daySummary, mergeContextEvents } from './context';
import type { DayKey } from './model';
import type { CaptureRecord, DayRecord } from './records';
import { readCaptureRecord } from './records';
import type { JsonValue, StoredRecord } from './storeFormat';

const wholeKinds = new Set(['ins', 'verdict', 'note', 'pasteAi', 'pulse', 'commit', 'blame', 'agentMatch']);

/**
 * Records kept whole by compaction; the others go through `summarizeDay`. Unknown kinds are
 * kept, and so is a malformed record of a folded kind: the fold could not read it, and
 * dropping it would lose what a later version might still make of it.
 */
export function keepWhole(record: StoredRecord): boolean {
  return wholeKinds.has(record.k) || !foldedKinds.has(record.k) || !readCaptureRecord(record).ok;
}

const foldedKinds = new Set(['ctx', 'surv', 'ext', 'doc', 'turn', 'day']);

/** A record as handed back to the store (it adds the version and the window). */
export type CompactedRecord = Omit<CaptureRecord, 'w'> & { [field: string]: unknown };

/**
 * Records that only the latest of matters, wherever in the store it is: an insertion's
 * survival bookkeeping (the latest observation wins, as in the History) and a document's
 * layout (the latest written wins). Compaction drops the ones a later day replaced, so a
 * span written on the days it passes 24 h, 72 h, 7 d and 30 d is stored once, not five times.
 */
export function supersedingKey(record: StoredRecord): { key: string; rank: number } | undefined {
  if (record.k !== 'surv' && record.k !== 'doc') return undefined;
  // Only a record the History would fold may replace another: a malformed or unknown one
  // (a newer build's shape) must not cost the insertion the survival it has.
  const read = readCaptureRecord(record);
  if (!read.ok) return undefined;
  const known = read.record;
  if (known.k === 'surv') return { key: `surv ${known.span.id}`, rank: known.span.lastObservedAt };
  if (known.k === 'doc') return { key: `doc ${known.project}/${known.path}`, rank: known.t };
  return undefined;
}

/** What the store is told about Hindsight's records when it compacts them (src/host/recorder.ts). */
export const compactionRules = {
  keep: keepWhole,
  summarize: (day: DayKey, records: readonly StoredRecord[]): { k: string; t: number; [field: string]: JsonValue }[] =>
    summarizeDay(day, records) as unknown as { k: string; t: number; [field: string]: JsonValue }[],
  supersede: supersedingKey,
  /** Changing the rules above changes this name, so that days compacted under the old rules are folded again. */
  foldVersion: 'latest-only+columns',
};

/** Folds one day's bulk records into their summaries (see the module comment). */
export function summarizeDay(day: DayKey, records: readonly StoredRecord[]): CompactedRecord[] {
  const events: ContextEvent[] = [];
  const earlier: DayRecord[] = [];
  const survival = new Map<string, CaptureRecord & { k: 'surv' }>();
  const extensions = new Map<string, { k: 'ext'; t: number; id: string; chars: number; lines: number }>();
  const layouts = new Map<string, CaptureRecord & { k: 'doc' }>();
  const turns = new Map<string, CaptureRecord & { k: 'turn' }>();
  for (const stored of records) {
    const record = stored as unknown as CaptureRecord;
    switch (record.k) {
      case 'ctx':
        events.push(record.event);
        break;
      case 'day':
        earlier.push(record);
        break;
      case 'surv': {
        const known = survival.get(record.span.id);
        if (!known || known.span.lastObservedAt <= record.span.lastObservedAt) survival.set(record.span.id, record);
        break;
      }
      case 'ext': {
        const known = extensions.get(record.id);
        if (known) {
          known.chars += record.chars;
          known.lines += record.lines;
          known.t = Math.max(known.t, record.t);
        } else extensions.set(record.id, { k: 'ext', t: record.t, id: record.id, chars: record.chars, lines: record.lines });
        break;
      }
      case 'doc': {
        const key = `${record.project}/${record.path}`;
        const known = layouts.get(key);
        if (!known || known.t <= record.t) layouts.set(key, record);
        break;
      }
      case 'turn': {
        const key = agentTurnKey(record.turn);
        const known = turns.get(key);
        if (!known || known.t <= record.t) turns.set(key, record);
        break;
      }
      default:
        break;
    }
  }
  const out: CompactedRecord[] = [];
  const summary = events.length > 0 ? dayRecordOf(day, events) : undefined;
  const days = summary ? [summary, ...earlier] : earlier;
  if (days.length > 0) out.push(withoutEnvelope(mergeDayRecords(days)));
  for (const record of [...survival.values(), ...layouts.values(), ...turns.values()]) out.push(withoutEnvelope(record));
  out.push(...extensions.values());
  return out;
}

/** The `day` summary of one day's context events. */
function dayRecordOf(day: DayKey, events: ContextEvent[]): DayRecord {
  const analysis = analyzeContext(mergeContextEvents([events]));
  const summary = daySummary(analysis, day);
  return {
    k: 'day',
    t: Math.max(...events.map((e) => e.t)),
    w: '',
    day,
    summary,
    focusBlocks: analysis.focusBlocks.filter((b) => b.day === day).length,
    switches: analysis.switches.filter((s) => s.day === day).map((s) => ({ t: s.t, kind: s.kind })),
    sessions: analysis.sessions.filter((s) => s.day === day).map((s) => ({ start: s.start, end: s.end, switches: s.switches })),
  };
}

/**
 * Several summaries of one day (late events arrived after an earlier compaction): their
 * figures add up; the longest focus block is the longest of either.
 */
function mergeDayRecords(days: DayRecord[]): DayRecord {
  if (days.length === 1) return days[0];
  const [first, ...rest] = days;
  const merged: DayRecord = structuredCloneDay(first);
  for (const other of rest) {
    const s = merged.summary;
    s.switches += other.summary.switches;
    for (const kind of ['app', 'project', 'area', 'tool'] as const) s.byKind[kind] += other.summary.byKind[kind];
    s.activeMs += other.summary.activeMs;
    s.sessions += other.summary.sessions;
    s.focusMs += other.summary.focusMs;
    s.longestFocusMs = Math.max(s.longestFocusMs, other.summary.longestFocusMs);
    merged.focusBlocks += other.focusBlocks;
    merged.switches = [...merged.switches, ...other.switches].sort((a, b) => a.t - b.t);
    merged.sessions = [...merged.sessions, ...other.sessions].sort((a, b) => a.start - b.start);
    merged.t = Math.max(merged.t, other.t);
  }
  return merged;
}

function structuredCloneDay(record: DayRecord): DayRecord {
  return { ...record, summary: { ...record.summary, byKind: { ...record.summary.byKind } }, switches: [...record.switches], sessions: [...record.sessions] };
}

/** A record without the store's envelope fields (`v`, `w`): the store adds its own. */
function withoutEnvelope(record: CaptureRecord): CompactedRecord {
  const { w: _window, v: _version, ...rest } = record as CaptureRecord & { v?: number };
  return rest as CompactedRecord;
}
