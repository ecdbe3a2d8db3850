import * as vscode from 'vscode';
import type { DaySummary } from '../core/context';
import { formatDuration } from '../core/format';

/**
 * Today's context-switch count in the status bar (`$(arrow-swap) 17`), with the
 * breakdown by kind and today's focus time in its tooltip; a click opens the panel.
 * It shows exactly the figure the panel's "today" shows: both read the same summary.
 */
export class SwitchCountStatusBar implements vscode.Disposable {
  static readonly id = 'hindsight.switches';
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem(SwitchCountStatusBar.id, vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Hindsight: context switches today';
    this.item.command = 'hindsight.openPanel';
  }

  /** Shows the day's figures, or hides the item when the setting turns it off. */
  update(summary: DaySummary, options: { visible: boolean; paused: boolean }): void {
    if (!options.visible) {
      this.item.hide();
      return;
    }
    const { byKind } = summary;
    this.item.text = `$(arrow-swap) ${summary.switches}${options.paused ? ' $(debug-pause)' : ''}`;
    this.item.accessibilityInformation = {
      label: `${summary.switches} context switches today${options.paused ? ', tracking paused' : ''}. Open Hindsight.`,
      role: 'button',
    };
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${summary.switches} context ${summary.switches === 1 ? 'switch' : 'switches'} today**${options.paused ? ' — tracking paused' : ''}\n\n`);
    tooltip.appendMarkdown(`| kind | count |\n|:--|--:|\n`);
    tooltip.appendMarkdown(`| $(window) app (left VS Code > 5 s, or another window) | ${byKind.app} |\n`);
    tooltip.appendMarkdown(`| $(repo) project | ${byKind.project} |\n`);
    tooltip.appendMarkdown(`| $(folder) area of the code | ${byKind.area} |\n`);
    tooltip.appendMarkdown(`| $(terminal) tool (editor, terminal, chat, debugger) | ${byKind.tool} |\n\n`);
    tooltip.appendMarkdown(`Focus time today: **${formatDuration(summary.focusMs)}** · longest focus block: **${formatDuration(summary.longestFocusMs)}**  \n`);
    tooltip.appendMarkdown(`Active time: ${formatDuration(summary.activeMs)} in ${summary.sessions} editor ${summary.sessions === 1 ? 'session' : 'sessions'}\n\n`);
    tooltip.appendMarkdown('A switch counts once you settle somewhere new for 2 s or more, so flipping through files is one switch. Private: nothing leaves this machine. Click to open Hindsight.');
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
