/**
 * Benchmark 3: the panel's aggregation (`computeDashboard`) over a year of synthetic
 * history (250 days × 200 insertions = 50,000), for today, the last 14 days and 365 days.
 */
import { computeDashboard } from '../src/core/analytics';
import { dayKeyOf, shiftDay } from '../src/core/days';
import { rangeOf } from '../src/core/ranges';
import { syntheticHistory } from '../src/core/synthetic';
import type { BenchOutput, Figure } from './common';
import { figure, isSmoke, median, round } from './common';

export const aggregationBudgetMs = 300;

export function runAggregation(): BenchOutput {
  const now = Date.now();
  const today = dayKeyOf(now);
  const history = syntheticHistory(42, 250, 200, today);
  const ranges = [
    { label: 'today', range: rangeOf('today', now) },
    { label: '14 days', range: rangeOf('sprint', now) },
    { label: '365 days', range: rangeOf('custom', now, { from: shiftDay(today, -364), to: today }) },
  ];
  const reps = isSmoke ? 3 : 15;
  const figures: Figure[] = [];
  const details: Record<string, number[]> = {};
  for (const { label, range } of ranges) {
    computeDashboard(history, range, history.now, { minConfidence: 'possible' });
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const start = process.hrtime.bigint();
      computeDashboard(history, range, history.now, { minConfidence: 'possible' });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    figures.push(figure('aggregation', `computeDashboard, ${label} (${history.insertions.length.toLocaleString('en-US')} insertions)`, round(median(times), 2), 'ms', aggregationBudgetMs));
    details[label] = times.map((x) => round(x, 3));
  }
  return { figures, details };
}
