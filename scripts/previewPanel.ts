/**
 * Preview of the Hindsight panel outside VS Code: writes standalone HTML pages that embed
 * dist/webview.js and media/panel.css with a fake `acquireVsCodeApi`, snapshots computed
 * by `computeDashboard(syntheticHistory(...))`, and a representative subset of the
 * --vscode-* theme variables a real webview gets (Dark Modern, Light Modern); then takes
 * screenshots at sidebar and editor-tab widths with Debian's Chromium.
 *
 *   node esbuild.config.mjs && node scripts/buildTests.mjs --tools && node out/tools/previewPanel.js
 *
 * Writes .test-artifacts/preview-<scenario>-<theme>.html and preview-<scenario>-<theme>-<width>.png.
 * The pages are interactive (range and filter answer with precomputed snapshots); the
 * messages the panel posted are in `window.posted`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { computeDashboard } from '../src/core/analytics';
import type { AgentFigures } from '../src/core/analytics';
import { confidences } from '../src/core/model';
import type { InsertionOutcome, PulseAnswer } from '../src/core/model';
import { protocolVersion } from '../src/core/protocol';
import type { PanelSnapshot, PanelStatus, RangePreset } from '../src/core/protocol';
import { rangeOf } from '../src/core/ranges';
import { syntheticHistory } from '../src/core/synthetic';

const root = join(__dirname, '..', '..');
const outDir = join(root, '.test-artifacts');
const endDay = '2025-03-14';
const presets: readonly RangePreset[] = ['today', 'week', 'sprint', 'month'];

type Theme = 'dark' | 'light';

/** A subset of the variables VS Code sets on a webview's <html>, from Dark Modern and Light Modern. */
const themeVariables: Record<Theme, Record<string, string>> = {
  dark: {
    'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
    'font-size': '13px',
    'font-weight': 'normal',
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    focusBorder: '#0078d4',
    'widget-border': '#313131',
    'panel-border': '#2b2b2b',
    'sideBar-background': '#181818',
    'editor-background': '#1f1f1f',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#026ec1',
    'button-border': '#ffffff12',
    'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc',
    'button-secondaryHoverBackground': '#3c3c3c',
    'input-background': '#313131',
    'input-foreground': '#cccccc',
    'input-border': '#3c3c3c',
    'input-placeholderForeground': '#989898',
    'dropdown-background': '#313131',
    'dropdown-foreground': '#cccccc',
    'dropdown-border': '#3c3c3c',
    'badge-background': '#616161',
    'badge-foreground': '#f8f8f8',
    'textLink-foreground': '#4daafc',
    'textLink-activeForeground': '#4daafc',
    'charts-foreground': '#cccccc',
    'charts-lines': 'rgba(204, 204, 204, 0.5)',
    'charts-red': '#f14c4c',
    'charts-blue': '#3794ff',
    'charts-yellow': '#cca700',
    'charts-orange': '#d18616',
    'charts-green': '#89d185',
    'charts-purple': '#b180d7',
    'testing-iconPassed': '#73c991',
    'editorWarning-foreground': '#cca700',
    'editorError-foreground': '#f14c4c',
    'inputValidation-warningBackground': '#352a05',
    'inputValidation-errorBackground': '#5a1d1d',
    'list-hoverBackground': '#2a2d2e',
  },
  light: {
    'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
    'font-size': '13px',
    'font-weight': 'normal',
    foreground: '#3b3b3b',
    descriptionForeground: '#3b3b3b',
    focusBorder: '#005fb8',
    'widget-border': '#e5e5e5',
    'panel-border': '#e5e5e5',
    'sideBar-background': '#f8f8f8',
    'editor-background': '#ffffff',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#0258a8',
    'button-border': '#0000001a',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'button-secondaryHoverBackground': '#cccccc',
    'input-background': '#ffffff',
    'input-foreground': '#3b3b3b',
    'input-border': '#cecece',
    'input-placeholderForeground': '#767676',
    'dropdown-background': '#ffffff',
    'dropdown-foreground': '#3b3b3b',
    'dropdown-border': '#cecece',
    'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b',
    'textLink-foreground': '#005fb8',
    'textLink-activeForeground': '#005fb8',
    'charts-foreground': '#616161',
    'charts-lines': 'rgba(97, 97, 97, 0.5)',
    'charts-red': '#e51400',
    'charts-blue': '#1a85ff',
    'charts-yellow': '#bf8803',
    'charts-orange': '#d18616',
    'charts-green': '#388a34',
    'charts-purple': '#652d90',
    'testing-iconPassed': '#388a34',
    'editorWarning-foreground': '#bf8803',
    'editorError-foreground': '#e51400',
    'inputValidation-warningBackground': '#f6f5d2',
    'inputValidation-errorBackground': '#f2dede',
    'list-hoverBackground': '#f2f2f2',
  },
};

