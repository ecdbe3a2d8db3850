/**
 * `npm run test:desktop`: the same extension-host suite in desktop VS Code, downloaded by
 * @vscode/test-electron. Use it on machines that can reach the VS Code download; the
 * machines this project is built on cannot, and use the code-server harness instead.
 */
import { runTests } from '@vscode/test-electron';
import { join } from 'node:path';
import { createSampleWorkspace, repoRoot } from '../integration/harness/session';

async function main(): Promise<void> {
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'host', 'index.js'),
    launchArgs: [createSampleWorkspace(), '--disable-workspace-trust'],
  });
}

main().catch((error: unknown) => {
  console.error('Desktop VS Code tests failed:', error);
  process.exit(1);
});
