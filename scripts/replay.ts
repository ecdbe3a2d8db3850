/**
 * Replays a josephg/editing-traces file through the core span tracker (the same
 * DocumentSpans the extension uses) and reports how much of every large insertion
 * survived to the end of the trace.
 *
 *   npm run replay -- --trace FILE.json.gz [--min-chars N] [--json]
 *
 * Every patch inserting at least N UTF-16 code units (default 20) becomes a span.
 * With --json, prints exactly one JSON object on stdout; otherwise a short summary.
 * Exits 1 on bad arguments or input, 2 if the tracked document length differs from
 * the trace's endContent.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseEditingTrace } from '../src/core/editingTrace';
import { DocumentSpans } from '../src/core/spans';

interface ReplaySpan {
  txn: number;
  patch: number;
  inserted: number;
  surviving: number;
}

function parseArgs(argv: string[]): { trace: string; minChars: number; json: boolean } {
  let trace: string | undefined;
  let minChars = 20;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--trace') trace = argv[++i];
    else if (arg === '--min-chars') minChars = Number(argv[++i]);
    else if (arg === '--json') json = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (trace === undefined) throw new Error('missing --trace FILE');
  if (!(Number.isInteger(minChars) && minChars >= 1)) throw new Error('--min-chars needs a positive integer');
  return { trace, minChars, json };
}

function main(): number {
  let args: ReturnType<typeof parseArgs>;
  let trace: ReturnType<typeof parseEditingTrace>;
  try {
    args = parseArgs(process.argv.slice(2));
    const raw = readFileSync(args.trace);
    // Accept plain JSON too: gzip files start with the magic bytes 1f 8b.
    const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    trace = parseEditingTrace(JSON.parse(text));
  } catch (error) {
    process.stderr.write(`replay: ${(error as Error).message}\n`);
    return 1;
  }
  const spans = new DocumentSpans(trace.startContent.length);
  const found: ReplaySpan[] = [];
  const started = process.hrtime.bigint();
  for (const p of trace.patches) {
    const spanId = p.text.length >= args.minChars ? `${p.txn}.${p.patch}` : undefined;
    spans.applyChanges([{ rangeOffset: p.offset, rangeLength: p.deleteLength, text: p.text, spanId }], p.time);
    if (spanId !== undefined) found.push({ txn: p.txn, patch: p.patch, inserted: p.text.length, surviving: 0 });
  }
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  let insertedChars = 0;
  let survivingChars = 0;
  for (const span of found) {
    span.surviving = spans.alive(`${span.txn}.${span.patch}`);
    insertedChars += span.inserted;
    survivingChars += span.surviving;
  }
  const events = trace.patches.length;
  const timing = { totalMs: round(totalMs, 3), perEventUs: events > 0 ? round((totalMs * 1000) / events, 4) : 0 };
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ events, spanCount: found.length, insertedChars, survivingChars, spans: found, timing })}\n`);
  } else {
    const share = insertedChars > 0 ? ((100 * survivingChars) / insertedChars).toFixed(1) : '0';
    process.stdout.write(
      `${events} patches, ${found.length} spans of ≥ ${args.minChars} chars: ${survivingChars} of ${insertedChars} chars survive (${share}%)\n` +
        `tracker time ${timing.totalMs} ms, ${timing.perEventUs} µs per patch\n`,
    );
  }
  if (spans.length !== trace.endContent.length) {
    process.stderr.write(`replay: tracked document has ${spans.length} code units, endContent has ${trace.endContent.length}\n`);
    return 2;
  }
  return 0;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

process.exitCode = main();
