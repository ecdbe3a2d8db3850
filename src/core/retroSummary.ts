/**
 * The anonymized retro summary (DESIGN.md, "Retro summary (export)"): the panel's figures
 * for a range, reduced to what may leave the machine, in Markdown and JSON.
 *
 * Anonymization is an allow-list, applied twice:
 * 1. `buildRetroSummary` computes the figures with `computeDashboard`, then copies only
 *    numbers, fixed enum strings and day keys into a fresh object of a closed type. Free
 *    text from the snapshot (row labels, reasons, paths, ids, agent names) is never
 *    copied; the Markdown text is regenerated from numbers and enums. Language ids pass
 *    only when asked for and only from a fixed list of well-known ids (anything else is
 *    `other`: a custom language id can name a project). The only free text is the
 *    developer's ticked notes, redacted (`redact.ts`).
 * 2. Every summary is validated against `retroSummarySchema` (closed objects, enums,
 *    patterns) when built and again before rendering, and rendering refuses an invalid one.
 */

import { computeDashboard, minSampleForShare } from './analytics';
import type { BreakdownRow, CurveReading, DashboardInput, DashboardSnapshot, ReworkStatus, SampledFigure } from './analytics';
import { dayKeyOf, isDayKey, shiftDay } from './days';
import { checkpoints, confidences, insertionSources, switchKinds } from './model';
import type { AiSource, CheckpointLabel, Confidence, DayKey, InsertionSource, PulseAnswer, SwitchKind } from './model';
import type { DayRange } from './ranges';
import { noteRedactor } from './redact';
import {
  inSchemaOrder,
  knownLanguageIds,
  maxSummaryNoteLength,
  retroCategoryDimensions,
  retroCategoryKeys,
  retroSchemaVersion,
  validateRetroSummary,
} from './retroSummarySchema';

/** The dashboard's input plus what only the export needs. */
export interface RetroSummaryInput extends DashboardInput {
  pulse: readonly PulseAnswer[];
  /** The notes the developer ticked for export (and only those). */
  notes: readonly { id: string; text: string }[];
  /** Identifiers, paths and names known from the workspace: redacted from the notes. */
  workspaceVocabulary: readonly string[];
}

export interface RetroSummaryOptions {
  range: DayRange;
  /** Name well-known languages in the helped/hurt categories (setting `hindsight.export.includeLanguages`). */
  includeLanguages: boolean;
  /** Least sure attribution to include; default 'possible' (all), as in the panel. */
  minConfidence?: Confidence;
  /** Epoch ms the summary is computed at. */
  now: number;
}

/** A number with its sample; `value` is null exactly when `insufficient`. */
export interface RetroFigure {
  value: number | null;
  n: number;
  insufficient: boolean;
}

export interface RetroRework extends RetroFigure {
  status: ReworkStatus;
}

export type RetroCategoryDimension = (typeof retroCategoryDimensions)[number];

/** A helped/hurt category with enough judged insertions (`n` ≥ the breakdown minimum). */
export interface RetroCategory {
  dimension: RetroCategoryDimension;
  key: string;
  n: number;
  helped: number;
  hurt: number;
  mixed: number;
  tooEarly: number;
  helpedShare: number;
  hurtShare: number;
  light: 'green' | 'yellow' | 'red';
}

export interface RetroCheckpoint {
  label: CheckpointLabel;
  meanSurvival: Record<'ai' | 'typed' | AiSource, RetroFigure>;
  notReworked: { ai: RetroFigure; typed: RetroFigure };
}

/** Context figures of a day or of the whole range, in whole minutes. */
export interface RetroContextFigures {
  switches: number;
  byKind: Record<SwitchKind, number>;
  activeMinutes: number;
  sessions: number;
  focusMinutes: number;
  focusBlocks: number | null;
}

export interface RetroDay extends RetroContextFigures {
  day: DayKey;
  tracked: boolean;
  aiInsertions: number;
}

