import * as vscode from 'vscode';
import type { HostMessage } from './core/protocol';
import { protocolVersion } from './core/protocol';
import { PanelProvider } from './host/panelProvider';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Hindsight', { log: true });
  context.subscriptions.push(output);
  const backend = {
    onDidChange: new vscode.EventEmitter<void>().event,
    snapshot: async (): Promise<HostMessage> => ({
      type: 'snapshot',
      protocolVersion,
      status: { paused: false, recordCount: 0, storeBytes: 0, storeProblem: null, skippedRecords: 0, agentLogsEnabled: false, pulseDue: false },
      range: { preset: 'today', from: '', to: '', label: 'Today' },
      minConfidence: 'possible',
      dashboard: {} as never,
    }),
    handle: async (): Promise<void> => undefined,
  };
  const panel = new PanelProvider(context.extensionUri, backend, output);
  context.subscriptions.push(panel, vscode.window.registerWebviewViewProvider(PanelProvider.viewId, panel));
  const open = (): Thenable<unknown> => vscode.commands.executeCommand('hindsight.panel.focus');
  for (const id of ['hindsight.openPanel', 'hindsight.exportRetroSummary', 'hindsight.pauseTracking', 'hindsight.resumeTracking', 'hindsight.deleteAllData', 'hindsight.openDataFolder', 'hindsight.exportRawData', 'hindsight.markPasteAsAi']) {
    context.subscriptions.push(vscode.commands.registerCommand(id, open));
  }
  context.subscriptions.push(vscode.commands.registerCommand('hindsight.openPanelInEditor', () => panel.openInEditor()));
  for (const [id, real] of [['hindsight.acceptInlineSuggestion', 'editor.action.inlineSuggest.commit'], ['hindsight.acceptInlineSuggestionNextWord', 'editor.action.inlineSuggest.acceptNextWord'], ['hindsight.acceptInlineSuggestionNextLine', 'editor.action.inlineSuggest.acceptNextLine']]) {
    context.subscriptions.push(vscode.commands.registerCommand(id, () => vscode.commands.executeCommand(real)));
  }
}

export function deactivate(): void {}
