import assert from 'node:assert/strict';
import { format } from 'date-fns';
import { computeDashboard, minAtRiskForCurve, minSampleForBreakdown, minSampleForShare } from '../../src/core/analytics';
import type { DashboardInput, DashboardOptions, DashboardSnapshot, DaySummary } from '../../src/core/analytics';
import type { InsertionOutcome, Verdict } from '../../src/core/model';
import type { DayRange } from '../../src/core/ranges';
import { outcomeWith, syntheticHistory } from '../../src/core/synthetic';

const minute = 60_000;
const hour = 60 * minute;
const now = new Date(2025, 5, 10, 12).getTime(); // local noon, 10 June 2025
const june: DayRange = { from: '2025-06-01', to: '2025-06-10' };
const all: DashboardOptions = { minConfidence: 'possible' };

let ids = 0;

/** An AI insertion landed at `t` (default 100 h ago), its day and hour taken from t locally. */
function ins(partial: Partial<InsertionOutcome> = {}): InsertionOutcome {
  const t = partial.t ?? now - 100 * hour;
  return outcomeWith({ id: `i${ids++}`, t, day: format(t, 'yyyy-MM-dd'), hour: new Date(t).getHours(), observedUntil: now, ...partial });
}

/** An AI insertion whose proposed verdict is the given one. */
function judged(verdict: Verdict, partial: Partial<InsertionOutcome> = {}): InsertionOutcome {
  switch (verdict) {
    case 'helped':
      return ins({ survival: { '72h': 1 }, ...partial });
    case 'hurt':
      return ins({ survival: { '72h': 0.2 }, ...partial });
    case 'mixed':
      return ins({ survival: { '72h': 0.7 }, ...partial });
    case 'tooEarly':
      return ins({ t: now - hour, survival: { '72h': null }, ...partial });
  }
}

function many(count: number, make: () => InsertionOutcome): InsertionOutcome[] {
  return Array.from({ length: count }, make);
}

function dashboard(insertions: InsertionOutcome[], options: DashboardOptions = all, extra: Partial<DashboardInput> = {}): DashboardSnapshot {
  return computeDashboard({ insertions, days: [], ...extra }, june, now, options);
}

const nullableKeys = new Set(['focusBlocks', 'timeline', 'note', 'override', 'tokensPerSurvivingLine', 'waitingOnAi']);
const insufficientKeys = new Set(['value', 'lower', 'upper', 'helpedShare', 'hurtShare']);

/**
 * Every number is finite; a null stands only where the snapshot promises one: a figure marked
 * insufficient, or a field documented as nullable. And it survives a JSON round trip unchanged.
 */
function assertHonest(snapshot: DashboardSnapshot): void {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') assert.ok(Number.isFinite(value), `${path} is ${value}`);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const [key, field] of Object.entries(record)) {
        if (field === null) {
          const insufficient = record.insufficient === true || record.light === 'insufficient';
          assert.ok(nullableKeys.has(key) || (insufficientKeys.has(key) && insufficient), `${path}.${key} is null`);
        } else walk(field, `${path}.${key}`);
      }
    }
  };
  walk(snapshot, 'snapshot');
  assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
}