/** The exported summary: exactly the fields of `retroSummarySchema`, nothing else. */
export interface RetroSummary {
  schemaVersion: number;
  range: { from: DayKey; to: DayKey; days: number };
  generatedOn: DayKey;
  minConfidence: Confidence;
  minimums: { share: number; breakdownRow: number; curveAtRisk: number; daysForPerDay: number };
  insertions: {
    total: number;
    ai: number;
    excludedByConfidence: number;
    bySource: Record<InsertionSource, number>;
    aiByConfidence: Record<Confidence, number>;
    aiLines: number;
    aiChars: number;
  };
  survival: {
    checkpoints: RetroCheckpoint[];
    rework72h: { ai: RetroRework; typed: RetroRework; target: number; redLine: number };
  };
  verdicts: {
    helped: number;
    hurt: number;
    mixed: number;
    tooEarly: number;
    developerJudged: number;
    judged: number;
    helpedShare: RetroFigure;
    hurtShare: RetroFigure;
    mixedShare: RetroFigure;
    topHelped: RetroCategory[];
    topHurt: RetroCategory[];
  };
  focus: {
    trackedDays: number;
    switchesPerDay: RetroFigure;
    focusMinutesPerDay: RetroFigure;
    totals: RetroContextFigures & { longestFocusMinutes: number };
    days: RetroDay[];
  };
  agent: {
    waitingOnAi: { totalMinutes: number; turns: number; switchesWhileWaiting: number; minutesPerTurn: RetroFigure; switchesPerTurn: RetroFigure } | null;
    tokensPerSurvivingLine: (RetroFigure & { byAgent: Partial<Record<KnownAgent, RetroFigure>> }) | null;
  };
  pulse: { week: DayKey; answer: PulseAnswer['answer']; answeredOn: DayKey }[];
  notes: { text: string }[];
}

type KnownAgent = 'claude-code' | 'codex';
const knownAgents: readonly KnownAgent[] = ['claude-code', 'codex'];
const pulseAnswers: readonly PulseAnswer['answer'][] = ['better', 'different', 'worse', 'skipped'];

/** Fewest tracked days behind a per-day average (one day is a day's figure, honestly labelled n = 1). */
export const minDaysForPerDay = 1;
/** Categories listed as top helped and top hurt. */
export const topCategories = 3;

/** The default export range: the `days` local days ending today (`days` from `hindsight.export.sprintLengthDays`). */
export function retroRangeOf(now: number, days: number): DayRange {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`A retro range needs a whole number of days ≥ 1, got ${days}`);
  const to = dayKeyOf(now);
  return { from: shiftDay(to, -(days - 1)), to };
}

