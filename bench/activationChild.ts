/**
 * One activation, in a fresh process: `node out/bench/activationChild.js <storageDir>`.
 * Times `require` of the production bundle up to `activate` resolving, then the deferred
 * work (the store load) until the extension's `ready` promise resolves.
 */
import { join } from 'node:path';
import { repoRoot, resultPrefix } from './common';
import { fakeExtensionContext, installFakeVscode, outputLines } from './fakeVscode';

interface ExtensionModule {
  activate(context: unknown): unknown;
  deactivate?(): unknown;
}

async function main(): Promise<void> {
  const storageDir = process.argv[2];
  installFakeVscode();
  const context = fakeExtensionContext(repoRoot, storageDir);
  const start = process.hrtime.bigint();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(join(repoRoot, 'dist', 'extension.js')) as ExtensionModule;
  const api = await extension.activate(context);
  const activated = process.hrtime.bigint();
  // The composition root loads on the next tick; its `ready` resolves once the store is loaded.
  const container = await (api as { container?: Promise<{ ready: Promise<void> }> } | undefined)?.container;
  const ready = container?.ready;
  if (ready) await ready;
  const done = process.hrtime.bigint();
  const recorder = (container as { recorder?: { history?: { size?: number } } } | undefined)?.recorder;
  await extension.deactivate?.();
  const result = {
    activateMs: Number(activated - start) / 1e6,
    deferredMs: ready ? Number(done - activated) / 1e6 : null,
    historyRecords: recorder?.history?.size ?? null,
    loadedLine: outputLines.find((l) => l.startsWith('Loaded ')) ?? null,
    errors: outputLines.filter((l) => /could not|error/i.test(l)),
  };
  process.stdout.write(`${resultPrefix}${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
