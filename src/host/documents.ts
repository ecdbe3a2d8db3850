import * as vscode from 'vscode';
import type { DocumentMeta } from '../core/capture';
import { matchesAnyGlob } from '../core/glob';
import { hashLine, hashLines } from '../core/lineHash';
import type { LineSnapshot } from '../core/reanchor';
import { lineLengthsOf } from '../core/reanchor';
import type { Recorder } from './recorder';

/** Documents larger than this (UTF-16 units) are not followed: minified bundles, data dumps. */
export const maxTrackedLength = 2_000_000;
/** A NUL character in the first part of a document marks it as binary. */
const binaryProbeLength = 8_192;

/**
 * Which documents Hindsight follows, and their lifecycle in the capture pipeline: only
 * files inside a workspace folder, not excluded by `hindsight.tracking.exclude`, not
 * untitled, output, log or settings documents, not huge and not binary. A document
 * reopened later gets its spans back, re-anchored when it changed meanwhile.
 */
export class TrackedDocuments {
  private skippedLarge = new Set<string>();
  /** The lines each followed document had when last loaded or saved: what git would replace. */
  private readonly savedLines = new Map<string, LineSnapshot>();

  constructor(
    private readonly recorder: Recorder,
    private readonly salt: string,
    private readonly exclude: () => readonly string[],
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** The workspace-relative identity of a document, or undefined when it is not tracked. */
  metaOf(document: vscode.TextDocument): DocumentMeta | undefined {
    if (document.uri.scheme !== 'file') return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder) return undefined;
    const path = relativePathOf(document.uri);
    if (matchesAnyGlob(path, this.exclude())) return undefined;
    return { docKey: document.uri.toString(), path, project: folder.name, languageId: document.languageId };
  }

  isTracked(document: vscode.TextDocument): boolean {
    return this.metaOf(document) !== undefined;
  }

  /** The pipeline follows this document now. */
  isFollowed(docKey: string): boolean {
    return this.recorder.pipeline.isOpen(docKey);
  }

  /** Starts following a document, restoring and re-anchoring its spans from the store. */
  open(document: vscode.TextDocument): void {
    const meta = this.metaOf(document);
    if (!meta || this.recorder.pipeline.isOpen(meta.docKey)) return;
    const text = document.getText();
    if (text.length > maxTrackedLength || text.slice(0, binaryProbeLength).includes('\0')) {
      if (!this.skippedLarge.has(meta.path)) {
        this.skippedLarge.add(meta.path);
        this.output.info(`Not following ${meta.path}: ${text.length > maxTrackedLength ? 'larger than 2 million characters' : 'binary content'}.`);
      }
      return;
    }
    if (!document.isDirty) this.savedLines.set(meta.docKey, this.linesOf(document));
    const layout = this.recorder.history.documentLayout(meta.project, meta.path);
    if (!layout) {
      this.recorder.pipeline.openDocument(meta, text.length);
      return;
    }
    const records = this.recorder.history.spanRecords(layout.spans.spans.map((s) => s.id));
    const result = this.recorder.pipeline.reopenDocument(meta, layout, records, this.linesOf(document), Date.now());
    if (result.lostChars > 0) this.output.info(`${meta.path} changed while closed: ${result.lostChars} tracked characters are gone.`);
  }

  /** The salted hash of one line (a trailing `\r` ignored). */
  lineHash(line: string): string {
    return hashLine(this.salt, line);
  }

  /** Salted hashes and lengths of a document's lines. */
  linesOf(document: vscode.TextDocument): { lineHashes: string[]; lineLengths: number[] } {
    const text = document.getText();
    return { lineHashes: hashLines(this.salt, text), lineLengths: lineLengthsOf(text) };
  }

  /** The lines a followed document had when last loaded or saved, if known. */
  lastSaved(docKey: string): LineSnapshot | undefined {
    return this.savedLines.get(docKey);
  }

  /** The document is now as on disk (saved, or rewritten by a checkout): remember its lines. */
  remember(document: vscode.TextDocument): void {
    if (this.recorder.pipeline.isOpen(document.uri.toString())) this.savedLines.set(document.uri.toString(), this.linesOf(document));
  }

  /** Stops following a closed document, storing its layout with salted line hashes. */
  close(document: vscode.TextDocument): void {
    const docKey = document.uri.toString();
    this.savedLines.delete(docKey);
    if (!this.recorder.pipeline.isOpen(docKey)) return;
    const { lineHashes, lineLengths } = this.linesOf(document);
    this.recorder.pipeline.closeDocument(docKey, lineHashes, lineLengths, Date.now());
  }

  /** A file was renamed in VS Code: its spans follow it, whether its document was open or not. */
  renamed(oldUri: vscode.Uri, newUri: vscode.Uri): void {
    const pipeline = this.recorder.pipeline;
    const newKey = newUri.toString();
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === newKey);
    const meta = document && this.metaOf(document);
    if (pipeline.isOpen(oldUri.toString())) {
      if (!meta) return;
      pipeline.forgetDocument(newKey);
      pipeline.rename(oldUri.toString(), meta);
      return;
    }
    // The old document was closed before the rename: its layout is stored under the old path.
    const folder = vscode.workspace.getWorkspaceFolder(oldUri);
    const layout = folder && this.recorder.history.documentLayout(folder.name, relativePathOf(oldUri));
    if (!layout) return;
    this.recorder.append({ ...layout, t: Date.now(), path: relativePathOf(newUri) });
    if (document && meta) {
      pipeline.forgetDocument(newKey);
      this.open(document);
    }
  }

  /** A file was deleted in VS Code: its spans are closed, apart from rework. */
  deleted(uri: vscode.Uri): void {
    this.recorder.pipeline.deleted(uri.toString(), Date.now());
  }

  /** Stores the layout of every followed document (on deactivate, spans must survive a restart). */
  closeAll(): void {
    for (const document of vscode.workspace.textDocuments) this.close(document);
  }
}

/** Workspace-relative path with posix separators. */
export function relativePathOf(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
}
