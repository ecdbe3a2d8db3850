import assert from 'node:assert/strict';
import { keepWhole, summarizeDay, supersedingKey } from '../../src/core/compaction';
import type { ContextEvent } from '../../src/core/context';
import { analyzeContext, daySummary } from '../../src/core/context';
import { schemaVersion } from '../../src/core/model';
import type { DayRecord, SurvivalRecord } from '../../src/core/records';
import type { StoredRecord } from '../../src/core/storeFormat';

const day = '2025-06-10';
const t0 = Date.UTC(2025, 5, 10, 9);
const min = 60_000;

function stored(record: Record<string, unknown>): StoredRecord {
  return { v: schemaVersion, w: 'w1', ...record } as StoredRecord;
}

function ctx(event: Omit<ContextEvent, 'day' | 'window'> & Record<string, unknown>): StoredRecord {
  const full = { ...event, day, window: 'w1' } as ContextEvent;
  return stored({ k: 'ctx', t: full.t, event: full as never });
}

const events = [
  ctx({ kind: 'windowFocus', t: t0 }),
  ctx({ kind: 'editor', t: t0 + 1, project: 'p', path: 'src/core/a.ts' }),
  ctx({ kind: 'edit', t: t0 + 4 * min, project: 'p', path: 'src/core/a.ts' }),
  ctx({ kind: 'editor', t: t0 + 8 * min, project: 'p', path: 'src/host/b.ts' }),
  ctx({ kind: 'edit', t: t0 + 12 * min, project: 'p', path: 'src/host/b.ts' }),
];

