// Compiles TypeScript tests, tools and benchmarks to out/ with esbuild (no type-check:
// `npm run check-types` does that). Each entry is bundled on its own, node_modules stay external.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
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
};
const wanted = args.has('--tools') ? ['tools'] : args.has('--bench') ? ['bench', 'tools'] : ['unit', 'tools', 'desktop'];

for (const group of wanted) {
  let entryPoints;
  try {
    entryPoints = groups[group]();
  } catch {
    continue; // folder not there yet
  }
  if (entryPoints.length === 0) continue;
  const outdir = group === 'unit' ? 'out/test/unit' : group === 'tools' ? 'out/tools' : group === 'desktop' ? 'out/test/desktop' : 'out/bench';
  if (group === 'unit') rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outbase: group === 'unit' ? 'test/unit' : group === 'tools' ? 'scripts' : group === 'desktop' ? 'test/desktop' : 'bench',
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
