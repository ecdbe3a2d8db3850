import assert from 'node:assert/strict';
import { agentTurnKey, nonBlankLineHashes } from '../../src/core/agentLogs';
import type { AgentInsertion } from '../../src/core/agentMatch';
import { agentFigures, matchAgentWrite } from '../../src/core/agentMatch';
import type { AgentTurn, ContextSwitch, InsertionOutcome, SwitchKind } from '../../src/core/model';

const salt = 's';
const h = (text: string): string[] => nonBlankLineHashes(salt, text);
const t0 = new Date(2025, 10, 3, 12, 0, 0).getTime(); // local noon, so local days are unambiguous
const sec = 1000;

function turn(agent: AgentTurn['agent'], promptAt: number, tokens: number, writes: AgentTurn['writes'], sessionId = 'sess'): AgentTurn {
  const lastWriteAt = writes.length === 0 ? null : Math.max(...writes.map((w) => w.t));
  return { agent, sessionId, promptAt, lastWriteAt, tokens: { input: tokens / 2, output: tokens / 4, cacheRead: tokens / 8, cacheWrite: tokens / 8 }, writes };
}

describe('agentMatch: matchAgentWrite', () => {
  const body = 'function add(a, b) {\n  return a + b;\n}\n\nexport { add };';
  const writer = turn('claude-code', t0, 800, [{ path: 'src/math.ts', t: t0 + 20 * sec, lineHashes: h(body) }]);
  const insertion: AgentInsertion = { path: 'src/math.ts', t: t0 + 25 * sec, lineHashes: h(body) };

  it('matches the right path, time and lines, with the turn key and its total tokens', () => {
    assert.deepEqual(matchAgentWrite(insertion, [writer]), { agent: 'claude-code', turnKey: agentTurnKey(writer), tokens: 800 });
  });

  it('refuses another path', () => {
    assert.equal(matchAgentWrite({ ...insertion, path: 'src/other.ts' }, [writer]), null);
    assert.equal(matchAgentWrite({ ...insertion, path: 'src/Math.ts' }, [writer]), null);
    assert.notEqual(matchAgentWrite({ ...insertion, path: 'src/Math.ts' }, [writer], { maxEarlyMs: 10_000, maxLateMs: 60_000, minOverlap: 0.5, caseInsensitivePaths: true }), null);
  });

  it('accepts a disk change from 10 s before to 60 s after the logged write, and nothing beyond', () => {
    const at = (offset: number): AgentInsertion => ({ ...insertion, t: t0 + 20 * sec + offset });
    assert.notEqual(matchAgentWrite(at(-10 * sec), [writer]), null);
    assert.notEqual(matchAgentWrite(at(60 * sec), [writer]), null);
    assert.equal(matchAgentWrite(at(-10 * sec - 1), [writer]), null);
    assert.equal(matchAgentWrite(at(60 * sec + 1), [writer]), null);
  });

  it('needs at least half of the inserted non-blank lines among the written ones', () => {
    const half = h('function add(a, b) {\n  return a + b;\nconsole.log(1);\nlet x = 2;');
    const less = h('function add(a, b) {\nconsole.log(1);\nlet x = 2;');
    assert.notEqual(matchAgentWrite({ ...insertion, lineHashes: half }, [writer]), null);
    assert.equal(matchAgentWrite({ ...insertion, lineHashes: less }, [writer]), null);
    assert.equal(matchAgentWrite({ ...insertion, lineHashes: [] }, [writer]), null);
  });

  it('counts several writes of one turn to the path together', () => {
    const split = turn('codex', t0, 100, [
      { path: 'src/math.ts', t: t0 + 20 * sec, lineHashes: h('function add(a, b) {') },
      { path: 'src/math.ts', t: t0 + 21 * sec, lineHashes: h('  return a + b;\n}\nexport { add };') },
    ]);
    assert.equal(matchAgentWrite(insertion, [split])?.turnKey, agentTurnKey(split));
  });

  it('prefers the better overlap, then the closer write', () => {
    const partial = turn('codex', t0 - sec, 50, [{ path: 'src/math.ts', t: t0 + 25 * sec, lineHashes: h('function add(a, b) {\n  return a + b;\n}') }], 'other');
    assert.equal(matchAgentWrite(insertion, [partial, writer])?.turnKey, agentTurnKey(writer));
    const closer = turn('codex', t0 - sec, 50, [{ path: 'src/math.ts', t: t0 + 24 * sec, lineHashes: h(body) }], 'other');
    assert.equal(matchAgentWrite(insertion, [writer, closer])?.turnKey, agentTurnKey(closer));
  });
});

function outcome(id: string, turnKey: string | undefined, day: string, lines: number, s72: number | null | 'unknown'): InsertionOutcome {
  return {
    id,
    source: 'agent',
    confidence: 'certain',
    chars: lines * 30,
    lines,
    languageId: 'typescript',
    fileKind: 'source',
    path: 'src/x.ts',
    project: 'proj',
    t: t0,
    day,
    hour: 12,
    observedUntil: t0,
    survival: { '72h': s72 },
    aliveShare: typeof s72 === 'number' ? s72 : 1,
    reworkedAfterMs: null,
    quickRegret: false,
    fixupRatio: 0,
    committed: false,
    committedSurvival7d: null,
    sessionSwitches: 0,
    agentTurnKey: turnKey,
  };
}

function switchAt(t: number, kind: SwitchKind): ContextSwitch {
  return { t, day: '2025-11-03', kind, window: 'w', from: 'a', to: 'b' };
}