/** Builds the anonymized summary of `input` over `options.range` (see module doc); throws if it would not validate. */
export function buildRetroSummary(input: RetroSummaryInput, options: RetroSummaryOptions): RetroSummary {
  const { range, now, includeLanguages } = options;
  if (!isDayKey(range.from) || !isDayKey(range.to) || range.from > range.to) {
    throw new RangeError('A retro range needs yyyy-MM-dd days with from ≤ to');
  }
  const minConfidence = options.minConfidence ?? 'possible';
  // Unknown languages are mapped before the analytics group them, so they add up to one
  // honest "other" row instead of rows that would each have to be dropped.
  const insertions = includeLanguages
    ? input.insertions.map((o) => (knownLanguageIds.includes(o.languageId) ? o : { ...o, languageId: 'other' }))
    : input.insertions;
  const snapshot = computeDashboard({ insertions, days: input.days, agent: input.agent }, range, now, { minConfidence, momentsLimit: 0 });

  const glance = snapshot.glance;
  const mix = snapshot.verdicts.mix;
  const categories = categoriesOf(snapshot, includeLanguages);
  const redact = noteRedactor(input.workspaceVocabulary);
  const summary: RetroSummary = {
    schemaVersion: retroSchemaVersion,
    range: { from: snapshot.range.from, to: snapshot.range.to, days: snapshot.range.days },
    generatedOn: dayKeyOf(now),
    minConfidence,
    minimums: {
      share: snapshot.minimums.share,
      breakdownRow: snapshot.minimums.breakdownRow,
      curveAtRisk: snapshot.minimums.curveAtRisk,
      daysForPerDay: minDaysForPerDay,
    },
    insertions: {
      total: glance.insertions.total,
      ai: glance.insertions.ai,
      excludedByConfidence: snapshot.sample.excludedByConfidence,
      bySource: countsOf(insertionSources, glance.insertions.bySource),
      aiByConfidence: countsOf(confidences, glance.insertions.aiByConfidence),
      aiLines: glance.insertions.aiLines,
      aiChars: glance.insertions.aiChars,
    },
    survival: {
      checkpoints: checkpoints.map((checkpoint, i): RetroCheckpoint => {
        const means = snapshot.survival.checkpoints;
        const curves = snapshot.survival.curves;
        return {
          label: checkpoint.label,
          meanSurvival: {
            ai: figureOf(means.ai[i]),
            typed: figureOf(means.typed[i]),
            inline: figureOf(means.bySource.inline[i]),
            chat: figureOf(means.bySource.chat[i]),
            agent: figureOf(means.bySource.agent[i]),
          },
          notReworked: { ai: readingOf(curves.ai.atCheckpoints[i]), typed: readingOf(curves.typed.atCheckpoints[i]) },
        };
      }),
      rework72h: {
        ai: { ...figureOf(snapshot.survival.rework72h.ai), status: snapshot.survival.rework72h.ai.status },
        typed: { ...figureOf(snapshot.survival.rework72h.typed), status: snapshot.survival.rework72h.typed.status },
        target: snapshot.survival.rework72h.target,
        redLine: snapshot.survival.rework72h.redLine,
      },
    },
    verdicts: {
      helped: mix.helped,
      hurt: mix.hurt,
      mixed: mix.mixed,
      tooEarly: mix.tooEarly,
      developerJudged: mix.developerJudged,
      judged: mix.helped + mix.hurt + mix.mixed,
      helpedShare: figureOf(mix.helpedShare),
      hurtShare: figureOf(mix.hurtShare),
      mixedShare: figureOf(mix.mixedShare),
      topHelped: topBy(categories, (c) => c.helpedShare),
      topHurt: topBy(categories, (c) => c.hurtShare),
    },
    focus: {
      trackedDays: glance.totals.trackedDays,
      switchesPerDay: perDay(glance.totals.switches, glance.totals.trackedDays),
      focusMinutesPerDay: perDay(glance.totals.focusMs / 60_000, glance.totals.trackedDays),
      totals: {
        switches: glance.totals.switches,
        byKind: countsOf(switchKinds, glance.totals.byKind),
        activeMinutes: minutes(glance.totals.activeMs),
        sessions: glance.totals.sessions,
        focusMinutes: minutes(glance.totals.focusMs),
        focusBlocks: glance.totals.focusBlocks,
        longestFocusMinutes: minutes(glance.totals.longestFocusMs),
      },
      days: glance.days.map((d): RetroDay => ({
        day: d.day,
        tracked: d.tracked,
        switches: d.switches,
        byKind: countsOf(switchKinds, d.byKind),
        activeMinutes: minutes(d.activeMs),
        sessions: d.sessions,
        focusMinutes: minutes(d.focusMs),
        focusBlocks: d.focusBlocks,
        aiInsertions: d.aiInsertions,
      })),
    },
    agent: agentOf(snapshot),
    pulse: pulseOf(input.pulse, range),
    notes: input.notes.map((note) => ({ text: noteText(redact(collapseWhitespace(note.text))) })).filter((note) => note.text.length > 0),
  };
  assertValid(summary);
  return summary;
}

/** The summary as pretty JSON with keys in schema order (byte-stable for equal summaries). */
export function renderJson(summary: RetroSummary): string {
  return `${JSON.stringify(inSchemaOrder(summary), null, 2)}\n`;
}

