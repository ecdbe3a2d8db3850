import assert from 'node:assert/strict';
import type { ContextEvent } from '../../src/core/context';
import { dayKeyOf } from '../../src/core/days';
import { History } from '../../src/core/history';
import type { AgentTurn } from '../../src/core/model';
import type { CaptureRecord, DocumentRecord, InsertionRecord } from '../../src/core/records';
import type { SpanRecord } from '../../src/core/survival';
import { newSpanRecord } from '../../src/core/survival';

const sec = 1_000;
const min = 60 * sec;
const hour = 60 * min;
const day = 24 * hour;
// Local-time instants: context events carry the local day they were captured on.
const T = new Date(2025, 5, 10, 10, 0, 0).getTime();
const D = '2025-06-10';
const P = '2025-06-09';

function ins(id: string, over: Partial<InsertionRecord> = {}): InsertionRecord {
  return {
    k: 'ins', t: T, w: 'wA', id, source: 'inline', confidence: 'certain', chars: 40, lines: 2,
    languageId: 'typescript', fileKind: 'source', path: 'src/core/a.ts', project: 'p', day: dayKeyOf(over.t ?? T), hour: 10, ...over,
  };
}

function surv(id: string, t: number, over: Partial<SpanRecord>, w = 'wA'): CaptureRecord {
  return { k: 'surv', t, w, span: { ...newSpanRecord(id, T, 50), lastObservedAt: t, ...over } };
}

function ctx(event: ContextEvent): CaptureRecord {
  return { k: 'ctx', t: event.t, w: event.window, event };
}

/** A context event of window w1 at `t`, with the local day of `t`. */
function ev(kind: 'edit' | 'editor', t: number, path: string): ContextEvent;
function ev(kind: 'windowFocus' | 'tick', t: number): ContextEvent;
function ev(kind: ContextEvent['kind'], t: number, path?: string): ContextEvent {
  const base = { t, day: dayKeyOf(t), window: 'w1' };
  return (path !== undefined ? { ...base, kind, project: 'p', path } : { ...base, kind }) as ContextEvent;
}

function fold(records: readonly CaptureRecord[]): History {
  const history = new History();
  for (const record of records) history.add(record);
  return history;
}

/** Deterministic interleaving of the windows' journals, each kept in its own order. */
function interleave(journals: readonly (readonly CaptureRecord[])[], seed: number): CaptureRecord[] {
  let state = seed * 2654435761 + 1;
  const random = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % n;
  };
  const cursors = journals.map(() => 0);
  const out: CaptureRecord[] = [];
  for (;;) {
    const open = journals.map((_, i) => i).filter((i) => cursors[i] < journals[i].length);
    if (open.length === 0) return out;
    const pick = open[random(open.length)];
    out.push(journals[pick][cursors[pick]++]);
  }
}

