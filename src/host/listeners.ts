import * as vscode from 'vscode';
import type { AcceptKind, ChangeObservation } from '../core/attribution';
import { needsClipboard } from '../core/attribution';
import type { ContextEvent } from '../core/context';
import { dayKeyOf } from '../core/days';
import type { ToolKind } from '../core/model';
import type { TrackedDocuments } from './documents';
import type { Recorder } from './recorder';

/** Schemes of chat editing sessions: their documents mean a chat is applying edits. */
const chatSchemes = ['chat-editing-snapshot-text-model', 'chat-editing-text-model', 'vscode-chat-code-block'];
/** How long after a chat editing document changed other edits count as chat edits, in ms. */
const chatSessionMs = 10_000;
/** Typing in an editor within this long makes it the "typed-in" editor, in ms. */
const recentTypingMs = 10_000;

type QueueItem =
  | { kind: 'change'; obs: ChangeObservation; document: vscode.TextDocument }
  | { kind: 'intent'; docKey: string; accept: AcceptKind; t: number }
  | { kind: 'done'; docKey: string; t: number };

/**
 * Turns VS Code events into the plain observations of the core. Change events, accept
 * intents and accept completions go through one ordered queue, drained right after the
 * current event-loop turn: so a keystroke typed just before Tab is never mistaken for
 * the accept, all documents a WorkspaceEdit touched in one turn are known, the editor's
 * selections after the change can be read (snippet placeholders), and the clipboard is
 * read (asynchronously) only for changes that could be pastes.
 */
