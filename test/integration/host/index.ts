/**
 * The extension-host suite: mocha tests that run inside VS Code's extension host with the
 * real `vscode` API. code-server runs it through the host-suite-runner fixture; desktop
 * VS Code runs the same suite through @vscode/test-electron (`npm run test:desktop`).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export interface HostSuiteResults {
  passed: number;
  failed: number;
  failures: { title: string; error: string }[];
}

/** Runs every *.test.js beside this file, optionally filtered by `grep`. */
export function runSuite(options: { grep?: string } = {}): Promise<HostSuiteResults> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(options.grep ? { grep: options.grep } : {}) });
  for (const name of readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) {
    const file = join(__dirname, name);
    delete require.cache[file];
    mocha.addFile(file);
  }
  return new Promise((resolve) => {
    const failures: HostSuiteResults['failures'] = [];
    let passed = 0;
    const runner = mocha.run(() => resolve({ passed, failed: failures.length, failures }));
    runner.on('pass', () => passed++);
    runner.on('fail', (test, error: Error) => failures.push({ title: test.fullTitle(), error: String(error?.stack ?? error) }));
  });
}

/** Entry point for @vscode/test-electron's extensionTestsPath. */
export async function run(): Promise<void> {
  const results = await runSuite();
  if (results.failed > 0) throw new Error(`${results.failed} host test(s) failed:\n${results.failures.map((f) => `${f.title}\n${f.error}`).join('\n')}`);
}
