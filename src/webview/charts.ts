/**
 * The panel's charts. chart.js is bundled and tree-shaken: only the controllers, elements,
 * scales and plugins registered here end up in dist/webview.js. Legends are HTML (themed,
 * readable by screen readers), so chart.js's Legend plugin is not registered.
 *
 * Colours come from VS Code's theme variables, read when a chart is built; the panel
 * rebuilds every chart when the theme changes.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { ChartDataset, Scale, TooltipItem } from 'chart.js';
import type { SurvivalCurveView } from '../core/analytics';
import { checkpoints, switchKinds } from '../core/model';
import type { InsertionSource, SwitchKind } from '../core/model';
import { formatAge, formatCheckpoint, formatPercent } from '../core/format';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Filler);

/** `ai` and `baseline` are the survival curves: all AI insertions, and the typed baseline. */
export type SeriesKey = InsertionSource | SwitchKind | 'ai' | 'baseline';

/** Which theme chart colour each series wears, so the HTML legends and the canvases agree. */
const seriesVariables: Record<SeriesKey, string> = {
  inline: '--vscode-charts-blue',
  chat: '--vscode-charts-purple',
  agent: '--vscode-charts-orange',
  paste: '--vscode-charts-yellow',
  typed: '--vscode-descriptionForeground',
  app: '--vscode-charts-orange',
  project: '--vscode-charts-purple',
  area: '--vscode-charts-blue',
  tool: '--vscode-charts-yellow',
  ai: '--vscode-charts-blue',
  baseline: '--vscode-descriptionForeground',
};

const fallbackColor = '#888888';

function cssVariable(name: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim();
}

export function seriesColor(key: SeriesKey): string {
  return cssVariable(seriesVariables[key]) || fallbackColor;
}

interface ThemeColors {
  foreground: string;
  muted: string;
  grid: string;
  font: string;
}

function themeColors(): ThemeColors {
  const foreground = cssVariable('--vscode-charts-foreground') || cssVariable('--vscode-foreground') || fallbackColor;
  // High contrast themes want solid lines; the others a faint grid that does not compete with data.
  const contrast = document.body.classList.contains('vscode-high-contrast');
  return {
    foreground,
    muted: cssVariable('--vscode-descriptionForeground') || foreground,
    grid: contrast ? cssVariable('--vscode-contrastBorder') || foreground : cssVariable('--vscode-charts-lines') || 'rgba(128,128,128,0.3)',
    font: cssVariable('--vscode-font-family') || 'sans-serif',
  };
}

