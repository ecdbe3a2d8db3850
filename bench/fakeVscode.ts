/**
 * A minimal stand-in for the `vscode` module, so the real bundle (dist/extension.js) can
 * be required and activated in plain Node. Members the activation path needs a value from
 * are spelled out; every other member, at any depth, is a callable no-op whose result is a
 * disposable no-op again. So the extension can grow without this file breaking: a new
 * `vscode.window.onDidSomething(...)` simply returns something with `dispose()`.
 */
import Module from 'node:module';
import { join } from 'node:path';

type Listener<T> = (value: T) => unknown;

/** Logged lines of every output channel, so the benchmark can read the deferred load's own report. */
export const outputLines: string[] = [];

class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: (): void => void (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };

  fire(value: T): void {
    for (const listener of this.listeners.slice()) listener(value);
  }

  dispose(): void {
    this.listeners = [];
  }
}

class Disposable {
  constructor(private readonly callOnDispose: () => unknown = (): void => undefined) {}

  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }

  dispose(): void {
    this.callOnDispose();
  }
}

class Uri {
  constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}

  get path(): string {
    return this.fsPath;
  }

  static file(path: string): Uri {
    return new Uri('file', path);
  }

  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, join(base.fsPath, ...segments));
  }

  static parse(value: string): Uri {
    return new Uri(value.split(':')[0], value.replace(/^file:\/\//, ''));
  }

  with(): Uri {
    return this;
  }

  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

/**
 * The universal no-op: a function proxy whose every property is itself, whose call or
 * construction returns itself, with a working `dispose`. It is not a thenable (`then`
 * is undefined), so awaiting it does not hang, and it iterates as empty.
 */
function noop(): unknown {
  const target = function fake(): void {};
  const proxy: unknown = new Proxy(target, {
    get(_target, prop): unknown {
      if (prop === 'then') return undefined;
      if (prop === 'dispose') return (): void => undefined;
      if (prop === Symbol.iterator) return function* empty(): Generator<never> {};
      if (prop === Symbol.toPrimitive) return (): string => '';
      if (prop === 'length') return 0;
      return proxy;
    },
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

/**
 * Wraps known members; unknown ones fall through to the no-op. The no-op is also the
 * prototype: esbuild's `__toESM` copies a module's own keys onto an object created from
 * the module's prototype, so unknown members must resolve through the prototype chain.
 */
function namespace(known: Record<string | symbol, unknown>): unknown {
  const fallback = noop() as Record<string | symbol, unknown>;
  return new Proxy(known, {
    get: (target, prop): unknown => (prop in target ? target[prop] : prop === 'then' ? undefined : fallback[prop]),
    getPrototypeOf: () => fallback,
  });
}

function logChannel(): unknown {
  const log = (...parts: unknown[]): void => void outputLines.push(parts.map(String).join(' '));
  return namespace({ info: log, warn: log, error: log, debug: log, trace: log, appendLine: log, dispose: () => undefined, show: () => undefined });
}

function configuration(): unknown {
  return { get: <T>(_key: string, fallback?: T): T | undefined => fallback, has: () => false, inspect: () => undefined, update: async () => undefined };
}

/** A Memento backed by a Map. */
export function memento(): unknown {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string, fallback?: T): T | undefined => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown): Promise<void> => void values.set(key, value),
    keys: (): string[] => [...values.keys()],
    setKeysForSync: (): void => undefined,
  };
}

const event = (): { dispose(): void } => ({ dispose: () => undefined });

function createFakeVscode(): unknown {
  return namespace({
    EventEmitter,
    Disposable,
    Uri,
    StatusBarAlignment: { Left: 1, Right: 2 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    TextDocumentChangeReason: { Undo: 1, Redo: 2 },
    TextEditorSelectionChangeKind: { Keyboard: 1, Mouse: 2, Command: 3 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ThemeColor: class ThemeColor {
      constructor(readonly id: string) {}
    },
    window: namespace({
      createOutputChannel: () => logChannel(),
      createStatusBarItem: () => namespace({ text: '', tooltip: '', show: () => undefined, hide: () => undefined, dispose: () => undefined }),
      registerWebviewViewProvider: event,
      state: { focused: true },
      activeTextEditor: undefined,
      visibleTextEditors: [],
      terminals: [],
      showWarningMessage: async () => undefined,
      showInformationMessage: async () => undefined,
      showErrorMessage: async () => undefined,
    }),
    workspace: namespace({
      getConfiguration: configuration,
      textDocuments: [],
      workspaceFolders: undefined,
      workspaceFile: undefined,
      getWorkspaceFolder: () => undefined,
      asRelativePath: (path: string | Uri) => String(path),
      createFileSystemWatcher: () => namespace({ dispose: () => undefined }),
    }),
    commands: namespace({ registerCommand: event, executeCommand: async () => undefined }),
    env: namespace({ sessionId: 'bench-session-0001', machineId: 'bench-machine', appName: 'Visual Studio Code', clipboard: { readText: async () => '', writeText: async () => undefined }, openExternal: async () => true }),
    extensions: namespace({ getExtension: () => undefined, all: [] }),
    debug: namespace({}),
    languages: namespace({}),
  });
}

/** Makes `require('vscode')` return the fake, for this process. */
export function installFakeVscode(): void {
  const fake = createFakeVscode();
  const id = '/__fake__/vscode.js';
  const mod = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string; _cache: Record<string, unknown> };
  const resolve = mod._resolveFilename;
  mod._resolveFilename = function resolveVscode(request: string, ...rest: unknown[]): string {
    return request === 'vscode' ? id : resolve.call(this, request, ...rest);
  };
  const cached = new Module(id);
  cached.filename = id;
  cached.loaded = true;
  cached.exports = fake;
  require.cache[id] = cached;
}

/** An ExtensionContext whose global storage is `storageDir`. */
export function fakeExtensionContext(extensionDir: string, storageDir: string): unknown {
  return namespace({
    subscriptions: [],
    extensionUri: Uri.file(extensionDir),
    extensionPath: extensionDir,
    globalStorageUri: Uri.file(storageDir),
    storageUri: undefined,
    logUri: Uri.file(join(storageDir, 'logs')),
    globalState: memento(),
    workspaceState: memento(),
    secrets: namespace({ get: async () => undefined, store: async () => undefined }),
    extensionMode: 1,
  });
}
