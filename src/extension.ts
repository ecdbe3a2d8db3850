import type * as vscode from 'vscode';
import type { Container } from './container';

/** What the extension exposes to tests in the extension host, and to nobody else. */
export interface HindsightApi {
  /** The running extension, once its composition root is loaded (the next tick after activation). */
  container: Promise<Container>;
}

let container: Promise<Container> | undefined;

/**
 * Activation only schedules the start: compiling the rest of the extension (analytics,
 * git, date handling) takes tens of milliseconds, which VS Code's startup should not wait
 * for. The composition root (`container.ts`) wires everything on the next tick.
 */
export function activate(context: vscode.ExtensionContext): HindsightApi {
  container = new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        // A separate bundle, loaded only now (see esbuild.config.mjs).
        const { createContainer } = require('./container.js') as typeof import('./container');
        resolve(createContainer(context));
      } catch (error) {
        reject(error);
      }
    }),
  );
  return { container };
}

/** Flushes what is recorded before the extension host stops. */
export async function deactivate(): Promise<void> {
  await (await container)?.shutdown();
}