/** The summary as a Markdown retro document: every section, every figure with its n. */
export function renderMarkdown(summary: RetroSummary): string {
  assertValid(summary);
  const s = summary;
  const lines: string[] = [
    '# Hindsight retro summary',
    '',
    `${s.range.from} – ${s.range.to} (${plural(s.range.days, 'day')}) · attribution: ${confidenceScope[s.minConfidence]} · generated ${s.generatedOn} · schema ${s.schemaVersion}`,
    '',
    `Every figure shows its sample size n. Below the minimum sample (n = ${s.minimums.share} for shares and means, ` +
      `${s.minimums.breakdownRow} for a category, ${s.minimums.curveAtRisk} still followed for a survival-curve reading) ` +
      'it reads "not enough data yet". No paths, names, identifiers, code or times of day are included.',
    '',
    '## Insertions',
    '',
    '| source | insertions |',
    '|---|---:|',
    ...insertionSources.map((source) => `| ${sourceLabel[source]} | ${s.insertions.bySource[source]} |`),
    '',
    `AI insertions: ${s.insertions.ai} of ${s.insertions.total} (${plural(s.insertions.aiLines, 'line')}); by confidence: ` +
      `${confidences.map((c) => `${c} ${s.insertions.aiByConfidence[c]}`).join(', ')}. ` +
      `Left out by the confidence filter: ${s.insertions.excludedByConfidence}.`,
    '',
    '## Survival and rework',
    '',
    'Mean share of the original characters still present (n = insertions with a known reading at that age):',
    '',
    '| after | AI | typed (baseline) | inline | chat | agent |',
    '|---|---:|---:|---:|---:|---:|',
    ...s.survival.checkpoints.map((c) => {
      const m = c.meanSurvival;
      return `| ${checkpointLabel[c.label]} | ${[m.ai, m.typed, m.inline, m.chat, m.agent].map((f) => percent(f)).join(' | ')} |`;
    }),
    '',
    'Not yet reworked (Kaplan–Meier; reworked = half lost; n = still followed at that age):',
    '',
    '| after | AI | typed (baseline) |',
    '|---|---:|---:|',
    ...s.survival.checkpoints.map((c) => `| ${checkpointLabel[c.label]} | ${percent(c.notReworked.ai)} | ${percent(c.notReworked.typed)} |`),
    '',
    `Rework at 72 h (share of characters rewritten or deleted): AI ${rework(s.survival.rework72h.ai)}; ` +
      `typed baseline ${rework(s.survival.rework72h.typed)}. Healthy under ${Math.round(s.survival.rework72h.target * 100)}%, ` +
      `red flag over ${Math.round(s.survival.rework72h.redLine * 100)}%.`,
    '',
    '## Verdicts (AI insertions)',
    '',
    `helped ${s.verdicts.helped} · hurt ${s.verdicts.hurt} · mixed ${s.verdicts.mixed} · too early ${s.verdicts.tooEarly} ` +
      `(judged n = ${s.verdicts.judged}, of which ${s.verdicts.developerJudged} judged by the developer).`,
    '',
    `Shares of judged: helped ${percent(s.verdicts.helpedShare)} · hurt ${percent(s.verdicts.hurtShare)} · mixed ${percent(s.verdicts.mixedShare)}.`,
    '',
    'Top helped categories:',
    '',
    ...categoryLines(s.verdicts.topHelped, 'helped', s.minimums.breakdownRow),
    '',
    'Top hurt categories:',
    '',
    ...categoryLines(s.verdicts.topHurt, 'hurt', s.minimums.breakdownRow),
    '',
    '## Context switches and focus',
    '',
    `Tracked days: ${s.focus.trackedDays} of ${s.range.days}. Context switches per tracked day: ${decimal(s.focus.switchesPerDay, ' days')}; ` +
      `focus per tracked day: ${decimal(s.focus.focusMinutesPerDay, ' days', ' min')}.`,
    '',
    `Totals: ${s.focus.totals.switches} switches (${switchKinds.map((k) => `${k} ${s.focus.totals.byKind[k]}`).join(', ')}); ` +
      `${s.focus.totals.focusMinutes} min in ${s.focus.totals.focusBlocks === null ? 'uncounted' : s.focus.totals.focusBlocks} focus blocks, ` +
      `longest ${s.focus.totals.longestFocusMinutes} min; ${s.focus.totals.activeMinutes} active min in ${plural(s.focus.totals.sessions, 'session')}.`,
    '',
    '| day | switches | app | project | area | tool | focus min | active min | AI insertions |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...s.focus.days.map((d) =>
      d.tracked
        ? `| ${d.day} | ${d.switches} | ${switchKinds.map((k) => d.byKind[k]).join(' | ')} | ${d.focusMinutes} | ${d.activeMinutes} | ${d.aiInsertions} |`
        : `| ${d.day} | not tracked | | | | | | | ${d.aiInsertions} |`,
    ),
    '',
    '## Waiting on AI and token efficiency',
    '',
    ...agentLines(s.agent),
    '',
    '## Pulse',
    '',
    ...(s.pulse.length === 0
      ? ['No pulse answers in this range.']
      : s.pulse.map((p) => `- Week of ${p.week}: ${pulseLabel[p.answer]} (answered ${p.answeredOn})`)),
    '',
    '## Notes',
    '',
    ...(s.notes.length === 0 ? ['No notes ticked for export.'] : s.notes.map((note) => `- ${note.text}`)),
    '',
  ];
  return lines.join('\n');
}

function assertValid(summary: RetroSummary): void {
  const errors = validateRetroSummary(summary);
  if (errors.length > 0) throw new TypeError(`Retro summary does not match its schema: ${errors.slice(0, 5).join('; ')}`);
}