describe('computeDashboard', () => {
  describe('with no data', () => {
    const snapshot = computeDashboard({ insertions: [], days: [] }, june, now, all);

    it('says insufficient in every section instead of a number', () => {
      const { survival, verdicts } = snapshot;
      for (const curve of [survival.curves.ai, survival.curves.typed, ...Object.values(survival.curves.bySource)]) {
        assert.equal(curve.insufficient, true);
        assert.deepEqual(curve.points, []);
        assert.ok(curve.atCheckpoints.every((reading) => reading.value === null && reading.insufficient));
      }
      for (const means of [survival.checkpoints.ai, survival.checkpoints.typed, ...Object.values(survival.checkpoints.bySource)]) {
        assert.ok(means.every((mean) => mean.value === null && mean.insufficient && mean.n === 0));
      }
      assert.equal(survival.rework72h.ai.status, 'insufficient');
      assert.equal(survival.rework72h.typed.status, 'insufficient');
      assert.equal(survival.committed.share.insufficient, true);
      assert.equal(survival.committed.survival7d.insufficient, true);
      assert.equal(verdicts.mix.helpedShare.insufficient, true);
      assert.ok(Object.values(verdicts.breakdowns).every((rows) => rows.length === 0));
      assert.deepEqual(snapshot.moments, { limit: 20, total: 0, items: [] });
      assert.deepEqual(snapshot.agent, { tokensPerSurvivingLine: null, waitingOnAi: null });
    });

    it('still lists every day of the range, untracked', () => {
      assert.equal(snapshot.glance.days.length, 10);
      assert.ok(snapshot.glance.days.every((day) => !day.tracked && day.switches === 0));
      assert.equal(snapshot.glance.totals.trackedDays, 0);
      assert.equal(snapshot.glance.totals.focusBlocks, null);
    });

    it('contains no NaN, Infinity or stray null', () => {
      assertHonest(snapshot);
    });

    it('describes its own minimum samples', () => {
      assert.deepEqual(snapshot.minimums, { share: minSampleForShare, breakdownRow: minSampleForBreakdown, curveAtRisk: minAtRiskForCurve });
      assert.deepEqual(snapshot.range, { from: '2025-06-01', to: '2025-06-10', days: 10 });
    });
  });

  describe('survival', () => {
    it('computes rework at 72 h over characters, among insertions with a known 72 h reading', () => {
      // Characters lost: 0 + 100 + 10 + 0 + 20 + 100 = 230 of 1,000.
      const known = [
        [100, 1],
        [200, 0.5],
        [100, 0.9],
        [100, 1],
        [100, 0.8],
        [400, 0.75],
      ].map(([chars, s72]) => ins({ chars, survival: { '72h': s72 } }));
      const young = ins({ t: now - 5 * hour, chars: 5_000, survival: { '72h': null } });
      const unknown = ins({ chars: 5_000, survival: { '72h': 'unknown' } });
      const snapshot = dashboard([...known, young, unknown]);
      const rework = snapshot.survival.rework72h.ai;
      assert.equal(rework.n, 6);
      assert.equal(rework.chars, 1_000);
      assert.ok(Math.abs((rework.value ?? NaN) - 0.23) < 1e-12);
      assert.equal(rework.status, 'watch');
      const mean72 = snapshot.survival.checkpoints.ai.find((c) => c.label === '72h');
      assert.ok(mean72 !== undefined);
      assert.ok(Math.abs((mean72.value ?? NaN) - 4.95 / 6) < 1e-12);
      assert.deepEqual([mean72.n, mean72.unknown, mean72.pending], [6, 1, 1]);
    });

    it('rates rework healthy below 15%, watch from 15% to 25% inclusive, red above 25%', () => {
      const statusAt = (s72: number): string => dashboard(many(5, () => ins({ survival: { '72h': s72 } }))).survival.rework72h.ai.status;
      assert.equal(statusAt(0.9), 'healthy');
      assert.equal(statusAt(0.85), 'watch');
      assert.equal(statusAt(0.75), 'watch');
      assert.equal(statusAt(0.74), 'red');
    });

    it('gives no share from fewer than the minimum sample: 4 insufficient, 5 a number', () => {
      const below = dashboard(many(minSampleForShare - 1, () => ins({ survival: { '72h': 0.9 } })));
      assert.deepEqual(below.survival.rework72h.ai, { value: null, n: 4, insufficient: true, chars: 400, status: 'insufficient' });
      assert.equal(below.survival.checkpoints.ai[3].value, null);
      const at = dashboard(many(minSampleForShare, () => ins({ survival: { '72h': 0.9 } })));
      assert.equal(at.survival.rework72h.ai.insufficient, false);
      assert.equal(at.survival.checkpoints.ai[3].value, 0.9);
    });

    it('keeps the typed baseline apart from the AI figures', () => {
      const snapshot = dashboard([
        ...many(5, () => ins({ survival: { '72h': 0.5 } })),
        ...many(5, () => ins({ source: 'typed', survival: { '72h': 1 } })),
        ins({ source: 'paste', survival: { '72h': 0 } }),
      ]);
      assert.equal(snapshot.survival.rework72h.ai.value, 0.5);
      assert.equal(snapshot.survival.rework72h.typed.value, 0);
      assert.equal(snapshot.survival.rework72h.typed.status, 'healthy');
      assert.equal(snapshot.survival.checkpoints.typed[3].n, 5);
    });

    it('draws the Kaplan–Meier curve only while enough insertions are at risk', () => {
      // Reworked at 1 h and 2 h; followed without rework for 30, 40, 50 and 60 h.
      const t = now - 100 * hour;
      const insertions = [
        ins({ t, reworkedAfterMs: hour }),
        ins({ t, reworkedAfterMs: 2 * hour }),
        ...[30, 40, 50, 60].map((h) => ins({ t, observedUntil: t + h * hour })),
      ];
      const curve = dashboard(insertions).survival.curves.ai;
      assert.deepEqual([curve.n, curve.events, curve.censored, curve.insufficient], [6, 2, 4, false]);
      assert.deepEqual(
        curve.points.map((p) => [p.timeMs, p.survival, p.atRisk]),
        [
          [hour, 5 / 6, 6],
          [2 * hour, (5 / 6) * (4 / 5), 5],
        ],
      );
      assert.deepEqual(
        curve.atCheckpoints.slice(0, 3).map((r) => [r.label, r.value, r.atRisk, r.insufficient]),
        [
          ['10m', 1, 6, false],
          ['1h', 5 / 6, 6, false],
          ['24h', null, 4, true],
        ],
      );
    });

    it('calls a curve of fewer than the minimum insertions insufficient, and splits curves by source', () => {
      const snapshot = dashboard([
        ...many(minAtRiskForCurve - 1, () => ins({ source: 'chat', reworkedAfterMs: hour })),
        ...many(minAtRiskForCurve, () => ins({ source: 'agent' })),
      ]);
      const { bySource, ai } = snapshot.survival.curves;
      assert.deepEqual([bySource.chat.n, bySource.chat.insufficient], [4, true]);
      assert.deepEqual([bySource.agent.n, bySource.agent.insufficient, bySource.agent.events], [5, false, 0]);
      assert.deepEqual([bySource.inline.n, ai.n], [0, 9]);
    });

    it('counts committed share among insertions older than 24 h, and averages known 7-day survival', () => {
      const snapshot = dashboard([
        ...[true, true, true, false, false].map((committed) => ins({ committed })),
        ins({ t: now - hour, committed: true }),
        ...[0.9, 0.8, 1, 0.7, 0.6].map((s) => ins({ committed: true, committedSurvival7d: s })),
      ]);
      const { share, survival7d } = snapshot.survival.committed;
      assert.deepEqual(share, { value: 8 / 10, n: 10, insufficient: false });
      assert.equal(survival7d.n, 5);
      assert.ok(Math.abs((survival7d.value ?? NaN) - 0.8) < 1e-12);
      const fewer = dashboard([0.9, 0.8, 1, 0.7].map((s) => ins({ committedSurvival7d: s })));
      assert.deepEqual(fewer.survival.committed.survival7d, { value: null, n: 4, insufficient: true });
    });
  });

  describe('helped / hurt', () => {
    const byKind = [
      ...many(8, () => judged('helped', { fileKind: 'test' })),
      judged('hurt', { fileKind: 'test' }),
      judged('mixed', { fileKind: 'test' }),
      ...many(2, () => judged('tooEarly', { fileKind: 'test' })),
      ...many(9, () => judged('helped', { fileKind: 'docs' })),
      ...many(5, () => judged('helped', { fileKind: 'config' })),
      ...many(3, () => judged('hurt', { fileKind: 'config' })),
      ...many(2, () => judged('mixed', { fileKind: 'config' })),
      ...many(5, () => judged('helped', { fileKind: 'source' })),
      judged('hurt', { fileKind: 'source' }),
      ...many(4, () => judged('mixed', { fileKind: 'source' })),
    ];
    const snapshot = dashboard(byKind);

    it('mixes effective verdicts, too early counted but left out of the shares', () => {
      const { mix } = snapshot.verdicts;
      assert.deepEqual([mix.helped, mix.hurt, mix.mixed, mix.tooEarly], [27, 5, 7, 2]);
      assert.deepEqual(mix.helpedShare, { value: 27 / 39, n: 39, insufficient: false });
    });

    it('lights a row green, yellow or red with its numbers, and insufficient below 10 judged', () => {
      const rows = snapshot.verdicts.breakdowns.fileKind;
      assert.deepEqual(
        rows.map((r) => r.key),
        ['source', 'test', 'docs', 'config'],
      );
      assert.deepEqual(rows[1], {
        key: 'test',
        label: 'tests',
        n: 10,
        helped: 8,
        hurt: 1,
        mixed: 1,
        tooEarly: 2,
        helpedShare: 0.8,
        hurtShare: 0.1,
        light: 'green',
        reason: 'tests: helped 80%, hurt 10%, n = 10',
      });
      assert.deepEqual([rows[0].light, rows[0].reason], ['yellow', 'source: helped 50%, hurt 10%, n = 10']);
      assert.deepEqual([rows[2].light, rows[2].helpedShare, rows[2].reason], ['insufficient', null, 'docs: not enough data yet (n = 9, needs 10)']);
      assert.deepEqual([rows[3].light, rows[3].reason], ['red', 'config: hurt 30%, helped 50%, n = 10']);
    });

    it('buckets size, time of day and session switch load at their documented edges', () => {
      const rowsOf = (insertions: InsertionOutcome[], dimension: 'size' | 'timeOfDay' | 'switchLoad'): [string, number][] =>
        dashboard(insertions).verdicts.breakdowns[dimension].map((r) => [r.key, r.helped]);
      assert.deepEqual(
        rowsOf(
          [1, 2, 10, 11, 50, 51].map((lines) => judged('helped', { lines })),
          'size',
        ),
        [
          ['1', 1],
          ['2-10', 2],
          ['11-50', 2],
          ['51+', 1],
        ],
      );
      assert.deepEqual(
        rowsOf(
          [0, 5, 6, 11, 12, 17, 18, 23].map((h) => judged('helped', { hour: h })),
          'timeOfDay',
        ),
        [
          ['night', 2],
          ['morning', 2],
          ['afternoon', 2],
          ['evening', 2],
        ],
      );
      assert.deepEqual(
        rowsOf(
          [0, 2, 3, 9, 10, 30].map((sessionSwitches) => judged('helped', { sessionSwitches })),
          'switchLoad',
        ),
        [
          ['calm', 2],
          ['busy', 2],
          ['scattered', 2],
        ],
      );
    });

    it('orders languages by number of insertions, then by name, and sources by the fixed order', () => {
      const insertions = [
        ...many(3, () => judged('helped', { languageId: 'python', source: 'agent' })),
        judged('helped', { languageId: 'typescript', source: 'chat' }),
        ...many(3, () => judged('helped', { languageId: 'go' })),
      ];
      const { language, source } = dashboard(insertions).verdicts.breakdowns;
      assert.deepEqual(
        language.map((r) => [r.key, r.label]),
        [
          ['go', 'go'],
          ['python', 'python'],
          ['typescript', 'typescript'],
        ],
      );
      assert.deepEqual(
        source.map((r) => r.key),
        ['inline', 'chat', 'agent'],
      );
    });

    it("counts the developer's overrides as the verdict, and how many they judged", () => {
      const insertions = [...many(8, () => judged('helped')), ...many(2, () => judged('helped', { verdictOverride: 'hurt' }))];
      const { mix, breakdowns } = dashboard(insertions).verdicts;
      assert.deepEqual([mix.helped, mix.hurt, mix.developerJudged], [8, 2, 2]);
      assert.deepEqual([breakdowns.source[0].hurt, breakdowns.source[0].light], [2, 'yellow']);
    });

    it('judges AI insertions only', () => {
      const { mix } = dashboard([judged('helped', { source: 'typed' }), judged('hurt', { source: 'paste' })]).verdicts;
      assert.deepEqual([mix.helped, mix.hurt, mix.mixed, mix.tooEarly], [0, 0, 0, 0]);
    });
  });

  describe('confidence filter', () => {
    const insertions = [
      ...many(3, () => judged('helped', { confidence: 'certain' })),
      ...many(2, () => judged('hurt', { confidence: 'likely' })),
      judged('mixed', { confidence: 'possible' }),
      ins({ source: 'typed', confidence: 'certain' }),
    ];

    it('keeps only certain attributions at "certain"', () => {
      const snapshot = dashboard(insertions, { minConfidence: 'certain' });
      assert.deepEqual(snapshot.sample, { insertions: 4, ai: 3, excludedByConfidence: 3 });
      assert.deepEqual(snapshot.glance.insertions.aiByConfidence, { certain: 3, likely: 0, possible: 0 });
      assert.equal(snapshot.verdicts.mix.hurt, 0);
    });

    it('keeps certain and likely at "likely", and everything at "possible"', () => {
      assert.deepEqual(dashboard(insertions, { minConfidence: 'likely' }).sample, { insertions: 6, ai: 5, excludedByConfidence: 1 });
      const everything = dashboard(insertions, { minConfidence: 'possible' });
      assert.deepEqual(everything.sample, { insertions: 7, ai: 6, excludedByConfidence: 0 });
      assert.deepEqual([everything.verdicts.mix.helped, everything.verdicts.mix.hurt, everything.verdicts.mix.mixed], [3, 2, 1]);
      assert.equal(everything.minConfidence, 'possible');
    });
  });

  describe('day at a glance', () => {
    const day = (key: string, partial: Partial<DaySummary> = {}): DaySummary => ({
      day: key,
      switches: 10,
      byKind: { app: 4, project: 1, area: 2, tool: 3 },
      activeMs: 3 * hour,
      sessions: 2,
      focusMs: hour,
      longestFocusMs: 40 * minute,
      ...partial,
    });
    const inRange = (key: string, partial: Partial<InsertionOutcome> = {}): InsertionOutcome =>
      ins({ day: key, t: new Date(`${key}T10:00`).getTime(), ...partial });

    it('lists every day of the range with its figures, and totals the tracked ones', () => {
      const range: DayRange = { from: '2025-06-01', to: '2025-06-03' };
      const snapshot = computeDashboard(
        {
          insertions: [inRange('2025-06-01'), inRange('2025-06-03'), inRange('2025-06-03', { chars: 50, lines: 3 }), inRange('2025-06-04')],
          days: [day('2025-06-01', { focusBlocks: 1 }), day('2025-06-03', { longestFocusMs: 50 * minute }), day('2025-06-04')],
        },
        range,
        now,
        all,
      );
      const { days, totals, timeline, insertions } = snapshot.glance;
      assert.deepEqual(
        days.map((d) => [d.day, d.tracked, d.switches, d.focusBlocks, d.aiInsertions]),
        [
          ['2025-06-01', true, 10, 1, 1],
          ['2025-06-02', false, 0, null, 0],
          ['2025-06-03', true, 10, null, 2],
        ],
      );
      assert.deepEqual(totals, {
        trackedDays: 2,
        activeMs: 6 * hour,
        sessions: 4,
        focusBlocks: null,
        focusMs: 2 * hour,
        longestFocusMs: 50 * minute,
        switches: 20,
        byKind: { app: 8, project: 2, area: 4, tool: 6 },
      });
      assert.equal(timeline, null);
      assert.deepEqual([insertions.total, insertions.ai, insertions.aiChars, insertions.aiLines], [3, 3, 250, 5]);
    });

    it('gives the single day its switch timeline in time order', () => {
      const range: DayRange = { from: '2025-06-02', to: '2025-06-02' };
      const timelineIn = [
        { t: 300, kind: 'tool' as const },
        { t: 100, kind: 'app' as const },
      ];
      const snapshot = computeDashboard({ insertions: [], days: [day('2025-06-02', { focusBlocks: 2, timeline: timelineIn })] }, range, now, all);
      assert.deepEqual(snapshot.glance.timeline, [
        { t: 100, kind: 'app' },
        { t: 300, kind: 'tool' },
      ]);
      assert.equal(snapshot.glance.totals.focusBlocks, 2);
    });

    it('counts insertions by source and leaves out those outside the range', () => {
      const snapshot = dashboard([
        ins({ source: 'chat' }),
        ins({ source: 'typed' }),
        ins({ source: 'paste' }),
        inRange('2025-05-31', { confidence: 'possible' }),
        inRange('2025-06-11'),
      ]);
      assert.deepEqual(snapshot.glance.insertions.bySource, { inline: 0, chat: 1, agent: 0, paste: 1, typed: 1 });
      assert.deepEqual(snapshot.sample, { insertions: 3, ai: 1, excludedByConfidence: 0 });
    });
  });

  describe('moments', () => {
    const regret = judged('tooEarly', { t: now - 2 * hour, quickRegret: true, lines: 1, note: 'wrong API' });
    const bigRework = judged('hurt', { t: now - 80 * hour, lines: 12 });
    const bigWin = judged('helped', { t: now - 90 * hour, lines: 10, verdictOverride: 'helped' });
    const insertions = [
      bigWin,
      regret,
      bigRework,
      judged('helped', { lines: 9 }),
      judged('tooEarly', { lines: 40 }),
      judged('mixed', { lines: 60 }),
    ];

    it('lists quick regrets, big reworks and big wins, most recent first, with their reasons', () => {
      const { moments } = dashboard(insertions);
      assert.equal(moments.total, 3);
      assert.deepEqual(
        moments.items.slice(0, 3).map((m) => [m.id, m.kind, m.verdict, m.note, m.override]),
        [
          [regret.id, 'quickRegret', 'hurt', 'wrong API', null],
          [bigRework.id, 'bigRework', 'hurt', null, null],
          [bigWin.id, 'bigWin', 'helped', null, 'helped'],
        ],
      );
      assert.equal(moments.items[1].reason, 'Only 20% still there after 72 h (half or more reworked)');
      assert.deepEqual([moments.items[0].path, moments.items[0].project, moments.items[0].lines], ['src/example.ts', 'example', 1]);
    });

    it('fills the list with the latest other AI insertions and pastes, newest first, never typed code', () => {
      const { moments } = dashboard(insertions);
      const rest = moments.items.slice(3);
      const notableIds = new Set([regret.id, bigRework.id, bigWin.id]);
      const expected = insertions
        .filter((o) => !notableIds.has(o.id) && o.source !== 'typed')
        .sort((a, b) => b.t - a.t)
        .slice(0, moments.limit - 3)
        .map((o) => o.id);
      assert.ok(expected.length > 0, 'the fixture has other insertions');
      assert.deepEqual(rest.map((m) => m.id), expected);
      assert.ok(rest.every((m) => m.kind === 'recent' && m.source !== 'typed'));
    });

    it('keeps the newest up to the limit and still counts them all', () => {
      const { moments } = dashboard(insertions, { minConfidence: 'possible', momentsLimit: 2 });
      assert.deepEqual([moments.limit, moments.total, moments.items.length], [2, 3, 2]);
      assert.equal(moments.items[1].id, bigRework.id);
    });
  });

  describe('agent figures', () => {
    it('passes them through, held to the minimum sample', () => {
      const snapshot = dashboard([], all, {
        agent: {
          tokensPerSurvivingLine: { value: 120, n: 5, byAgent: { 'claude-code': { value: 100, n: 4 }, codex: { value: 150, n: 6 } } },
          waitingOnAi: { totalMs: hour, turns: 6, switchesWhileWaiting: 12 },
        },
      });
      assert.deepEqual(snapshot.agent, {
        tokensPerSurvivingLine: {
          value: 120,
          n: 5,
          insufficient: false,
          byAgent: { 'claude-code': { value: null, n: 4, insufficient: true }, codex: { value: 150, n: 6, insufficient: false } },
        },
        waitingOnAi: { totalMs: hour, turns: 6, switchesWhileWaiting: 12, switchesPerTurn: { value: 2, n: 6, insufficient: false } },
      });
    });
  });

  describe('on a realistic synthetic history', () => {
    const history = syntheticHistory(7, 60, 40, '2025-06-10');

    it('contains no NaN, Infinity or stray null, whatever the filter', () => {
      for (const minConfidence of ['certain', 'likely', 'possible'] as const) {
        assertHonest(computeDashboard(history, { from: '2025-04-12', to: '2025-06-10' }, history.now, { minConfidence }));
        assertHonest(computeDashboard(history, { from: '2025-06-10', to: '2025-06-10' }, history.now, { minConfidence }));
      }
    });

    it('counts every insertion in exactly one group of each breakdown', () => {
      const snapshot = computeDashboard(history, { from: '2025-04-12', to: '2025-06-10' }, history.now, all);
      const { mix, breakdowns } = snapshot.verdicts;
      for (const rows of Object.values(breakdowns)) {
        assert.equal(
          rows.reduce((sum, r) => sum + r.n + r.tooEarly, 0),
          snapshot.sample.ai,
        );
      }
      assert.equal(mix.helped + mix.hurt + mix.mixed + mix.tooEarly, snapshot.sample.ai);
    });
  });
});