describe('compaction of a day', () => {
  it('keeps what the developer and the analytics need one by one, folds the bulk', () => {
    for (const k of ['ins', 'verdict', 'note', 'pasteAi', 'pulse', 'commit', 'blame', 'agentMatch', 'somethingNewer']) assert.equal(keepWhole(stored({ k, t: t0 })), true, k);
    const turn = { agent: 'codex', sessionId: 's', promptAt: t0, lastWriteAt: t0 + min, tokens: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 }, writes: [] };
    const [dayRecord] = summarizeDay(day, events);
    const bulk = [
      events[0],
      stored({ k: 'surv', t: t0, span: { id: 's1', t: t0, originalChars: 40, aliveChars: 40, excludedChars: 0, samples: {}, reworkedAfterMs: null, quickRegret: false, fixupChars: 0, lastObservedAt: t0 } }),
      stored({ k: 'ext', t: t0, id: 's1', chars: 5, lines: 0 }),
      stored({ k: 'doc', t: t0, path: 'src/a.ts', project: 'p', spans: { length: 1, runs: [1, 0], spans: [] }, lineHashes: ['h'], lineLengths: [1] }),
      stored({ k: 'turn', t: t0, turn }),
      stored({ ...(dayRecord as unknown as Record<string, unknown>) }),
    ];
    assert.deepEqual(bulk.map((record) => record.k), ['ctx', 'surv', 'ext', 'doc', 'turn', 'day']);
    for (const record of bulk) assert.equal(keepWhole(record), false, record.k);
    // A malformed record of a folded kind cannot be folded: it stays as it is rather than being lost.
    for (const record of bulk) assert.equal(keepWhole(stored({ k: record.k, t: t0 })), true, `malformed ${record.k}`);
  });

  it('lets only a survival record or layout the History would read replace another', () => {
    const span = { id: 's1', t: t0, originalChars: 40, aliveChars: 40, excludedChars: 0, samples: {}, reworkedAfterMs: null, quickRegret: false, fixupChars: 0, lastObservedAt: t0 + min };
    assert.deepEqual(supersedingKey(stored({ k: 'surv', t: t0 + min, span })), { key: 'surv s1', rank: t0 + min });
    const doc = stored({ k: 'doc', t: t0 + 5 * min, path: 'src/a.ts', project: 'p', spans: { length: 1, runs: [1, 0], spans: [] }, lineHashes: ['h'], lineLengths: [1] });
    assert.deepEqual(supersedingKey(doc), { key: 'doc p/src/a.ts', rank: t0 + 5 * min });
    // Newer-looking, but malformed (an unknown checkpoint, no layout): they replace nothing.
    assert.equal(supersedingKey(stored({ k: 'surv', t: t0 + 24 * 60 * min, span: { ...span, samples: { '90d': 1 }, lastObservedAt: t0 + 9 * 24 * 60 * min } })), undefined);
    assert.equal(supersedingKey(stored({ k: 'doc', t: t0 + 24 * 60 * min, path: 'src/a.ts', project: 'p' })), undefined);
    assert.equal(supersedingKey(stored({ k: 'ins', t: t0, id: 's1' })), undefined);
  });

  it('folds the context events into one day summary equal to the analysis of those events', () => {
    const record = summarizeDay(day, events)[0] as unknown as DayRecord;
    const analysis = analyzeContext(events.map((r) => r.event as unknown as ContextEvent));
    assert.equal(record.k, 'day');
    assert.deepEqual(record.summary, daySummary(analysis, day));
    assert.deepEqual(record.switches, analysis.switches.map((s) => ({ t: s.t, kind: s.kind })));
    assert.equal(record.sessions.length, 1);
    assert.equal(record.summary.switches, 1, 'core → host is one area switch');
  });

  it('keeps the latest survival and layout, sums extensions, and is stable when folded again', () => {
    const span = (alive: number, at: number): Record<string, unknown> => ({ id: 's1', t: t0, originalChars: 40, aliveChars: alive, excludedChars: 0, samples: {}, reworkedAfterMs: null, quickRegret: false, fixupChars: 0, lastObservedAt: at });
    const bulk = [
      ...events,
      stored({ k: 'surv', t: t0 + min, span: span(40, t0 + min) as never }),
      stored({ k: 'surv', t: t0 + 30 * min, span: span(30, t0 + 30 * min) as never }),
      stored({ k: 'ext', t: t0 + 2 * min, id: 's1', chars: 5, lines: 0 }),
      stored({ k: 'ext', t: t0 + 3 * min, id: 's1', chars: 7, lines: 1 }),
      stored({ k: 'doc', t: t0 + 5 * min, path: 'src/a.ts', project: 'p', spans: { length: 0, runs: [], spans: [] }, lineHashes: [], lineLengths: [0] }),
      stored({ k: 'doc', t: t0 + 50 * min, path: 'src/a.ts', project: 'p', spans: { length: 1, runs: [1, 0], spans: [] }, lineHashes: ['h'], lineLengths: [1] }),
    ];
    const once = summarizeDay(day, bulk);
    const kinds = once.map((r) => r.k).sort();
    assert.deepEqual(kinds, ['day', 'doc', 'ext', 'surv']);
    assert.equal((once.find((r) => r.k === 'surv') as unknown as SurvivalRecord).span.aliveChars, 30);
    assert.deepEqual(once.find((r) => r.k === 'ext'), { k: 'ext', t: t0 + 3 * min, id: 's1', chars: 12, lines: 1 });
    assert.equal(once.find((r) => r.k === 'doc')?.t, t0 + 50 * min);
    const again = summarizeDay(day, once.map((r) => stored(r as Record<string, unknown>)));
    assert.deepEqual(again, once, 'folding its own output again changes nothing');
  });

  it('adds late context events of a day to its earlier summary', () => {
    const [earlier] = summarizeDay(day, events);
    const late = [
      ctx({ kind: 'editor', t: t0 + 5 * 60 * min, project: 'p', path: 'src/core/a.ts' }),
      ctx({ kind: 'editor', t: t0 + 5 * 60 * min + 10_000, project: 'p', path: 'src/host/b.ts' }),
      ctx({ kind: 'edit', t: t0 + 5 * 60 * min + 20_000, project: 'p', path: 'src/host/b.ts' }),
    ];
    const merged = summarizeDay(day, [stored(earlier as Record<string, unknown>), ...late])[0];
    const e = earlier as unknown as DayRecord;
    const m = merged as unknown as DayRecord;
    assert.equal(m.summary.switches, e.summary.switches + 1);
    assert.equal(m.summary.sessions, e.summary.sessions + 1);
    assert.equal(m.sessions.length, 2);
  });
});
