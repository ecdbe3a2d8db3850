import assert from 'node:assert/strict';
import type { DaySummary } from '../../src/core/analytics';
import { dayEnd, dayStart } from '../../src/core/days';
import type { CheckpointLabel, InsertionOutcome, PulseAnswer } from '../../src/core/model';
import { buildRetroSummary, renderJson, renderMarkdown, retroRangeOf } from '../../src/core/retroSummary';
import type { RetroSummary, RetroSummaryInput, RetroSummaryOptions } from '../../src/core/retroSummary';
import { retroSummarySchema, validateRetroSummary } from '../../src/core/retroSummarySchema';
import type { SchemaNode } from '../../src/core/retroSummarySchema';
import { syntheticHistory } from '../../src/core/synthetic';

const minute = 60_000;
const hour = 60 * minute;
const now = dayEnd('2025-06-14') - 1;
const range = { from: '2025-06-01', to: '2025-06-14' };

function at(day: string, hours: number): number {
  return dayStart(day) + hours * hour;
}

/** Survival readings: `share` at every checkpoint that has passed by `now`, then null. */
function readings(t: number, share: (label: CheckpointLabel) => number): InsertionOutcome['survival'] {
  const ms: Record<CheckpointLabel, number> = { '10m': 10 * minute, '1h': hour, '24h': 24 * hour, '72h': 72 * hour, '7d': 168 * hour, '30d': 720 * hour };
  const survival: InsertionOutcome['survival'] = {};
  for (const label of Object.keys(ms) as CheckpointLabel[]) survival[label] = t + ms[label] <= now ? share(label) : null;
  return survival;
}

