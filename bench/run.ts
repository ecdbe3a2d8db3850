/**
 * `npm run bench [-- --smoke]`: runs every benchmark, each in its own Node process, prints
 * one table (figure, budget, PASS/OVER) and writes bench/results/latest.json.
 *
 * --smoke (CI): fewer repetitions and a prefix of each trace, same benchmarks, same table.
 * The exit code is non-zero only when a benchmark crashed; an OVER budget is reported,
 * never failed on (the machines are noisy: budgets are not timed unit tests).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchOutput, Figure } from './common';
import { figure, isSmoke, median, repoRoot, resultPrefix, round } from './common';

export const activationBudgetMs = 10;
export const vsixBudgetBytes = 1024 * 1024;

interface ChildResult<T> {
  ok: boolean;
  value?: T;
  error?: string;
}

function runChild<T>(script: string, args: string[], nodeFlags: string[] = []): ChildResult<T> {
  const child = spawnSync(process.execPath, [...nodeFlags, join(__dirname, script), ...args, ...(isSmoke ? ['--smoke'] : [])], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith(resultPrefix));
  if (child.status !== 0 || line === undefined) {
    return { ok: false, error: `${script} ${args.join(' ')} exited with ${child.status ?? child.signal}: ${child.stderr.trim().split('\n').slice(0, 8).join(' | ')}` };
  }
  return { ok: true, value: JSON.parse(line.slice(resultPrefix.length)) as T };
}

interface ActivationRun {
  activateMs: number;
  deferredMs: number | null;
  historyRecords: number | null;
  loadedLine: string | null;
  errors: string[];
}

function activation(storageDir: string, yearRecords: number): BenchOutput {
  const reps = isSmoke ? 3 : 9;
  const runs: ActivationRun[] = [];
  for (let i = 0; i < reps; i++) {
    const result = runChild<ActivationRun>('activationChild.js', [storageDir]);
    if (!result.ok || !result.value) throw new Error(result.error);
    runs.push(result.value);
  }
  const deferred = runs.map((r) => r.deferredMs).filter((x): x is number => x !== null);
  const last = runs[runs.length - 1];
  const figures: Figure[] = [figure('activation', 'require bundle → activate() resolved', round(median(runs.map((r) => r.activateMs)), 2), 'ms', activationBudgetMs)];
  if (deferred.length > 0) {
    figures.push(figure('activation', `deferred store load until ready (${(last.historyRecords ?? 0).toLocaleString('en-US')} of ${yearRecords.toLocaleString('en-US')} records)`, round(median(deferred), 0), 'ms'));
  }
  return { figures, details: { runs } };
}

/** The size of the .vsix exactly as `npm run package` builds it. */
function vsix(): BenchOutput {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '-s', 'package'], { cwd: repoRoot, encoding: 'utf8', input: '' });
  if (result.status !== 0) throw new Error(`npm run package failed: ${result.stderr || result.stdout}`);
  const size = statSync(join(repoRoot, 'hindsight.vsix')).size;
  return { figures: [figure('package', '.vsix size', round(size / 1024, 1), 'KB', vsixBudgetBytes / 1024)] };
}

function machine(): Record<string, string | number> {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // Not Linux: os.cpus() is as good.
  }
  return { nproc: cpus().length, cpu, node: process.version, platform: `${process.platform} ${process.arch}`, date: new Date().toISOString() };
}

function table(figures: Figure[]): string {
  const rows = figures.map((f) => [f.benchmark, f.label, `${f.value} ${f.unit}`, f.budget === undefined ? '' : `≤ ${f.budget} ${f.unit}`, f.status === 'INFO' ? '' : f.status, f.note ?? '']);
  const head = ['Benchmark', 'Measure', 'Value', 'Budget', 'Status', 'Note'];
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function main(): number {
  const started = Date.now();
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  const crashes: string[] = [];
  const attempt = (name: string, run: () => BenchOutput): void => {
    try {
      const out = run();
      figures.push(...out.figures);
      if (out.details) details[name] = out.details;
    } catch (error) {
      crashes.push(`${name}: ${(error as Error).message}`);
    }
  };
  const child = (name: string, args: string[] = [], flags: string[] = []): BenchOutput => {
    const result = runChild<BenchOutput>('child.js', [name, ...args], flags);
    if (!result.ok || !result.value) throw new Error(result.error);
    return result.value;
  };

  // A year of history in the global storage the fake VS Code hands the extension.
  const storage = mkdtempSync(join(tmpdir(), 'hindsight-global-'));
  const yearDir = join(storage, 'store');
  mkdirSync(yearDir);
  try {
    let yearRecords = 0;
    attempt('yearStore', () => {
      const info = child('yearStore', [yearDir]) as unknown as { records: number; bytes: number; files: number };
      yearRecords = info.records;
      return { figures: [figure('year store', `records (${info.files} files)`, info.records, ''), figure('year store', 'size on disk', round(info.bytes / (1024 * 1024), 1), 'MB')], details: info };
    });
    attempt('capture', () => child('capture', [], ['--expose-gc']));
    attempt('activation', () => activation(storage, yearRecords));
    attempt('aggregation', () => child('aggregation'));
    attempt('memoryYear', () => child('memoryYear', [yearDir], ['--expose-gc']));
    attempt('memoryTraces', () => child('memoryTraces', [], ['--expose-gc']));
    attempt('store', () => child('store'));
    attempt('package', vsix);
  } finally {
    rmSync(storage, { recursive: true, force: true });
  }

  const info = machine();
  process.stdout.write(`\nHindsight benchmarks${isSmoke ? ' (smoke: short version, figures are indicative only)' : ''} — ${info.nproc} × ${info.cpu}, Node ${info.node}, ${info.date}\n\n`);
  process.stdout.write(`${table(figures)}\n\n`);
  const over = figures.filter((f) => f.status === 'OVER').length;
  const budgets = figures.filter((f) => f.status !== 'INFO').length;
  const judged = isSmoke ? ' (smoke: one cold run of a prefix of each trace; the budgets are judged on the full run, `npm run bench`)' : '';
  process.stdout.write(`${budgets - over} of ${budgets} budgets PASS, ${over} OVER${judged}; ${round((Date.now() - started) / 1000, 0)} s.\n`);
  for (const crash of crashes) process.stderr.write(`CRASHED ${crash}\n`);

  const resultsDir = join(repoRoot, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify({ machine: info, smoke: isSmoke, figures, details, crashes }, null, 2)}\n`);
  return crashes.length > 0 ? 1 : 0;
}

process.exitCode = main();