describe('History', () => {
  describe('insertion outcomes', () => {
    // The window that captured the insertion, the window whose panel and reopened file
    // wrote about it later, and the window that saw the commit.
    const capturing: CaptureRecord[] = [
      ins('a', { source: 'paste' }),
      { k: 'ext', t: T + sec, w: 'wA', id: 'a', chars: 10, lines: 1 },
      surv('a', T + min, { originalChars: 50, aliveChars: 50 }),
      surv('a', T + 11 * min, { originalChars: 50, aliveChars: 40, samples: { '10m': 0.8 } }),
    ];
    const panel: CaptureRecord[] = [
      { k: 'verdict', t: T + hour, w: 'wB', id: 'a', verdict: 'hurt' },
      { k: 'note', t: T + hour + 1, w: 'wB', id: 'a', note: 'first thought' },
      { k: 'pasteAi', t: T + 2 * hour, w: 'wB', id: 'a' },
      surv('a', T + 2 * hour, { originalChars: 50, aliveChars: 38, samples: { '10m': 0.8, '1h': 0.76 } }, 'wB'),
      { k: 'verdict', t: T + 3 * hour, w: 'wB', id: 'a', verdict: 'helped' },
      { k: 'note', t: T + 3 * hour, w: 'wB', id: 'a', note: 'kept the tests' },
    ];
    const git: CaptureRecord[] = [
      { k: 'commit', t: T + 4 * hour, w: 'wC', project: 'p', sha: 'abc', spanIds: ['a'], committedLines: { a: ['h1', 'h2'] }, aiTool: null },
      { k: 'blame', t: T + 8 * day, w: 'wC', id: 'a', share: 0.5 },
    ];
    const now = T + 9 * day;

    it('folds insertion, extension, survival, verdict, note, paste-as-AI, commit and blame into one outcome', () => {
      const outcome = fold([...capturing, ...panel, ...git]).outcome('a', now);
      assert.deepEqual(outcome, {
        id: 'a', source: 'chat', confidence: 'certain', chars: 50, lines: 3, languageId: 'typescript', fileKind: 'source',
        path: 'src/core/a.ts', project: 'p', t: T, day: D, hour: 10,
        survival: { '10m': 0.8, '1h': 0.76, '24h': null, '72h': null, '7d': null, '30d': null },
        aliveShare: 0.76, reworkedAfterMs: null, quickRegret: false, fixupRatio: 0, observedUntil: now,
        committed: true, committedSurvival7d: 0.5, sessionSwitches: 0, verdictOverride: 'helped', note: 'kept the tests',
      });
    });

    it('gives the same outcome whatever order the windows are read in', () => {
      const expected = fold([...capturing, ...panel, ...git]).outcome('a', now);
      for (let seed = 0; seed < 60; seed++) {
        const order = interleave([capturing, panel, git], seed);
        assert.deepEqual(fold(order).outcome('a', now), expected, `seed ${seed}: ${order.map((r) => r.k).join(' ')}`);
      }
      // Each window's journal read whole, the others' first.
      assert.deepEqual(fold([...git, ...panel, ...capturing]).outcome('a', now), expected);
    });

    it('keeps the survival with the latest lastObservedAt', () => {
      const late = surv('a', T + 5 * hour, { originalChars: 40, aliveChars: 10 });
      const early = surv('a', T + hour, { originalChars: 40, aliveChars: 30 });
      assert.equal(fold([ins('a'), late, early]).outcome('a', now)?.aliveShare, 0.25);
      assert.equal(fold([ins('a'), early, late]).outcome('a', now)?.aliveShare, 0.25);
    });

    it('lets the latest verdict and note win, and a null verdict or empty note clear them', () => {
      const records: CaptureRecord[] = [
        ins('a'),
        { k: 'verdict', t: T + 2 * hour, w: 'wB', id: 'a', verdict: null },
        { k: 'note', t: T + 2 * hour, w: 'wB', id: 'a', note: '' },
        { k: 'verdict', t: T + hour, w: 'wC', id: 'a', verdict: 'hurt' },
        { k: 'note', t: T + hour, w: 'wC', id: 'a', note: 'older' },
      ];
      const outcome = fold(records).outcome('a', now);
      assert.equal(outcome?.verdictOverride, undefined);
      assert.equal(outcome?.note, undefined);
      assert.equal('verdictOverride' in (outcome ?? {}), false);
      const history = fold(records);
      history.add({ k: 'verdict', t: T + 3 * hour, w: 'wB', id: 'a', verdict: 'mixed' });
      assert.equal(history.outcome('a', now)?.verdictOverride, 'mixed');
    });

    it('counts only a paste marked as AI as chat, and leaves other sources alone', () => {
      const history = fold([ins('p', { source: 'paste' }), ins('q', { source: 'typed' }), { k: 'pasteAi', t: T, w: 'wB', id: 'q' }, ins('r', { source: 'paste' })]);
      assert.equal(history.outcome('p', now)?.source, 'paste');
      assert.equal(history.outcome('q', now)?.source, 'typed');
      history.add({ k: 'pasteAi', t: T, w: 'wB', id: 'p' });
      assert.equal(history.outcome('p', now)?.source, 'chat');
    });

    it('lists no outcome for records whose insertion is unknown, and keeps the first `ins` of an id', () => {
      const history = fold([{ k: 'verdict', t: T, w: 'wB', id: 'ghost', verdict: 'hurt' }, surv('ghost', T, {}), ins('a', { chars: 12 }), ins('a', { chars: 99 })]);
      assert.deepEqual(history.outcomes(now).map((o) => [o.id, o.chars]), [['a', 12]]);
      assert.equal(history.outcome('ghost', now), undefined);
      assert.equal(history.size, 4);
    });

    it('applies an agent-log match: agent, tokens and turn key, and certainty for an agent write', () => {
      const match: CaptureRecord = { k: 'agentMatch', t: T + min, w: 'wB', id: 'a', agent: 'claude-code', turnKey: 'claude-code|s|1', tokens: 900 };
      const history = fold([match, ins('a', { source: 'agent', confidence: 'possible' }), ins('b', { source: 'agent', confidence: 'possible' })]);
      const outcome = history.outcome('a', now);
      assert.equal(outcome?.confidence, 'certain');
      assert.equal(outcome?.agent, 'claude-code');
      assert.equal(outcome?.tokens, 900);
      assert.equal(outcome?.agentTurnKey, 'claude-code|s|1');
      const unmatched = history.outcome('b', now);
      assert.equal(unmatched?.confidence, 'possible');
      assert.equal('agentTurnKey' in (unmatched ?? {}), false);
    });

    it('marks committed insertions and takes the latest blame share', () => {
      const history = fold([
        ins('a'), ins('b'),
        { k: 'blame', t: T + 9 * day, w: 'wC', id: 'a', share: 0.25 },
        { k: 'commit', t: T + hour, w: 'wC', project: 'p', sha: 's1', spanIds: ['a'], committedLines: { a: ['h'] }, aiTool: 'copilot' },
        { k: 'blame', t: T + 8 * day, w: 'wD', id: 'a', share: 1 },
      ]);
      assert.equal(history.outcome('a', now)?.committed, true);
      assert.equal(history.outcome('a', now)?.committedSurvival7d, 0.25);
      assert.equal(history.outcome('b', now)?.committed, false);
      assert.equal(history.outcome('b', now)?.committedSurvival7d, null);
    });

    it('gives the context switches of the session an insertion landed in', () => {
      const history = fold([
        ctx(ev('windowFocus', T)), ctx(ev('editor', T, 'src/core/a.ts')), ctx(ev('editor', T + 10 * sec, 'src/host/b.ts')),
        ctx(ev('edit', T + 20 * sec, 'src/host/b.ts')),
        ins('a', { t: T + 20 * sec }),
        ins('later', { t: T + 2 * hour }),
      ]);
      assert.equal(history.outcome('a', now)?.sessionSwitches, 1);
      assert.equal(history.outcome('later', now)?.sessionSwitches, 0);
    });

    it('returns the latest survival of insertions for a reopened document, or a fresh one', () => {
      const history = fold([ins('a'), ins('b', { chars: 7 }), { k: 'ext', t: T, w: 'wA', id: 'b', chars: 3, lines: 0 }, surv('a', T + hour, { aliveChars: 20 }), surv('a', T + min, { aliveChars: 45 })]);
      const [a, b] = history.spanRecords(['a', 'b', 'unknown']);
      assert.equal(a.aliveChars, 20);
      assert.deepEqual(b, newSpanRecord('b', T, 10));
    });
  });

  describe('context by day', () => {
    const switchDay: CaptureRecord[] = [
      ctx(ev('windowFocus', T)),
      ctx(ev('editor', T, 'src/core/a.ts')),
      ctx(ev('editor', T + 10 * sec, 'src/host/b.ts')),
    ];

    it('counts a switch as of now once its 2 s dwell has passed', () => {
      const history = fold(switchDay);
      assert.equal(history.day(D).summary.switches, 0, 'unsettled at the end of the stream');
      assert.equal(history.dayAsOf(D, T + 11 * sec, 'w1').summary.switches, 0);
      assert.equal(history.dayAsOf(D, T + 12 * sec - 1, 'w1').summary.switches, 0);
      const asOf = history.dayAsOf(D, T + 12 * sec, 'w1');
      assert.equal(asOf.summary.switches, 1);
      assert.equal(asOf.summary.byKind.area, 1);
      // Asking as of now adds nothing to the stored events.
      assert.equal(history.day(D).summary.switches, 0);
      assert.equal(history.dayAsOf(D, T + 12 * sec - 1, 'w1').summary.switches, 0);
    });

    it('gives a single day a timeline of its switches, and several days none', () => {
      const history = fold(switchDay);
      const [one] = history.daySummaries([D], D, T + 12 * sec, 'w1');
      assert.deepEqual(one.timeline, [{ t: T + 10 * sec, kind: 'area' }]);
      assert.equal(one.switches, 1);
      assert.equal(one.focusBlocks, 0);
      const several = history.daySummaries([P, D], D, T + 12 * sec, 'w1');
      assert.deepEqual(several.map((s) => [s.day, s.switches]), [[P, 0], [D, 1]]);
      assert.ok(several.every((s) => !('timeline' in s)));
      // A past day is not asked "as of now".
      const [past] = history.daySummaries([D], '2025-06-11', T + 12 * sec, 'w1');
      assert.equal(past.switches, 0);
    });

    it('counts a session crossing midnight whole, whichever day is folded first', () => {
      const midnight = new Date(2025, 5, 10, 0, 0, 0).getTime();
      const before = [9, 7, 5, 3, 1].map((m) => ctx(ev('edit', midnight - m * min, 'src/core/a.ts')));
      const after = [1, 3, 5, 7, 9].map((m) => ctx(ev('edit', midnight + m * min, 'src/core/a.ts')));
      assert.ok(before.every((r) => r.k === 'ctx' && r.event.day === P));
      const history = fold(after);
      assert.equal(history.day(D).summary.activeMs, 8 * min, 'without the previous day, the session starts at 00:01');
      for (const record of before) history.add(record);
      const summary = history.day(D).summary;
      assert.equal(summary.activeMs, 9 * min, 'the session since 23:51 is cut at midnight');
      assert.equal(summary.sessions, 1);
      assert.equal(history.day(P).summary.activeMs, 9 * min, 'and the time from 23:59 to midnight belongs to the day before');
    });

    it('counts a switch dated before midnight but settled after it on its own day, once', () => {
      const midnight = new Date(2025, 5, 10, 0, 0, 0).getTime();
      const history = fold([
        ctx(ev('windowFocus', midnight - 10 * min)),
        ctx(ev('editor', midnight - 10 * min, 'src/core/a.ts')),
        ctx(ev('edit', midnight - 3 * min, 'src/core/a.ts')),
        ctx({ kind: 'windowBlur', t: midnight - 2 * min, day: P, window: 'w1' }),
        ctx(ev('windowFocus', midnight + min)),
        ctx(ev('edit', midnight + 2 * min, 'src/core/a.ts')),
      ]);
      const [before, after] = history.daySummaries([P, D], '2025-06-11', midnight + 3 * min, 'w1');
      assert.equal(before.switches, 1, 'the absence began on the day before');
      assert.equal(before.byKind.app, 1);
      assert.equal(after.switches, 0);
    });

    it('focus blocks of the day are counted in the panel summaries', () => {
      const events = Array.from({ length: 14 }, (_, i) => ctx(ev('edit', T + i * 2 * min, 'src/core/a.ts')));
      const [summary] = fold(events).daySummaries([D], D, T + 26 * min, 'w1');
      assert.equal(summary.focusBlocks, 1);
      assert.equal(summary.focusMs, 26 * min);
    });
  });

  describe('commits, notes, pulse, layouts, clear', () => {
    it('returns commits made before the cutoff with the spans not yet blamed', () => {
      const history = fold([
        { k: 'commit', t: 1_000, w: 'wC', project: 'p', sha: 'one', spanIds: ['a', 'b'], committedLines: { a: ['h1'], b: ['h2', 'h3'] }, aiTool: null },
        { k: 'commit', t: 5_000, w: 'wC', project: 'q', sha: 'two', spanIds: ['c'], committedLines: { c: ['h4'] }, aiTool: null },
        { k: 'blame', t: 9_000, w: 'wC', id: 'a', share: 1 },
      ]);
      assert.deepEqual(history.commitsDueForBlame(3_000), [{ project: 'p', sha: 'one', committedLines: { b: ['h2', 'h3'] } }]);
      assert.deepEqual(history.commitsDueForBlame(1_000), [], 'a commit at the cutoff is not before it');
      assert.deepEqual(history.commitsDueForBlame(6_000).map((c) => c.sha), ['one', 'two']);
      history.add({ k: 'blame', t: 9_000, w: 'wC', id: 'b', share: 0 });
      assert.deepEqual(history.commitsDueForBlame(6_000).map((c) => c.sha), ['two']);
    });

    it('lists notes most recently written first', () => {
      const history = fold([
        ins('a', { t: T, day: D }), ins('b', { t: T - day, day: P }), ins('c', { t: T }),
        { k: 'note', t: T + 3 * hour, w: 'wB', id: 'b', note: 'written last' },
        { k: 'note', t: T + hour, w: 'wB', id: 'a', note: 'written first' },
        { k: 'note', t: T + 2 * hour, w: 'wB', id: 'c', note: 'written second' },
        { k: 'note', t: T + 2 * hour, w: 'wB', id: 'ghost', note: 'no insertion' },
      ]);
      assert.deepEqual(history.notes(), [
        { id: 'b', note: 'written last', day: P },
        { id: 'c', note: 'written second', day: D },
        { id: 'a', note: 'written first', day: D },
      ]);
    });

    it('keeps the latest pulse answer of each week, sorted by week', () => {
      const history = fold([
        { k: 'pulse', t: T + 2 * day, w: 'wA', week: '2025-06-09', answer: 'worse', answeredOn: '2025-06-12' },
        { k: 'pulse', t: T, w: 'wB', week: '2025-06-09', answer: 'better', answeredOn: '2025-06-10' },
        { k: 'pulse', t: T - 7 * day, w: 'wB', week: '2025-06-02', answer: 'skipped', answeredOn: '2025-06-03' },
      ]);
      assert.deepEqual(history.pulse(), [
        { week: '2025-06-02', answer: 'skipped', answeredOn: '2025-06-03' },
        { week: '2025-06-09', answer: 'worse', answeredOn: '2025-06-12' },
      ]);
    });

    it('keeps the latest layout of a closed document, whatever the order', () => {
      const layout = (t: number, length: number): DocumentRecord => ({
        k: 'doc', t, w: 'wA', path: 'src/a.ts', project: 'p', spans: { length, runs: [length, 0], spans: [] }, lineHashes: ['h'], lineLengths: [length],
      });
      const history = fold([layout(T + hour, 20), layout(T, 10)]);
      assert.equal(history.documentLayout('p', 'src/a.ts')?.t, T + hour);
      assert.equal(history.documentLayout('p', 'src/b.ts'), undefined);
    });

    it('forgets everything on clear()', () => {
      const turn: AgentTurn = { agent: 'codex', sessionId: 's', promptAt: T, lastWriteAt: T + min, tokens: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 }, writes: [] };
      const history = fold([
        ins('a'), surv('a', T + min, {}), { k: 'note', t: T, w: 'wB', id: 'a', note: 'n' },
        { k: 'verdict', t: T, w: 'wB', id: 'a', verdict: 'hurt' },
        { k: 'verdict', t: T, w: 'wB', id: 'x', verdict: 'hurt' },
        { k: 'blame', t: T + 8 * day, w: 'wC', id: 'a', share: 0.5 },
        { k: 'agentMatch', t: T + min, w: 'wB', id: 'a', agent: 'claude-code', turnKey: 'claude-code|s|1', tokens: 900 },
        { k: 'commit', t: 1, w: 'wC', project: 'p', sha: 's', spanIds: ['a'], committedLines: { a: ['h'] }, aiTool: null },
        { k: 'pulse', t: T, w: 'wB', week: '2025-06-09', answer: 'better', answeredOn: D },
        { k: 'doc', t: T, w: 'wA', path: 'src/a.ts', project: 'p', spans: { length: 1, runs: [1, 0], spans: [] }, lineHashes: ['h'], lineLengths: [1] },
        { k: 'turn', t: T, w: 'wA', turn },
        ...switchDayFor(),
      ]);
      assert.deepEqual(history.agentTurns(), [turn]);
      assert.equal(history.day(D).summary.switches, 1);
      history.clear();
      assert.equal(history.size, 0);
      assert.deepEqual(history.outcomes(T), []);
      assert.deepEqual(history.notes(), []);
      assert.deepEqual(history.pulse(), []);
      assert.deepEqual(history.agentTurns(), []);
      assert.equal(history.dayView(D).summary.activeMs, 0);
      assert.deepEqual(history.commitsDueForBlame(Infinity), []);
      assert.equal(history.documentLayout('p', 'src/a.ts'), undefined);
      assert.deepEqual(history.spanRecords(['a', 'x']), []);
      assert.equal(history.day(D).summary.switches, 0);
      // An id seen before the clear starts afresh, and so does another id that takes its row:
      // nothing the developer or git said of an insertion before the clear sticks to a new one.
      history.add(ins('z'));
      history.add(ins('a'));
      for (const id of ['z', 'a']) {
        const outcome = history.outcome(id, T);
        assert.ok(outcome, id);
        assert.deepEqual(
          [outcome.note, outcome.verdictOverride, outcome.committedSurvival7d, outcome.agentTurnKey, outcome.committed, outcome.source, outcome.confidence],
          [undefined, undefined, null, undefined, false, 'inline', 'certain'],
          id,
        );
      }
    });
  });
});

function switchDayFor(): CaptureRecord[] {
  return [ctx(ev('windowFocus', T)), ctx(ev('editor', T, 'src/core/a.ts')), ctx(ev('editor', T + 10 * sec, 'src/host/b.ts')), ctx(ev('tick', T + 20 * sec))];
}