/** A colour with an alpha, for bands under a line (theme colours arrive as #rrggbb or #rrggbbaa). */
function translucent(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})/i.exec(color);
  if (!hex) return color;
  const value = parseInt(hex[1], 16);
  return `rgba(${value >> 16}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

const liveCharts: Chart[] = [];

/** Destroys every chart before the panel re-renders (their canvases are about to go). */
export function destroyCharts(): void {
  for (const chart of liveCharts.splice(0)) chart.destroy();
}

function track(chart: Chart): Chart {
  liveCharts.push(chart);
  return chart;
}

/** The text style of the panel's charts, and the options every chart shares (static, sized by its box). */
function baseOptions(theme: ThemeColors): {
  font: { family: string; size: number };
  color: string;
  shared: { animation: false; responsive: true; maintainAspectRatio: false; color: string; font: { family: string; size: number } };
} {
  const font = { family: theme.font, size: 11 };
  const color = theme.foreground;
  return { font, color, shared: { animation: false, responsive: true, maintainAspectRatio: false, color, font } };
}

/**
 * Context switches stacked by kind, one bar per label (a day of the range, or an hour of
 * a single day). `counts[kind][i]` belongs to `labels[i]`.
 */
export function switchesChart(canvas: HTMLCanvasElement, labels: string[], counts: Record<SwitchKind, number[]>): Chart {
  const theme = themeColors();
  const { font, color, shared } = baseOptions(theme);
  const datasets: ChartDataset<'bar'>[] = switchKinds.map((kind) => ({
    label: kind,
    data: counts[kind],
    backgroundColor: seriesColor(kind),
    borderWidth: 0,
    barPercentage: 0.8,
    categoryPercentage: 0.9,
  }));
  return track(
    new Chart(canvas, {
      type: 'bar',
      data: { labels, datasets },
      options: {
        ...shared,
        plugins: { tooltip: { mode: 'index', intersect: false } },
        scales: {
          x: { stacked: true, grid: { display: false }, ticks: { color, font, maxRotation: 0, autoSkipPadding: 6 } },
          y: { stacked: true, beginAtZero: true, grid: { color: theme.grid }, border: { display: false }, ticks: { color, font, precision: 0, maxTicksLimit: 5 } },
        },
      },
    }),
  );
}

/**
 * The survival chart's x axis: the checkpoints sit at 1, 2, … 6, evenly spaced, with log
 * interpolation between them (linear from 0 to the first), so 72 h and 7 d stay readable
 * at sidebar width where a plain log axis would crowd them together. Past the last
 * checkpoint the last interval's log scale continues.
 */
function checkpointPosition(ms: number): number {
  const first = checkpoints[0].ms;
  if (ms <= first) return Math.max(0, ms) / first;
  for (let i = 1; i < checkpoints.length; i++) {
    const from = checkpoints[i - 1].ms;
    const to = checkpoints[i].ms;
    if (ms <= to || i === checkpoints.length - 1) return i + Math.log(ms / from) / Math.log(to / from);
  }
  return checkpoints.length;
}

interface CurvePoint {
  x: number;
  y: number;
  /** The real time since insertion, for the tooltip. */
  ms: number;
}

function stepPoints(view: SurvivalCurveView, value: (p: SurvivalCurveView['points'][number]) => number): CurvePoint[] {
  return [{ x: 0, y: 1, ms: 0 }, ...view.points.map((p) => ({ x: checkpointPosition(p.timeMs), y: value(p), ms: p.timeMs }))];
}

/**
 * Kaplan–Meier "not yet reworked" step curves of AI insertions (with their confidence band)
 * and of the typed baseline, over time since insertion ticked at the survival checkpoints.
 */
export function survivalChart(canvas: HTMLCanvasElement, ai: SurvivalCurveView, typed: SurvivalCurveView): Chart {
  const theme = themeColors();
  const { font, color, shared } = baseOptions(theme);
  const aiColor = seriesColor('ai');
  const typedColor = seriesColor('baseline');
  const line = { stepped: 'after' as const, pointRadius: 0, pointHitRadius: 6, borderWidth: 2 };
  const datasets: ChartDataset<'line', CurvePoint[]>[] = [];
  if (!ai.insufficient) {
    datasets.push(
      { ...line, label: 'AI', data: stepPoints(ai, (p) => p.survival), borderColor: aiColor, backgroundColor: aiColor },
      { ...line, label: 'AI upper', data: stepPoints(ai, (p) => p.upper), borderWidth: 0, fill: false },
      { ...line, label: 'AI lower', data: stepPoints(ai, (p) => p.lower), borderWidth: 0, fill: '-1', backgroundColor: translucent(aiColor, 0.15) },
    );
  }
  if (!typed.insufficient) {
    datasets.push({ ...line, label: 'typed', data: stepPoints(typed, (p) => p.survival), borderColor: typedColor, backgroundColor: typedColor, borderDash: [4, 3] });
  }
  const lastMs = Math.max(...[ai, typed].flatMap((view) => view.points.map((p) => p.timeMs)));
  return track(
    new Chart(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        ...shared,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          tooltip: {
            filter: (item: TooltipItem<'line'>) => !String(item.dataset.label).startsWith('AI '),
            callbacks: {
              title: (items: TooltipItem<'line'>[]) => (items.length > 0 ? `after ${formatAge((items[0].raw as CurvePoint).ms)}` : ''),
              label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${formatPercent(item.parsed.y ?? 0)} not yet reworked`,
            },
          },
        },
        scales: {
          x: {
            type: 'linear',
            min: 0,
            max: Math.max(checkpoints.length, checkpointPosition(lastMs)),
            // Ticks exactly at the checkpoints the rest of the panel talks about.
            afterBuildTicks: (scale: Scale) => {
              scale.ticks = checkpoints.map((_, i) => ({ value: i + 1 }));
            },
            ticks: {
              color,
              font,
              maxRotation: 0,
              autoSkip: false,
              callback: (value: string | number) => {
                const checkpoint = checkpoints[Number(value) - 1];
                return checkpoint ? formatCheckpoint(checkpoint.label) : '';
              },
            },
            grid: { color: theme.grid },
          },
          y: {
            min: 0,
            max: 1,
            grid: { color: theme.grid },
            border: { display: false },
            ticks: { color, font, stepSize: 0.25, callback: (value: string | number) => formatPercent(Number(value)) },
          },
        },
      },
    }),
  );
}
