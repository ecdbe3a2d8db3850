/**
 * Benchmark 1: capture pipeline cost per change event on the real traces, against a bare
 * string replay of the same patches measured in the same process, and its scaling with
 * the number of live spans in the document.
 */
import type { BenchOutput, Figure } from './common';
import { collectGarbage, figure, isSmoke, loadTrace, mean, median, quantile, round, traceNames } from './common';
import { prepareReplay, replayBare, replayCapture } from './replay';

export const captureBudgets = { medianUs: 2, p99Us: 20, ratio: 3 };

/** Share of each trace replayed untimed before the spans are seeded (see replay.ts). */
const prefixShare = 0.1;
/** Smoke runs time a prefix of each trace only. */
const smokeEvents = 8_000;

export async function runCaptureBenchmark(): Promise<BenchOutput> {
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  const reps = isSmoke ? 1 : 3;
  const maxEvents = isSmoke ? smokeEvents : Infinity;
  // One untimed replay of every trace first: the events that land an insertion are ~2 % of
  // a trace, too rare for the trace's own prefix to get their code optimized, and a
  // window that has been open a while runs them optimized.
  for (const name of traceNames) await replayCapture(prepareReplay(loadTrace(name), 1_000, prefixShare, maxEvents));
  for (const name of traceNames) {
    const trace = loadTrace(name);
    const prepared = prepareReplay(trace, 1_000, prefixShare, maxEvents);
    const medians: number[] = [];
    const p99s: number[] = [];
    const bareMedians: number[] = [];
    const ratios: number[] = [];
    const meanRatios: number[] = [];
    let last: Awaited<ReturnType<typeof replayCapture>> | undefined;
    // Bare and capture alternate, so both see the same machine state; each starts from a
    // clean heap, so neither pays for the garbage of the other (the bare loop's strings
    // would otherwise be collected during the capture replay).
    for (let rep = 0; rep < reps; rep++) {
      collectGarbage();
      const bare = replayBare(prepared);
      collectGarbage();
      const run = await replayCapture(prepared);
      const m = median(run.samples);
      const b = median(bare);
      medians.push(m);
      p99s.push(quantile(run.samples, 0.99));
      bareMedians.push(b);
      ratios.push(m / b);
      meanRatios.push(mean(run.samples) / mean(bare));
      last = run;
    }
    const b = 'capture';
    figures.push(
      figure(b, `${name}: median per event (1,000 spans)`, round(median(medians) / 1000, 3), 'µs', captureBudgets.medianUs),
      figure(b, `${name}: p99 per event (1,000 spans)`, round(median(p99s) / 1000, 3), 'µs', captureBudgets.p99Us),
      figure(b, `${name}: median ÷ bare replay median`, round(median(ratios), 2), '×', captureBudgets.ratio, `bare ${round(median(bareMedians) / 1000, 3)} µs`),
      figure(b, `${name}: mean ÷ bare replay mean`, round(median(meanRatios), 2), '×'),
    );
    if (last) figures.push(figure(b, `${name}: store batch encoding per record (timer work, between events)`, round(last.encodeNs / 1000 / last.records, 2), 'µs'));
    details[name] = {
      timedEvents: prepared.timed.length,
      prefixEvents: prepared.prefix.length,
      documentLengthAtSeed: prepared.textAtSeed.length,
      finalLength: prepared.finalLength,
      seededSpans: 1_000,
      islandsDeletedByTrace: prepared.islandsDeleted,
      liveSpansAtStart: last?.liveAtStart,
      liveSpansAtEnd: last?.liveAtEnd,
      records: last?.records,
      storeTimerFlushes: last?.timerFlushes,
      diskAppends: last?.diskAppends,
      journalBytes: last?.journalBytes,
      tickMedianUs: last ? round(median(last.ticks) / 1000, 2) : undefined,
      batchEncodeUsPerRecord: last ? round(last.encodeNs / 1000 / last.records, 2) : undefined,
      tickMaxUs: last ? round(Math.max(...last.ticks) / 1000, 2) : undefined,
      repMediansNs: medians,
      repP99sNs: p99s,
      repBareMediansNs: bareMedians,
    };
  }

  // Scaling: the same replay with 100, 1,000 and 10,000 seeded spans; like the rows above,
  // the median and p99 are the medians of `reps` runs.
  const scaling: Record<string, unknown> = {};
  for (const name of traceNames) {
    const trace = loadTrace(name);
    for (const spans of [100, 1_000, 10_000]) {
      const prepared = prepareReplay(trace, spans, prefixShare, maxEvents);
      const medians: number[] = [];
      const p99s: number[] = [];
      let run: Awaited<ReturnType<typeof replayCapture>> | undefined;
      for (let rep = 0; rep < reps; rep++) {
        collectGarbage();
        run = await replayCapture(prepared);
        medians.push(median(run.samples));
        p99s.push(quantile(run.samples, 0.99));
      }
      const live = run as Awaited<ReturnType<typeof replayCapture>>;
      const m = median(medians);
      const p99 = median(p99s);
      figures.push(
        figure('capture scaling', `${name}: median, ${spans.toLocaleString('en-US')} spans seeded (${live.liveAtStart.toLocaleString('en-US')} live)`, round(m / 1000, 3), 'µs', captureBudgets.medianUs),
        figure('capture scaling', `${name}: p99, ${spans.toLocaleString('en-US')} spans seeded`, round(p99 / 1000, 3), 'µs', captureBudgets.p99Us),
      );
      scaling[`${name}/${spans}`] = { liveAtStart: live.liveAtStart, liveAtEnd: live.liveAtEnd, repMediansNs: medians, repP99sNs: p99s };
    }
  }
  details.scaling = scaling;
  return { figures, details };
}