function insertions(count: number, partial: Partial<InsertionOutcome> & Pick<InsertionOutcome, 'day' | 't'>): InsertionOutcome[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${partial.source ?? 'inline'}-${partial.day}-${i}`,
    source: 'inline',
    confidence: 'certain',
    chars: 40,
    lines: 1,
    languageId: 'typescript',
    fileKind: 'source',
    path: 'src/payments/stripeClient.ts',
    project: 'acme-billing',
    hour: 10,
    observedUntil: now,
    survival: readings(partial.t, () => 1),
    aliveShare: 1,
    reworkedAfterMs: null,
    quickRegret: false,
    fixupRatio: 0,
    committed: false,
    committedSurvival7d: null,
    sessionSwitches: 1,
    ...partial,
  }));
}

const tB = at('2025-06-03', 11);
const tC = at('2025-06-04', 9);

/**
 * A hand-checkable history (figures worked out in the tests' comments):
 * A 12 inline, certain, tests, 1 line, 40 chars, fully surviving          → helped
 * B 10 agent, possible, custom language, 60 lines, 2400 chars, 40% at 72 h → hurt
 * C 5 chat, likely, 20 lines, 800 chars, 90% surviving, fix-up 10%         → helped
 * D 1 chat landed today                                                    → too early
 * E 5 typed, 100 chars, fully surviving (the baseline); F 1 paste; G 1 inline before the range.
 */
function handHistory(): RetroSummaryInput {
  const all = [
    ...insertions(12, { t: at('2025-06-02', 10), day: '2025-06-02', fileKind: 'test' }),
    ...insertions(10, {
      t: tB,
      day: '2025-06-03',
      source: 'agent',
      confidence: 'possible',
      agent: 'acme-bot',
      lines: 60,
      chars: 2400,
      languageId: 'acme-dsl',
      survival: readings(tB, (label) => (label === '10m' || label === '1h' || label === '24h' ? 1 : 0.4)),
      aliveShare: 0.4,
      reworkedAfterMs: 30 * hour,
      note: 'secret plan for getUserById',
    }),
    ...insertions(5, { t: tC, day: '2025-06-04', source: 'chat', confidence: 'likely', lines: 20, chars: 800, survival: readings(tC, () => 0.9), aliveShare: 0.9, fixupRatio: 0.1 }),
    ...insertions(1, { t: at('2025-06-14', 10), day: '2025-06-14', source: 'chat', confidence: 'likely', lines: 20, chars: 800 }),
    ...insertions(5, { t: at('2025-06-05', 14), day: '2025-06-05', source: 'typed', lines: 5, chars: 100 }),
    ...insertions(1, { t: at('2025-06-05', 15), day: '2025-06-05', source: 'paste' }),
    ...insertions(1, { t: at('2025-05-20', 10), day: '2025-05-20' }),
  ];
  const days: DaySummary[] = [
    { day: '2025-06-02', switches: 10, byKind: { app: 2, project: 1, area: 3, tool: 4 }, activeMs: 120 * minute, sessions: 2, focusBlocks: 1, focusMs: 30 * minute, longestFocusMs: 30 * minute },
    { day: '2025-06-03', switches: 20, byKind: { app: 5, project: 0, area: 5, tool: 10 }, activeMs: 180 * minute, sessions: 3, focusBlocks: 2, focusMs: 60 * minute, longestFocusMs: 35 * minute },
    { day: '2025-05-30', switches: 99, byKind: { app: 99, project: 0, area: 0, tool: 0 }, activeMs: 60 * minute, sessions: 1, focusMs: 0, longestFocusMs: 0 },
  ];
  const pulse: PulseAnswer[] = [
    { week: '2025-05-19', answer: 'worse', answeredOn: '2025-05-23' },
    { week: '2025-06-09', answer: 'better', answeredOn: '2025-06-13' },
    { week: '2025-05-26', answer: 'different', answeredOn: '2025-05-30' },
    { week: '2025-06-16', answer: 'better', answeredOn: '2025-06-16' },
    { week: '2025-06-02', answer: 'great' as PulseAnswer['answer'], answeredOn: '2025-06-06' },
  ];
  return {
    insertions: all,
    days,
    agent: {
      waitingOnAi: { totalMs: 90 * minute, turns: 6, switchesWhileWaiting: 9 },
      tokensPerSurvivingLine: { value: 250, n: 40, byAgent: { 'claude-code': { value: 300, n: 25 }, 'acme-bot': { value: 100, n: 15 } } },
    },
    pulse,
    notes: [{ id: 'n1', text: 'getUserById from src/payments/stripeClient.ts was\nwrong;   ask jane.doe@acme.io' }],
    workspaceVocabulary: ['getUserById', 'src/payments/stripeClient.ts', 'acme-billing', 'acme-dsl'],
  };
}

function build(options: Partial<RetroSummaryOptions> = {}, input = handHistory()): RetroSummary {
  return buildRetroSummary(input, { range, includeLanguages: false, now, ...options });
}

describe('buildRetroSummary on a hand-checked history', () => {
  const summary = build();

  it('names the range by days only', () => {
    assert.deepEqual(summary.range, { from: '2025-06-01', to: '2025-06-14', days: 14 });
    assert.equal(summary.generatedOn, '2025-06-14');
    assert.equal(summary.schemaVersion, 1);
    assert.equal(summary.minConfidence, 'possible');
  });

  it('counts insertions by source and confidence, leaving out the day before the range', () => {
    assert.deepEqual(summary.insertions, {
      total: 34,
      ai: 28,
      excludedByConfidence: 0,
      bySource: { inline: 12, chat: 6, agent: 10, paste: 1, typed: 5 },
      aiByConfidence: { certain: 12, likely: 6, possible: 10 },
      aiLines: 12 + 600 + 120, // A 12 × 1, B 10 × 60, C+D 6 × 20
      aiChars: 480 + 24_000 + 4_800,
    });
  });

  it('reports mean survival at the checkpoints next to the typed baseline', () => {
    const at10m = summary.survival.checkpoints[0];
    assert.equal(at10m.label, '10m');
    // (A 12 × 1 + B 10 × 1 + C 5 × 0.9 + D 1 × 1) / 28
    assert.deepEqual(at10m.meanSurvival.ai, { value: 0.9821, n: 28, insufficient: false });
    const at72h = summary.survival.checkpoints[3];
    assert.equal(at72h.label, '72h');
    // (12 × 1 + 10 × 0.4 + 5 × 0.9) / 27; D is younger than 72 h and not counted.
    assert.deepEqual(at72h.meanSurvival.ai, { value: 0.7593, n: 27, insufficient: false });
    assert.deepEqual(at72h.meanSurvival.typed, { value: 1, n: 5, insufficient: false });
    assert.deepEqual(at72h.meanSurvival.agent, { value: 0.4, n: 10, insufficient: false });
    assert.deepEqual(at72h.meanSurvival.chat, { value: 0.9, n: 5, insufficient: false });
    const at30d = summary.survival.checkpoints[5];
    assert.deepEqual(at30d.meanSurvival.ai, { value: null, n: 0, insufficient: true });
  });

  it('reads the Kaplan–Meier curve with n = insertions still followed', () => {
    // B's 10 are reworked at 30 h with 27 at risk (D was censored at 14 h): S = 17/27; 17 still followed at 72 h.
    assert.deepEqual(summary.survival.checkpoints[3].notReworked.ai, { value: 0.6296, n: 17, insufficient: false });
    assert.deepEqual(summary.survival.checkpoints[0].notReworked.ai, { value: 1, n: 28, insufficient: false });
    assert.deepEqual(summary.survival.checkpoints[3].notReworked.typed, { value: 1, n: 5, insufficient: false });
  });

  it('reports rework at 72 h by characters, with its status', () => {
    // (10 × 2400 × 0.6 + 5 × 800 × 0.1) / (480 + 24 000 + 4 000) = 14 800 / 28 480
    assert.deepEqual(summary.survival.rework72h.ai, { value: 0.5197, n: 27, insufficient: false, status: 'red' });
    assert.deepEqual(summary.survival.rework72h.typed, { value: 0, n: 5, insufficient: false, status: 'healthy' });
    assert.equal(summary.survival.rework72h.target, 0.15);
    assert.equal(summary.survival.rework72h.redLine, 0.25);
  });

  it('reports the verdict mix and the top helped / hurt categories without languages', () => {
    const v = summary.verdicts;
    assert.deepEqual(
      [v.helped, v.hurt, v.mixed, v.tooEarly, v.developerJudged, v.judged],
      [17, 10, 0, 1, 0, 27],
    );
    assert.deepEqual(v.helpedShare, { value: 0.6296, n: 27, insufficient: false });
    assert.deepEqual(v.hurtShare, { value: 0.3704, n: 27, insufficient: false });
    assert.deepEqual(v.mixedShare, { value: 0, n: 27, insufficient: false });
    assert.deepEqual(
      v.topHelped.map((c) => [c.dimension, c.key, c.n, c.helpedShare, c.light]),
      [
        ['source', 'inline', 12, 1, 'green'],
        ['fileKind', 'test', 12, 1, 'green'],
        ['size', '1', 12, 1, 'green'],
      ],
    );
    // File kind "source" mixes B (hurt) and C (helped): 10 / 15 hurt.
    assert.deepEqual(
      v.topHurt.map((c) => [c.dimension, c.key, c.n, c.hurtShare, c.light]),
      [
        ['source', 'agent', 10, 1, 'red'],
        ['size', '51+', 10, 1, 'red'],
        ['fileKind', 'source', 15, 0.6667, 'red'],
      ],
    );
    assert.deepEqual(v.topHurt[2], { dimension: 'fileKind', key: 'source', n: 15, helped: 5, hurt: 10, mixed: 0, tooEarly: 1, helpedShare: 0.3333, hurtShare: 0.6667, light: 'red' });
  });

  it('names well-known languages only when asked, and custom ones only as "other"', () => {
    const withLanguages = build({ includeLanguages: true });
    // TypeScript: A 12 + C 5 helped, n = 17, ranks first; the custom language's 10 hurt become "other".
    assert.deepEqual(withLanguages.verdicts.topHelped[0], { dimension: 'language', key: 'typescript', n: 17, helped: 17, hurt: 0, mixed: 0, tooEarly: 1, helpedShare: 1, hurtShare: 0, light: 'green' });
    assert.deepEqual(withLanguages.verdicts.topHurt[2].key, 'other');
    for (const text of [renderMarkdown(withLanguages), renderJson(withLanguages)]) {
      assert.match(text, /typescript/);
      assert.doesNotMatch(text, /acme-dsl/);
    }
    for (const text of [renderMarkdown(summary), renderJson(summary)]) {
      assert.doesNotMatch(text, /typescript|acme-dsl|language/i);
    }
  });

  it('reports context switches per day and focus time over tracked days only', () => {
    const f = summary.focus;
    assert.equal(f.trackedDays, 2);
    assert.deepEqual(f.switchesPerDay, { value: 15, n: 2, insufficient: false });
    assert.deepEqual(f.focusMinutesPerDay, { value: 45, n: 2, insufficient: false });
    assert.deepEqual(f.totals, {
      switches: 30,
      byKind: { app: 7, project: 1, area: 8, tool: 14 },
      activeMinutes: 300,
      sessions: 5,
      focusMinutes: 90,
      focusBlocks: 3,
      longestFocusMinutes: 35,
    });
    assert.equal(f.days.length, 14);
    assert.deepEqual(f.days[1], { day: '2025-06-02', tracked: true, switches: 10, byKind: { app: 2, project: 1, area: 3, tool: 4 }, activeMinutes: 120, sessions: 2, focusMinutes: 30, focusBlocks: 1, aiInsertions: 12 });
    assert.deepEqual(f.days[13], { day: '2025-06-14', tracked: false, switches: 0, byKind: { app: 0, project: 0, area: 0, tool: 0 }, activeMinutes: 0, sessions: 0, focusMinutes: 0, focusBlocks: null, aiInsertions: 1 });
  });

  it('reports waiting on AI and token efficiency, naming only known agents', () => {
    assert.deepEqual(summary.agent.waitingOnAi, {
      totalMinutes: 90,
      turns: 6,
      switchesWhileWaiting: 9,
      minutesPerTurn: { value: 15, n: 6, insufficient: false },
      switchesPerTurn: { value: 1.5, n: 6, insufficient: false },
    });
    assert.deepEqual(summary.agent.tokensPerSurvivingLine, {
      value: 250,
      n: 40,
      insufficient: false,
      byAgent: { 'claude-code': { value: 300, n: 25, insufficient: false } },
    });
  });

  it('says null for agent figures when no logs were read', () => {
    const input = { ...handHistory(), agent: undefined };
    assert.deepEqual(build({}, input).agent, { waitingOnAi: null, tokensPerSurvivingLine: null });
  });

  it('keeps well-formed pulse answers of weeks overlapping the range, oldest first', () => {
    assert.deepEqual(summary.pulse, [
      { week: '2025-05-26', answer: 'different', answeredOn: '2025-05-30' },
      { week: '2025-06-09', answer: 'better', answeredOn: '2025-06-13' },
    ]);
  });

  it('exports only ticked notes, redacted and on one line', () => {
    assert.deepEqual(summary.notes, [{ text: '[redacted] from [redacted] was wrong; ask [redacted]' }]);
    for (const text of [renderMarkdown(summary), renderJson(summary)]) {
      assert.doesNotMatch(text, /secret plan/); // B's own note was not ticked
    }
  });

  it('applies the confidence filter and says how many it left out', () => {
    const likely = build({ minConfidence: 'likely' });
    assert.equal(likely.minConfidence, 'likely');
    assert.equal(likely.insertions.excludedByConfidence, 10);
    assert.equal(likely.insertions.ai, 18);
    assert.equal(likely.verdicts.hurt, 0);
  });

  it('rejects a range that is not two ordered days', () => {
    assert.throws(() => build({ range: { from: '2025-06-14', to: '2025-06-01' } }), RangeError);
    assert.throws(() => build({ range: { from: '2025-06-01', to: 'src/a.ts' } }), RangeError);
  });
});

describe('renderMarkdown', () => {
  const summary = build();
  const markdown = renderMarkdown(summary);

  it('has every section, including empty ones', () => {
    for (const heading of ['# Hindsight retro summary', '## Insertions', '## Survival and rework', '## Verdicts (AI insertions)', '## Context switches and focus', '## Waiting on AI and token efficiency', '## Pulse', '## Notes']) {
      assert.ok(markdown.split('\n').includes(heading), `missing ${heading}`);
    }
    const empty = renderMarkdown(build({}, { insertions: [], days: [], pulse: [], notes: [], workspaceVocabulary: [] }));
    assert.match(empty, /No coding-agent logs were read for this range\./);
    assert.match(empty, /No pulse answers in this range\./);
    assert.match(empty, /No notes ticked for export\./);
    assert.match(empty, /- none \(a category needs n ≥ 10 judged insertions, at least one of them hurt\)/);
  });

  it('gives every percentage and average its n', () => {
    const figureLines = markdown.split('\n').filter((line) => /\d%|\d\.\d/.test(line) && !line.startsWith('Rework at 72 h') && !line.startsWith('|---'));
    assert.ok(figureLines.length > 10);
    for (const line of figureLines) {
      const figures = (line.match(/\d+(?:\.\d)?%|\d+\.\d(?: min| switches)?/g) ?? []).length;
      const ns = (line.match(/n = \d+/g) ?? []).length;
      assert.ok(ns >= 1 && (ns >= figures || / \(n = \d+\)$|, n = \d+$/.test(line)), `figure without n: ${line}`);
    }
  });

  it('shows the figures', () => {
    assert.ok(markdown.includes('| 72 h | 76% (n = 27) | 100% (n = 5) | 100% (n = 12) | 90% (n = 5) | 40% (n = 10) |'));
    assert.ok(markdown.includes('| 72 h | 63% (n = 17) | 100% (n = 5) |'));
    assert.ok(markdown.includes('Rework at 72 h (share of characters rewritten or deleted): AI 52% (n = 27, red); typed baseline 0% (n = 5, healthy).'));
    assert.ok(markdown.includes('- agent edits (source): hurt 100%, helped 0%, n = 10'));
    assert.ok(markdown.includes('- 1 line (size): helped 100%, hurt 0%, n = 12'));
    assert.ok(markdown.includes('Context switches per tracked day: 15.0 (n = 2 days); focus per tracked day: 45.0 min (n = 2 days).'));
    assert.ok(markdown.includes('| 2025-06-14 | not tracked | | | | | | | 1 |'));
    assert.ok(markdown.includes('- Tokens per agent-written line alive after 72 h: 250 (n = 40); claude-code 300 (n = 25).'));
    assert.ok(markdown.includes('- Week of 2025-06-09: better (answered 2025-06-13)'));
    assert.ok(markdown.includes('- [redacted] from [redacted] was wrong; ask [redacted]'));
  });

  it('says "not enough data yet" with n instead of a small-sample percentage', () => {
    assert.ok(markdown.includes('| 30 days | not enough data yet (n = 0) |'));
  });
});

describe('renderJson and the schema', () => {
  const summary = build({ includeLanguages: true });

  it('validates and round-trips', () => {
    assert.deepEqual(validateRetroSummary(summary), []);
    const parsed: unknown = JSON.parse(renderJson(summary));
    assert.deepEqual(validateRetroSummary(parsed), []);
    assert.deepEqual(parsed, summary);
  });

  it('writes keys in schema order, whatever order the object has', () => {
    const reversed = JSON.parse(JSON.stringify(summary), (_key, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
    ) as RetroSummary;
    assert.notEqual(JSON.stringify(reversed), JSON.stringify(summary));
    assert.equal(renderJson(reversed), renderJson(summary));
    assert.ok(renderJson(summary).startsWith('{\n  "schemaVersion": 1,\n  "range": {'));
  });

  it('rejects any property that is not in the schema, at any depth', () => {
    const withExtra = (mutate: (copy: Record<string, any>) => void): unknown => {
      const copy = structuredClone(summary) as Record<string, any>;
      mutate(copy);
      return copy;
    };
    const cases = [
      withExtra((c) => (c.path = 'src/a.ts')),
      withExtra((c) => (c.range.project = 'acme')),
      withExtra((c) => (c.verdicts.topHurt[0].reason = 'agent edits: hurt')),
      withExtra((c) => (c.survival.checkpoints[2].meanSurvival.ai.id = 'x')),
      withExtra((c) => (c.agent.tokensPerSurvivingLine.byAgent['acme-bot'] = { value: 1, n: 1, insufficient: true })),
      withExtra((c) => (c.notes[0].id = 'n1')),
      withExtra((c) => (c.focus.days[0].timeline = [])),
    ];
    for (const value of cases) {
      const errors = validateRetroSummary(value);
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.match(errors[0], /is not allowed/);
      assert.throws(() => renderJson(value as RetroSummary), /Not a valid retro summary/);
      assert.throws(() => renderMarkdown(value as RetroSummary), /does not match its schema/);
    }
  });

  it('rejects free strings where enums, day keys or counts belong', () => {
    const mutated = (mutate: (copy: Record<string, any>) => void): string[] => {
      const copy = structuredClone(summary) as Record<string, any>;
      mutate(copy);
      return validateRetroSummary(copy);
    };
    assert.match(mutated((c) => (c.verdicts.topHelped[0].key = 'acme-dsl'))[0], /topHelped\[0\]\.key: not one of/);
    assert.match(mutated((c) => (c.range.from = '2025-06-01T10:00'))[0], /range\.from: does not match/);
    assert.match(mutated((c) => (c.generatedOn = 1_750_000_000_000))[0], /generatedOn: expected string/);
    assert.match(mutated((c) => (c.insertions.total = 1.5))[0], /insertions\.total: expected integer/);
    assert.match(mutated((c) => (c.verdicts.helpedShare.value = Number.NaN))[0], /expected number or null, got other/);
    assert.match(mutated((c) => (c.pulse[0].answer = 'meh'))[0], /pulse\[0\]\.answer: not one of/);
    assert.match(mutated((c) => delete c.focus)[0], /\$: missing focus/);
    assert.match(mutated((c) => (c.schemaVersion = 2))[0], /schemaVersion: must be 1/);
    assert.match(mutated((c) => (c.notes = 'a note'))[0], /notes: expected array/);
    assert.deepEqual(validateRetroSummary(null), ['$: expected object, got null']);
  });

  it('closes every object of the schema', () => {
    let objects = 0;
    const visit = (node: SchemaNode, at: string): void => {
      const types = Array.isArray(node.type) ? node.type : [node.type];
      if (types.includes('object')) {
        objects++;
        assert.equal(node.additionalProperties, false, `${at} is open`);
        assert.ok(node.properties !== undefined, `${at} has no properties`);
      }
      for (const [name, child] of Object.entries(node.properties ?? {})) visit(child, `${at}.${name}`);
      if (node.items !== undefined) visit(node.items, `${at}[]`);
      for (const [name, child] of Object.entries(node.$defs ?? {})) visit(child, `#/$defs/${name}`);
      if (node.type === 'string') assert.ok(node.pattern !== undefined || node.maxLength !== undefined, `${at} is an unbounded free string`);
    };
    visit(retroSummarySchema, '$');
    assert.ok(objects > 20);
  });
});

