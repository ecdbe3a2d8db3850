import { execFile } from 'node:child_process';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { AcceptKind, ChangeObservation } from '../core/attribution';
import { needsClipboard, needsNeighbours, neighbourRanges } from '../core/attribution';
import type { ContextEvent } from '../core/context';
import { dayKeyOf } from '../core/days';
import { matchesAnyGlob } from '../core/glob';
import type { ToolKind } from '../core/model';
import type { TextChange } from '../core/spans';
import { relativePathOf, type TrackedDocuments } from './documents';
import type { Recorder } from './recorder';
import { readSettings } from './settings';

/** Schemes of chat editing sessions: their documents mean a chat is applying edits. */
const chatSchemes = ['chat-editing-snapshot-text-model', 'chat-editing-text-model', 'vscode-chat-code-block'];
/** How long after a chat editing document changed other edits count as chat edits, in ms. */
const chatSessionMs = 10_000;
/** Typing in an editor within this long makes it the "typed-in" editor, in ms. */
const recentTypingMs = 10_000;
/** A document change this long after its file changed on disk can be the reload of that write, in ms. */
const diskReloadMs = 5_000;
/** The text an accept replaces is remembered this long after the accept intent, in ms. */
const acceptSnapshotMs = 2_000;

/** Files written on disk while not open are looked at after this quiet time, in ms. */
const outsideSettleMs = 500;
/** More files than this written at once is a build, an install or an unpack, not an agent. */
const maxOutsideBurst = 20;
/** Files larger than this written while not open are not looked at, in bytes. */
const maxOutsideBytes = 512 * 1024;
/** How many closed documents keep their line fingerprints (the baseline of a later write on disk). */
const maxClosedBaselines = 200;
/** A file VS Code itself created (explorer, workspace edit, save as) within this long is not an outside write, in ms. */
const createdByVsCodeMs = 10_000;

/** The line under the cursor when an accept started: what the suggestion's range may replace. */
interface AcceptSnapshot {
  t: number;
  start: number;
  text: string;
}

/** A paste key press is matched with the change that follows it within this long, in ms. */
const pasteWindowMs = 1_000;
/** The clipboard is given this long to answer; the change queue never waits longer, in ms. */
const clipboardTimeoutMs = 300;

