/** Section 3, "Helped / hurt": the verdict mix and where AI pays off, by group. */
import type { BreakdownDimension, BreakdownRow, DashboardSnapshot, VerdictSection } from '../core/analytics';
import { breakdownDimensions } from '../core/analytics';
import type { Verdict } from '../core/model';
import { h } from './dom';
import { formatCount, formatPercent, sampleText } from '../core/format';
import type { RenderContext } from './frame';
import { sectionCard } from './frame';

export const verdictNames: Record<Verdict, string> = { helped: 'helped', mixed: 'mixed', hurt: 'hurt', tooEarly: 'too early' };
const judged: readonly Exclude<Verdict, 'tooEarly'>[] = ['helped', 'mixed', 'hurt'];

const dimensionNames: Record<BreakdownDimension, string> = {
  source: 'By source',
  language: 'By language',
  fileKind: 'By file kind',
  size: 'By size',
  timeOfDay: 'By time of day',
  switchLoad: 'By session switch load',
};

export function verdictsSection(context: RenderContext, dashboard: DashboardSnapshot): HTMLElement {
  const { mix, breakdowns } = dashboard.verdicts;
  const n = mix.helped + mix.mixed + mix.hurt;
  const body = [
    mixBlock(mix),
    h(
      'p',
      { class: 'muted' },
      `Judged once 72 h old. ${formatCount(mix.developerJudged)} judged by you. A row needs ${sampleText(dashboard.minimums.breakdownRow)} for a light.`,
    ),
    h('div', { class: 'breakdowns' }, ...breakdownDimensions.map((dimension) => breakdownBlock(dimension, breakdowns[dimension]))),
  ];
  const sample = { n, unit: 'judged AI insertions', insufficient: mix.helpedShare.insufficient, minimum: dashboard.minimums.share };
  return sectionCard(context, 'verdicts', 'Helped or hurt?', sample, body);
}

/** The verdict mix as one bar of judged insertions, too early ones counted beside it. */
function mixBlock(mix: VerdictSection['mix']): HTMLElement {
  const total = mix.helped + mix.mixed + mix.hurt;
  const share: Record<Exclude<Verdict, 'tooEarly'>, number | null> = { helped: mix.helpedShare.value, mixed: mix.mixedShare.value, hurt: mix.hurtShare.value };
  const bar = h('div', { class: 'bar verdict-bar', attrs: { 'aria-hidden': 'true' } });
  for (const verdict of judged) {
    if (mix[verdict] === 0) continue;
    const segment = h('span', { class: verdict });
    segment.style.width = `${(mix[verdict] / total) * 100}%`;
    bar.append(segment);
  }
  const legend = h(
    'ul',
    { class: 'legend verdict-legend' },
    ...judged.map((verdict) =>
      h(
        'li',
        {},
        h('span', { class: `light ${lightOf(verdict)}`, attrs: { 'aria-hidden': 'true' } }),
        `${verdictNames[verdict]} `,
        h('strong', { testid: `verdict-${verdict}` }, formatPercent(share[verdict] ?? 0)),
        ' ',
        h('span', { class: 'n' }, `(${formatCount(mix[verdict])})`),
      ),
    ),
    h('li', {}, h('span', { class: 'light insufficient', attrs: { 'aria-hidden': 'true' } }), `${verdictNames.tooEarly} `, h('strong', { testid: 'verdict-tooEarly' }, formatCount(mix.tooEarly))),
  );
  return h('div', { class: 'block' }, bar, legend);
}

function lightOf(verdict: Exclude<Verdict, 'tooEarly'>): string {
  return verdict === 'helped' ? 'green' : verdict === 'mixed' ? 'yellow' : 'red';
}

const lightWords: Record<BreakdownRow['light'], string> = { green: 'green light', yellow: 'yellow light', red: 'red light', insufficient: 'not enough data' };

function breakdownBlock(dimension: BreakdownDimension, rows: readonly BreakdownRow[]): HTMLElement {
  return h(
    'div',
    { class: 'block breakdown' },
    h('div', { class: 'rows-head' }, h('h3', {}, dimensionNames[dimension]), h('span', { class: 'n', attrs: { 'aria-hidden': 'true' } }, 'helped')),
    rows.length === 0 ? h('p', { class: 'muted' }, 'No AI insertions here yet.') : h('ul', { class: 'rows' }, ...rows.map((row) => breakdownRow(dimension, row))),
  );
}

/**
 * One group: light, label, helped share and n at a glance; the snapshot's reason and the
 * verdict counts one click away (and as a tooltip), so narrow widths stay one line per row.
 */
function breakdownRow(dimension: BreakdownDimension, row: BreakdownRow): HTMLElement {
  // The group's header names the column ("helped"); screen readers get the word on each row.
  const figures =
    row.helpedShare === null
      ? h('span', { class: 'share insufficient', title: 'not enough data yet' }, h('span', { class: 'visually-hidden' }, 'helped: not enough data yet'), '—')
      : h('span', { class: 'share' }, h('span', { class: 'visually-hidden' }, 'helped '), formatPercent(row.helpedShare));
  const summary = h(
    'summary',
    { title: row.reason },
    h('span', { class: `light ${row.light}`, attrs: { role: 'img', 'aria-label': lightWords[row.light] } }),
    h('span', { class: 'label' }, row.label),
    figures,
    h('span', { class: 'n' }, sampleText(row.n)),
  );
  const counts = `${verdictNames.helped} ${row.helped} · ${verdictNames.mixed} ${row.mixed} · ${verdictNames.hurt} ${row.hurt} · ${verdictNames.tooEarly} ${row.tooEarly}`;
  return h(
    'li',
    { testid: `row-${dimension}-${row.key}` },
    h('details', { class: 'row' }, summary, h('p', { class: 'reason' }, row.reason), h('p', { class: 'n' }, counts)),
  );
}
