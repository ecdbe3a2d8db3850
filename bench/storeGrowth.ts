/**
 * Benchmark 5: bytes the store grows by in a heavy working day, through the real capture
 * pipeline and a real JournalStore, extrapolated to a heavy month (22 working days).
 *
 * The heavy day: the rustcode and sveltecomponent traces typed in full (≈ 55,000 change
 * events at a keystroke every 200 ms), then 300 AI insertions (inline accepts, chat and
 * agent blocks) into 20 other files with fix-ups and rework around them, an editor switch
 * every insertion, terminal visits, focus changes and saves, the pipeline ticking every 5 s,
 * and every document closed at the end of the day (layout + line hashes).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactionRules } from '../src/core/compaction';
import { dayKeyOf } from '../src/core/days';
import { hashLines } from '../src/core/lineHash';
import { lineLengthsOf } from '../src/core/reanchor';
import { JournalStore } from '../src/host/journalStore';
import type { BenchOutput } from './common';
import { figure, isSmoke, loadTrace, round, workdayStart, yieldToEventLoop } from './common';
import { newCapture, prepareReplay, replayCapture } from './replay';

export const monthBudgetBytes = 2 * 1024 * 1024;
const workingDaysPerMonth = 22;

export async function runStoreGrowth(): Promise<BenchOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'hindsight-store-'));
  try {
    const capture = newCapture(dir, 'a1b2c3d4e5f6');
    const { pipeline, clock, store, counters } = capture;
    let t = workdayStart();
    clock.now_ = t;
    const texts = new Map<string, string>();
    const traces = isSmoke ? (['sveltecomponent'] as const) : (['rustcode', 'sveltecomponent'] as const);
    let typedEvents = 0;
    for (const [index, name] of traces.entries()) {
      const prepared = prepareReplay(loadTrace(name), 0, 0);
      await replayCapture(prepared, { shared: capture, docIndex: index, startAt: t });
      typedEvents += prepared.timed.length;
      t = clock.now_ + 60_000;
    }
    // The traces' final texts, for the line hashes written when they close.
    for (const [index, name] of traces.entries()) {
      let text = '';
      for (const e of loadTrace(name).events) for (const c of e.changes) text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
      texts.set(`file:///work/alpha/src/${name}${index}.${name === 'rustcode' ? 'rs' : 'svelte'}`, text);
    }

    // AI insertions into other files, one a minute on average.
    let seed = 11;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const window = 'a1b2c3d4e5f6';
    const files = Array.from({ length: 20 }, (_, i) => ({ docKey: `file:///work/alpha/src/feature${i}.ts`, path: `src/feature${i}.ts`, project: i < 15 ? 'alpha' : 'beta', languageId: 'typescript' }));
    const body = 'export function handler(input: Request): Response {\n  const value = parse(input.body);\n  return respond(value);\n}\n';
    for (const meta of files) {
      const text = body.repeat(30);
      pipeline.openDocument(meta, text.length);
      texts.set(meta.docKey, text);
    }
    const insertions = isSmoke ? 60 : 300;
    for (let i = 0; i < insertions; i++) {
      t += 30_000 + Math.floor(random() * 60_000);
      clock.now_ = t;
      const meta = files[Math.floor(random() * files.length)];
      const day = dayKeyOf(t);
      pipeline.context({ kind: 'editor', t, day, window, project: meta.project, path: meta.path });
      if (random() < 0.1) pipeline.context({ kind: 'tool', t: t - 20_000, day, window, tool: 'terminal' });
      if (random() < 0.05) {
        pipeline.context({ kind: 'windowBlur', t: t - 15_000, day, window });
        pipeline.context({ kind: 'windowFocus', t: t - 5_000, day, window });
      }
      let text = texts.get(meta.docKey) as string;
      const r = random();
      const lines = r < 0.6 ? 1 + Math.floor(random() * 5) : 5 + Math.floor(random() * 40);
      const block = '  const result = await service.fetch(id, { retries: 3 });\n'.repeat(lines);
      const at = text.indexOf('\n', Math.floor(random() * text.length)) + 1;
      const source = r < 0.6 ? 'inline' : 'chat';
      if (source === 'inline') pipeline.acceptIntent(meta.docKey, random() < 0.8 ? 'full' : 'word', t);
      const change = { rangeOffset: at, rangeLength: 0, text: block };
      pipeline.change({ t, docKey: meta.docKey, languageId: meta.languageId, isActiveEditor: source === 'inline', recentlyTypedInDoc: true, changes: [change], cursorOffsets: [at], clipboardText: '', otherDocsChangedInSameTick: source === 'inline' ? 0 : 1 });
      text = text.slice(0, at) + block + text.slice(at);
      // Fix-ups typed inside the block, and sometimes rework deleting part of it.
      for (let k = 0; k < 20; k++) {
        t += 300;
        clock.now_ = t;
        const o = at + Math.floor(random() * block.length);
        pipeline.change({ t, docKey: meta.docKey, languageId: meta.languageId, isActiveEditor: true, recentlyTypedInDoc: true, changes: [{ rangeOffset: o, rangeLength: 0, text: 'x' }], cursorOffsets: [o], otherDocsChangedInSameTick: 0 });
        text = text.slice(0, o) + 'x' + text.slice(o);
      }
      if (random() < 0.3) {
        const len = Math.floor(block.length / 2);
        pipeline.change({ t, docKey: meta.docKey, languageId: meta.languageId, isActiveEditor: true, recentlyTypedInDoc: true, changes: [{ rangeOffset: at, rangeLength: len, text: '' }], cursorOffsets: [at + len], otherDocsChangedInSameTick: 0 });
        text = text.slice(0, at) + text.slice(at + len);
      }
      texts.set(meta.docKey, text);
      if (random() < 0.5) pipeline.context({ kind: 'save', t, day, window });
      pipeline.tick(t);
      if (clock.runDue()) await yieldToEventLoop();
    }
    t += 60_000;
    clock.now_ = t;
    // A layout record over the store's 64 KB line limit makes `closeDocument` throw (the
    // product loses that layout); counted here so the rest of the day is still measured.
    const closeFailures: string[] = [];
    for (const [docKey, text] of texts) {
      if (!pipeline.isOpen(docKey)) continue;
      try {
        pipeline.closeDocument(docKey, hashLines('bench-salt', text), lineLengthsOf(text), t);
      } catch (error) {
        closeFailures.push(`${docKey}: ${(error as Error).message}`);
      }
    }
    pipeline.tick(t, true);
    await store.flush();
    const journalBytes = counters.bytes;

    // The days the heavy day's spans pass their later checkpoints (24 h, 72 h, 7 d, 30 d):
    // the developer opens those files again (layouts and survival restored from the History,
    // as src/host/documents.ts does), the pipeline ticks, the files are closed. What these
    // sessions write about the heavy day's spans belongs to its footprint.
    const dayMs = 24 * 60 * 60_000;
    for (const after of [1, 3, 7, 30]) {
      let at = workdayStart() + after * dayMs + 30 * 60_000;
      clock.now_ = at;
      const day = dayKeyOf(at);
      pipeline.context({ kind: 'windowFocus', t: at, day, window });
      for (const [docKey, text] of texts) {
        const meta = docKey.includes('/feature') ? files.find((f) => f.docKey === docKey) : metaOfTrace(docKey);
        if (!meta) continue;
        const layout = capture.history.documentLayout(meta.project, meta.path);
        if (!layout) continue;
        const records = capture.history.spanRecords(layout.spans.spans.map((sp) => sp.id));
        pipeline.reopenDocument(meta, layout, records, { lineHashes: hashLines('bench-salt', text), lineLengths: lineLengthsOf(text) }, at);
        pipeline.context({ kind: 'editor', t: at, day, window, project: meta.project, path: meta.path });
      }
      at += 60_000;
      clock.now_ = at;
      pipeline.tick(at);
      at += 60_000;
      clock.now_ = at;
      for (const [docKey, text] of texts) if (pipeline.isOpen(docKey)) pipeline.closeDocument(docKey, hashLines('bench-salt', text), lineLengthsOf(text), at);
      pipeline.tick(at, true);
      await store.flush();
    }
    await store.dispose();
    const byKind: Record<string, number> = {};
    for (const name of readdirSync(dir)) {
      for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
        if (line) byKind[(JSON.parse(line) as { k: string }).k] = (byKind[(JSON.parse(line) as { k: string }).k] ?? 0) + line.length + 1;
      }
    }

    // Every one of those days once compacted (what the product's store keeps of past days):
    // the store configured as src/host/recorder.ts does, its clock three days past the last.
    clock.now_ = workdayStart() + 33 * dayMs;
    const compaction = await new JournalStore({ dir, windowId: 'compactor', clock, ...compactionRules }).compact();
    if (compaction.status !== 'done') throw new Error(`compaction ${compaction.status}: ${compaction.error?.message ?? ''}`);
    let compactedBytes = 0;
    const leftovers: string[] = [];
    for (const name of readdirSync(dir)) {
      if (name.startsWith('day-')) compactedBytes += statSync(join(dir, name)).size;
      else leftovers.push(name);
    }
    // What the compacted days hold, by kind (their files are compressed: counted as records).
    const compactedRecordsByKind: Record<string, number> = {};
    for (const record of (await new JournalStore({ dir, windowId: 'reader', clock }).load()).records) compactedRecordsByKind[record.k] = (compactedRecordsByKind[record.k] ?? 0) + 1;
    if (leftovers.length > 0) throw new Error(`not compacted: ${leftovers.join(', ')}`);
    const dayBytes = compactedBytes;
    const scale = isSmoke ? 'smoke: a lighter day, not a heavy one' : undefined;
    return {
      figures: [
        figure('store', 'heavy day: journal bytes (the live journal of today)', journalBytes, 'B', undefined, scale),
        figure('store', 'heavy day: compacted bytes (its day file + its spans\' later checkpoint records)', compactedBytes, 'B', undefined, closeFailures.length > 0 ? `${closeFailures.length} document layout(s) rejected by the store` : undefined),
        figure('store', `heavy month (${workingDaysPerMonth} heavy days)`, round((dayBytes * workingDaysPerMonth) / (1024 * 1024), 2), 'MB', monthBudgetBytes / (1024 * 1024), scale),
      ],
      details: { closeFailures, journalBytesByKind: byKind, compactedRecordsByKind, compaction, typedEvents, aiInsertions: insertions, records: counters.records, journalBytes, compactedBytes, dayEndsAt: new Date(t).toString() },
    };
  } finally {
    if (process.env.HINDSIGHT_KEEP_STORE) console.error(`store kept in ${dir}`); else rmSync(dir, { recursive: true, force: true });
  }
}

function metaOfTrace(docKey: string): { docKey: string; path: string; project: string; languageId: string } | undefined {
  const match = /^file:\/\/\/work\/alpha\/(src\/(rustcode|sveltecomponent)\d+\.(rs|svelte))$/.exec(docKey);
  if (!match) return undefined;
  return { docKey, path: match[1], project: 'alpha', languageId: match[2] === 'rustcode' ? 'rust' : 'svelte' };
}