type QueueItem =
  | { kind: 'change'; obs: ChangeObservation; document: vscode.TextDocument }
  | { kind: 'intent'; docKey: string; accept: AcceptKind; t: number }
  | { kind: 'done'; docKey: string; t: number }
  | { kind: 'paste'; docKey: string; t: number };

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
  /** When each file last changed on disk (file watcher): only such documents can be reloaded from disk. */
  private readonly diskChangedAt = new Map<string, number>();
  private readonly acceptSnapshots = new Map<string, AcceptSnapshot>();
  /**
   * Salted line hashes (lineHash.ts; in memory only here) of recently
   * closed documents: what a file looked like before something outside VS Code rewrote it.
   */
  private readonly closedBaselines = new Map<string, Map<string, number>>();
  private readonly createdByVsCode = new Map<string, number>();
  private outsideWrites: { uri: vscode.Uri; created: boolean }[] = [];
  private outsideOverflow = false;
  private outsideTimer: ReturnType<typeof setTimeout> | undefined;
  private chatSessionUntil = 0;
  private pendingPaste: { docKey: string; t: number } | undefined;
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
    const diskWatcher = ws.createFileSystemWatcher('**/*', false, false, true);
    this.disposables.push(
      diskWatcher,
      diskWatcher.onDidChange((uri) => this.diskChanged(uri, false)),
      diskWatcher.onDidCreate((uri) => this.diskChanged(uri, true)),
      ws.onDidCreateFiles((e) => e.files.forEach((uri) => this.createdByVsCode.set(uri.toString(), Date.now()))),
      ws.onDidOpenTextDocument((d) => this.opened(d)),
      ws.onDidCloseTextDocument((d) => {
        this.rememberClosed(d);
        this.documents.close(d);
      }),
      ws.onDidChangeTextDocument((e) => this.changed(e)),
      ws.onWillSaveTextDocument((e) => {
        // Edits made by will-save participants (format on save, organize imports) are not authorship.
        this.saving++;
        const release = (): void => void setTimeout(() => this.saving--, 0);
        e.waitUntil(Promise.resolve([]).finally(release));
      }),
      ws.onDidSaveTextDocument((d) => {
        this.documents.remember(d);
        if (this.documents.isTracked(d)) this.emit({ kind: 'save' });
      }),
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
    const docKey = document.uri.toString();
    const t = Date.now();
    // VS Code reports a full accept as replacing the typed prefix of the suggestion with the
    // whole suggestion: remember the line, so that the part the developer typed is not
    // counted as the AI's (see `trimAcceptedChange`).
    const editor = vscode.window.activeTextEditor;
    if (editor?.document === document) {
      const line = document.lineAt(editor.selection.active.line);
      this.acceptSnapshots.set(docKey, { t, start: document.offsetAt(line.range.start), text: line.text });
    }
    this.enqueue({ kind: 'intent', docKey, accept, t });
  }

  /** Queues a paste key press: the change that follows is a paste, without reading the clipboard. */
  pasteIntent(document: vscode.TextDocument): void {
    this.enqueue({ kind: 'paste', docKey: document.uri.toString(), t: Date.now() });
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

  private diskChanged(uri: vscode.Uri, created: boolean): void {
    const key = uri.toString();
    if (this.diskChangedAt.size > 1_000) {
      const old = Date.now() - diskReloadMs;
      for (const [k, t] of this.diskChangedAt) if (t < old) this.diskChangedAt.delete(k);
    }
    this.diskChangedAt.set(key, Date.now());
    // An open document sees the write as a reload; a file that is not open is looked at here.
    if (uri.scheme !== 'file' || this.recorder.isPaused || vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) return;
    if (!vscode.workspace.getWorkspaceFolder(uri) || matchesAnyGlob(relativePathOf(uri), readSettings().exclude)) return;
    if (this.outsideWrites.length < maxOutsideBurst) this.outsideWrites.push({ uri, created });
    else this.outsideOverflow = true;
    clearTimeout(this.outsideTimer);
    this.outsideTimer = setTimeout(() => {
      const batch = this.outsideWrites;
      const overflow = this.outsideOverflow;
      this.outsideWrites = [];
      this.outsideOverflow = false;
      // A burst of files is a build, an install, an unpack or a checkout: not an agent's writes.
      if (!overflow) void this.outsideBatch(batch);
    }, outsideSettleMs);
  }

  private async outsideBatch(batch: { uri: vscode.Uri; created: boolean }[]): Promise<void> {
    const seen = new Set<string>();
    for (const { uri, created } of batch) {
      const key = uri.toString();
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        await this.outsideWrite(uri, created || batch.some((b) => b.created && b.uri.toString() === key));
      } catch (error) {
        this.output.warn(`Could not look at a file written outside VS Code: ${String(error)}`);
      }
    }
  }

  /**
   * A file that is not open was created or rewritten on disk, not by VS Code (an agent in a
   * terminal, a script): the lines it did not have before (nothing, for a new file; the lines
   * of its last closed state, or of the git index) are an external write, like a reload of
   * an open document. The document is opened (without an editor) so its spans are followed.
   */
  private async outsideWrite(uri: vscode.Uri, created: boolean): Promise<void> {
    const key = uri.toString();
    if (Date.now() - (this.createdByVsCode.get(key) ?? -Infinity) < createdByVsCodeMs) return;
    if (this.recorder.isPaused || this.documents.isFollowed(key) || vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) return;
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type !== vscode.FileType.File || stat.size === 0 || stat.size > maxOutsideBytes) return;
    const baseline = created ? new Map<string, number>() : (this.closedBaselines.get(key) ?? (await this.gitIndexBaseline(uri)));
    if (baseline === undefined) return;
    const t = Date.now();
    // Only a write that added lines is worth opening the document for.
    if (this.newLineBlocks(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), baseline).length === 0) return;
    const document = await vscode.workspace.openTextDocument(uri);
    if (!this.documents.isFollowed(key)) this.opened(document);
    if (!this.documents.isFollowed(key)) return;
    const changes = this.newLineBlocks(document.getText(), baseline);
    if (changes.length === 0) return;
    // Each block replaces itself: the document's spans (restored from the store) lose what the
    // write replaced, and the new lines become the write's insertion.
    const obs: ChangeObservation = {
      t,
      docKey: key,
      languageId: document.languageId,
      isActiveEditor: false,
      recentlyTypedInDoc: false,
      changes,
      otherDocsChangedInSameTick: 0,
      fromDisk: true,
      vcsOperationInFlight: this.isBulkOperation(document),
      snippetActive: false,
      neighbours: undefined,
      clipboardText: undefined,
    };
    this.enqueue({ kind: 'change', obs, document });
  }

  /** The line hashes of the file's version in the git index, or undefined (not in git). */
  private gitIndexBaseline(uri: vscode.Uri): Promise<Map<string, number> | undefined> {
    return new Promise((resolve) => {
      execFile('git', ['show', `:./${basename(uri.fsPath)}`], { cwd: dirname(uri.fsPath), maxBuffer: maxOutsideBytes * 4, encoding: 'utf8' }, (error, stdout) => {
        resolve(error ? undefined : this.lineCounts(stdout));
      });
    });
  }

  private rememberClosed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (!this.documents.isFollowed(key)) return;
    this.closedBaselines.delete(key);
    const text = document.getText();
    if (text.length > maxOutsideBytes) return;
    this.closedBaselines.set(key, this.lineCounts(text));
    if (this.closedBaselines.size > maxClosedBaselines) this.closedBaselines.delete(this.closedBaselines.keys().next().value!);
  }

  /** How many times each line (by salted hash) occurs in a text. */
  private lineCounts(text: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const line of text.split('\n')) {
      const h = this.documents.lineHash(line);
      counts.set(h, (counts.get(h) ?? 0) + 1);
    }
    return counts;
  }

  /** Runs of lines of `text` that the baseline does not have, each with its line ends. */
  private newLineBlocks(text: string, baseline: Map<string, number>): TextChange[] {
    const left = new Map(baseline);
    const blocks: TextChange[] = [];
    let offset = 0;
    for (const line of text.split('\n')) {
      const length = Math.min(line.length + 1, text.length - offset);
      const h = this.documents.lineHash(line);
      const count = left.get(h) ?? 0;
      if (count > 0) left.set(h, count - 1);
      else if (length > 0) {
        const last = blocks[blocks.length - 1];
        if (last !== undefined && last.rangeOffset + last.rangeLength === offset) last.rangeLength += length;
        else blocks.push({ rangeOffset: offset, rangeLength: length, text: '' });
      }
      offset += length;
    }
    for (const block of blocks) block.text = text.slice(block.rangeOffset, block.rangeOffset + block.rangeLength);
    return blocks;
  }

  /**
   * A change that is the accept of an inline suggestion, with the text it replaced taken
   * from the line remembered at the accept intent: the common prefix and suffix of the
   * replaced and the inserted text are left out (the same edit, as far as the document goes),
   * so that only what the suggestion added is inserted.
   */
  private trimAcceptedChange(docKey: string, changes: readonly vscode.TextDocumentContentChangeEvent[], t: number): { rangeOffset: number; rangeLength: number; text: string }[] {
    const plain = changes.map((c) => ({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, text: c.text }));
    const snapshot = this.acceptSnapshots.get(docKey);
    if (snapshot === undefined || !plain.some((c) => c.text.length > 0)) return plain;
    this.acceptSnapshots.delete(docKey);
    const only = plain.length === 1 ? plain[0] : undefined;
    if (t - snapshot.t > acceptSnapshotMs || only === undefined || only.rangeLength === 0) return plain;
    const from = only.rangeOffset - snapshot.start;
    if (from < 0 || from + only.rangeLength > snapshot.text.length) return plain;
    const replaced = snapshot.text.slice(from, from + only.rangeLength);
    let prefix = 0;
    while (prefix < replaced.length && prefix < only.text.length && replaced[prefix] === only.text[prefix]) prefix++;
    let suffix = 0;
    while (suffix < replaced.length - prefix && suffix < only.text.length - prefix && replaced[replaced.length - 1 - suffix] === only.text[only.text.length - 1 - suffix]) suffix++;
    return [{ rangeOffset: only.rangeOffset + prefix, rangeLength: only.rangeLength - prefix - suffix, text: only.text.slice(prefix, only.text.length - suffix) }];
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
      changes: e.reason === undefined ? this.trimAcceptedChange(docKey, e.contentChanges, t) : e.contentChanges.map((c) => ({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, text: c.text })),
      ...(editor ? { cursorOffsets: editor.selections.map((s) => document.offsetAt(s.active)) } : {}),
      formatOrRefactorInFlight: this.saving > 0,
      chatEditingScheme: t < this.chatSessionUntil && !(active && recentlyTyped),
      otherDocsChangedInSameTick: 0,
      // Decided when the queue drains (see `drain`): the document's dirty flag is not up to date yet.
      fromDisk: e.reason === undefined && this.saving === 0 && t - (this.diskChangedAt.get(docKey) ?? -Infinity) <= diskReloadMs,
      vcsOperationInFlight: this.isBulkOperation(document),
      snippetActive: false,
      // Read now: by the time the queue drains, later changes may have moved the text.
      neighbours: e.reason === undefined && needsNeighbours(e.contentChanges) ? neighboursOf(document, e.contentChanges[0]) : undefined,
      clipboardText: undefined,
    };
    this.enqueue({ kind: 'change', obs, document });
  }

  private enqueue(item: QueueItem): void {
    this.queue.push(item);
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
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
        else if (item.kind === 'paste') this.pendingPaste = { docKey: item.docKey, t: item.t };
        else {
          // VS Code tells the extension host that a document became dirty only after the change
          // that made it dirty: the first keystroke in a saved document arrives with
          // `isDirty` false. By the time the queue drains the flag has caught up, so a
          // document still clean now was reloaded from disk (or rewritten by git).
          const clean = !item.document.isDirty;
          // Completed in place: every observation is created with all of these fields, so this
          // keeps one object shape on the per-keystroke path (copying into a new shape is not free).
          const obs = item.obs;
          obs.fromDisk = obs.fromDisk === true && clean;
          obs.vcsOperationInFlight = obs.vcsOperationInFlight === true && clean;
          obs.otherDocsChangedInSameTick = changedDocs.size - 1;
          obs.snippetActive = this.inSnippetPlaceholder(item.document, obs);
          const paste = this.pendingPaste;
          if (paste && paste.docKey === obs.docKey && obs.t - paste.t <= pasteWindowMs && obs.changes.some((c) => c.text.length > 0)) {
            // The developer pressed the paste key: what it inserted is the clipboard's text.
            this.pendingPaste = undefined;
            obs.clipboardText = obs.changes.reduce((longest, c) => (c.text.length > longest.length ? c.text : longest), '');
          } else if (needsClipboard(obs.changes)) obs.clipboardText = await this.readClipboard();
          const { pipeline } = this.recorder;
          const before = obs.vcsOperationInFlight ? this.documents.lastSaved(obs.docKey) : undefined;
          if (before) pipeline.vcsRewriting(obs.docKey, before, 'branchSwitch', obs.t);
          pipeline.change(obs);
          // Once git has finished with the document (no more of its changes queued): it may be
          // back as it was (the branch came back), and it is now as on disk either way.
          if (obs.vcsOperationInFlight && !this.queue.some((i) => i.kind === 'change' && i.obs.docKey === obs.docKey)) {
            pipeline.vcsReturned(obs.docKey, this.documents.linesOf(item.document), obs.t);
            this.documents.remember(item.document);
          }
        }
      }
    } catch (error) {
      this.output.error('Could not process a change', error);
    } finally {
      this.draining = false;
      // Items queued while the drain awaited the clipboard: drain them in their order.
      if (this.queue.length > 0) this.scheduleDrain();
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

  /**
   * The clipboard's text, or undefined when it cannot be read quickly. In a browser the read
   * asks the user for permission, so it is not attempted there (pastes are known from the
   * paste key instead); elsewhere a slow clipboard never holds up the change queue.
   */
  private async readClipboard(): Promise<string | undefined> {
    if (vscode.env.uiKind === vscode.UIKind.Web) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), clipboardTimeoutMs)));
    try {
      return await Promise.race([Promise.resolve(vscode.env.clipboard.readText()), timeout]);
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  dispose(): void {
    clearInterval(this.dayTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The text right before and right after a just-inserted `change` (`neighbourRanges`), in the document after the event. */
function neighboursOf(document: vscode.TextDocument, change: vscode.TextDocumentContentChangeEvent): ChangeObservation['neighbours'] {
  const text = ([from, to]: [number, number]): string => document.getText(new vscode.Range(document.positionAt(from), document.positionAt(to)));
  const { before, after } = neighbourRanges(change);
  return { before: text(before), after: text(after) };
}
