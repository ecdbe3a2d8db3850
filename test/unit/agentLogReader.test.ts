import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AgentLogReaderOptions } from '../../src/host/agentLogReader';
import { createAgentLogReader } from '../../src/host/agentLogReader';
import { agentTurnKey, createClaudeCodeParser, createCodexParser } from '../../src/core/agentLogs';
import type { AgentTurn } from '../../src/core/model';

const fixtures = join(__dirname, '../../../test/fixtures/agent-logs');
const salt = 'test-salt';

function line(o: object): string {
  return `${JSON.stringify({ sessionId: 'big', cwd: '/home/dev/proj', ...o })}\n`;
}
const prompt = (t: string): string => line({ type: 'user', timestamp: t, message: { role: 'user', content: 'please do it' } });
const writeCall = (t: string, id: string, content: string, usage = { input_tokens: 1, output_tokens: 2 }): string =>
  line({ type: 'assistant', timestamp: t, message: { id: `m-${id}`, content: [{ type: 'tool_use', id, name: 'Write', input: { file_path: '/home/dev/proj/a.ts', content } }], usage } });
const result = (t: string, id: string): string => line({ type: 'user', timestamp: t, message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'ok' }] } });

function latest(turns: readonly AgentTurn[]): AgentTurn[] {
  return [...new Map(turns.map((t) => [agentTurnKey(t), t])).values()];
}

