import assert from 'node:assert/strict';
import { fileKindOf } from '../../src/core/fileKind';
import type { FileKind } from '../../src/core/model';

/** [path, languageId, expected kind] */
const table: [string, string, FileKind][] = [
  // generated: lock files, minified and generated code, build output
  ['package-lock.json', 'json', 'generated'],
  ['yarn.lock', 'plaintext', 'generated'],
  ['pnpm-lock.yaml', 'yaml', 'generated'],
  ['go.sum', 'go.sum', 'generated'],
  ['rust/Cargo.lock', 'toml', 'generated'],
  ['public/vendor.min.js', 'javascript', 'generated'],
  ['static/app.min.css', 'css', 'generated'],
  ['api/user.pb.go', 'go', 'generated'],
  ['proto/user_pb2.py', 'python', 'generated'],
  ['lib/models/user.g.dart', 'dart', 'generated'],
  ['lib/models/user.freezed.dart', 'dart', 'generated'],
  ['src/graphql/schema.generated.ts', 'typescript', 'generated'],
  ['src/__generated__/types.ts', 'typescript', 'generated'],
  ['internal/gen/client.go', 'go', 'generated'],
  ['dist/index.js', 'javascript', 'generated'],
  ['packages/ui/build/index.js', 'javascript', 'generated'],
  ['node_modules/left-pad/index.js', 'javascript', 'generated'],
  ['tests/__generated__/fixtures.ts', 'typescript', 'generated'],
  // test
  ['src/app.test.ts', 'typescript', 'test'],
  ['src/app.spec.tsx', 'typescriptreact', 'test'],
  ['pkg/server/handler_test.go', 'go', 'test'],
  ['app/test_models.py', 'python', 'test'],
  ['app/models_test.py', 'python', 'test'],
  ['conftest.py', 'python', 'test'],
  ['src/__tests__/App.tsx', 'typescriptreact', 'test'],
  ['test/unit/helpers.ts', 'typescript', 'test'],
  ['tests/fixtures/user.json', 'json', 'test'],
  ['spec/models/user_spec.rb', 'ruby', 'test'],
  ['src/main/java/com/acme/UserServiceTest.java', 'java', 'test'],
  ['Acme.Tests/UserServiceTests.cs', 'csharp', 'test'],
  ['src\\components\\__tests__\\Button.tsx', 'typescriptreact', 'test'],
  // docs
  ['README.md', 'markdown', 'docs'],
  ['docs/guide/setup.rst', 'restructuredtext', 'docs'],
  ['docs/conf.py', 'python', 'docs'],
  ['manual.adoc', 'asciidoc', 'docs'],
  ['notes.txt', 'plaintext', 'docs'],
  ['LICENSE', 'plaintext', 'docs'],
  ['CHANGELOG', 'plaintext', 'docs'],
  ['NOTES', 'plaintext', 'docs'],
  // config
  ['package.json', 'json', 'config'],
  ['tsconfig.build.json', 'jsonc', 'config'],
  ['requirements-dev.txt', 'pip-requirements', 'config'],
  ['CMakeLists.txt', 'cmake', 'config'],
  ['Cargo.toml', 'toml', 'config'],
  ['go.mod', 'go.mod', 'config'],
  ['pom.xml', 'xml', 'config'],
  ['app/build.gradle.kts', 'kotlin', 'config'],
  ['Dockerfile', 'dockerfile', 'config'],
  ['docker/api.Dockerfile', 'dockerfile', 'config'],
  ['docker-compose.yml', 'dockercompose', 'config'],
  ['Makefile', 'makefile', 'config'],
  ['vite.config.ts', 'typescript', 'config'],
  ['.eslintrc.js', 'javascript', 'config'],
  ['.gitignore', 'ignore', 'config'],
  ['.env.local', 'plaintext', 'config'],
  ['.github/workflows/ci.yml', 'yaml', 'config'],
  ['.vscode/settings.json', 'jsonc', 'config'],
  ['config/app.yaml', 'yaml', 'config'],
  ['setup.cfg', 'ini', 'config'],
  ['src/Acme.csproj', 'xml', 'config'],
  // source
  ['src/app.ts', 'typescript', 'source'],
  ['src/build.ts', 'typescript', 'source'],
  ['src/testing/latest.ts', 'typescript', 'source'],
  ['src/Latest.java', 'java', 'source'],
  ['src/contest.py', 'python', 'source'],
  ['src/generator.go', 'go', 'source'],
  ['lib/sitemaps.rb', 'ruby', 'source'],
  ['scripts/deploy.sh', 'shellscript', 'source'],
  ['main.rs', 'rust', 'source'],
];

describe('fileKindOf', () => {
  for (const [path, languageId, kind] of table) {
    it(`${path} (${languageId}) is ${kind}`, () => {
      assert.equal(fileKindOf(path, languageId), kind);
    });
  }

  it('falls back on the language id for docs and config files with unknown names', () => {
    assert.equal(fileKindOf('notes/ideas', 'markdown'), 'docs');
    assert.equal(fileKindOf('deploy/values', 'yaml'), 'config');
    assert.equal(fileKindOf('deploy/values', 'plaintext'), 'docs');
    assert.equal(fileKindOf('deploy/values', 'python'), 'source');
  });
});
