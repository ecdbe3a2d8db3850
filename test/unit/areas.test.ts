import assert from 'node:assert/strict';
import { areaOf, rootArea } from '../../src/core/areas';

describe('areaOf', () => {
  const cases: [path: string, area: string][] = [
    // The first folder below a source root is the area.
    ['src/core/a.ts', 'core'],
    ['src/host/b.ts', 'host'],
    ['src/core/deep/nested/c.ts', 'core'],
    // A test is in the area of the source it tests.
    ['test/unit/core/a.test.ts', 'core'],
    ['tests/core/a.test.ts', 'core'],
    ['src/core/a.test.ts', 'core'],
    ['src/core/__tests__/a.ts', 'core'],
    ['spec/core/a_spec.rb', 'core'],
    ['test/integration/host/b.test.ts', 'host'],
    ['src/test/core/a.test.ts', 'core'],
    // The top of the repository, of a source root and of a test root are one area.
    ['src/extension.ts', rootArea],
    ['test/extension.test.ts', rootArea],
    ['test/unit/extension.test.ts', rootArea],
    ['src/__tests__/x.ts', rootArea],
    ['package.json', rootArea],
    // Other top-level folders are areas of their own.
    ['docs/guide.md', 'docs'],
    ['.github/workflows/ci.yml', '.github'],
    ['scripts/build.mjs', 'scripts'],
    // Rails and Maven/Gradle layouts.
    ['app/models/user.rb', 'models'],
    ['spec/models/user_spec.rb', 'models'],
    ['src/main/java/com/acme/A.java', 'com'],
    ['src/test/java/com/acme/ATest.java', 'com'],
    // Monorepo packages.
    ['packages/api/src/routes/x.ts', 'api/routes'],
    ['packages/api/test/routes/x.test.ts', 'api/routes'],
    ['packages/api/README.md', 'api'],
    ['packages/api/src/index.ts', 'api'],
    ['packages/README.md', 'packages'],
  ];
  for (const [path, area] of cases) {
    it(`${path} → ${area}`, () => {
      assert.equal(areaOf(path), area);
    });
  }

  it('accepts Windows separators, a leading ./ and doubled slashes', () => {
    assert.equal(areaOf('src\\core\\a.ts'), 'core');
    assert.equal(areaOf('./test//unit/core/a.test.ts'), 'core');
    assert.equal(areaOf('\\README.md'), rootArea);
  });

  it('matches conventional folder names case-insensitively and keeps the path spelling', () => {
    assert.equal(areaOf('Src/Core/a.ts'), 'Core');
    assert.equal(areaOf('Tests/Unit/Core/a.test.ts'), 'Core');
  });

  it('does not look through a suite-like folder that is not inside a test root', () => {
    assert.equal(areaOf('src/integration/x.ts'), 'integration');
    assert.equal(areaOf('unit/x.ts'), 'unit');
  });
});
