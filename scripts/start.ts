/**
 * `npm start`: Hindsight in a real VS Code in your browser. Starts code-server 4.100.3
 * (installed once into ~/.cache) on 127.0.0.1 with the freshly packaged extension and a
 * small sample workspace, prints the address, and stops everything on Ctrl+C.
 */
import { startCodeServer } from '../test/integration/harness/codeServer';
import { createSampleWorkspace, packageExtension, repoRoot } from '../test/integration/harness/session';
import { join } from 'node:path';

async function main(): Promise<void> {
  const workspace = process.argv[2] ?? createSampleWorkspace();
  const server = await startCodeServer({
    vsixFiles: [packageExtension()],
    extensionFolders: process.env.HINDSIGHT_WITH_FAKE_AI ? [join(repoRoot, 'test', 'fixtures', 'fake-ai-assistant')] : [],
    settings: { 'workbench.startupEditor': 'none' },
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
  });
  const address = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  console.log(`\nHindsight is running in VS Code (code-server) at:\n\n  ${address}\n\nOpen it in a browser on this machine. Ctrl+C stops it.\n`);
  const stop = (): void => {
    server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
