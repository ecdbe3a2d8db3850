/**
 * Benchmark 4 (run with `node --expose-gc`): memory (JS heap and array buffers) held after loading a year of history
 * from the store and folding it into a History (what `Recorder.load` does), and after
 * replaying all three traces (1,000 spans each) through one capture pipeline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { History } from '../src/core/history';
import { readCaptureRecord } from '../src/core/records';
import { JournalStore } from '../src/host/journalStore';
import type { BenchOutput, TraceName } from './common';
import { collectGarbage, figure, isSmoke, loadTrace, round, traceNames } from './common';
import type { SharedCapture } from './replay';
import { newCapture, prepareReplay, replayCapture } from './replay';

export const heapBudgetMb = 30;

/** Memory held after a full collection: the JS heap plus array buffers (the History's columns live outside the heap). */
function heapMb(): number {
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / (1024 * 1024);
}

/** Heap held by the History after the year store in `yearDir` is loaded and folded (the raw records dropped). */
export async function runMemoryYear(yearDir: string): Promise<BenchOutput> {
  const base = heapMb();
  const history = new History();
  const recordCount = await foldStore(yearDir, history);
  const heap = heapMb() - base;
  return {
    figures: [figure('memory', `heap + array buffers after loading a year (${recordCount.toLocaleString('en-US')} records folded)`, round(heap, 1), 'MB', heapBudgetMb)],
    details: { yearRecords: recordCount, historyRecords: history.size },
  };
}

/** What `Recorder.load` does; in its own function so the loaded records are garbage once it returns. */
async function foldStore(dir: string, history: History): Promise<number> {
  const { records } = await new JournalStore({ dir, windowId: 'benchmemory' }).load();
  for (const stored of records) {
    const read = readCaptureRecord(stored);
    if (read.ok) history.add(read.record);
  }
  return records.length;
}

/** Heap held by one window's pipeline and History after replaying all three traces (1,000 spans each). */
export async function runMemoryTraces(): Promise<BenchOutput> {
  const base = heapMb();
  const dir = mkdtempSync(join(tmpdir(), 'hindsight-mem-'));
  const capture = newCapture(dir, 'benchmemory');
  for (const [index, name] of traceNames.entries()) {
    await replayOne(capture, name, index);
  }
  await capture.store.dispose();
  const heap = heapMb() - base;
  rmSync(dir, { recursive: true, force: true });
  return {
    figures: [figure('memory', 'heap + array buffers after replaying all traces (3 documents, 1,000 spans each)', round(heap, 1), 'MB', heapBudgetMb)],
    details: { pipelineRecords: capture.counters.records, historyRecords: capture.history.size },
  };
}

async function replayOne(capture: SharedCapture, name: TraceName, index: number): Promise<void> {
  const prepared = prepareReplay(loadTrace(name), 1_000, 0.1, isSmoke ? 8_000 : Infinity);
  await replayCapture(prepared, { shared: capture, docIndex: index });
}