describe('agentLogReader', () => {
  let home: string;
  let claudeDir: string;
  let options: AgentLogReaderOptions;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'hindsight-agent-logs-'));
    claudeDir = join(home, '.claude', 'projects', '-home-dev-proj');
    mkdirSync(claudeDir, { recursive: true });
    mkdirSync(join(home, '.codex', 'sessions'), { recursive: true });
    options = { salt, workspaceRoots: ['/home/dev/proj'], claudeCodeFolder: '~/.claude/projects', codexFolder: '~/.codex/sessions', homeDir: home };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('reads both fixture folders like the parsers do, leaving the cut-off last lines unread', async () => {
    cpSync(join(fixtures, 'claude-code'), join(home, '.claude', 'projects'), { recursive: true });
    cpSync(join(fixtures, 'codex'), join(home, '.codex', 'sessions'), { recursive: true });
    const reader = createAgentLogReader(options);
    const scan = await reader.scan();
    assert.deepEqual(scan.errors, []);
    assert.equal(scan.filesRead, 2);

    const expected: AgentTurn[] = [];
    for (const [file, parser] of [
      ['claude-code/-home-dev-proj/7d3f2c1a-5b8e-4f0a-9c6d-2e1b4a7f8c90.jsonl', createClaudeCodeParser(options)],
      ['codex/2025/11/03/rollout-2025-11-03T09-00-00-019a4a2b-3c4d-7e5f-8a9b-0c1d2e3f4a5b.jsonl', createCodexParser(options)],
    ] as const) {
      const lines = readFileSync(join(fixtures, file), 'utf8').split('\n');
      lines.pop();
      for (const l of lines) parser.pushLine(l);
      expected.push(...parser.drain());
    }
    assert.deepEqual(latest(scan.turns).sort((x, y) => x.promptAt - y.promptAt), expected.sort((x, y) => x.promptAt - y.promptAt));

    const state = reader.state();
    for (const [path, file] of Object.entries(state.files)) {
      const raw = readFileSync(path);
      assert.equal(file.offset, raw.lastIndexOf(10) + 1, 'consumed up to the last newline');
    }
    assert.equal(reader.counters().malformed, 1, 'only the torn line inside the Claude fixture');
    const again = await reader.scan();
    assert.equal(again.bytesRead, 0);
    assert.deepEqual(again.turns, []);
  });

  it('reads a line completed by a later append exactly once', async () => {
    const file = join(claudeDir, 'live.jsonl');
    const call = writeCall('2025-11-03T10:00:01Z', 't1', 'const a = 1;');
    writeFileSync(file, prompt('2025-11-03T10:00:00Z') + call.slice(0, 40));
    const reader = createAgentLogReader(options);
    const first = await reader.scan();
    assert.deepEqual(first.turns, [], 'the prompt alone has no writes');
    assert.equal(reader.counters().lines, 1);
    appendFileSync(file, call.slice(40) + result('2025-11-03T10:00:02Z', 't1'));
    const second = await reader.scan();
    assert.equal(second.turns.length, 1);
    assert.equal(second.turns[0].writes.length, 1);
    assert.deepEqual(second.turns[0].tokens, { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 });
    const counters = reader.counters();
    assert.equal(counters.lines, 3);
    assert.equal(counters.malformed, 0);
    assert.deepEqual((await reader.scan()).turns, []);
  });

  it('resumes after a restart from the stored offsets, reading only new bytes', async () => {
    const file = join(claudeDir, 'resume.jsonl');
    writeFileSync(file, prompt('2025-11-03T10:00:00Z') + writeCall('2025-11-03T10:00:01Z', 't1', 'one') + result('2025-11-03T10:00:02Z', 't1'));
    const before = createAgentLogReader(options);
    await before.scan();
    const stored = JSON.parse(JSON.stringify(before.state()));

    const appended = writeCall('2025-11-03T10:00:05Z', 't2', 'two', { input_tokens: 10, output_tokens: 20 }) + result('2025-11-03T10:00:06Z', 't2');
    appendFileSync(file, appended);
    const after = createAgentLogReader(options);
    after.restoreState(stored);
    const scan = await after.scan();
    assert.equal(scan.bytesRead, Buffer.byteLength(appended));
    assert.equal(scan.turns.length, 1);
    const [turn] = scan.turns;
    assert.equal(turn.writes.length, 2, 'the running turn continued');
    assert.deepEqual(turn.tokens, { input: 11, output: 22, cacheRead: 0, cacheWrite: 0 });
    assert.equal(turn.lastWriteAt, Date.parse('2025-11-03T10:00:06Z'));
  });

  it('ignores a state it cannot use and reads from the start', async () => {
    writeFileSync(join(claudeDir, 'x.jsonl'), prompt('2025-11-03T10:00:00Z') + writeCall('2025-11-03T10:00:01Z', 't1', 'one') + result('2025-11-03T10:00:02Z', 't1'));
    const reader = createAgentLogReader(options);
    reader.restoreState({ version: 99, files: {} });
    reader.restoreState({ version: 1, files: { [join(claudeDir, 'x.jsonl')]: { agent: 'codex', offset: 'no' } } });
    assert.equal((await reader.scan()).turns.length, 1);
  });

  it('starts over when a file is truncated or replaced', async () => {
    const file = join(claudeDir, 'rotate.jsonl');
    const content = prompt('2025-11-03T10:00:00Z') + writeCall('2025-11-03T10:00:01Z', 't1', 'one') + result('2025-11-03T10:00:02Z', 't1');
    writeFileSync(file, content);
    const reader = createAgentLogReader(options);
    await reader.scan();

    writeFileSync(file, prompt('2025-11-03T11:00:00Z'));
    await reader.scan();
    assert.equal(reader.counters().restartedFiles, 1, 'shorter than the offset');
    assert.equal(reader.state().files[file].offset, Buffer.byteLength(prompt('2025-11-03T11:00:00Z')));

    // Same length, other content: only the head fingerprint tells.
    const replacement = content.replace('10:00:0', '12:00:0');
    assert.equal(replacement.length, content.length);
    writeFileSync(file, replacement);
    const scan = await reader.scan();
    assert.equal(reader.counters().restartedFiles, 2);
    assert.equal(scan.turns.length, 1);
    assert.equal(scan.turns[0].promptAt, Date.parse('2025-11-03T12:00:00Z'));
  });

  it('ends the running turn of a file that stayed idle', async () => {
    const file = join(claudeDir, 'idle.jsonl');
    writeFileSync(file, prompt('2025-11-03T10:00:00Z') + writeCall('2025-11-03T10:00:01Z', 't1', 'one') + result('2025-11-03T10:00:02Z', 't1') + writeCall('2025-11-03T10:00:03Z', 't2', 'two'));
    let clock = Date.now();
    const reader = createAgentLogReader({ ...options, idleTurnEndMs: 60_000, now: () => clock });
    assert.equal((await reader.scan()).turns.length, 1);
    await reader.scan();
    assert.equal(reader.counters().unconfirmedWrites, 0, 'not idle yet');
    clock += 120_000;
    await reader.scan();
    assert.equal(reader.counters().unconfirmedWrites, 1, 'the unanswered write is dropped with the turn');
    assert.equal(reader.state().files[file].parser.turn, null);
  });

  it('refuses symbolic links that lead outside the configured folder', async () => {
    const outside = join(home, 'elsewhere.jsonl');
    writeFileSync(outside, prompt('2025-11-03T10:00:00Z') + writeCall('2025-11-03T10:00:01Z', 't1', 'one') + result('2025-11-03T10:00:02Z', 't1'));
    symlinkSync(outside, join(claudeDir, 'link.jsonl'));
    const reader = createAgentLogReader(options);
    const scan = await reader.scan();
    assert.deepEqual(scan.turns, []);
    assert.equal(scan.filesRead, 0);
    assert.equal(reader.counters().refusedLinks, 1);
  });

  it('skips files untouched since notBefore, and lines longer than maxLineBytes', async () => {
    const old = join(claudeDir, 'old.jsonl');
    writeFileSync(old, prompt('2025-01-01T10:00:00Z') + writeCall('2025-01-01T10:00:01Z', 't1', 'one') + result('2025-01-01T10:00:02Z', 't1'));
    utimesSync(old, new Date('2025-01-02'), new Date('2025-01-02'));
    const fresh = join(claudeDir, 'fresh.jsonl');
    writeFileSync(
      fresh,
      prompt('2025-11-03T10:00:00Z') +
        writeCall('2025-11-03T10:00:01Z', 'big', 'x'.repeat(5000)) +
        writeCall('2025-11-03T10:00:03Z', 't2', 'small') +
        result('2025-11-03T10:00:04Z', 't2'),
    );
    const reader = createAgentLogReader({ ...options, notBefore: Date.parse('2025-06-01'), maxLineBytes: 1000, chunkBytes: 64 });
    const scan = await reader.scan();
    assert.equal(scan.filesRead, 1);
    assert.equal(scan.turns.length, 1);
    assert.equal(scan.turns[0].writes.length, 1);
    assert.equal(reader.counters().oversizedLines, 1);
    assert.ok(scan.peakBufferedBytes <= 64 + 1000);
  });

  it('spreads a large backlog over scans with maxBytesPerScan, stopping only between lines', async () => {
    const file = join(claudeDir, 'backlog.jsonl');
    let content = '';
    for (let i = 0; i < 200; i++) {
      const t = new Date(Date.parse('2025-11-03T10:00:00Z') + i * 60_000).toISOString();
      content += prompt(t) + writeCall(t, `t${i}`, `line ${i}\n`.repeat(50)) + result(t, `t${i}`);
    }
    writeFileSync(file, content);
    const reader = createAgentLogReader({ ...options, maxBytesPerScan: 64 * 1024, chunkBytes: 4096 });
    const turns: AgentTurn[] = [];
    let scans = 0;
    for (let more = true; more; scans++) {
      const scan = await reader.scan();
      turns.push(...scan.turns);
      more = scan.more;
    }
    assert.ok(scans > 3, `took ${scans} scans`);
    assert.equal(reader.counters().malformed, 0);
    assert.equal(latest(turns).length, 200);
  });

  it('reads a 50 MB transcript in bounded chunks with bounded memory', async function () {
    this.timeout(120_000);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const file = join(claudeDir, 'huge.jsonl');
    // Mostly large tool results (file reads), as real transcripts are, with a write every turn.
    const filler = 'y'.repeat(60_000);
    let turns = 0;
    for (let size = 0; size < 50 * 1024 * 1024; turns++) {
      const t = new Date(Date.parse('2025-11-03T00:00:00Z') + turns * 1000).toISOString();
      const chunk =
        prompt(t) +
        line({ type: 'user', timestamp: t, message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `r${turns}`, content: filler }] } }) +
        writeCall(t, `w${turns}`, `export const v${turns} = ${turns};`) +
        result(t, `w${turns}`);
      appendFileSync(file, chunk);
      size += chunk.length;
    }
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const reader = createAgentLogReader({ ...options, chunkBytes: 1 << 20 });
    const scan = await reader.scan();
    gc();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    assert.equal(latest(scan.turns).length, turns);
    assert.ok(scan.peakBufferedBytes <= (1 << 20) + 64 * 1024, `held ${scan.peakBufferedBytes} bytes at once`);
    assert.ok(growth < 64 * 1024 * 1024, `heap grew by ${Math.round(growth / 1048576)} MB`);
  });
});
