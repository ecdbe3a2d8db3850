import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

// Built next to the tests by scripts/buildTests.mjs (tools group).
const replayJs = join(__dirname, '..', '..', 'tools', 'replay.js');

interface Trace {
  startContent: string;
  endContent: string;
  txns: { time: string; patches: [number, number, string][] }[];
}

interface ReplayOutput {
  events: number;
  spanCount: number;
  insertedChars: number;
  survivingChars: number;
  spans: { txn: number; patch: number; inserted: number; surviving: number }[];
  timing: { totalMs: number; perEventUs: number };
}

/**
 * Independent oracle: the document as an array of code points, each tagged with the span
 * that inserted it, patched directly in code-point positions (no UTF-16 conversion).
 */
function oracle(trace: Trace, minChars: number): Omit<ReplayOutput, 'timing'> & { length: number } {
  const doc = Array.from(trace.startContent, (ch) => ({ ch, tag: -1 }));
  const spans: ReplayOutput['spans'] = [];
  let events = 0;
  trace.txns.forEach((txn, i) => {
    txn.patches.forEach(([pos, del, text], j) => {
      events++;
      let tag = -1;
      if (text.length >= minChars) {
        tag = spans.length;
        spans.push({ txn: i, patch: j, inserted: text.length, surviving: 0 });
      }
      doc.splice(pos, del, ...Array.from(text, (ch) => ({ ch, tag })));
    });
  });
  let length = 0;
  for (const { ch, tag } of doc) {
    length += ch.length;
    if (tag >= 0) spans[tag].surviving += ch.length;
  }
  const sum = (key: 'inserted' | 'surviving'): number => spans.reduce((n, s) => n + s[key], 0);
  return { events, spanCount: spans.length, insertedChars: sum('inserted'), survivingChars: sum('surviving'), spans, length };
}

function runReplay(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [replayJs, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function checkAgainstOracle(file: string, trace: Trace, minChars: number): void {
  const { status, stdout, stderr } = runReplay(['--trace', file, '--min-chars', String(minChars), '--json']);
  assert.equal(status, 0, stderr);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'exactly one JSON object on stdout');
  const out = JSON.parse(lines[0]) as ReplayOutput;
  assert.deepEqual(Object.keys(out), ['events', 'spanCount', 'insertedChars', 'survivingChars', 'spans', 'timing']);
  assert.deepEqual(Object.keys(out.timing), ['totalMs', 'perEventUs']);
  assert.ok(out.timing.totalMs >= 0 && out.timing.perEventUs >= 0);
  const expected = oracle(trace, minChars);
  assert.equal(expected.length, trace.endContent.length, 'oracle reproduces the end length');
  const { timing: _timing, ...rest } = out;
  const { length: _length, ...wanted } = expected;
  assert.deepEqual(rest, wanted);
}

describe('replay CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hindsight-replay-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('matches the oracle on a generated trace with astral characters, CRLF and multi-patch transactions', () => {
    const trace: Trace = { startContent: 'héllo 😀\r\nworld', endContent: '', txns: [] };
    // Generate edits in code points, the trace's own unit.
    let doc = Array.from(trace.startContent);
    let seed = 42;
    const rand = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const alphabet = ['a', 'b', ' ', '\r\n', '😀', '𝒳', 'é', '{', '}'];
    for (let t = 0; t < 300; t++) {
      const patches: [number, number, string][] = [];
      for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) {
        const pos = Math.floor(rand() * (doc.length + 1));
        const del = rand() < 0.5 ? 0 : Math.min(doc.length - pos, Math.floor(rand() * 12));
        let text = '';
        const n = rand() < 0.2 ? 8 + Math.floor(rand() * 20) : Math.floor(rand() * 3);
        for (let c = 0; c < n; c++) text += alphabet[Math.floor(rand() * alphabet.length)];
        patches.push([pos, del, text]);
        doc = [...doc.slice(0, pos), ...Array.from(text), ...doc.slice(pos + del)];
      }
      trace.txns.push({ time: new Date(Date.UTC(2024, 0, 1) + t * 1000).toISOString(), patches });
    }
    trace.endContent = doc.join('');
    const file = join(dir, 'generated.json.gz');
    writeFileSync(file, gzipSync(JSON.stringify(trace)));
    checkAgainstOracle(file, trace, 10);
    const human = runReplay(['--trace', file]);
    assert.equal(human.status, 0, human.stderr);
    assert.match(human.stdout, /^\d+ patches, \d+ spans of ≥ 20 chars: \d+ of \d+ chars survive/);
  });

  it('matches the oracle on a real VS Code trace', () => {
    const file = '/work/shared/data/editing-traces/sveltecomponent.json.gz';
    const trace = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Trace;
    checkAgainstOracle(file, trace, 20);
  });

  it('exits non-zero with a message on a trace that does not reach its endContent', () => {
    const file = join(dir, 'broken.json.gz');
    writeFileSync(file, gzipSync(JSON.stringify({ startContent: '', endContent: 'abc', txns: [{ time: '', patches: [[0, 0, 'ab']] }] })));
    const { status, stderr, stdout } = runReplay(['--trace', file, '--json']);
    assert.notEqual(status, 0);
    assert.match(stderr, /endContent/);
    assert.equal(stdout, '');
  });
});