/** Shares and means keep 4 decimals: enough for any display, and stable text for equal figures. */
function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function minutes(ms: number): number {
  return Math.round(ms / 60_000);
}

function figureOf(figure: SampledFigure): RetroFigure {
  return { value: figure.value === null ? null : round(figure.value), n: figure.n, insufficient: figure.insufficient };
}

function readingOf(reading: CurveReading): RetroFigure {
  return { value: reading.value === null ? null : round(reading.value), n: reading.atRisk, insufficient: reading.insufficient };
}

function sampledMean(sum: number, n: number, min: number): RetroFigure {
  return n >= min && n > 0 ? { value: round(sum / n), n, insufficient: false } : { value: null, n, insufficient: true };
}

function perDay(total: number, trackedDays: number): RetroFigure {
  return sampledMean(total, trackedDays, minDaysForPerDay);
}

/** A fresh record of exactly `keys` (never the source object, which could carry more). */
function countsOf<K extends string>(keys: readonly K[], source: Record<K, number>): Record<K, number> {
  const record = {} as Record<K, number>;
  for (const key of keys) record[key] = source[key] ?? 0;
  return record;
}

/** Breakdown rows with enough data, as categories; keys outside the allow-list are dropped. */
function categoriesOf(snapshot: DashboardSnapshot, includeLanguages: boolean): RetroCategory[] {
  const dimensions = retroCategoryDimensions.filter((d) => includeLanguages || d !== 'language');
  return dimensions.flatMap((dimension) =>
    snapshot.verdicts.breakdowns[dimension].flatMap((row): RetroCategory[] => {
      const category = categoryOf(dimension, row);
      return category === null ? [] : [category];
    }),
  );
}

function categoryOf(dimension: RetroCategoryDimension, row: BreakdownRow): RetroCategory | null {
  if (row.light === 'insufficient' || row.helpedShare === null || row.hurtShare === null) return null;
  if (!retroCategoryKeys[dimension].includes(row.key)) return null;
  return {
    dimension,
    key: row.key,
    n: row.n,
    helped: row.helped,
    hurt: row.hurt,
    mixed: row.mixed,
    tooEarly: row.tooEarly,
    helpedShare: round(row.helpedShare),
    hurtShare: round(row.hurtShare),
    light: row.light,
  };
}

/** Up to `topCategories` with a positive share, highest first, larger n first on ties (stable otherwise). */
function topBy(categories: RetroCategory[], share: (c: RetroCategory) => number): RetroCategory[] {
  return categories
    .filter((c) => share(c) > 0)
    .sort((a, b) => share(b) - share(a) || b.n - a.n)
    .slice(0, topCategories)
    .map((c) => ({ ...c }));
}

function agentOf(snapshot: DashboardSnapshot): RetroSummary['agent'] {
  const waiting = snapshot.agent.waitingOnAi;
  const tokens = snapshot.agent.tokensPerSurvivingLine;
  const byAgent: Partial<Record<KnownAgent, RetroFigure>> = {};
  // Agent names are free text from the logs: only the known agents are named.
  for (const agent of knownAgents) {
    const figure = tokens?.byAgent[agent];
    if (figure !== undefined) byAgent[agent] = figureOf(figure);
  }
  return {
    waitingOnAi:
      waiting === null
        ? null
        : {
            totalMinutes: minutes(waiting.totalMs),
            turns: waiting.turns,
            switchesWhileWaiting: waiting.switchesWhileWaiting,
            minutesPerTurn: sampledMean(waiting.totalMs / 60_000, waiting.turns, minSampleForShare),
            switchesPerTurn: figureOf(waiting.switchesPerTurn),
          },
    tokensPerSurvivingLine: tokens === null ? null : { ...figureOf(tokens), byAgent },
  };
}

/** Pulse answers of weeks overlapping the range, oldest first; malformed ones are left out. */
function pulseOf(answers: readonly PulseAnswer[], range: DayRange): RetroSummary['pulse'] {
  return answers
    .filter((p) => isDayKey(p.week) && isDayKey(p.answeredOn) && pulseAnswers.includes(p.answer))
    .filter((p) => p.week <= range.to && shiftDay(p.week, 6) >= range.from)
    .map((p) => ({ week: p.week, answer: p.answer, answeredOn: p.answeredOn }))
    .sort((a, b) => (a.week === b.week ? (a.answeredOn < b.answeredOn ? -1 : 1) : a.week < b.week ? -1 : 1));
}

