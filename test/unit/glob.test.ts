import assert from 'node:assert/strict';
import { matchesAnyGlob } from '../../src/core/glob';

describe('exclude globs', () => {
  const cases: [string, string, boolean][] = [
    ['**/node_modules/**', 'node_modules/x/index.js', true],
    ['**/node_modules/**', 'packages/a/node_modules/x.js', true],
    ['**/node_modules/**', 'src/node_modules_like.ts', false],
    ['**/.git/**', '.git/HEAD', true],
    ['**/*.min.js', 'dist/app.min.js', true],
    ['**/*.min.js', 'app.min.js', true],
    ['**/*.min.js', 'src/app.js', false],
    ['.env', 'config/.env', true],
    ['.env.*', '.env.local', true],
    ['**/.env', '.env', true],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/core/a.ts', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/core/deep/a.ts', true],
    ['**/*.{png,jpg}', 'media/a.jpg', true],
    ['**/*.{png,jpg}', 'media/a.gif', false],
    ['file?.txt', 'docs/file1.txt', true],
    ['file?.txt', 'docs/file10.txt', false],
  ];
  for (const [pattern, path, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(matchesAnyGlob(path, [pattern]), expected);
    });
  }

  it('escapes regular-expression characters in literal parts', () => {
    assert.equal(matchesAnyGlob('a+b(1).ts', ['a+b(1).ts']), true);
    assert.equal(matchesAnyGlob('aab1.ts', ['a+b(1).ts']), false);
  });
});
