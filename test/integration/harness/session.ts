/**
 * One test session: a sample workspace (a git repository with source, tests and docs),
 * the freshly packaged Hindsight .vsix and the fixture extensions installed into a real
 * code-server, and Chromium on its workbench.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from './codeServer';
import { openWorkbench, waitForExtensions, type Workbench } from './workbench';

/** The repository root: the nearest folder above the running bundle with Hindsight's manifest. */
export const repoRoot = findRepoRoot(__dirname);
export const extensionId = 'hindsight-dev.hindsight';
export const artifactsDir = join(repoRoot, '.test-artifacts');

const sampleFiles: Record<string, string> = {
  'src/core/math.js': 'function add(a, b) {\n  return a + b;\n}\n\nmodule.exports = { add };\n',
  'src/host/app.js': "const { add } = require('../core/math');\n\nconsole.log(add(2, 3));\n",
  'test/core/math.test.js': "const assert = require('assert');\nconst { add } = require('../../src/core/math');\n\nassert.strictEqual(add(1, 2), 3);\n",
  'docs/notes.md': '# Notes\n\nA small sample project for Hindsight.\n',
  'README.md': '# Sample\n',
};

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'hindsight') return dir;
  }
  throw new Error(`no Hindsight package.json above ${from}`);
}

/** Writes the sample workspace into a fresh temporary folder and commits it with git. */
export function createSampleWorkspace(): string {
  const folder = mkdtempSync(join(tmpdir(), 'hindsight-sample-'));
  for (const [path, text] of Object.entries(sampleFiles)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: folder, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=Sample', '-c', 'user.email=sample@example.invalid', 'add', '-A');
  git('-c', 'user.name=Sample', '-c', 'user.email=sample@example.invalid', 'commit', '-qm', 'sample');
  return folder;
}

let packagedVsix: string | undefined;

/** Packages the extension once per test run, exactly as `npm run package` does. */
export function packageExtension(): string {
  if (packagedVsix) return packagedVsix;
  const out = join(mkdtempSync(join(tmpdir(), 'hindsight-vsix-')), 'hindsight.vsix');
  execFileSync(process.execPath, [join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], {
    cwd: repoRoot,
    stdio: 'pipe',
  });
  packagedVsix = out;
  return out;
}

export interface Session {
  server: CodeServer;
  workbench: Workbench;
  page: Page;
  workspace: string;
  hostResults: string;
  /** Reloads the window (Developer: Reload Window), as a developer would. */
  reload(): Promise<void>;
  /** Opens another VS Code window (its own extension host) on `folder`, in a new tab of the same browser. */
  openWindow(folder: string): Promise<Page>;
  close(): Promise<void>;
}

export interface SessionOptions {
  settings?: Record<string, unknown>;
  colorScheme?: 'dark' | 'light';
  workspace?: string;
  env?: Record<string, string>;
  /** Runs after the extensions are installed and before the browser connects. */
  beforeConnect?: (server: { globalStorage: (id: string) => string }) => void;
}

/** Starts code-server with Hindsight and the fixtures, and opens the workbench. */
export async function startSession(options: SessionOptions = {}): Promise<Session> {
  const workspace = options.workspace ?? createSampleWorkspace();
  const hostResults = join(mkdtempSync(join(tmpdir(), 'hindsight-host-')), 'results.json');
  const server = await startCodeServer({
    vsixFiles: [packageExtension()],
    extensionFolders: [join(repoRoot, 'test', 'fixtures', 'fake-ai-assistant'), join(repoRoot, 'test', 'fixtures', 'host-suite-runner')],
    settings: {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'extensions.ignoreRecommendations': true,
      'editor.inlineSuggest.enabled': true,
      'editor.quickSuggestions': { other: false, comments: false, strings: false },
      'editor.suggestOnTriggerCharacters': false,
      'editor.acceptSuggestionOnEnter': 'off',
      'editor.autoClosingBrackets': 'never',
      'editor.autoClosingQuotes': 'never',
      'editor.autoIndent': 'none',
      'editor.formatOnType': false,
      'security.workspace.trust.enabled': false,
      'git.openRepositoryInParentFolders': 'never',
      ...options.settings,
    },
    env: {
      HINDSIGHT_HOST_SUITE: join(repoRoot, 'out', 'test', 'integration', 'host', 'index.js'),
      HINDSIGHT_HOST_RESULTS: hostResults,
      ...options.env,
    },
  });
  options.beforeConnect?.(server);
  let workbench: Workbench;
  try {
    workbench = await openWorkbench(server.url, workspace, options.colorScheme);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const session: Session = {
    server,
    workbench,
    page: workbench.page,
    workspace,
    hostResults,
    reload: async () => {
      await session.page.reload();
      await session.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
      await session.page.locator('.part.statusbar').waitFor({ timeout: 90_000 });
      await waitForExtensions(session.page);
    },
    openWindow: async (folder) => {
      const page = await workbench.page.context().newPage();
      await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
      await waitForExtensions(page);
      return page;
    },
    close: async () => {
      await workbench.close();
      await server.stop();
    },
  };
  return session;
}

/**
 * An `afterEach` hook: a failed test leaves a screenshot named after it, to see what the
 * page showed, and prints the end of the extension hosts' logs (Hindsight's and the fixture
 * assistant's included): a CI run keeps only its output.
 */
export function screenshotWhenFailed(suite: string, session: () => Session | undefined): (this: Mocha.Context) => Promise<void> {
  return async function (this: Mocha.Context): Promise<void> {
    const current = session();
    if (this.currentTest?.state !== 'failed' || !current) return;
    await screenshot(current.page, `${suite}-failed-${this.currentTest.title.slice(0, 20).replace(/\W+/g, '-')}`);
    process.stderr.write(logTails(current.server));
  };
}

/** The last lines of the latest code-server session's server and extension-host logs, and of Hindsight's and the fixtures' own. */
function logTails(server: CodeServer, lines = 25): string {
  const root = join(server.userDataDir, 'logs');
  if (!existsSync(root)) return '';
  const latest = readdirSync(root).sort().pop();
  if (latest === undefined) return '';
  const out: string[] = [];
  for (const path of filesUnder(join(root, latest))) {
    const name = basename(path);
    if (name === 'remoteexthost.log' || name === 'remoteagent.log' || /[\\/]hindsight-[^\\/]+[\\/][^\\/]+\.log$/.test(path)) {
      const tail = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines);
      out.push(`--- ${path.slice(root.length + 1)} (last ${tail.length} lines)`, ...tail);
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** Saves a screenshot of the whole page under .test-artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Reads every record in Hindsight's store folder (all journals), for assertions. */
export function readStoreRecords(server: CodeServer): Record<string, unknown>[] {
  const dir = server.globalStorage(extensionId);
  if (!existsSync(dir)) return [];
  const records: Record<string, unknown>[] = [];
  for (const path of filesUnder(dir)) {
    if (!path.endsWith('.jsonl')) continue;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        /* a torn tail; the store skips it too */
      }
    }
  }
  return records;
}

/** Every file in `folder` and its subfolders, in directory order. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