/**
 * Agent figures shaped like the agent-log reader's: the synthetic history has token counts
 * but no turn timings, so the waiting time is a plausible fixed amount per agent insertion.
 */
function agentFiguresOf(insertions: readonly InsertionOutcome[]): AgentFigures {
  const perAgent = new Map<string, { tokens: number; lines: number; n: number }>();
  let turns = 0;
  for (const o of insertions) {
    if (o.source !== 'agent' || o.agent === undefined) continue;
    turns++;
    const s72 = o.survival['72h'];
    if (o.tokens === undefined || typeof s72 !== 'number') continue;
    const sums = perAgent.get(o.agent) ?? { tokens: 0, lines: 0, n: 0 };
    sums.tokens += o.tokens;
    sums.lines += o.lines * s72;
    sums.n++;
    perAgent.set(o.agent, sums);
  }
  const all = [...perAgent.values()].reduce((a, b) => ({ tokens: a.tokens + b.tokens, lines: a.lines + b.lines, n: a.n + b.n }), { tokens: 0, lines: 0, n: 0 });
  return {
    tokensPerSurvivingLine: {
      value: all.tokens / all.lines,
      n: all.n,
      byAgent: Object.fromEntries([...perAgent].map(([agent, s]) => [agent, { value: s.tokens / s.lines, n: s.n }])),
    },
    waitingOnAi: { totalMs: turns * 95_000, turns, switchesWhileWaiting: Math.round(turns * 0.8) },
  };
}

interface Scenario {
  name: string;
  preset: RangePreset;
  status: Partial<PanelStatus>;
  empty?: boolean;
}

const scenarios: readonly Scenario[] = [
  { name: 'sprint', preset: 'sprint', status: {} },
  { name: 'today', preset: 'today', status: { paused: true, storeProblem: 'ENOSPC: no space left on device', skippedRecords: 3 } },
  { name: 'firstrun', preset: 'today', status: { recordCount: 0, insertionCount: 0, pulseDue: false }, empty: true },
];

const pulseHistory: PulseAnswer[] = [
  { week: '2025-02-17', answer: 'different', answeredOn: '2025-02-21' },
  { week: '2025-02-24', answer: 'better', answeredOn: '2025-02-28' },
  { week: '2025-03-03', answer: 'skipped', answeredOn: '2025-03-07' },
];

/** Every preset × confidence snapshot, keyed "preset|confidence", so the page answers the panel's choices. */
function snapshotsOf(scenario: Scenario): Record<string, PanelSnapshot & { pulse: { due: boolean; history: PulseAnswer[] } }> {
  const history = syntheticHistory(7, 45, scenario.empty ? 0 : 40, endDay);
  const status: PanelStatus = {
    paused: false,
    recordCount: history.insertions.length * 3,
    insertionCount: history.insertions.length,
    storeBytes: history.insertions.length * 420,
    storeProblem: null,
    skippedRecords: 0,
    agentLogsEnabled: !scenario.empty,
    pulseDue: true,
    ...scenario.status,
  };
  const snapshots: Record<string, PanelSnapshot & { pulse: { due: boolean; history: PulseAnswer[] } }> = {};
  for (const preset of presets) {
    const range = rangeOf(preset, history.now);
    const inRange = history.insertions.filter((o) => o.day >= range.from && o.day <= range.to);
    const input = { ...history, agent: scenario.empty ? undefined : agentFiguresOf(inRange) };
    for (const minConfidence of confidences) {
      snapshots[`${preset}|${minConfidence}`] = {
        type: 'snapshot',
        protocolVersion,
        status,
        range,
        minConfidence,
        dashboard: computeDashboard(input, range, history.now, { minConfidence }),
        pulse: { due: status.pulseDue, history: scenario.empty ? [] : pulseHistory },
      };
    }
  }
  return snapshots;
}

