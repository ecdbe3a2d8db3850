import * as vscode from 'vscode';
import type { AcceptKind } from '../core/attribution';
import { dayKeyOf, isDayKey, shiftDay, weekKeyOf } from '../core/days';
import { noteRedactor } from '../core/redact';
import { buildRetroSummary, renderJson, renderMarkdown, retroRangeOf } from '../core/retroSummary';
import type { CaptureListeners } from './listeners';
import type { HindsightPanelBackend } from './panelBackend';
import type { PanelProvider } from './panelProvider';
import type { Recorder } from './recorder';
import type { HindsightSettings } from './settings';

export interface CommandDeps {
  recorder: Recorder;
  listeners: CaptureListeners;
  panel: PanelProvider;
  backend: HindsightPanelBackend;
  settings: () => HindsightSettings;
  storageUri: vscode.Uri;
  /** Forgets what the extension remembers beside the store (agent-log read offsets, pulse state). */
  forgetRemembered: () => Promise<void>;
  setPaused: (paused: boolean) => Promise<void>;
}

/** The inline-suggestion accept commands Hindsight wraps, by the kind of accept. */
const acceptCommands: [string, AcceptKind, string][] = [
  ['hindsight.acceptInlineSuggestion', 'full', 'editor.action.inlineSuggest.commit'],
  ['hindsight.acceptInlineSuggestionNextWord', 'word', 'editor.action.inlineSuggest.acceptNextWord'],
  ['hindsight.acceptInlineSuggestionNextLine', 'line', 'editor.action.inlineSuggest.acceptNextLine'],
];

/** Registers every Hindsight command; returns their disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { recorder } = deps;
  const register = vscode.commands.registerCommand;
  return [
    register('hindsight.openPanel', async () => {
      await vscode.commands.executeCommand('workbench.view.extension.hindsight');
      await vscode.commands.executeCommand('hindsight.panel.focus');
    }),
    register('hindsight.openPanelInEditor', () => deps.panel.openInEditor()),
    register('hindsight.pauseTracking', () => deps.setPaused(true)),
    register('hindsight.resumeTracking', () => deps.setPaused(false)),
    register('hindsight.deleteAllData', async () => {
      const bytes = await recorder.sizeBytes();
      const choice = await vscode.window.showWarningMessage(
        'Delete all Hindsight data?',
        { modal: true, detail: `This removes every record Hindsight has stored on this machine (${formatBytes(bytes)}): insertions, survival, context switches, notes and pulse answers. It cannot be undone.` },
        'Delete All Data',
      );
      if (choice !== 'Delete All Data') return;
      await recorder.deleteAll();
      await deps.forgetRemembered();
      void vscode.window.showInformationMessage('Hindsight data deleted. Tracking continues from now; pause it from the panel or the command palette.');
    }),
    register('hindsight.openDataFolder', async () => {
      await vscode.workspace.fs.createDirectory(deps.storageUri);
      if (vscode.env.uiKind === vscode.UIKind.Desktop && !vscode.env.remoteName) {
        await vscode.commands.executeCommand('revealFileInOS', deps.storageUri);
        return;
      }
      // In a browser or remote window the operating system's file manager is not reachable.
      const choice = await vscode.window.showInformationMessage(`Hindsight keeps its data in ${deps.storageUri.fsPath}`, 'Open in New Window', 'Copy Path');
      if (choice === 'Open in New Window') await vscode.commands.executeCommand('vscode.openFolder', deps.storageUri, { forceNewWindow: true });
      if (choice === 'Copy Path') await vscode.env.clipboard.writeText(deps.storageUri.fsPath);
    }),
    register('hindsight.exportRawData', async () => {
      const target = await vscode.window.showSaveDialog({
        title: 'Export raw Hindsight data (NOT anonymized)',
        defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? deps.storageUri, 'hindsight-raw-data.json'),
        filters: { JSON: ['json'] },
        saveLabel: 'Export (not anonymized)',
      });
      if (!target) return;
      await recorder.flush();
      const lines = (await recorder.exportRaw()).split('\n').filter(Boolean);
      const body = {
        warning: 'NOT ANONYMIZED: this is your own raw Hindsight data, with workspace paths and project names. Share the retro summary instead.',
        exportedOn: dayKeyOf(Date.now()),
        records: lines.map((line) => JSON.parse(line) as unknown),
      };
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(JSON.stringify(body, null, 1)));
      void vscode.window.showInformationMessage(`Exported ${lines.length} records to ${target.fsPath} (not anonymized).`);
    }),
    register('hindsight.markPasteAsAi', async () => {
      const now = Date.now();
      const pastes = recorder.history.outcomes(now).filter((o) => o.source === 'paste').sort((a, b) => b.t - a.t);
      if (pastes.length === 0) {
        void vscode.window.showInformationMessage('Hindsight has not seen a paste yet.');
        return;
      }
      const latest = pastes[0];
      recorder.append({ k: 'pasteAi', t: now, w: '', id: latest.id });
      void vscode.window.showInformationMessage(`Marked the paste of ${latest.lines} line(s) into ${latest.path} as coming from an AI chat.`);
    }),
    register('hindsight.exportRetroSummary', () => exportRetroSummary(deps)),
    register('hindsight.paste', async () => {
      const document = vscode.window.activeTextEditor?.document;
      if (document) deps.listeners.pasteIntent(document);
      await vscode.commands.executeCommand('editor.action.clipboardPasteAction');
    }),
    ...acceptCommands.map(([id, kind, real]) =>
      register(id, async () => {
        const document = vscode.window.activeTextEditor?.document;
        if (document) deps.listeners.acceptIntent(document, kind);
        try {
          await vscode.commands.executeCommand(real);
        } finally {
          if (document) deps.listeners.acceptDone(document);
        }
      }),
    ),
  ];
}

/**
 * The retro summary: range, format and notes are picked, the anonymized summary is built
 * in the core (allow-list), and it opens as an untitled document to review. Nothing is
 * written or copied until the developer chooses to.
 */
