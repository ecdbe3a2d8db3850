/** Section 1, "Day at a glance": time, sessions, focus, context switches and AI insertions. */
import type { DashboardSnapshot, GlanceSection } from '../core/analytics';
import { aiSources, switchKinds } from '../core/model';
import type { SwitchKind } from '../core/model';
import { seriesColor, switchesChart } from './charts';
import { h } from './dom';
import { formatCount, formatDayShort, formatDuration, formatNumber, formatPercent } from '../core/format';
import type { RenderContext } from './frame';
import { sampledStat, sectionCard, stat, swatch } from './frame';

const kindNames: Record<SwitchKind, string> = { app: 'left VS Code', project: 'project', area: 'area', tool: 'tool' };
const kindHints: Record<SwitchKind, string> = {
  app: 'The window lost focus for more than 5 s',
  project: 'Workspace folder or repository changed',
  area: 'Top-level folder inside the repository changed',
  tool: 'Editor, terminal, chat or debugger',
};

export function glanceSection(context: RenderContext, dashboard: DashboardSnapshot): HTMLElement {
  const glance = dashboard.glance;
  const { totals } = glance;
  const single = dashboard.range.days === 1;
  const perDay = (value: number): string | undefined =>
    single || totals.trackedDays === 0 ? undefined : `${formatNumber(value / totals.trackedDays)} per tracked day`;
  const stats = h(
    'div',
    { class: 'stats' },
    stat('active time', formatDuration(totals.activeMs), { testid: 'active-time' }),
    stat('editor sessions', formatCount(totals.sessions), { testid: 'sessions', detail: perDay(totals.sessions) }),
    stat('focus blocks', totals.focusBlocks === null ? '—' : formatCount(totals.focusBlocks), {
      testid: 'focus-blocks',
      detail: totals.focusBlocks === null ? 'not counted' : `longest ${formatDuration(totals.longestFocusMs)}`,
      title: '25 min or more without leaving VS Code or switching project',
    }),
    stat('focus time', formatDuration(totals.focusMs), { testid: 'focus-time', detail: totals.activeMs > 0 ? `${formatPercent(totals.focusMs / totals.activeMs)} of active time` : undefined }),
    stat('context switches', formatCount(totals.switches), { testid: 'switches-total', detail: perDay(totals.switches) }),
    stat('AI insertions', formatCount(glance.insertions.ai), { testid: 'ai-insertions', detail: perDay(glance.insertions.ai) }),
  );
  const body = [stats, switchesBlock(context, glance, single), insertionsBlock(glance), waitingBlock(dashboard)];
  const sample = { n: totals.trackedDays, unit: totals.trackedDays === 1 ? 'day tracked' : 'days tracked', insufficient: totals.trackedDays === 0, minimum: 1 };
  return sectionCard(context, 'glance', single ? 'Day at a glance' : 'Days at a glance', sample, body);
}

function switchesBlock(context: RenderContext, glance: GlanceSection, single: boolean): HTMLElement {
  const { totals } = glance;
  const legend = h(
    'ul',
    { class: 'legend', attrs: { 'aria-label': 'Context switches by kind' } },
    ...switchKinds.map((kind) =>
      h('li', { title: kindHints[kind] }, swatch(seriesColor(kind)), `${kindNames[kind]} `, h('strong', { testid: `switches-${kind}` }, formatCount(totals.byKind[kind]))),
    ),
  );
  const series = single ? hourlySeries(glance) : dailySeries(glance);
  const heading = single ? 'Context switches over the day' : 'Context switches per day';
  if (series === null) {
    return h('div', { class: 'block' }, h('h3', {}, heading), legend, h('p', { class: 'muted' }, 'No switch timeline was recorded for this day.'));
  }
  const canvas = h('canvas', {
    attrs: { role: 'img', 'aria-label': `${heading}: ${switchKinds.map((k) => `${kindNames[k]} ${totals.byKind[k]}`).join(', ')}` },
  });
  context.afterMount(() => switchesChart(canvas, series.labels, series.counts));
  return h('div', { class: 'block' }, h('h3', {}, heading), legend, h('div', { class: 'chart small', testid: 'chart-switches' }, canvas));
}

interface KindSeries {
  labels: string[];
  counts: Record<SwitchKind, number[]>;
}

function emptyCounts(length: number): Record<SwitchKind, number[]> {
  return { app: new Array<number>(length).fill(0), project: new Array<number>(length).fill(0), area: new Array<number>(length).fill(0), tool: new Array<number>(length).fill(0) };
}

/** One bar per local hour, from the first switch of the day to the last. */
function hourlySeries(glance: GlanceSection): KindSeries | null {
  if (glance.timeline === null || glance.timeline.length === 0) return null;
  const hours = glance.timeline.map((s) => new Date(s.t).getHours());
  const first = Math.min(...hours);
  const length = Math.max(...hours) - first + 1;
  const counts = emptyCounts(length);
  glance.timeline.forEach((s, i) => counts[s.kind][hours[i] - first]++);
  return { labels: Array.from({ length }, (_, i) => `${String(first + i).padStart(2, '0')}h`), counts };
}

function dailySeries(glance: GlanceSection): KindSeries {
  const counts = emptyCounts(glance.days.length);
  glance.days.forEach((day, i) => {
    for (const kind of switchKinds) counts[kind][i] = day.byKind[kind];
  });
  return { labels: glance.days.map((day) => formatDayShort(day.day)), counts };
}

/** AI insertions by source as one proportional bar, with the human baselines beside it. */
function insertionsBlock(glance: GlanceSection): HTMLElement {
  const { insertions } = glance;
  const bar = h('div', { class: 'bar', attrs: { 'aria-hidden': 'true' } });
  for (const source of aiSources) {
    if (insertions.bySource[source] === 0) continue;
    const segment = h('span');
    segment.style.width = `${(insertions.bySource[source] / insertions.ai) * 100}%`;
    segment.style.background = seriesColor(source);
    bar.append(segment);
  }
  const legend = h(
    'ul',
    { class: 'legend' },
    ...aiSources.map((source) => h('li', {}, swatch(seriesColor(source)), `${source} `, h('strong', { testid: `insertions-${source}` }, formatCount(insertions.bySource[source])))),
  );
  return h(
    'div',
    { class: 'block' },
    h('h3', {}, 'AI insertions by source'),
    insertions.ai > 0 && bar,
    legend,
    h(
      'p',
      { class: 'muted' },
      'Your own baselines: ',
      h('span', { testid: 'insertions-typed' }, formatCount(insertions.bySource.typed)),
      ' typed runs, ',
      h('span', { testid: 'insertions-paste' }, formatCount(insertions.bySource.paste)),
      ' pastes.',
    ),
  );
}

function waitingBlock(dashboard: DashboardSnapshot): HTMLElement | null {
  const waiting = dashboard.agent.waitingOnAi;
  if (waiting === null) return null;
  return h(
    'div',
    { class: 'block' },
    h('h3', {}, 'Waiting on AI agents'),
    h(
      'div',
      { class: 'stats' },
      stat('waiting on agents', formatDuration(waiting.totalMs), {
        testid: 'waiting-on-ai',
        detail: `${formatCount(waiting.switchesWhileWaiting)} switches meanwhile`,
        n: waiting.turns,
      }),
      sampledStat('switches per turn while waiting', waiting.switchesPerTurn, formatNumber, 'switches-while-waiting', dashboard.minimums.share),
    ),
  );
}