describe('agentMatch: agentFigures', () => {
  const day1 = '2025-11-03';
  const day2 = '2025-11-04';
  const w = (t: number): AgentTurn['writes'][number] => ({ path: 'src/x.ts', t, lineHashes: [] });
  const a = turn('claude-code', t0, 1000, [w(t0 + 60 * sec), w(t0 + 120 * sec)], 'a');
  const b = turn('codex', t0 + 1000 * sec, 600, [w(t0 + 1060 * sec)], 'b');
  const young = turn('claude-code', t0 + 2000 * sec, 5000, [w(t0 + 2030 * sec)], 'c');
  const reworked = turn('claude-code', t0 + 86_400 * sec, 700, [w(t0 + 86_400 * sec + 10 * sec)], 'd');
  const noWrites = turn('codex', t0 + 3000 * sec, 90, [], 'e');
  const turns = [a, b, young, reworked, noWrites];
  const outcomes = [
    outcome('a1', agentTurnKey(a), day1, 10, 1),
    outcome('a2', agentTurnKey(a), day1, 10, 0.5),
    outcome('b1', agentTurnKey(b), day2, 4, 0.75),
    outcome('c1', agentTurnKey(young), day1, 8, null),
    outcome('d1', agentTurnKey(reworked), day2, 6, 0),
    outcome('x1', undefined, day1, 50, 1),
  ];
  const switches = [
    switchAt(t0 + 30 * sec, 'app'),
    switchAt(t0 + 120 * sec, 'tool'), // at the last write: counts
    switchAt(t0 + 200 * sec, 'area'), // between turns: not waiting
    switchAt(t0 + 1000 * sec, 'tool'), // at the prompt: counts
    switchAt(t0 - sec, 'project'), // before any prompt
  ];
  const figures = agentFigures(turns, outcomes, switches);

  it('divides matched turns’ tokens by their lines alive at 72 h, skipping turns not yet 72 h old', () => {
    const { all, byAgent, byDay } = figures.tokensPerSurvivingLine;
    // a: 1000 tokens, 10×1 + 10×0.5 = 15 lines; b: 600, 3; d: 700, 0. young (c) is censored.
    assert.deepEqual(all, { tokens: 2300, aliveLines: 18, tokensPerLine: 2300 / 18, turns: 3, insertions: 4 });
    assert.deepEqual(byAgent['claude-code'], { tokens: 1700, aliveLines: 15, tokensPerLine: 1700 / 15, turns: 2, insertions: 3 });
    assert.deepEqual(byAgent.codex, { tokens: 600, aliveLines: 3, tokensPerLine: 200, turns: 1, insertions: 1 });
    assert.deepEqual(Object.keys(byDay).sort(), [day1, day2]);
    assert.equal(byDay[day1].tokensPerLine, 1000 / 15);
    assert.deepEqual(byDay[day2], { tokens: 1300, aliveLines: 3, tokensPerLine: 1300 / 3, turns: 2, insertions: 2 });
  });

  it('reports no ratio when nothing survived', () => {
    const only = agentFigures([reworked], [outcome('d1', agentTurnKey(reworked), day2, 6, 0)], []);
    assert.equal(only.tokensPerSurvivingLine.all.tokensPerLine, null);
    assert.equal(only.tokensPerSurvivingLine.all.tokens, 700);
  });

  it('excludes a whole turn when one of its insertions has an unknown 72 h survival', () => {
    const mixed = agentFigures([a], [outcome('a1', agentTurnKey(a), day1, 10, 1), outcome('a2', agentTurnKey(a), day1, 10, 'unknown')], []);
    assert.equal(mixed.tokensPerSurvivingLine.all.turns, 0);
    assert.equal(mixed.tokensPerSurvivingLine.all.tokensPerLine, null);
  });

  it('measures waiting from prompt to last write with the switches made meanwhile', () => {
    const { all, byAgent, byDay, perTurn } = figures.waiting;
    assert.deepEqual(
      perTurn.map((p) => [p.turnKey, p.waitMs, p.switches]),
      [
        [agentTurnKey(a), 120 * sec, 2],
        [agentTurnKey(b), 60 * sec, 1],
        [agentTurnKey(young), 30 * sec, 0],
        [agentTurnKey(reworked), 10 * sec, 0],
      ],
    );
    assert.deepEqual(perTurn[0].switchesByKind, { app: 1, project: 0, area: 0, tool: 1 });
    assert.deepEqual(all, {
      turns: 4,
      totalWaitMs: 220 * sec,
      medianWaitMs: 45 * sec,
      switches: 3,
      switchesByKind: { app: 1, project: 0, area: 0, tool: 2 },
      turnsWithSwitch: 2,
    });
    assert.equal(byAgent.codex?.turns, 1);
    assert.equal(byAgent.codex?.medianWaitMs, 60 * sec);
    assert.equal(byAgent['claude-code']?.totalWaitMs, 160 * sec);
    assert.equal(byDay[day1].turns, 3);
    assert.equal(byDay[day2].turns, 1);
  });

  it('counts a turn once when the caller passes two snapshots of it', () => {
    const early = { ...a, lastWriteAt: t0 + 60 * sec, writes: a.writes.slice(0, 1) };
    const twice = agentFigures([early, a], [], []);
    assert.equal(twice.waiting.all.turns, 1);
    assert.equal(twice.waiting.all.totalWaitMs, 120 * sec);
  });
});
