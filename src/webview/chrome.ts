/**
 * Everything around the figures: the range and confidence toolbar, the status banners,
 * the first-run explanation and the footer with the panel's commands.
 */
import type { Confidence } from '../core/model';
import type { PanelCommand, PanelSnapshot, PanelStatus, RangePreset } from '../core/protocol';
import { button, h, labelledSelect, uniqueId } from './dom';
import { formatCount, formatDateTime, sampleText } from '../core/format';
import type { RenderContext } from './frame';

const rangeOptions: readonly { value: RangePreset; label: string }[] = [
  { value: 'today', label: 'Today' },
  { value: 'week', label: 'This week' },
  { value: 'sprint', label: 'Last 14 days (sprint)' },
  { value: 'month', label: 'Last 30 days' },
  { value: 'custom', label: 'Custom…' },
];

const confidenceOptions: readonly { value: Confidence; label: string }[] = [
  { value: 'certain', label: 'certain only' },
  { value: 'likely', label: 'likely or surer' },
  { value: 'possible', label: 'all' },
];

export interface ToolbarChoices {
  /** Show the custom date inputs even though the snapshot is for a preset (the developer is picking days). */
  customDraft: boolean;
  onPreset(preset: RangePreset): void;
  onCustom(from: string, to: string): void;
  onConfidence(confidence: Confidence): void;
}

export function toolbar(snapshot: PanelSnapshot, choices: ToolbarChoices): HTMLElement {
  const shownPreset = choices.customDraft ? 'custom' : snapshot.range.preset;
  const range = labelledSelect('Range', rangeOptions, shownPreset, (value) => choices.onPreset(value as RangePreset), { testid: 'range-select', focus: 'range' });
  const confidence = labelledSelect('Attribution', confidenceOptions, snapshot.minConfidence, (value) => choices.onConfidence(value as Confidence), {
    testid: 'confidence-select',
    focus: 'confidence',
    title: 'Which AI insertions count: attribution is certain (accepted suggestions, matched agent logs), likely, or possible',
  });
  const { sample } = snapshot.dashboard;
  const excluded = sample.excludedByConfidence > 0 ? `, ${formatCount(sample.excludedByConfidence)} left out by the filter` : '';
  return h(
    'div',
    { class: 'toolbar', attrs: { role: 'group', 'aria-label': 'What the panel shows' } },
    h('div', { class: 'field' }, range.label, range.select),
    h('div', { class: 'field' }, confidence.label, confidence.select),
    shownPreset === 'custom' && customRange(snapshot, choices),
    h('p', { class: 'range-label n', testid: 'range-label' }, `${snapshot.range.label} · ${sampleText(sample.insertions)} insertions${excluded}`),
  );
}

function customRange(snapshot: PanelSnapshot, choices: ToolbarChoices): HTMLElement {
  const dateInput = (label: string, value: string, key: string): { label: HTMLLabelElement; input: HTMLInputElement } => {
    const input = h('input', { testid: `range-${key}`, focus: `range-${key}` });
    input.type = 'date';
    input.id = uniqueId('date');
    input.value = value;
    const element = h('label', {}, label);
    element.htmlFor = input.id;
    return { label: element, input };
  };
  const from = dateInput('From', snapshot.range.from, 'from');
  const to = dateInput('To', snapshot.range.to, 'to');
  const error = h('span', { class: 'error', attrs: { role: 'alert' } });
  const apply = button(
    'Apply',
    () => {
      error.textContent = '';
      if (!from.input.value || !to.input.value) error.textContent = 'Pick both days.';
      else if (from.input.value > to.input.value) error.textContent = 'The range starts after it ends.';
      else choices.onCustom(from.input.value, to.input.value);
    },
    { testid: 'range-apply', focus: 'range-apply' },
  );
  return h('div', { class: 'custom-range' }, h('div', { class: 'field' }, from.label, from.input), h('div', { class: 'field' }, to.label, to.input), apply, error);
}

