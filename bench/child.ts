/**
 * Runs one benchmark in a fresh process (so JIT state and heap do not leak between them):
 * `node [--expose-gc] out/bench/child.js <capture|aggregation|memoryYear|memoryTraces|store|yearStore> [dir] [--smoke]`.
 * Prints one `BENCH_RESULT {json}` line.
 */
import { runAggregation } from './aggregation';
import { runCaptureBenchmark } from './captureBench';
import type { BenchOutput } from './common';
import { resultPrefix } from './common';
import { runMemoryTraces, runMemoryYear } from './memory';
import { runStoreGrowth } from './storeGrowth';
import { buildYearStore } from './yearStore';

async function run(name: string, dir: string | undefined): Promise<BenchOutput | object> {
  switch (name) {
    case 'capture':
      return runCaptureBenchmark();
    case 'aggregation':
      return runAggregation();
    case 'memoryYear':
      return runMemoryYear(required(dir));
    case 'memoryTraces':
      return runMemoryTraces();
    case 'store':
      return runStoreGrowth();
    case 'yearStore':
      return buildYearStore(required(dir));
    default:
      throw new Error(`unknown benchmark ${name}`);
  }
}

function required(dir: string | undefined): string {
  if (dir === undefined) throw new Error('this benchmark needs a folder argument');
  return dir;
}

const [name, dir] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
run(name, dir).then(
  (result) => {
    process.stdout.write(`${resultPrefix}${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
