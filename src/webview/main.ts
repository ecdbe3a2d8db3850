/**
 * The Hindsight panel (sidebar view and editor tab): renders each `snapshot` from the host
 * in full (a hidden view drops messages, so nothing is patched incrementally) and posts the
 * developer's actions back. Every figure comes from the snapshot; DOM is built with
 * textContent only (paths, notes and reasons are user data).
 *
 * Stable `data-testid` hooks for integration tests:
 *   first-run                          first-run explanation (root also has class `first-run`)
 *   banner-store-problem, banner-paused, banner-skipped     status banners
 *   command-<name>                     command buttons: export-summary, open-in-editor, pause,
 *                                      resume (in the paused banner), open-data-folder, delete-all-data
 *   range-select, range-from, range-to, range-apply, range-label, confidence-select
 *   section-<id>, n-<id>               section cards and their sample sizes
 *                                      (glance, survival, verdicts, moments, pulse)
 *   active-time, sessions, focus-blocks, focus-time, switches-total, ai-insertions
 *   switches-<kind>                    app, project, area, tool
 *   insertions-<source>                inline, chat, agent, typed, paste
 *   chart-switches, chart-survival     chart containers (each holds one canvas)
 *   waiting-on-ai, switches-while-waiting, tokens-per-line, tokens-per-line-<agent>
 *   survival-ai-<checkpoint>, survival-typed-<checkpoint>   10m, 1h, 24h, 72h, 7d, 30d
 *   rework-72h, rework-status, rework-72h-typed, committed-share, committed-survival-7d
 *   verdict-helped, verdict-mixed, verdict-hurt (shares), verdict-tooEarly (count)
 *   row-<dimension>-<key>              breakdown rows, e.g. row-fileKind-test, row-source-inline
 *   moment-<id>                        moments (inside: button.path, select, input[type=text])
 *   pulse, pulse-better, pulse-different, pulse-worse, pulse-dismiss, pulse-history
 */
import { parseHostMessage } from '../core/protocol';
import type { PanelSnapshot, WebviewMessage } from '../core/protocol';
import { destroyCharts } from './charts';
import { banners, firstRun, footer, toolbar } from './chrome';
import { append, h } from './dom';
import type { RenderContext, SectionId } from './frame';
import { glanceSection } from './glance';
import { momentsSection } from './moments';
import type { PulseView } from './pulse';
import { pulseSection } from './pulse';
import { loadUiState, vscodeApi } from './state';
import { survivalSection } from './survival';
import { verdictsSection } from './verdicts';

/** Past this width the panel is in an editor tab (or a very wide sidebar): two columns. */
const wideMinPx = 800;

const app = document.getElementById('app')!;
// Every snapshot replaces #app whole, so it is not a live region (a screen reader would
// re-read the entire panel on each push): one short status line is announced instead.
const announcer = h('p', { class: 'visually-hidden', attrs: { role: 'status' } });
document.body.append(announcer);
const ui = loadUiState();
let current: (PanelSnapshot & { pulse?: PulseView }) | null = null;
let customDraft = false;

function post(message: WebviewMessage): void {
  vscodeApi.postMessage(message);
}

const context: RenderContext = {
  post,
  isOpen: (section) => !ui.closedSections.includes(section),
  setOpen: (section: SectionId, open: boolean) => {
    const closed = ui.closedSections.filter((s) => s !== section);
    if (!open) closed.push(section);
    ui.closedSections = closed;
    vscodeApi.setState(ui);
  },
  isReplacing: () => replacing,
  afterMount: (run) => mounts.push(run),
};
let mounts: (() => void)[] = [];
let replacing = false;

function render(): void {
  const snapshot = current;
  if (snapshot === null) return;
  const focus = captureFocus();
  destroyCharts();
  mounts = [];
  const wide = document.body.classList.contains('wide');
  const children: (HTMLElement | null)[] = [...banners(context, snapshot.status)];
  if (snapshot.status.insertionCount === 0) {
    children.push(firstRun(context, snapshot.status));
  } else {
    const { dashboard } = snapshot;
    const pulse: PulseView = snapshot.pulse ?? { due: snapshot.status.pulseDue, history: [] };
    children.push(
      toolbar(snapshot, {
        customDraft,
        onPreset: (preset) => {
          customDraft = preset === 'custom';
          if (customDraft) render();
          else choose({ type: 'setRange', preset });
        },
        onCustom: (from, to) => {
          customDraft = false;
          choose({ type: 'setRange', preset: 'custom', from, to });
        },
        onConfidence: (minConfidence) => choose({ type: 'setMinConfidence', minConfidence }),
      }),
      pulseSection(context, pulse),
      h(
        'div',
        { class: 'sections' },
        glanceSection(context, dashboard),
        survivalSection(context, dashboard),
        verdictsSection(context, dashboard),
        momentsSection(context, dashboard),
      ),
      footer(context, snapshot, wide),
    );
  }
  replacing = true;
  app.replaceChildren();
  replacing = false;
  append(app, children);
  for (const run of mounts) run();
  restoreFocus(focus);
  const shown = snapshot.status.insertionCount === 0 ? 'Hindsight: nothing recorded yet' : `Hindsight: ${snapshot.range.label}, ${snapshot.dashboard.sample.insertions} insertions`;
  if (announcer.textContent !== shown) announcer.textContent = shown;
}

/** Posts a range or filter choice and remembers it, so a re-created view opens where the developer left it. */
function choose(message: Extract<WebviewMessage, { type: 'setRange' | 'setMinConfidence' }>): void {
  if (message.type === 'setRange') ui.range = { preset: message.preset, from: message.from, to: message.to };
  else ui.minConfidence = message.minConfidence;
  vscodeApi.setState(ui);
  post(message);
}

interface FocusMemory {
  key: string;
  value: string | null;
  selection: [number, number] | null;
}

/** A snapshot can arrive mid-typing (another window saved): keep focus and the half-typed note. */
function captureFocus(): FocusMemory | null {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !active.dataset.focus) return null;
  const typing = active instanceof HTMLInputElement && active.type === 'text';
  return {
    key: active.dataset.focus,
    value: typing ? active.value : null,
    selection: typing && active.selectionStart !== null && active.selectionEnd !== null ? [active.selectionStart, active.selectionEnd] : null,
  };
}

function restoreFocus(memory: FocusMemory | null): void {
  if (memory === null) return;
  const element = [...app.querySelectorAll<HTMLElement>('[data-focus]')].find((e) => e.dataset.focus === memory.key);
  if (!element) return;
  if (element instanceof HTMLInputElement && memory.value !== null) {
    element.value = memory.value;
    if (memory.selection) element.setSelectionRange(...memory.selection);
  }
  element.focus();
}

/** Toggles `wide`; the class observer below re-renders when it flips. */
function updateWidth(): void {
  document.body.classList.toggle('wide', window.innerWidth > wideMinPx);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (message === null) return;
  current = message;
  render();
});

// Charts resize themselves; only crossing the wide threshold changes the layout.
window.addEventListener('resize', updateWidth);

// VS Code swaps the body's theme classes when the colour theme changes (charts re-read their
// colours), and `wide` flips here: both re-render.
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });

updateWidth();
post({ type: 'ready' });
// The host starts every view on its defaults; restore the developer's last choices.
if (ui.range && ui.range.preset !== 'today') post({ type: 'setRange', ...ui.range });
if (ui.minConfidence) post({ type: 'setMinConfidence', minConfidence: ui.minConfidence });