async function exportRetroSummary(deps: CommandDeps): Promise<void> {
  const { recorder } = deps;
  await recorder.load();
  const now = Date.now();
  const today = dayKeyOf(now);
  const sprint = deps.settings().sprintLengthDays;
  const rangeItems: (vscode.QuickPickItem & { range?: { from: string; to: string } })[] = [
    { label: `Last ${sprint} days`, description: 'sprint length from settings', range: retroRangeOf(now, sprint) },
    { label: 'Last 7 days', range: retroRangeOf(now, 7) },
    { label: 'This week', range: { from: weekKeyOf(today), to: today } },
    { label: 'Last 30 days', range: retroRangeOf(now, 30) },
    { label: 'Custom range…' },
  ];
  const rangePick = await vscode.window.showQuickPick(rangeItems, { title: 'Hindsight retro summary (1/3): date range', placeHolder: 'Which days should the summary cover?' });
  if (!rangePick) return;
  const range = rangePick.range ?? (await askCustomRange(today, sprint));
  if (!range) return;
  const formatPick = await vscode.window.showQuickPick(
    [
      { label: 'Markdown', description: 'for the retro document', format: 'markdown' as const },
      { label: 'JSON', description: 'versioned schema, for combining summaries', format: 'json' as const },
    ],
    { title: 'Hindsight retro summary (2/3): format' },
  );
  if (!formatPick) return;
  const vocabulary = await workspaceVocabulary(deps);
  const redact = noteRedactor(vocabulary);
  const notes = recorder.history.notes().filter((n) => n.day >= range.from && n.day <= range.to);
  let ticked: { id: string; text: string }[] = [];
  if (notes.length > 0) {
    const picks = await vscode.window.showQuickPick(
      notes.map((n) => ({ label: redact(n.note), description: n.day, picked: false, id: n.id, text: n.note })),
      { title: 'Hindsight retro summary (3/3): include notes? (none by default; shown as they will be exported, redacted)', canPickMany: true },
    );
    if (!picks) return;
    ticked = picks.map((p) => ({ id: p.id, text: p.text }));
  }
  const content = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Hindsight: building the retro summary…' },
    async () => {
      const input = { ...deps.backend.dashboardInput(range.from, range.to, now), pulse: recorder.history.pulse(), notes: ticked, workspaceVocabulary: vocabulary };
      const summary = buildRetroSummary(input, { range, includeLanguages: deps.settings().includeLanguages, now });
      return formatPick.format === 'json' ? renderJson(summary) : renderMarkdown(summary);
    },
  );
  const document = await vscode.workspace.openTextDocument({ language: formatPick.format, content });
  await vscode.window.showTextDocument(document);
  const action = await vscode.window.showInformationMessage(
    'Review the retro summary: it contains no paths, names, code or times finer than a day. Nothing is saved or copied until you choose.',
    'Copy',
    'Save As…',
  );
  if (action === 'Copy') await vscode.env.clipboard.writeText(document.getText());
  if (action === 'Save As…') {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.saveAs');
  }
}

async function askCustomRange(today: string, sprint: number): Promise<{ from: string; to: string } | undefined> {
  const value = await vscode.window.showInputBox({
    title: 'Custom range',
    prompt: 'From and to, as yyyy-MM-dd yyyy-MM-dd (local days, both included)',
    value: `${shiftDay(today, -(sprint - 1))} ${today}`,
    validateInput: (text) => {
      const [from, to] = text.trim().split(/\s+/);
      if (!from || !to || !isDayKey(from) || !isDayKey(to)) return 'Two dates, like 2026-11-01 2026-11-14';
      return from > to ? 'The first date must not be after the second' : undefined;
    },
  });
  if (!value) return undefined;
  const [from, to] = value.trim().split(/\s+/);
  return { from, to };
}

/**
 * Words that would identify the workspace if a note repeated them: paths and their
 * segments, folder and project names, and the identifier-like words of the notes that
 * occur in files Hindsight followed. The redactor removes them from ticked notes.
 */
async function workspaceVocabulary(deps: CommandDeps): Promise<string[]> {
  const words = new Set<string>();
  for (const folder of vscode.workspace.workspaceFolders ?? []) words.add(folder.name);
  const outcomes = deps.recorder.history.outcomes(Date.now());
  for (const o of outcomes) {
    words.add(o.project);
    words.add(o.path);
  }
  const tokens = new Set<string>();
  for (const note of deps.recorder.history.notes()) for (const token of note.note.match(/[A-Za-z_$][\w$]{2,}/g) ?? []) tokens.add(token);
  if (tokens.size === 0) return [...words];
  const texts = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => d.getText());
  for (const path of new Set(outcomes.map((o) => `${o.project}\u0000${o.path}`))) {
    const [project, relative] = path.split('\u0000');
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.name === project);
    if (!folder || texts.length > 200) continue;
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, relative));
      if (bytes.length < 1_000_000) texts.push(new TextDecoder().decode(bytes));
    } catch {
      /* deleted since */
    }
  }
  for (const token of tokens) if (texts.some((text) => new RegExp(`\\b${token.replace(/\$/g, '\\$')}\\b`).test(text))) words.add(token);
  return [...words];
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
