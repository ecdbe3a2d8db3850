import * as vscode from 'vscode';
import { agentFigures } from '../core/agentMatch';
import type { AgentFigures, DashboardInput } from '../core/analytics';
import { computeDashboard } from '../core/analytics';
import { dayKeyOf, dayRange, weekKeyOf } from '../core/days';
import type { ContextSwitch, InsertionOutcome } from '../core/model';
import { isAiSource } from '../core/model';
import type { HostMessage, PanelCommand, WebviewMessage } from '../core/protocol';
import { protocolVersion } from '../core/protocol';
import { rangeOf } from '../core/ranges';
import type { PanelBackend, PanelViewState } from './panelProvider';
import type { Recorder } from './recorder';

/** What the panel backend needs beyond the recorder. */
export interface PanelBackendDeps {
  recorder: Recorder;
  contextWindow: string;
  globalState: vscode.Memento;
  agentLogsEnabled: () => boolean;
}

const pulseDismissedKey = 'hindsight.pulseDismissedWeek';

const panelCommandIds: Record<PanelCommand, string> = {
  pause: 'hindsight.pauseTracking',
  resume: 'hindsight.resumeTracking',
  exportSummary: 'hindsight.exportRetroSummary',
  deleteAllData: 'hindsight.deleteAllData',
  openDataFolder: 'hindsight.openDataFolder',
  openInEditor: 'hindsight.openPanelInEditor',
};

/** Builds the panel's snapshots from the history and carries out what the developer does in it. */
export class HindsightPanelBackend implements PanelBackend {
  readonly onDidChange: vscode.Event<void>;

  constructor(private readonly deps: PanelBackendDeps) {
    this.onDidChange = deps.recorder.onDidChange;
  }

  /** The dashboard input for a range of days, today's figures as of `now`. */
  dashboardInput(from: string, to: string, now: number): DashboardInput {
    const { history } = this.deps.recorder;
    const days = history.daySummaries(dayRange(from, to), dayKeyOf(now), now, this.deps.contextWindow);
    const insertions = history.outcomes(now, (id) => this.deps.recorder.pipeline.liveRecord(id));
    const turns = history.agentTurns().filter((turn) => {
      const day = dayKeyOf(turn.promptAt);
      return day >= from && day <= to;
    });
    return { insertions, days, ...(turns.length > 0 ? { agent: this.agentFiguresOf(turns, insertions, from, to) } : {}) };
  }

  async snapshot(view: PanelViewState): Promise<HostMessage> {
    await this.deps.recorder.load();
    const now = Date.now();
    const range = rangeOf(view.preset, now, view.preset === 'custom' && view.from && view.to ? { from: view.from, to: view.to } : undefined);
    const input = this.dashboardInput(range.from, range.to, now);
    const dashboard = computeDashboard(input, range, now, { minConfidence: view.minConfidence });
    const { recorder } = this.deps;
    const pulseDue = this.pulseDue(now, input.insertions);
    return {
      type: 'snapshot',
      protocolVersion,
      status: {
        paused: recorder.isPaused,
        recordCount: recorder.history.size,
        insertionCount: input.insertions.length,
        storeBytes: await recorder.sizeBytes(),
        storeProblem: recorder.storeProblem,
        skippedRecords: recorder.skippedRecords,
        agentLogsEnabled: this.deps.agentLogsEnabled(),
        pulseDue,
      },
      range: { preset: view.preset, from: range.from, to: range.to, label: range.label },
      minConfidence: view.minConfidence,
      dashboard,
      pulse: { due: pulseDue, history: recorder.history.pulse() },
    };
  }

