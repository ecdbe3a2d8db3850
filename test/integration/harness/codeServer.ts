/**
 * A real VS Code for tests: code-server (VS Code 1.100.3's own workbench, server and
 * extension host) installed from npm into a cache outside the repository, started on
 * 127.0.0.1 with throw-away user data, and always stopped again.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const codeServerVersion = '4.100.3';
const cacheDir = process.env.HINDSIGHT_CODE_SERVER_CACHE ?? join(homedir(), '.cache', 'hindsight-test', `code-server-${codeServerVersion}`);
const binary = join(cacheDir, 'node_modules', '.bin', 'code-server');

/** Installs code-server into the cache if it is not there yet (about 80 s on 2 cores). */
export function ensureCodeServer(): string {
  if (existsSync(binary) && existsSync(join(cacheDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'))) return binary;
  log(`installing code-server ${codeServerVersion} into ${cacheDir} (once per machine)…`);
  mkdirSync(cacheDir, { recursive: true });
  // @vscode/ripgrep's postinstall downloads rg unless its cache already holds the archive:
  // fill the cache from Debian's ripgrep, which the CI script installs.
  const rgCache = join(process.env.TMPDIR ?? tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const rgArchive = join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (!existsSync(rgArchive)) {
    const rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
    const pack = mkdtempSync(join(tmpdir(), 'rgpack-'));
    copyFileSync(rg, join(pack, 'rg'));
    mkdirSync(rgCache, { recursive: true });
    execFileSync('tar', ['czf', rgArchive, '-C', pack, 'rg']);
    rmSync(pack, { recursive: true, force: true });
  }
  writeFileSync(join(cacheDir, 'package.json'), '{"private":true}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', `code-server@${codeServerVersion}`], {
    cwd: cacheDir,
    stdio: 'inherit',
    // code-server's postinstall refuses to run as root without unsafe-perm; node-pty needs npx.
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  return binary;
}

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** The extension's global storage folder, where Hindsight keeps its store. */
  globalStorage(extensionId: string): string;
  logs(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** .vsix files to install with the code-server CLI before start. */
  vsixFiles: string[];
  /** Unpacked extension folders to copy into the extensions dir. */
  extensionFolders: string[];
  env?: Record<string, string>;
  /** User settings.json contents. */
  settings?: Record<string, unknown>;
  /** Reuse an existing user-data dir (a "restart" of VS Code keeps its data). */
  userDataDir?: string;
  extensionsDir?: string;
  /** A fixed port; a free one is picked otherwise. */
  port?: number;
}

/** Starts code-server on a free loopback port and waits until it answers. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const bin = ensureCodeServer();
  const root = mkdtempSync(join(tmpdir(), 'hindsight-vscode-'));
  const userDataDir = options.userDataDir ?? join(root, 'user');
  const extensionsDir = options.extensionsDir ?? join(root, 'ext');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(options.settings ?? {}, null, 2));
  for (const vsix of options.vsixFiles) {
    execFileSync(bin, ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
      stdio: 'pipe',
    });
  }
  // Once the CLI has written extensions.json, VS Code loads only the extensions it lists:
  // copied folders are added to it the way the CLI records a vsix install.
  const registryFile = join(extensionsDir, 'extensions.json');
  const registry = existsSync(registryFile) ? (JSON.parse(readFileSync(registryFile, 'utf8')) as unknown[]) : [];
  for (const folder of options.extensionFolders) {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
    const relativeLocation = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
    const target = join(extensionsDir, relativeLocation);
    cpSync(folder, target, { recursive: true });
    registry.push({
      identifier: { id: `${manifest.publisher}.${manifest.name}` },
      version: manifest.version,
      location: { $mid: 1, fsPath: target, external: `file://${target}`, path: target, scheme: 'file' },
      relativeLocation,
      metadata: { installedTimestamp: Date.now(), source: 'vsix' },
    });
  }
  writeFileSync(registryFile, JSON.stringify(registry));
  const port = options.port ?? (await freePort());
  let output = '';
  const child: ChildProcess = spawn(
    bin,
    [
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ],
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopProcessGroup();
    if (!options.userDataDir && !process.env.HINDSIGHT_KEEP_TMP) rmSync(root, { recursive: true, force: true });
  };
  const stopProcessGroup = async (): Promise<void> => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM'); // the whole group: server, extension hosts, pty hosts
      } catch {
        /* already gone */
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            /* gone */
          }
          resolve();
        }, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    userDataDir,
    extensionsDir,
    globalStorage: (extensionId) => join(userDataDir, 'User', 'globalStorage', extensionId.toLowerCase()),
    logs: () => output,
    stop,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function log(message: string): void {
  process.stderr.write(`[harness] ${message}\n`);
}
