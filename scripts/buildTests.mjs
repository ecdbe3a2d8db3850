// Compiles TypeScript tests, tools and benchmarks to out/ with esbuild (no type-check:
// `npm run check-types` does that). Each entry is bundled on its own, node_modules stay external.
import * as esbuild from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function filesUnder(dir, test) {
  let found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found = found.concat(filesUnder(path, test));
    else if (test(path)) found.push(path);
  }
  return found;
}

const args = new Set(process.argv.slice(2));
const groups = {
  unit: () => filesUnder('test/unit', (p) => p.endsWith('.test.ts')).concat(filesUnder('test/unit', (p) => p.endsWith('.child.ts'))),
  tools: () => filesUnder('scripts', (p) => p.endsWith('.ts')).map((p) => p),
  bench: () => filesUnder('bench', (p) => p.endsWith('.ts')),
  desktop: () => filesUnder('test/desktop', (p) => p.endsWith('.ts')),
  integration: () => filesUnder('test/integration', (p) => p.endsWith('.ts')),
};
const wanted = args.has('--tools')
  ? ['tools']
  : args.has('--bench')
    ? ['bench', 'tools']
    : args.has('--integration')
      ? ['integration']
      : ['unit', 'tools', 'desktop'];
const roots = { unit: 'test/unit', tools: 'scripts', desktop: 'test/desktop', integration: 'test/integration', bench: 'bench' };
const outdirs = { unit: 'out/test/unit', tools: 'out/tools', desktop: 'out/test/desktop', integration: 'out/test/integration', bench: 'out/bench' };

for (const group of wanted) {
  let entryPoints;
  try {
    entryPoints = groups[group]();
  } catch {
    continue; // folder not there yet
  }
  if (entryPoints.length === 0) continue;
  const outdir = outdirs[group];
  await esbuild.build({
    entryPoints,
    outbase: roots[group],
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}
