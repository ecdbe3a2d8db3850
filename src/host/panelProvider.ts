import * as vscode from 'vscode';
import type { Confidence } from '../core/model';
import type { HostMessage, RangePreset, WebviewMessage } from '../core/protocol';
import { parseWebviewMessage } from '../core/protocol';
import { panelWebviewOptions, renderPanelHtml } from './webviewHtml';

/** What a panel needs from the rest of the extension: a snapshot to show, and its actions. */
export interface PanelBackend {
  /** Builds the complete snapshot for the view's own range and filter. */
  snapshot(view: PanelViewState): Promise<HostMessage>;
  /** Carries out an action the developer took in the panel. */
  handle(message: WebviewMessage, view: PanelViewState): Promise<void>;
  /** Fires when the data behind the panel changed. */
  readonly onDidChange: vscode.Event<void>;
}

/** The per-view choices: each open panel keeps its own range and confidence filter. */
export interface PanelViewState {
  preset: RangePreset;
  from?: string;
  to?: string;
  minConfidence: Confidence;
}

/**
 * Drives one webview (sidebar view or editor tab): renders the HTML, answers `ready` and
 * visibility with a full snapshot, pushes debounced snapshots when data changes, and
 * routes validated messages to the backend.
 */
class PanelSession implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly state: PanelViewState = { preset: 'today', minConfidence: 'possible' };
  private ready = false;
  private pushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly isVisible: () => boolean,
    private readonly backend: PanelBackend,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => this.receive(raw)),
      backend.onDidChange(() => this.schedulePush()),
    );
  }

  /** Sends a fresh snapshot now (when the view becomes visible). */
  push(): void {
    if (!this.ready || !this.isVisible()) return;
    this.backend.snapshot(this.state).then(
      (snapshot) => this.webview.postMessage(snapshot),
      (error) => this.output.error('Could not build the panel snapshot', error),
    );
  }

  private schedulePush(): void {
    clearTimeout(this.pushTimer);
    this.pushTimer = setTimeout(() => this.push(), 300);
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.output.warn('Ignored a malformed message from the Hindsight panel');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.push();
        return;
      case 'setRange':
        this.state.preset = message.preset;
        this.state.from = message.from;
        this.state.to = message.to;
        this.push();
        return;
      case 'setMinConfidence':
        this.state.minConfidence = message.minConfidence;
        this.push();
        return;
      default:
        await this.backend.handle(message, this.state);
        this.push();
    }
  }

  dispose(): void {
    clearTimeout(this.pushTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The Hindsight sidebar view, and the same panel opened in an editor tab on request. */
export class PanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'hindsight.panel';
  private readonly sessions = new Set<PanelSession>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly backend: PanelBackend,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = panelWebviewOptions(this.extensionUri);
    view.webview.html = renderPanelHtml(view.webview, this.extensionUri);
    const session = this.track(new PanelSession(view.webview, () => view.visible, this.backend, this.output));
    view.onDidChangeVisibility(() => session.push());
    view.onDidDispose(() => this.untrack(session));
  }

  /** Opens the panel in a wide editor tab. */
  openInEditor(): void {
    const panel = vscode.window.createWebviewPanel('hindsight.editorPanel', 'Hindsight', vscode.ViewColumn.Active, {
      ...panelWebviewOptions(this.extensionUri),
      retainContextWhenHidden: false,
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.html = renderPanelHtml(panel.webview, this.extensionUri);
    const session = this.track(new PanelSession(panel.webview, () => panel.visible, this.backend, this.output));
    panel.onDidChangeViewState(() => session.push());
    panel.onDidDispose(() => this.untrack(session));
  }

  private track(session: PanelSession): PanelSession {
    this.sessions.add(session);
    return session;
  }

  private untrack(session: PanelSession): void {
    session.dispose();
    this.sessions.delete(session);
  }

  dispose(): void {
    for (const session of this.sessions) session.dispose();
    this.sessions.clear();
  }
}
