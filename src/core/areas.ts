/**
 * Areas: the part of a repository a file belongs to, for `area` context switches.
 */

/** The area of files at the top of a repository (or directly inside a source or test root). */
export const rootArea = '(root)';

/** Folders that hold a project's code; they are looked through, not counted as an area. */
const sourceRoots = new Set(['src', 'lib', 'app', 'source']);
/** Folders that hold tests mirroring the source tree. */
const testRoots = new Set(['test', 'tests', 'spec', 'specs', '__tests__', '__test__']);
/** Kinds of test suite found directly inside a test root (`test/unit/...`). */
const testSuites = new Set(['unit', 'integration', 'e2e', 'functional', 'acceptance']);
/** Monorepo folders whose children are packages, each its own family of areas. */
const packageFolders = new Set(['packages', 'apps', 'libs', 'crates']);
/** Maven/Gradle `src/main/<language>` and `src/test/<language>` folders. */
const jvmSourceSets = new Set(['main', 'test']);
const jvmLanguages = new Set(['java', 'kotlin', 'scala', 'groovy', 'resources']);

/**
 * The area of a workspace-relative path (`/` or `\` separated), by these steps:
 *
 * 1. Monorepo package: a path under `packages/<name>/`, `apps/<name>/`, `libs/<name>/` or
 *    `crates/<name>/` is analysed inside that package and its area is prefixed `<name>/`
 *    (the package's own top level is the area `<name>`).
 * 2. Source root: a leading `src/`, `lib/`, `app/` or `source/` is looked through, so that
 *    moving between `src/core` and `src/host` is an area switch. A Maven/Gradle
 *    `src/main/<java|kotlin|scala|groovy|resources>/` or `src/test/<…>/` is looked through too.
 * 3. Test root: a leading `test/`, `tests/`, `spec/`, `specs/`, `__tests__/` or `__test__/`
 *    (at the top or just inside the source root) is looked through, and then one suite folder
 *    `unit/`, `integration/`, `e2e/`, `functional/` or `acceptance/`: tests mirror the source
 *    tree, so a source file and its test are one area.
 * 4. The area is the first folder left; a file with no folder left is in `(root)`.
 *
 * Folder names are matched case-insensitively; the area keeps the path's spelling.
 *
 * Examples:
 * - `src/core/a.ts` → `core`;  `src/host/b.ts` → `host`
 * - `test/unit/core/a.test.ts`, `tests/core/a.test.ts`, `src/core/a.test.ts`,
 *   `src/core/__tests__/a.ts`, `spec/core/a_spec.rb` → `core`
 * - `src/extension.ts`, `test/extension.test.ts`, `src/__tests__/x.ts`, `package.json` → `(root)`
 * - `docs/guide.md` → `docs`;  `.github/workflows/ci.yml` → `.github`
 * - `app/models/user.rb` and `spec/models/user_spec.rb` → `models`
 * - `src/main/java/com/acme/A.java` and `src/test/java/com/acme/ATest.java` → `com`
 * - `packages/api/src/routes/x.ts` and `packages/api/test/routes/x.test.ts` → `api/routes`
 * - `packages/api/README.md`, `packages/api/src/index.ts` → `api`
 */
export function areaOf(path: string): string {
  const folders = path.split(/[\\/]/).filter((part) => part !== '' && part !== '.');
  folders.pop(); // the file name
  let i = 0;
  let pkg: string | undefined;
  if (folders.length >= 2 && isIn(packageFolders, folders[0])) {
    pkg = folders[1];
    i = 2;
  }
  if (isIn(sourceRoots, folders[i])) {
    i++;
    if (isIn(jvmSourceSets, folders[i]) && isIn(jvmLanguages, folders[i + 1])) i += 2;
  }
  if (isIn(testRoots, folders[i])) {
    i++;
    if (isIn(testSuites, folders[i])) i++;
  }
  const area = folders[i];
  if (pkg === undefined) return area ?? rootArea;
  return area === undefined ? pkg : `${pkg}/${area}`;
}

function isIn(names: ReadonlySet<string>, folder: string | undefined): boolean {
  return folder !== undefined && names.has(folder.toLowerCase());
}
