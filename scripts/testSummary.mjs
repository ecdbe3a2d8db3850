// Adds up the per-suite results written by scripts/mochaReporter.cjs and prints the
// closing line of `npm test`. Exits non-zero if any suite failed or none ran.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join('out', 'test-results');
let passed = 0;
let failed = 0;
let skipped = 0;
const parts = [];
for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
  const r = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
  parts.push(`${r.suite}: ${r.passed} passed, ${r.failed} failed`);
}
console.log(parts.join('; '));
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
