/** Section 2, "Survival": how long AI code lasts next to the developer's own typed code. */
import type { CheckpointMean, DashboardSnapshot, ReworkFigure } from '../core/analytics';
import { checkpoints } from '../core/model';
import { seriesColor, survivalChart } from './charts';
import { h } from './dom';
import { formatCheckpoint, formatNumber, formatPercent, notEnoughText, sampleText } from '../core/format';
import type { RenderContext } from './frame';
import { sampledStat, sectionCard, swatch } from './frame';

export function survivalSection(context: RenderContext, dashboard: DashboardSnapshot): HTMLElement {
  const { survival, minimums } = dashboard;
  const ai = survival.curves.ai;
  const body = [
    curveBlock(context, dashboard),
    checkpointTable(survival.checkpoints.ai, survival.checkpoints.typed, minimums.share),
    reworkBlock(survival.rework72h.ai, survival.rework72h.typed, survival.rework72h.target, survival.rework72h.redLine, minimums.share),
    h(
      'div',
      { class: 'stats' },
      sampledStat('committed (AI, older than a day)', survival.committed.share, formatPercent, 'committed-share', minimums.share),
      sampledStat('committed lines alive after 7 d', survival.committed.survival7d, formatPercent, 'committed-survival-7d', minimums.share),
    ),
    tokensBlock(dashboard),
  ];
  const sample = { n: ai.n, unit: 'AI insertions followed', insufficient: ai.insufficient, minimum: minimums.curveAtRisk };
  return sectionCard(context, 'survival', 'Survival', sample, body);
}

function curveBlock(context: RenderContext, dashboard: DashboardSnapshot): HTMLElement {
  const { ai, typed } = dashboard.survival.curves;
  const readings = ai.atCheckpoints
    .filter((r) => r.value !== null)
    .map((r) => `${formatCheckpoint(r.label)} ${formatPercent(r.value ?? 0)}`)
    .join(', ');
  const canvas = h('canvas', {
    attrs: { role: 'img', 'aria-label': `Share of AI insertions not yet reworked: ${readings || 'not enough data yet'}` },
  });
  context.afterMount(() => survivalChart(canvas, ai, typed));
  const legend = h(
    'ul',
    { class: 'legend' },
    h('li', {}, swatch(seriesColor('ai')), 'AI ', h('span', { class: 'n' }, `${sampleText(ai.n)}, ${formatNumber(ai.events)} reworked`)),
    h(
      'li',
      {},
      swatch(seriesColor('baseline')),
      'typed ',
      h('span', { class: 'n' }, typed.insufficient ? `${sampleText(typed.n)}, too few to draw` : `${sampleText(typed.n)}, ${formatNumber(typed.events)} reworked`),
    ),
  );
  return h(
    'div',
    { class: 'block' },
    h('h3', { title: 'Kaplan–Meier estimate: an insertion counts as reworked once it has lost half its characters; young ones are censored, not counted as survivors.' }, 'Not yet reworked, over time'),
    legend,
    h('div', { class: 'chart', testid: 'chart-survival' }, canvas),
  );
}

function checkpointTable(ai: readonly CheckpointMean[], typed: readonly CheckpointMean[], minimum: number): HTMLElement {
  const cell = (figure: CheckpointMean, who: string): HTMLTableCellElement => {
    const testid = `survival-${who}-${figure.label}`;
    if (figure.value === null) {
      const title = figure.pending > 0 ? `${figure.pending} not old enough yet; needs ${minimum}` : `needs ${minimum}`;
      return h('td', { class: 'num insufficient', title }, h('span', { testid }, '—'), ' ', h('span', { class: 'n' }, sampleText(figure.n)));
    }
    return h('td', { class: 'num' }, h('span', { testid }, formatPercent(figure.value)), ' ', h('span', { class: 'n' }, sampleText(figure.n)));
  };
  const rows = checkpoints.map((c, i) =>
    h('tr', {}, h('th', { attrs: { scope: 'row' } }, formatCheckpoint(c.label)), cell(ai[i], 'ai'), cell(typed[i], 'typed')),
  );
  return h(
    'div',
    { class: 'block' },
    h('h3', {}, 'Characters still there'),
    h(
      'table',
      { class: 'checkpoints' },
      h('caption', { class: 'visually-hidden' }, 'Mean share of inserted characters still present at each checkpoint'),
      h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, 'after'), h('th', { class: 'num', attrs: { scope: 'col' } }, 'AI'), h('th', { class: 'num', attrs: { scope: 'col' } }, 'typed'))),
      h('tbody', {}, ...rows),
    ),
  );
}

