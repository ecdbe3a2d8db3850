import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import * as vscode from 'vscode';
import { dayKeyOf } from '../core/days';
import { hashLine } from '../core/lineHash';
import { aiFactsOfCommit } from '../core/trailers';
import type { Recorder } from './recorder';

/** A checkout, stash, rebase or reset rewrote files within this long: their changes are not the developer's, in ms. */
const bulkWindowMs = 5_000;
/** Committed survival is measured by `git blame` this long after the commit. */
const blameAfterMs = 7 * 24 * 60 * 60_000;

interface Repository {
  root: string;
  gitDir: string;
  git: SimpleGit;
  project: string;
  watchers: FSWatcher[];
  /** Last time HEAD, the index or the reflog changed. */
  lastChange: number;
  lastReflog: string;
}

/**
 * Follows the workspace repositories with simple-git (never blocking the editor): HEAD
 * and reflog changes tell commits from checkouts, stashes and rebases; a commit marks
 * the tracked spans whose lines it contains; a week later `git blame` tells how much of
 * those committed lines still stand.
 */
export class GitWatcher implements vscode.Disposable {
  private readonly repositories: Repository[] = [];
  private blameTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly recorder: Recorder,
    private readonly salt: string,
    private readonly contextWindow: string,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** Finds the repositories of the workspace folders and starts watching them. */
  async start(): Promise<void> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      try {
        const git = simpleGit(folder.uri.fsPath);
        if (!(await git.checkIsRepo())) continue;
        const root = (await git.revparse(['--show-toplevel'])).trim();
        const gitDir = (await git.revparse(['--absolute-git-dir'])).trim();
        if (this.repositories.some((r) => r.root === root)) continue;
        const repository: Repository = { root, gitDir, git: simpleGit(root), project: folder.name, watchers: [], lastChange: 0, lastReflog: await this.lastReflog(simpleGit(root)) };
        for (const dir of [gitDir, join(gitDir, 'logs')]) {
          if (!existsSync(dir)) continue;
          const watcher = watch(dir, (_event, name) => this.gitDirChanged(repository, String(name ?? '')));
          watcher.on('error', () => undefined);
          repository.watchers.push(watcher);
        }
        this.repositories.push(repository);
      } catch (error) {
        this.output.warn(`Could not open the git repository of ${folder.name}: ${String(error)}`);
      }
    }
    this.blameTimer = setInterval(() => void this.measureCommittedSurvival(), 60 * 60_000);
    void this.measureCommittedSurvival();
  }

  /** True while a checkout, stash, rebase or reset is (or just was) rewriting the document's repository. */
  isBulkOperation(document: vscode.TextDocument): boolean {
    const repository = this.repositoryOf(document.uri.fsPath);
    if (!repository) return false;
    return Date.now() - repository.lastChange < bulkWindowMs || existsSync(join(repository.gitDir, 'index.lock'));
  }

  private repositoryOf(fsPath: string): Repository | undefined {
    return this.repositories.find((r) => fsPath.startsWith(r.root + '/') || fsPath.startsWith(r.root + '\\'));
  }

  private gitDirChanged(repository: Repository, name: string): void {
    if (name === 'HEAD' || name === 'index.lock' || name === 'ORIG_HEAD' || name === 'refs' || name === 'MERGE_HEAD') repository.lastChange = Date.now();
    if (name === 'HEAD' || name === 'logs') void this.reflogChanged(repository);
  }

  private async lastReflog(git: SimpleGit): Promise<string> {
    try {
      return (await git.raw(['reflog', '-1', '--format=%H %gs'])).trim();
    } catch {
      return ''; // a repository without commits yet
    }
  }

  private async reflogChanged(repository: Repository): Promise<void> {
    const entry = await this.lastReflog(repository.git);
    if (!entry || entry === repository.lastReflog) return;
    repository.lastReflog = entry;
    const subject = entry.slice(entry.indexOf(' ') + 1);
    if (/^commit( \((initial|amend|merge)\))?:/.test(subject)) await this.committed(repository, entry.slice(0, entry.indexOf(' ')));
    else repository.lastChange = Date.now();
  }

  /** Marks the followed spans whose lines the new commit contains. */
  private async committed(repository: Repository, sha: string): Promise<void> {
    try {
      const files = (await repository.git.raw(['show', '--name-only', '--format=', sha])).split('\n').filter(Boolean);
      const meta = await repository.git.raw(['log', '-1', '--format=%an%n%ae%n%B', sha]);
      const [authorName = '', authorEmail = '', ...message] = meta.split('\n');
      const { aiTool } = aiFactsOfCommit({ authorName, authorEmail, message: message.join('\n') });
      const spanIds: string[] = [];
      const committedLines: Record<string, string[]> = {};
      for (const file of files) {
        const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === join(repository.root, file));
        if (!document) continue;
        const blob = await repository.git.raw(['show', `${sha}:${file}`]);
        const blobHashes = new Set(blob.split('\n').map((line) => hashLine(this.salt, line)));
        for (const span of this.recorder.pipeline.liveSpans(document.uri.toString())) {
          const hashes = spanLineHashes(document, span.ranges, this.salt).filter((h) => blobHashes.has(h));
          if (hashes.length === 0) continue;
          spanIds.push(span.id);
          committedLines[span.id] = hashes;
        }
      }
      const t = Date.now();
      this.recorder.append({ k: 'commit', t, w: '', project: repository.project, sha, spanIds, committedLines, aiTool });
      this.recorder.context({ kind: 'commit', t, day: dayKeyOf(t), window: this.contextWindow });
    } catch (error) {
      this.output.warn(`Could not read commit ${sha.slice(0, 8)}: ${String(error)}`);
    }
  }

  /** A week after a commit, `git blame` tells which committed lines of each span still stand. */
  private async measureCommittedSurvival(): Promise<void> {
    const now = Date.now();
    for (const due of this.recorder.history.commitsDueForBlame(now - blameAfterMs)) {
      const repository = this.repositories.find((r) => r.project === due.project);
      if (!repository) continue;
      for (const [id, hashes] of Object.entries(due.committedLines)) {
        const outcome = this.recorder.history.outcome(id, now);
        if (!outcome) continue;
        try {
          const blame = await repository.git.raw(['blame', '--line-porcelain', 'HEAD', '--', join(repository.root, outcome.path)]);
          const standing = blamedLineHashes(blame, due.sha, this.salt);
          const share = hashes.filter((h) => standing.has(h)).length / hashes.length;
          this.recorder.append({ k: 'blame', t: now, w: '', id, share });
        } catch {
          this.recorder.append({ k: 'blame', t: now, w: '', id, share: 0 }); // the file is gone from HEAD
        }
      }
    }
  }

  dispose(): void {
    clearInterval(this.blameTimer);
    for (const repository of this.repositories) for (const watcher of repository.watchers) watcher.close();
  }
}

/** Salted hashes of the document lines a span's characters are on. */
function spanLineHashes(document: vscode.TextDocument, ranges: readonly [number, number][], salt: string): string[] {
  const lines = new Set<number>();
  for (const [start, end] of ranges) {
    const first = document.positionAt(start).line;
    const last = document.positionAt(Math.max(start, end - 1)).line;
    for (let line = first; line <= last; line++) lines.add(line);
  }
  return [...lines].map((line) => document.lineAt(line).text).filter((text) => text.trim() !== '').map((text) => hashLine(salt, text));
}

/** Hashes of the lines `git blame --line-porcelain` still attributes to `sha`. */
function blamedLineHashes(porcelain: string, sha: string, salt: string): Set<string> {
  const standing = new Set<string>();
  let current = '';
  for (const line of porcelain.split('\n')) {
    if (/^[0-9a-f]{40} /.test(line)) current = line.slice(0, 40);
    else if (line.startsWith('\t') && current === sha) standing.add(hashLine(salt, line.slice(1)));
  }
  return standing;
}

