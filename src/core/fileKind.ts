/**
 * File kind of a workspace-relative path: the panel groups verdicts by it ("tests:
 * helped 84%"). Rules are tried in this order; the first match wins:
 *
 * | kind        | matches |
 * |-------------|---------|
 * | `generated` | lock files (`package-lock.json`, `yarn.lock`, `pnpm-lock.yaml`, `go.sum`, `*.lock`, …); `*.min.*`, `*.map`; `*.pb.go`, `*_pb2.py`, `*.pb.{cc,h}`, `*.g.dart`, `*.freezed.dart`, `*.g.cs`, `*.designer.cs`, `*.generated.*`, `*.gen.*`, `zz_generated*`; anything under `generated/`, `gen/`, `__generated__/`, `dist/`, `build/`, `out/`, `target/`, `node_modules/`, `vendor/` |
 * | `test`      | anything under `test/`, `tests/`, `__tests__/`, `__mocks__/`, `spec/`, `specs/`, `e2e/`, `testdata/`; `*.test.*`, `*.spec.*`, `*_test.go`, `*_test.py`, `test_*.py`, `conftest.py`, `*_spec.rb`, `*Test.{java,kt,scala,swift}`, `*Tests.{java,kt,cs,swift}`, `*Test.cs` |
 * | `config`    | package manifests and build files by name (`package.json`, `tsconfig*.json`, `pyproject.toml`, `requirements*.txt`, `Cargo.toml`, `go.mod`, `pom.xml`, `build.gradle(.kts)`, `Gemfile`, `Dockerfile*`, `docker-compose*`, `Makefile`, `CMakeLists.txt`, `*.csproj`, …) |
 * | `docs`      | `*.md`, `*.mdx`, `*.markdown`, `*.rst`, `*.adoc`, `*.asciidoc`, `*.txt`, `*.org`; `README*`, `CHANGELOG*`, `LICENSE*`, `CONTRIBUTING*`; anything under `docs/`, `doc/`, `documentation/` |
 * | `config`    | `*.json`, `*.jsonc`, `*.json5`, `*.yaml`, `*.yml`, `*.toml`, `*.ini`, `*.cfg`, `*.conf`, `*.properties`, `*.env`; `*.config.*`, `*.conf.*`, `*rc`-style dotfiles and any dotfile; anything under a dot-folder (`.github/`, `.vscode/`); language ids json, jsonc, yaml, toml, ini, properties, dockerfile, makefile |
 * | `docs`      | language ids markdown, restructuredtext, asciidoc, plaintext |
 * | `source`    | everything else |
 *
 * Paths must be workspace-relative: an absolute path's own folders (`/home/me/build/…`)
 * would be taken for the project's.
 */
import type { FileKind } from './model';

const generatedNames = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'bun.lock',
  'cargo.lock',
  'poetry.lock',
  'pipfile.lock',
  'uv.lock',
  'gemfile.lock',
  'composer.lock',
  'flake.lock',
  'go.sum',
  'packages.lock.json',
  'podfile.lock',
  'pubspec.lock',
  'mix.lock',
]);
const generatedFile = /(\.lock$|\.min\.[a-z0-9]+$|\.map$|\.pb\.(go|cc|h)$|_pb2(_grpc)?\.pyi?$|\.g\.dart$|\.freezed\.dart$|\.g\.cs$|\.designer\.cs$|\.generated\.[a-z0-9]+$|\.gen\.[a-z0-9]+$|^zz_generated)/;
const generatedDirs = new Set(['generated', 'gen', '__generated__', 'dist', 'build', 'out', 'target', 'node_modules', 'vendor']);

const testDirs = new Set(['test', 'tests', '__tests__', '__mocks__', 'spec', 'specs', 'e2e', 'testdata']);
// Case matters for the Java/Kotlin/C# conventions (FooTest.java), so this runs on the original name.
const testFile = /(\.(test|spec)\.[A-Za-z0-9]+$|_test\.(go|py)$|^test_.*\.py$|^conftest\.py$|_spec\.rb$|Tests?\.(java|kt|scala|swift|cs)$)/;

const configNames = new Set([
  'package.json',
  'pyproject.toml',
  'setup.py',
  'setup.cfg',
  'pipfile',
  'cargo.toml',
  'go.mod',
  'go.work',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'settings.gradle',
  'settings.gradle.kts',
  'gemfile',
  'rakefile',
  'composer.json',
  'pubspec.yaml',
  'mix.exs',
  'makefile',
  'gnumakefile',
  'cmakelists.txt',
  'justfile',
  'procfile',
  'vagrantfile',
  'jenkinsfile',
]);
const configFile = /(^tsconfig.*\.json$|^jsconfig.*\.json$|^requirements.*\.txt$|^dockerfile|^containerfile|^docker-compose|\.(csproj|fsproj|vbproj|sln|props|targets)$|\.dockerfile$)/;

const docsExtensions = /\.(md|mdx|markdown|rst|adoc|asciidoc|txt|org)$/;
const docsNames = /^(readme|changelog|changes|license|licence|contributing|authors|notice|history)(\.|$)/;
const docsDirs = new Set(['docs', 'doc', 'documentation']);
const docsLanguages = new Set(['markdown', 'restructuredtext', 'asciidoc', 'plaintext']);

const configExtensions = /\.(json|jsonc|json5|ya?ml|toml|ini|cfg|conf|properties|env)$/;
const configInfix = /\.(config|conf)\.[a-z0-9]+$/;
const configLanguages = new Set(['json', 'jsonc', 'yaml', 'toml', 'ini', 'properties', 'dockerfile', 'makefile']);

/** The file kind of a workspace-relative path (either slash) with its VS Code language id. */
export function fileKindOf(path: string, languageId: string): FileKind {
  const segments = path.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
  const name = segments.pop() ?? '';
  const lower = name.toLowerCase();
  const dirs = segments.map((s) => s.toLowerCase());

  if (generatedNames.has(lower) || generatedFile.test(lower) || dirs.some((d) => generatedDirs.has(d))) return 'generated';
  if (testFile.test(name) || dirs.some((d) => testDirs.has(d))) return 'test';
  if (configNames.has(lower) || configFile.test(lower)) return 'config';
  if (docsExtensions.test(lower) || docsNames.test(lower) || dirs.some((d) => docsDirs.has(d))) return 'docs';
  if (configExtensions.test(lower) || configInfix.test(lower) || lower.startsWith('.') || dirs.some((d) => d.startsWith('.')) || configLanguages.has(languageId)) {
    return 'config';
  }
  // Last, so that a plaintext dotfile (`.env.local`) stays config.
  return docsLanguages.has(languageId) ? 'docs' : 'source';
}