const reworkWords: Record<ReworkFigure['status'], string> = { healthy: 'healthy', watch: 'watch', red: 'red flag', insufficient: '' };

/** Rework at 72 h as a gauge with the target and the red line marked, coloured by its status. */
function reworkBlock(ai: ReworkFigure, typed: ReworkFigure, target: number, redLine: number, minimum: number): HTMLElement {
  const heading = h('h3', {}, 'Rework within 72 h');
  const limits = `target under ${formatPercent(target)}, red line ${formatPercent(redLine)}`;
  if (ai.value === null) {
    return h(
      'div',
      { class: 'block' },
      heading,
      h('p', { class: 'insufficient' }, h('span', { testid: 'rework-72h' }, '—'), ` ${notEnoughText(ai.n, minimum)}.`),
      h('p', { class: 'muted' }, `${limits}.`),
    );
  }
  // The scale leaves room past the red line so both marks and the value are always visible.
  const scale = Math.min(1, Math.max(redLine * 2, ai.value * 1.15, (typed.value ?? 0) * 1.15));
  const at = (share: number): string => `${(share / scale) * 100}%`;
  const fill = h('span', { class: `fill ${ai.status}` });
  fill.style.width = at(ai.value);
  const targetMark = h('span', { class: 'mark', title: `target ${formatPercent(target)}` });
  targetMark.style.left = at(target);
  const redMark = h('span', { class: 'mark red', title: `red line ${formatPercent(redLine)}` });
  redMark.style.left = at(redLine);
  const gauge = h('div', { class: 'gauge', attrs: { 'aria-hidden': 'true' } }, fill, targetMark, redMark);
  return h(
    'div',
    { class: 'block' },
    heading,
    h(
      'p',
      { class: 'rework-line' },
      h('span', { class: `big ${ai.status}`, testid: 'rework-72h' }, formatPercent(ai.value)),
      ' ',
      h('span', { class: `status ${ai.status}`, testid: 'rework-status' }, reworkWords[ai.status]),
      ' ',
      h('span', { class: 'n' }, `AI, ${sampleText(ai.n)}`),
    ),
    gauge,
    h(
      'p',
      { class: 'muted' },
      `${limits}. Your typed code: `,
      h('span', { testid: 'rework-72h-typed' }, typed.value === null ? 'not enough data yet' : formatPercent(typed.value)),
      ` (${sampleText(typed.n)}).`,
    ),
  );
}

function tokensBlock(dashboard: DashboardSnapshot): HTMLElement | null {
  const tokens = dashboard.agent.tokensPerSurvivingLine;
  if (tokens === null) return null;
  const minimum = dashboard.minimums.share;
  return h(
    'div',
    { class: 'block' },
    h('h3', { title: 'Tokens per agent-written line still alive after 72 h (from local agent logs)' }, 'Tokens per surviving line'),
    h(
      'div',
      { class: 'stats' },
      sampledStat('all agents', tokens, formatNumber, 'tokens-per-line', minimum),
      ...Object.entries(tokens.byAgent).map(([agent, figure]) => sampledStat(agent, figure, formatNumber, `tokens-per-line-${agent}`, minimum)),
    ),
  );
}
