import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AgentLogCounters } from '../core/agentLogs';
import { agentTurnKey } from '../core/agentLogs';
import type { AgentInsertion } from '../core/agentMatch';
import { matchAgentWrite } from '../core/agentMatch';
import type { AgentLogReader } from './agentLogReader';
import { createAgentLogReader } from './agentLogReader';
import type { Recorder } from './recorder';
import type { HindsightSettings } from './settings';

const stateKey = 'hindsight.agentLogReaderState';
const promptedKey = 'hindsight.agentLogsPrompted';
const notBeforeKey = 'hindsight.agentLogsNotBefore';
/** How often transcripts are read for new lines, in ms. */
const scanEveryMs = 5_000;
/** An agent insertion waits this long at most for its transcript line to be read, in ms. */
const matchPatienceMs = 90_000;

interface PendingMatch extends AgentInsertion {
  id: string;
  since: number;
}

/**
 * Reads local coding-agent transcripts (opt-in): new bytes only, with offsets kept across
 * restarts. Agent turns are journalled (times, tokens, workspace-relative paths, line
 * hashes); disk-change insertions are matched to logged writes and become `agent`,
 * `certain`, with their turn's tokens.
 */
export class AgentLogWatcher implements vscode.Disposable {
  private reader: AgentLogReader | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private scanning = false;
  private readonly pending: PendingMatch[] = [];
  private readonly turns = new Map<string, Parameters<typeof matchAgentWrite>[1][number]>();
  private reportedFormatChanges = false;

  constructor(
    private readonly recorder: Recorder,
    private readonly salt: string,
    private readonly settings: () => HindsightSettings['agentLogs'],
    private readonly globalState: vscode.Memento,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** Starts reading when enabled; otherwise offers it once if transcripts exist on this machine. */
  start(): void {
    if (this.settings().enabled) this.startReading();
    else void this.offerOnce();
  }

  /** Follows the `hindsight.agentLogs.*` settings. */
  settingsChanged(): void {
    this.stopReading();
    if (this.settings().enabled) this.startReading();
  }

  /** An insertion made from a disk change: matched to a logged agent write as soon as the log has it. */
  agentInsertion(id: string, insertion: AgentInsertion): void {
    if (!this.reader) return;
    this.pending.push({ ...insertion, id, since: Date.now() });
    this.matchPending();
  }

  /**
   * Forgets the transcripts read so far (after "Delete all my data"), including their paths;
   * transcripts not written to since are not read again, so deleted turns stay deleted.
   */
  async forget(): Promise<void> {
    this.turns.clear();
    this.pending.length = 0;
    await this.globalState.update(stateKey, undefined);
    await this.globalState.update(notBeforeKey, Date.now());
    this.settingsChanged();
  }

  private async offerOnce(): Promise<void> {
    if (this.globalState.get<boolean>(promptedKey)) return;
    const { claudeCodeFolder, codexFolder } = this.settings();
    const present = [claudeCodeFolder, codexFolder].filter((f) => existsSync(expandHome(f)));
    if (present.length === 0) return;
    await this.globalState.update(promptedKey, true);
    const choice = await vscode.window.showInformationMessage(
      'Hindsight found coding-agent transcripts (Claude Code or Codex CLI) on this machine. Read them to count tokens per surviving line and time spent waiting on AI? Only times, token counts, paths inside your open workspace and line hashes are kept; nothing leaves this machine.',
      'Enable',
      'Not Now',
    );
    if (choice === 'Enable') await vscode.workspace.getConfiguration('hindsight').update('agentLogs.enabled', true, vscode.ConfigurationTarget.Global);
  }

  private startReading(): void {
    const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    if (roots.length === 0) return;
    const { claudeCodeFolder, codexFolder } = this.settings();
    const notBefore = this.globalState.get<number>(notBeforeKey);
    this.reader = createAgentLogReader({
      salt: this.salt,
      workspaceRoots: roots,
      claudeCodeFolder,
      codexFolder,
      // Transcripts untouched since the developer deleted their data are not read again.
      ...(notBefore !== undefined ? { notBefore } : {}),
    });
    const saved = this.globalState.get<unknown>(stateKey);
    if (saved) this.reader.restoreState(saved);
    for (const turn of this.recorder.history.agentTurns()) this.turns.set(agentTurnKey(turn), turn);
    this.timer = setInterval(() => void this.scan(), scanEveryMs);
    void this.scan();
  }

  private stopReading(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.reader = undefined;
  }

  private async scan(): Promise<void> {
    if (!this.reader || this.scanning) return;
    this.scanning = true;
    try {
      const result = await this.reader.scan();
      for (const turn of result.turns) {
        this.turns.set(agentTurnKey(turn), turn);
        this.recorder.append({ k: 'turn', t: turn.lastWriteAt ?? turn.promptAt, w: '', turn });
      }
      for (const error of result.errors) this.output.warn(`Could not read agent transcript ${error.file}: ${error.message}`);
      this.reportFormatChanges(this.reader.counters());
      await this.globalState.update(stateKey, this.reader.state());
      this.matchPending();
    } catch (error) {
      this.output.warn(`Reading agent transcripts failed: ${String(error)}`);
    } finally {
      this.scanning = false;
    }
  }

  private matchPending(): void {
    const now = Date.now();
    const turns = [...this.turns.values()];
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const pending = this.pending[i];
      const match = matchAgentWrite(pending, turns);
      if (match) {
        this.recorder.append({ k: 'agentMatch', t: now, w: '', id: pending.id, agent: match.agent, turnKey: match.turnKey, tokens: match.tokens });
        this.pending.splice(i, 1);
      } else if (now - pending.since > matchPatienceMs) this.pending.splice(i, 1);
    }
  }

  private reportFormatChanges(counters: AgentLogCounters): void {
    const changes = Object.entries(counters.formatChanges);
    if (changes.length === 0 || this.reportedFormatChanges) return;
    this.reportedFormatChanges = true;
    this.output.warn(`Agent transcripts contain records in an unexpected shape (${changes.map(([k, n]) => `${k}: ${n}`).join(', ')}); they were skipped. A newer agent version may have changed its format.`);
  }

  dispose(): void {
    this.stopReading();
  }
}

function expandHome(path: string): string {
  return path.startsWith('~') ? join(homedir(), path.slice(1)) : path;
}