/** Stands in for VS Code: keeps the view's range and filter and answers with the matching snapshot. */
const fakeHost = `
window.posted = [];
const snapshots = JSON.parse(document.getElementById('snapshots').textContent);
const view = { preset: INITIAL_PRESET, minConfidence: 'possible' };
let state;
function send() {
  const snapshot = snapshots[view.preset + '|' + view.minConfidence];
  if (snapshot) setTimeout(() => window.postMessage(snapshot, '*'), 0);
}
window.acquireVsCodeApi = () => ({
  postMessage(message) {
    window.posted.push(message);
    if (message.type === 'setRange') view.preset = message.preset;
    if (message.type === 'setMinConfidence') view.minConfidence = message.minConfidence;
    if (message.type === 'ready' || message.type === 'setRange' || message.type === 'setMinConfidence') send();
  },
  getState: () => state,
  setState: (next) => { state = next; },
});`;

function pageOf(scenario: Scenario, theme: Theme, script: string, css: string): string {
  const variables = Object.entries(themeVariables[theme])
    .map(([name, value]) => `--vscode-${name}: ${value};`)
    .join('\n  ');
  // "<" escaped so no data can close the script element early.
  const data = JSON.stringify(snapshotsOf(scenario)).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en" style="${variables.replace(/"/g, '&quot;')}">
<head>
<meta charset="UTF-8">
<title>Hindsight preview: ${scenario.name} (${theme})</title>
<style>
/* Like VS Code's default webview styles. */
html { background: var(--vscode-sideBar-background); }
body { margin: 0; background: transparent; }
${css}
</style>
</head>
<body class="vscode-${theme}" data-vscode-theme-kind="vscode-${theme}">
<main id="app" aria-live="polite"><p class="loading">Loading your reflection…</p></main>
<script type="application/json" id="snapshots">${data}</script>
<script>${fakeHost.replace('INITIAL_PRESET', JSON.stringify(scenario.preset))}</script>
<script>${script}</script>
</body>
</html>`;
}

async function main(): Promise<void> {
  const script = readFileSync(join(root, 'dist', 'webview.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  const css = readFileSync(join(root, 'media', 'panel.css'), 'utf8');
  mkdirSync(outDir, { recursive: true });
  const only = process.argv[2];
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    for (const scenario of scenarios) {
      if (only !== undefined && only !== scenario.name) continue;
      for (const theme of ['dark', 'light'] as const) {
        const file = join(outDir, `preview-${scenario.name}-${theme}.html`);
        writeFileSync(file, pageOf(scenario, theme, script, css));
        for (const width of [300, 1100]) {
          const page = await browser.newPage({ viewport: { width, height: 900 } });
          const errors: string[] = [];
          page.on('pageerror', (error) => errors.push(error.message));
          page.on('console', (message) => {
            if (message.type() === 'error') errors.push(message.text());
          });
          await page.goto(`file://${file}`);
          await page.waitForSelector('#app .card');
          await page.waitForTimeout(200);
          // A string: this file is type-checked without the DOM library.
          const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
          const png = join(outDir, `preview-${scenario.name}-${theme}-${width}.png`);
          await page.screenshot({ path: png, fullPage: true });
          console.log(`${png}${overflow > 0 ? `  OVERFLOW ${overflow}px` : ''}${errors.length > 0 ? `  ERRORS: ${errors.join(' | ')}` : ''}`);
          await page.close();
        }
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