export function banners(context: RenderContext, status: PanelStatus): HTMLElement[] {
  const list: HTMLElement[] = [];
  if (status.storeProblem !== null) {
    list.push(
      h(
        'div',
        { class: 'banner error', testid: 'banner-store-problem', attrs: { role: 'alert' } },
        h('strong', {}, 'Hindsight cannot save right now.'),
        h('div', { class: 'problem' }, status.storeProblem),
        h('div', {}, 'New activity is not recorded until this is fixed.'),
      ),
    );
  }
  if (status.paused) {
    list.push(
      h(
        'div',
        { class: 'banner', testid: 'banner-paused', attrs: { role: 'status' } },
        h('span', {}, 'Tracking is paused: nothing new is recorded. '),
        commandButton(context, 'Resume', 'resume', 'resume'),
      ),
    );
  }
  if (status.skippedRecords > 0) {
    list.push(
      h(
        'div',
        { class: 'banner info', testid: 'banner-skipped' },
        `${formatCount(status.skippedRecords)} unreadable ${status.skippedRecords === 1 ? 'record was' : 'records were'} skipped; the figures leave them out.`,
      ),
    );
  }
  return list;
}

function commandButton(context: RenderContext, label: string, command: PanelCommand, testid: string, secondary = false): HTMLButtonElement {
  return button(label, () => context.post({ type: 'command', command }), { class: secondary ? 'secondary' : undefined, testid: `command-${testid}`, focus: `command-${testid}` });
}

/** The explanation shown before anything was recorded: what is watched, what is kept, and how to stop it. */
export function firstRun(context: RenderContext, status: PanelStatus): HTMLElement {
  return h(
    'section',
    { class: 'card first-run empty-state', testid: 'first-run', attrs: { 'aria-labelledby': 'first-run-title' } },
    h('h1', { attrs: { id: 'first-run-title' } }, 'Hindsight'),
    h('p', {}, 'A private mirror of how AI is working out for you. Nothing leaves this machine, and no code is stored.'),
    h('h2', {}, 'What it watches'),
    h(
      'ul',
      {},
      h('li', {}, 'Code AI assistants put into your files (inline completions, chat and agent edits), and the code you type yourself as a baseline.'),
      h('li', {}, 'How much of it survives your later edits and commits, and how much fixing it needed.'),
      h('li', {}, 'Context switches: leaving VS Code, changing project, folder or tool.'),
    ),
    h('h2', {}, 'What it stores'),
    h(
      'ul',
      {},
      h('li', {}, 'No code: only lengths, line hashes salted for this install, the language and the kind of file.'),
      h('li', {}, 'File paths relative to your workspace, kept on this machine; a retro export never contains them.'),
      h('li', {}, 'Nothing leaves this machine: Hindsight makes no network requests.'),
    ),
    h('h2', {}, 'You stay in charge'),
    h(
      'div',
      { class: 'actions' },
      // When paused, the banner above carries the Resume button.
      !status.paused && commandButton(context, 'Pause tracking', 'pause', 'pause', true),
      commandButton(context, 'Open data folder', 'openDataFolder', 'open-data-folder', true),
      commandButton(context, 'Delete all data', 'deleteAllData', 'delete-all-data', true),
    ),
    h('p', { class: 'muted' }, 'Figures appear here once you have worked a little; each one shows its sample size.'),
  );
}

export function footer(context: RenderContext, snapshot: PanelSnapshot, wide: boolean): HTMLElement {
  const { status } = snapshot;
  const kib = status.storeBytes / 1024;
  const size = kib < 1024 ? `${formatCount(kib)} KiB` : `${(kib / 1024).toFixed(1)} MiB`;
  return h(
    'footer',
    { class: 'panel-footer' },
    h(
      'div',
      { class: 'actions' },
      commandButton(context, 'Export retro summary', 'exportSummary', 'export-summary'),
      !wide && commandButton(context, 'Open in editor', 'openInEditor', 'open-in-editor', true),
      !status.paused && commandButton(context, 'Pause tracking', 'pause', 'pause', true),
      commandButton(context, 'Open data folder', 'openDataFolder', 'open-data-folder', true),
      commandButton(context, 'Delete all data', 'deleteAllData', 'delete-all-data', true),
    ),
    h(
      'p',
      { class: 'n' },
      `${formatCount(status.recordCount)} records, ${size}, on this machine only. Agent logs ${status.agentLogsEnabled ? 'read' : 'not read'}. Updated ${formatDateTime(snapshot.dashboard.generatedAt)}.`,
    ),
  );
}
