import { randomBytes, createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { nonBlankLineHashes } from './core/agentLogs';
import { insertionIds } from './core/capture';
import { dayKeyOf, shiftDay } from './core/days';
import { AgentLogWatcher } from './host/agentLogWatcher';
import { registerCommands } from './host/commands';
import { TrackedDocuments } from './host/documents';
import { GitWatcher } from './host/git';
import { CaptureListeners } from './host/listeners';
import { HindsightPanelBackend } from './host/panelBackend';
import { PanelProvider } from './host/panelProvider';
import { Recorder } from './host/recorder';
import { readSettings } from './host/settings';
import { SwitchCountStatusBar } from './host/statusBar';

const saltKey = 'hindsight.salt';
const pausedKey = 'hindsight.paused';

/** The running extension: what tests reach through the API, and how it stops. */
export interface Container {
  /** Resolves once the store is loaded and folded. */
  ready: Promise<void>;
  recorder: Recorder;
  /** Stores the layout of open documents and flushes the store. */
  shutdown(): Promise<void>;
}

/**
 * The composition root: builds every service, wires the listeners and registers every
 * disposable. Heavy work (loading the store, finding git repositories, reading agent
 * logs) is deferred until after it returns.
 */
export function createContainer(context: vscode.ExtensionContext): Container {
  let settings = readSettings();
  const output = vscode.window.createOutputChannel('Hindsight', { log: true });
  const salt = context.globalState.get<string>(saltKey) ?? randomBytes(16).toString('hex');
  void context.globalState.update(saltKey, salt);
  context.globalState.setKeysForSync([]);
  const contextWindow = windowIdentity();
  const recorder = new Recorder(
    {
      storageDir: vscode.Uri.joinPath(context.globalStorageUri, 'store').fsPath,
      // Unique per extension host, short: it names this window's journal files.
      journalId: createHash('sha256').update(vscode.env.sessionId).update(randomBytes(8)).digest('hex').slice(0, 12),
      contextWindow,
      idleTimeoutMs: settings.idleTimeoutMs,
      detectAiShapedInserts: settings.detectAiShapedInserts,
      newId: insertionIds(randomBytes(6).toString('hex')),
      // Agent logs are matched by salted hashes of the written lines; the text goes no further.
      onAgentWrite: (id, path, t, text) => agentLogs.agentInsertion(id, { path, t, lineHashes: nonBlankLineHashes(salt, text) }),
    },
    output,
  );
  const documents = new TrackedDocuments(recorder, salt, () => settings.exclude, output);
  const git = new GitWatcher(recorder, salt, contextWindow, output);
  const listeners = new CaptureListeners(recorder, documents, contextWindow, (d) => git.isBulkOperation(d), output);
  const agentLogs = new AgentLogWatcher(recorder, salt, () => settings.agentLogs, context.globalState, output);
  const backend = new HindsightPanelBackend({ recorder, contextWindow, globalState: context.globalState, agentLogsEnabled: () => settings.agentLogs.enabled });
  const panel = new PanelProvider(context.extensionUri, backend, output);
  const statusBar = new SwitchCountStatusBar();

  const setPaused = async (paused: boolean): Promise<void> => {
    recorder.setPaused(paused || !settings.trackingEnabled);
    await context.globalState.update(pausedKey, paused);
    await vscode.commands.executeCommand('setContext', 'hindsight.paused', recorder.isPaused);
  };
  void setPaused(context.globalState.get<boolean>(pausedKey) ?? false);

  const refreshStatusBar = (): void => {
    const now = Date.now();
    const { summary } = recorder.history.dayAsOf(dayKeyOf(now), now, contextWindow);
    statusBar.update(summary, { visible: settings.statusBarEnabled, paused: recorder.isPaused });
  };
  let statusTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleStatusBar = (): void => {
    clearTimeout(statusTimer);
    statusTimer = setTimeout(refreshStatusBar, 250);
  };
  // A switch is counted once its 2 s dwell has passed: re-read as time passes, not only on events.
  const clock = setInterval(() => {
    refreshStatusBar();
    recorder.pipeline.tick(Date.now());
  }, 5_000);

  const disposables: vscode.Disposable[] = [
    output,
    panel,
    vscode.window.registerWebviewViewProvider(PanelProvider.viewId, panel),
    statusBar,
    listeners,
    git,
    agentLogs,
    recorder.onDidChange(scheduleStatusBar),
    ...registerCommands({ recorder, listeners, panel, backend, settings: () => settings, storageUri: context.globalStorageUri,
      setPaused,
      forgetRemembered: async () => {
        await agentLogs.forget();
        await backend.forget();
      },
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('hindsight')) return;
      settings = readSettings();
      void setPaused(context.globalState.get<boolean>(pausedKey) ?? false);
      agentLogs.settingsChanged();
      refreshStatusBar();
    }),
    { dispose: () => (clearInterval(clock), clearTimeout(statusTimer)) },
  ];
  const root = vscode.Disposable.from(...disposables.reverse());

  const ready = new Promise<void>((resolve) => setTimeout(resolve, 0))
    .then(() => recorder.load())
    .then(async () => {
      listeners.register();
      refreshStatusBar();
      await git.start();
      agentLogs.start();
      if (settings.retentionDays > 0) await recorder.prune(shiftDay(dayKeyOf(Date.now()), -settings.retentionDays));
    })
    .catch((error: unknown) => output.error('Hindsight could not start', error));
  return {
    ready,
    recorder,
    shutdown: async () => {
      documents.closeAll();
      root.dispose();
      await recorder.dispose();
    },
  };
}

/**
 * The context model's identity of this window: the workspace's folders, so a window
 * reload (a new extension host) is the same window, not a switch to another one.
 */
function windowIdentity(): string {
  const key = vscode.workspace.workspaceFile?.toString() ?? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).join('|');
  return createHash('sha256').update(key || vscode.env.sessionId).digest('hex').slice(0, 12);
}