// One line per note in Markdown, and no layout tricks smuggled into the retro doc.
function collapseWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

function noteText(text: string): string {
  const chars = [...text];
  return chars.length <= maxSummaryNoteLength ? text : `${chars.slice(0, maxSummaryNoteLength - 1).join('')}…`;
}

const confidenceScope: Record<Confidence, string> = {
  certain: 'certain only',
  likely: 'certain and likely',
  possible: 'all (certain, likely, possible)',
};

const sourceLabel: Record<InsertionSource, string> = {
  inline: 'inline completions',
  chat: 'chat edits',
  agent: 'agent edits',
  paste: 'pastes (human baseline)',
  typed: 'typed (human baseline)',
};

const checkpointLabel: Record<CheckpointLabel, string> = { '10m': '10 min', '1h': '1 h', '24h': '24 h', '72h': '72 h', '7d': '7 days', '30d': '30 days' };

const categoryLabel: Record<RetroCategoryDimension, (key: string) => string> = {
  source: (key) => `${sourceLabel[key as InsertionSource] ?? key} (source)`,
  fileKind: (key) => `${key === 'test' ? 'tests' : key} (file kind)`,
  size: (key) => `${key === '51+' ? 'over 50' : key.replace('-', '–')} ${key === '1' ? 'line' : 'lines'} (size)`,
  language: (key) => `${key === 'other' ? 'other languages' : key} (language)`,
};

const pulseLabel: Record<PulseAnswer['answer'], string> = { better: 'better', different: 'just different', worse: 'worse', skipped: 'skipped' };

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

const notEnough = 'not enough data yet';

function percent(figure: RetroFigure): string {
  return figure.value === null ? `${notEnough} (n = ${figure.n})` : `${Math.round(figure.value * 100)}% (n = ${figure.n})`;
}

function decimal(figure: RetroFigure, nUnit: string, unit = ''): string {
  return figure.value === null ? `${notEnough} (n = ${figure.n}${nUnit})` : `${figure.value.toFixed(1)}${unit} (n = ${figure.n}${nUnit})`;
}

function rework(figure: RetroRework): string {
  return figure.value === null ? `${notEnough} (n = ${figure.n})` : `${Math.round(figure.value * 100)}% (n = ${figure.n}, ${figure.status})`;
}

function categoryLines(categories: RetroCategory[], lead: 'helped' | 'hurt', minimum: number): string[] {
  if (categories.length === 0) return [`- none (a category needs n ≥ ${minimum} judged insertions, at least one of them ${lead})`];
  return categories.map((c) => {
    const helped = `helped ${Math.round(c.helpedShare * 100)}%`;
    const hurt = `hurt ${Math.round(c.hurtShare * 100)}%`;
    return `- ${categoryLabel[c.dimension](c.key)}: ${lead === 'helped' ? `${helped}, ${hurt}` : `${hurt}, ${helped}`}, n = ${c.n}`;
  });
}

function agentLines(agent: RetroSummary['agent']): string[] {
  const lines: string[] = [];
  const waiting = agent.waitingOnAi;
  if (waiting !== null) {
    lines.push(
      `- Waiting on AI: ${waiting.totalMinutes} min over ${plural(waiting.turns, 'agent turn')}; ` +
        `${decimal(waiting.minutesPerTurn, ' turns', ' min')} per turn; ${decimal(waiting.switchesPerTurn, ' turns', ' switches')} per turn while waiting.`,
    );
  }
  const tokens = agent.tokensPerSurvivingLine;
  if (tokens !== null) {
    const perAgent = knownAgents.flatMap((name) => {
      const figure = tokens.byAgent[name];
      return figure === undefined ? [] : [`${name} ${wholeNumber(figure)}`];
    });
    lines.push(`- Tokens per agent-written line alive after 72 h: ${wholeNumber(tokens)}${perAgent.length > 0 ? `; ${perAgent.join(', ')}` : ''}.`);
  }
  return lines.length > 0 ? lines : ['No coding-agent logs were read for this range.'];
}

function wholeNumber(figure: RetroFigure): string {
  return figure.value === null ? `${notEnough} (n = ${figure.n})` : `${Math.round(figure.value)} (n = ${figure.n})`;
}