  async handle(message: WebviewMessage): Promise<void> {
    const { recorder } = this.deps;
    const t = Date.now();
    switch (message.type) {
      case 'openInsertion':
        await this.openInsertion(message.id);
        return;
      case 'overrideVerdict':
        recorder.append({ k: 'verdict', t, w: '', id: message.id, verdict: message.verdict });
        return;
      case 'setNote':
        recorder.append({ k: 'note', t, w: '', id: message.id, note: message.note });
        return;
      case 'markPasteAsAi':
        recorder.append({ k: 'pasteAi', t, w: '', id: message.id });
        return;
      case 'pulseAnswer':
        recorder.append({ k: 'pulse', t, w: '', week: weekKeyOf(dayKeyOf(t)), answer: message.answer, answeredOn: dayKeyOf(t) });
        return;
      case 'pulseDismiss':
        await this.deps.globalState.update(pulseDismissedKey, weekKeyOf(dayKeyOf(t)));
        return;
      case 'command':
        await vscode.commands.executeCommand(panelCommandIds[message.command]);
        return;
      case 'ready':
      case 'setRange':
      case 'setMinConfidence':
        return; // handled by the panel session itself
    }
  }

  /** Forgets the pulse dismissal (after "Delete all my data"). */
  forget(): Thenable<void> {
    return this.deps.globalState.update(pulseDismissedKey, undefined);
  }

  /**
   * The weekly pulse is due once per week (Monday-start), only when the week has AI
   * insertions to reflect on, and not after the developer answered or dismissed it.
   */
  private pulseDue(now: number, insertions: readonly InsertionOutcome[]): boolean {
    const week = weekKeyOf(dayKeyOf(now));
    const { history } = this.deps.recorder;
    if (this.deps.globalState.get<string>(pulseDismissedKey) === week) return false;
    if (history.pulse().some((answer) => answer.week === week)) return false;
    return insertions.some((o) => o.day >= week && isAiSource(o.source));
  }

  private agentFiguresOf(turns: Parameters<typeof agentFigures>[0], insertions: DashboardInput['insertions'], from: string, to: string): AgentFigures {
    const { history } = this.deps.recorder;
    const switches: ContextSwitch[] = [];
    for (const day of dayRange(from, to)) switches.push(...history.dayView(day).switches);
    const figures = agentFigures(turns, insertions, switches);
    const tokens = figures.tokensPerSurvivingLine;
    const byAgent: Record<string, { value: number; n: number }> = {};
    for (const [agent, figure] of Object.entries(tokens.byAgent)) {
      if (figure.tokensPerLine !== null) byAgent[agent] = { value: figure.tokensPerLine, n: figure.insertions };
    }
    return {
      ...(tokens.all.tokensPerLine !== null ? { tokensPerSurvivingLine: { value: tokens.all.tokensPerLine, n: tokens.all.insertions, byAgent } } : {}),
      ...(figures.waiting.all.turns > 0
        ? { waitingOnAi: { totalMs: figures.waiting.all.totalWaitMs, turns: figures.waiting.all.turns, switchesWhileWaiting: figures.waiting.all.switches } }
        : {}),
    };
  }

  /** Opens the insertion's file at its first surviving characters, or at the top when they are gone. */
  private async openInsertion(id: string): Promise<void> {
    const outcome = this.deps.recorder.history.outcome(id, Date.now());
    if (!outcome) return;
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.name === outcome.project);
    if (!folder) {
      void vscode.window.showInformationMessage(`That insertion is in the workspace folder "${outcome.project}", which is not open.`);
      return;
    }
    const uri = vscode.Uri.joinPath(folder.uri, outcome.path);
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const ranges = this.deps.recorder.pipeline.liveSpans(document.uri.toString()).find((s) => s.id === id)?.ranges ?? [];
      const editor = await vscode.window.showTextDocument(document);
      if (ranges.length > 0) {
        const range = new vscode.Range(document.positionAt(ranges[0][0]), document.positionAt(ranges[ranges.length - 1][1]));
        editor.selection = new vscode.Selection(range.start, range.start);
        editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      } else {
        void vscode.window.showInformationMessage('None of that insertion is left in the file.');
      }
    } catch {
      void vscode.window.showInformationMessage(`${outcome.path} no longer exists.`);
    }
  }
}