export class CaptureListeners implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly queue: QueueItem[] = [];
  private draining = false;
  private drainScheduled = false;
  private readonly lastTypedAt = new Map<string, number>();
  private chatSessionUntil = 0;
  private saving = 0;
  private currentTool: ToolKind = 'editor';
  private lastDay = '';
  private dayTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly recorder: Recorder,
    private readonly documents: TrackedDocuments,
    private readonly contextWindow: string,
    private readonly isBulkOperation: (document: vscode.TextDocument) => boolean,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** Subscribes to every editor event Hindsight captures; returns itself for disposal. */
  register(): this {
    const w = vscode.window;
    const ws = vscode.workspace;
    this.disposables.push(
      ws.onDidOpenTextDocument((d) => this.opened(d)),
      ws.onDidCloseTextDocument((d) => this.documents.close(d)),
      ws.onDidChangeTextDocument((e) => this.changed(e)),
      ws.onWillSaveTextDocument((e) => {
        // Edits made by will-save participants (format on save, organize imports) are not authorship.
        this.saving++;
        const release = (): void => void setTimeout(() => this.saving--, 0);
        e.waitUntil(Promise.resolve([]).finally(release));
      }),
      ws.onDidSaveTextDocument((d) => this.documents.isTracked(d) && this.emit({ kind: 'save' })),
      ws.onDidRenameFiles((e) => e.files.forEach((f) => this.documents.renamed(f.oldUri, f.newUri))),
      ws.onDidDeleteFiles((e) => e.files.forEach((f) => this.documents.deleted(f))),
      w.onDidChangeActiveTextEditor((editor) => this.activeEditorChanged(editor)),
      w.onDidChangeTextEditorSelection((e) => this.selectionChanged(e)),
      w.onDidChangeWindowState((state) => this.emit({ kind: state.focused ? 'windowFocus' : 'windowBlur' })),
      w.onDidOpenTerminal(() => this.tool('terminal')),
      w.onDidChangeActiveTerminal((terminal) => terminal && this.tool('terminal')),
      w.onDidChangeTerminalState(() => this.tool('terminal')),
      vscode.debug.onDidStartDebugSession(() => this.tool('debugger')),
      vscode.debug.onDidChangeActiveDebugSession((session) => session && this.tool('debugger')),
    );
    for (const document of ws.textDocuments) this.opened(document);
    // Each day's context stream must stand on its own: journal the focus state and the
    // active editor at start and at the first minute of every new local day.
    this.journalPlace();
    this.dayTimer = setInterval(() => {
      if (dayKeyOf(Date.now()) !== this.lastDay) this.journalPlace();
    }, 60_000);
    return this;
  }

  /** Queues an accept intent (the wrapper command is about to run the real accept). */
  acceptIntent(document: vscode.TextDocument, accept: AcceptKind): void {
    this.enqueue({ kind: 'intent', docKey: document.uri.toString(), accept, t: Date.now() });
  }

  /** Queues the completion of the real accept command. */
  acceptDone(document: vscode.TextDocument): void {
    this.enqueue({ kind: 'done', docKey: document.uri.toString(), t: Date.now() });
  }

  private journalPlace(): void {
    this.lastDay = dayKeyOf(Date.now());
    this.emit({ kind: vscode.window.state.focused ? 'windowFocus' : 'windowBlur' });
    this.activeEditorChanged(vscode.window.activeTextEditor);
  }

  private opened(document: vscode.TextDocument): void {
    if (chatSchemes.includes(document.uri.scheme)) {
      this.chatSessionUntil = Date.now() + chatSessionMs;
      this.tool('chat');
      return;
    }
    if (!this.recorder.isPaused) this.documents.open(document);
  }

  private activeEditorChanged(editor: vscode.TextEditor | undefined): void {
    if (!editor) return;
    const meta = this.documents.metaOf(editor.document);
    if (!meta) return;
    this.currentTool = 'editor';
    this.emit({ kind: 'editor', project: meta.project, path: meta.path });
  }

  private selectionChanged(e: vscode.TextEditorSelectionChangeEvent): void {
    if (e.kind === vscode.TextEditorSelectionChangeKind.Keyboard) this.lastTypedAt.set(e.textEditor.document.uri.toString(), Date.now());
    // Clicking or typing in an editor after the terminal or debugger had focus is a move back to the editor.
    if (this.currentTool !== 'editor' && e.kind !== undefined && e.textEditor === vscode.window.activeTextEditor) {
      const meta = this.documents.metaOf(e.textEditor.document);
      if (meta) this.activeEditorChanged(e.textEditor);
    }
  }

  private tool(tool: ToolKind): void {
    if (tool === this.currentTool) return;
    this.currentTool = tool;
    this.emit({ kind: 'tool', tool });
  }

  private emit(event: { kind: 'windowFocus' | 'windowBlur' | 'save' } | { kind: 'tool'; tool: ToolKind } | { kind: 'editor'; project: string; path: string }): void {
    const t = Date.now();
    this.recorder.context({ ...event, t, day: dayKeyOf(t), window: this.contextWindow } as ContextEvent);
  }

  private changed(e: vscode.TextDocumentChangeEvent): void {
    const document = e.document;
    if (chatSchemes.includes(document.uri.scheme)) {
      this.chatSessionUntil = Date.now() + chatSessionMs;
      return;
    }
    if (e.contentChanges.length === 0 || this.recorder.isPaused) return;
    const docKey = document.uri.toString();
    if (!this.documents.isFollowed(docKey)) return;
    const t = Date.now();
    const editor = vscode.window.visibleTextEditors.find((ed) => ed.document === document);
    const active = vscode.window.activeTextEditor?.document === document;
    if (active && e.contentChanges.length === 1 && e.contentChanges[0].text.length === 1) this.lastTypedAt.set(docKey, t);
    const recentlyTyped = t - (this.lastTypedAt.get(docKey) ?? 0) < recentTypingMs;
    const obs: ChangeObservation = {
      t,
      docKey,
      languageId: document.languageId,
      isActiveEditor: active,
      recentlyTypedInDoc: recentlyTyped,
      ...(e.reason === vscode.TextDocumentChangeReason.Undo ? { reason: 'undo' as const } : {}),
      ...(e.reason === vscode.TextDocumentChangeReason.Redo ? { reason: 'redo' as const } : {}),
      changes: e.contentChanges.map((c) => ({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, text: c.text })),
      ...(editor ? { cursorOffsets: editor.selections.map((s) => document.offsetAt(s.active)) } : {}),
      formatOrRefactorInFlight: this.saving > 0,
      chatEditingScheme: t < this.chatSessionUntil && !(active && recentlyTyped),
      otherDocsChangedInSameTick: 0,
      // Reloaded from disk: not dirty afterwards, not an undo back to the saved state, not a save participant.
      fromDisk: !document.isDirty && e.reason === undefined && this.saving === 0,
      vcsOperationInFlight: !document.isDirty && this.isBulkOperation(document),
    };
    this.enqueue({ kind: 'change', obs, document });
  }

  private enqueue(item: QueueItem): void {
    this.queue.push(item);
    if (this.drainScheduled || this.draining) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      // Documents changed in this turn: a multi-file WorkspaceEdit changes several at once.
      const changedDocs = new Set(this.queue.filter((i) => i.kind === 'change').map((i) => (i as { obs: ChangeObservation }).obs.docKey));
      while (this.queue.length > 0) {
        const item = this.queue.shift()!;
        if (item.kind === 'intent') this.recorder.pipeline.acceptIntent(item.docKey, item.accept, item.t);
        else if (item.kind === 'done') this.recorder.pipeline.acceptDone(item.docKey, item.t);
        else {
          const obs = { ...item.obs, otherDocsChangedInSameTick: changedDocs.size - 1, snippetActive: this.inSnippetPlaceholder(item.document, item.obs) };
          if (needsClipboard(obs.changes)) obs.clipboardText = await this.readClipboard();
          this.recorder.pipeline.change(obs);
        }
      }
    } catch (error) {
      this.output.error('Could not process a change', error);
    } finally {
      this.draining = false;
      if (this.queue.length > 0) this.enqueue(this.queue.pop()!);
    }
  }

  /** After a snippet insertion the editor selects its first placeholder, inside the inserted text. */
  private inSnippetPlaceholder(document: vscode.TextDocument, obs: ChangeObservation): boolean {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document !== document || obs.changes.length !== 1) return false;
    const change = obs.changes[0];
    const start = change.rangeOffset;
    const end = start + change.text.length;
    return editor.selections.some((s) => !s.isEmpty && document.offsetAt(s.start) >= start && document.offsetAt(s.end) <= end);
  }

  private async readClipboard(): Promise<string | undefined> {
    try {
      return await vscode.env.clipboard.readText();
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    clearInterval(this.dayTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