describe('buildRetroSummary on a seeded synthetic history', () => {
  const history = syntheticHistory(42, 20, 10, '2025-06-14');
  const summary = buildRetroSummary(
    { ...history, pulse: [], notes: [], workspaceVocabulary: [] },
    { range, includeLanguages: true, now: history.now },
  );
  const inRange = history.insertions.filter((o) => o.day >= range.from && o.day <= range.to);

  it('counts exactly the insertions of the range', () => {
    assert.equal(summary.insertions.total, 140);
    for (const source of ['inline', 'chat', 'agent', 'paste', 'typed'] as const) {
      assert.equal(summary.insertions.bySource[source], inRange.filter((o) => o.source === source).length, source);
    }
    assert.equal(summary.verdicts.helped + summary.verdicts.hurt + summary.verdicts.mixed + summary.verdicts.tooEarly, summary.insertions.ai);
  });

  it('sums the day summaries of the range', () => {
    const days = history.days.filter((d) => d.day >= range.from);
    assert.equal(summary.focus.trackedDays, 14);
    assert.equal(summary.focus.totals.switches, days.reduce((sum, d) => sum + d.switches, 0));
    assert.equal(summary.focus.switchesPerDay.value, Math.round((summary.focus.totals.switches / 14) * 10_000) / 10_000);
  });

  it('is deterministic: the same history gives the same bytes', () => {
    const again = buildRetroSummary({ ...history, pulse: [], notes: [], workspaceVocabulary: [] }, { range, includeLanguages: true, now: history.now });
    assert.equal(renderJson(again), renderJson(summary));
    assert.equal(renderMarkdown(again), renderMarkdown(summary));
  });
});

describe('retroRangeOf', () => {
  it('ends today and spans the sprint length', () => {
    assert.deepEqual(retroRangeOf(now, 14), range);
    assert.deepEqual(retroRangeOf(now, 1), { from: '2025-06-14', to: '2025-06-14' });
    assert.throws(() => retroRangeOf(now, 0), RangeError);
  });
});
