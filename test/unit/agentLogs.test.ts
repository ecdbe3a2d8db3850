import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentLogParser, AgentLogParserOptions } from '../../src/core/agentLogs';
import { agentTurnKey, createClaudeCodeParser, createCodexParser, nonBlankLineHashes } from '../../src/core/agentLogs';
import type { AgentTurn } from '../../src/core/model';

const fixtures = join(__dirname, '../../../test/fixtures/agent-logs');
const claudeFile = join(fixtures, 'claude-code/-home-dev-proj/7d3f2c1a-5b8e-4f0a-9c6d-2e1b4a7f8c90.jsonl');
const codexFile = join(fixtures, 'codex/2025/11/03/rollout-2025-11-03T09-00-00-019a4a2b-3c4d-7e5f-8a9b-0c1d2e3f4a5b.jsonl');
const salt = 'test-salt';
const options: AgentLogParserOptions = { salt, workspaceRoots: ['/home/dev/proj'] };

/** The complete lines of a fixture, as the reader would feed them (a cut-off last line is left out). */
function completeLines(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.pop();
  return lines;
}

function feed(parser: AgentLogParser, lines: readonly string[]): AgentTurn[] {
  for (const line of lines) parser.pushLine(line);
  return parser.drain();
}

/** Every line of text an agent wrote in a fixture (tool inputs and patch `+` lines), at least 4 characters long. */
function writtenTexts(file: string): string[] {
  const texts: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const patchLines = value.includes('*** Begin Patch') ? value.split('\n').filter((l) => l.startsWith('+')).map((l) => l.slice(1)) : [];
      texts.push(...patchLines);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, v] of Object.entries(value)) {
        if ((key === 'new_string' || key === 'content') && typeof v === 'string') texts.push(...v.split('\n'));
        else if (key === 'arguments' && typeof v === 'string') visit(JSON.parse(v));
        else visit(v);
      }
    }
  };
  for (const line of completeLines(file)) {
    try {
      visit(JSON.parse(line));
    } catch {
      // the fixture's malformed line
    }
  }
  return [...new Set(texts.map((t) => t.trim()).filter((t) => t.length >= 4))];
}

describe('agentLogs: Claude Code parser', () => {
  it('splits the fixture into turns with summed, de-duplicated usage and confirmed writes', () => {
    const turns = feed(createClaudeCodeParser(options), completeLines(claudeFile));
    assert.equal(turns.length, 2);
    const [first, second] = turns;
    assert.equal(first.agent, 'claude-code');
    assert.equal(first.sessionId, '7d3f2c1a-5b8e-4f0a-9c6d-2e1b4a7f8c90');
    assert.equal(first.promptAt, Date.parse('2025-11-03T10:00:00.000Z'));
    assert.equal(first.lastWriteAt, Date.parse('2025-11-03T10:00:20.000Z'));
    // msg_01A appears on two lines with the same usage: counted once.
    assert.deepEqual(first.tokens, { input: 20, output: 300, cacheRead: 14900, cacheWrite: 1200 });
    assert.deepEqual(
      first.writes.map((w) => [w.path, w.t]),
      [
        ['src/greet.ts', Date.parse('2025-11-03T10:00:05.000Z')],
        ['src/main.ts', Date.parse('2025-11-03T10:00:12.000Z')],
        ['src/greet.test.ts', Date.parse('2025-11-03T10:00:20.000Z')],
      ],
    );
    assert.deepEqual(
      first.writes[0].lineHashes,
      nonBlankLineHashes(salt, 'export const version = 1;\n\nexport function greet(name: string): string {\n  return `Hello, ${name}!`;\n}'),
    );
    assert.deepEqual(
      first.writes[1].lineHashes,
      nonBlankLineHashes(salt, "import { run } from './run';\nimport { greet } from './greet';\n  console.log(greet('world'));\n  run();"),
    );
    assert.equal(first.writes[2].lineHashes.length, 4);

    assert.equal(second.promptAt, Date.parse('2025-11-03T10:05:00.000Z'));
    assert.equal(second.lastWriteAt, Date.parse('2025-11-03T10:05:09.000Z'));
    assert.deepEqual(second.tokens, { input: 4, output: 65, cacheRead: 10100, cacheWrite: 100 });
    // The failed Edit (is_error) never reached the disk.
    assert.deepEqual(second.writes.map((w) => w.path), ['src/greet.ts']);
    assert.deepEqual(second.writes[0].lineHashes, nonBlankLineHashes(salt, '  const trimmed = name.trim();\n  return `Hello, ${trimmed}!`;'));
  });

  it('counts what it skipped, by reason', () => {
    const parser = createClaudeCodeParser(options);
    feed(parser, completeLines(claudeFile));
    const counters = parser.counters();
    assert.equal(counters.lines, completeLines(claudeFile).length);
    assert.equal(counters.malformed, 1);
    assert.equal(counters.unknownType, 1);
    assert.equal(counters.outsideWorkspace, 1);
    assert.equal(counters.failedWrites, 1);
    assert.equal(counters.beforeFirstPrompt, 0);
    assert.deepEqual(counters.formatChanges, { 'claude.Edit': 1 });
  });

  it('never lets written text into its output or its state', () => {
    const parser = createClaudeCodeParser(options);
    parser.pushLine(completeLines(claudeFile)[1]);
    const lines = completeLines(claudeFile);
    const turns = feed(parser, lines.slice(2, -1));
    const out = JSON.stringify(turns) + JSON.stringify(parser.state());
    const texts = writtenTexts(claudeFile);
    assert.ok(texts.length >= 10, 'the fixture has written text to look for');
    for (const text of texts) assert.ok(!out.includes(text), `written text leaked: ${text}`);
  });

  it('counts a cut-off line as malformed and goes on', () => {
    const raw = readFileSync(claudeFile, 'utf8');
    const cut = raw.slice(raw.lastIndexOf('\n') + 1);
    const parser = createClaudeCodeParser(options);
    parser.pushLine(cut);
    parser.pushLine('');
    assert.equal(parser.counters().malformed, 1);
    assert.equal(parser.counters().lines, 1);
    assert.deepEqual(parser.drain(), []);
  });

  it('hands out a running turn and replaces it with a later snapshot of the same key', () => {
    const lines = completeLines(claudeFile);
    const parser = createClaudeCodeParser(options);
    // Up to and including the Edit's tool result (line index 4).
    const early = feed(parser, lines.slice(0, 5));
    assert.equal(early.length, 1);
    assert.equal(early[0].writes.length, 1);
    assert.deepEqual(parser.drain(), [], 'nothing changed since the last drain');
    const later = feed(parser, lines.slice(5, 15));
    assert.equal(agentTurnKey(later[0]), agentTurnKey(early[0]));
    assert.equal(later[0].writes.length, 3);
    assert.ok(later[0].tokens.output > early[0].tokens.output);
  });

  it('resumes from its state exactly as if it had read in one go', () => {
    const lines = completeLines(claudeFile);
    const whole = feed(createClaudeCodeParser(options), lines);
    for (const cut of [3, 8, 20]) {
      const a = createClaudeCodeParser(options);
      const before = feed(a, lines.slice(0, cut));
      const b = createClaudeCodeParser(options, JSON.parse(JSON.stringify(a.state())));
      const after = feed(b, lines.slice(cut));
      const latest = new Map([...before, ...after].map((t) => [agentTurnKey(t), t]));
      assert.deepEqual([...latest.values()], whole, `cut at ${cut}`);
    }
  });

  it('keeps sub-agent (sidechain) writes in the developer turn and ignores their prompts', () => {
    const parser = createClaudeCodeParser(options);
    const line = (o: object): string => JSON.stringify({ sessionId: 's1', cwd: '/home/dev/proj', ...o });
    parser.pushLine(line({ type: 'user', timestamp: '2025-11-03T11:00:00Z', message: { role: 'user', content: 'Refactor with a sub-agent' } }));
    parser.pushLine(line({ type: 'user', isSidechain: true, timestamp: '2025-11-03T11:00:05Z', message: { role: 'user', content: 'Sub-agent task: edit a.ts' } }));
    parser.pushLine(
      line({
        type: 'assistant',
        isSidechain: true,
        timestamp: '2025-11-03T11:00:06Z',
        message: { id: 'm1', content: [{ type: 'tool_use', id: 't1', name: 'Write', input: { file_path: 'src/a.ts', content: 'const a = 1;' } }], usage: { input_tokens: 7, output_tokens: 3 } },
      }),
    );
    parser.pushLine(line({ type: 'user', isSidechain: true, timestamp: '2025-11-03T11:00:07Z', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] } }));
    const turns = parser.drain();
    assert.equal(turns.length, 1);
    assert.equal(turns[0].promptAt, Date.parse('2025-11-03T11:00:00Z'));
    assert.deepEqual(turns[0].writes.map((w) => w.path), ['src/a.ts'], 'a relative path is resolved against the cwd');
    assert.deepEqual(turns[0].tokens, { input: 7, output: 3, cacheRead: 0, cacheWrite: 0 });
  });

  it('matches Windows paths case-insensitively and never lets `..` escape the workspace', () => {
    const parser = createClaudeCodeParser({ salt, workspaceRoots: ['C:\\Users\\Dev\\Proj'], caseInsensitivePaths: true });
    const line = (o: object): string => JSON.stringify({ sessionId: 's2', cwd: 'C:\\Users\\Dev\\Proj', ...o });
    parser.pushLine(line({ type: 'user', timestamp: '2025-11-03T12:00:00Z', message: { role: 'user', content: 'go' } }));
    const write = (id: string, path: string): object => ({ type: 'tool_use', id, name: 'Write', input: { file_path: path, content: 'x = 1' } });
    parser.pushLine(
      line({
        type: 'assistant',
        timestamp: '2025-11-03T12:00:01Z',
        message: { id: 'm', content: [write('a', 'c:\\users\\dev\\proj\\src\\App.ts'), write('b', 'C:\\Users\\Dev\\Proj\\..\\Other\\x.ts'), write('c', 'C:\\Users\\Dev\\Project2\\y.ts')] },
      }),
    );
    parser.pushLine(
      line({
        type: 'user',
        timestamp: '2025-11-03T12:00:02Z',
        message: { role: 'user', content: ['a', 'b', 'c'].map((id) => ({ type: 'tool_result', tool_use_id: id, content: 'ok' })) },
      }),
    );
    const [turn] = parser.drain();
    assert.deepEqual(turn.writes.map((w) => w.path), ['src/App.ts']);
    assert.equal(parser.counters().outsideWorkspace, 2);
  });
});

describe('agentLogs: Codex parser', () => {
  it('splits the rollout into turns with token deltas and apply_patch writes', () => {
    const turns = feed(createCodexParser(options), completeLines(codexFile));
    assert.equal(turns.length, 2);
    const [first, second] = turns;
    assert.equal(first.agent, 'codex');
    assert.equal(first.sessionId, '019a4a2b-3c4d-7e5f-8a9b-0c1d2e3f4a5b');
    assert.equal(first.promptAt, Date.parse('2025-11-03T09:00:01.000Z'));
    assert.equal(first.lastWriteAt, Date.parse('2025-11-03T09:00:15.000Z'));
    // Totals 5000/1000/300 then 9000/3000/500 (a repeated token_count adds nothing); cached input kept apart.
    assert.deepEqual(first.tokens, { input: 6000, output: 500, cacheRead: 3000, cacheWrite: 0 });
    assert.deepEqual(
      first.writes.map((w) => [w.path, w.t, w.lineHashes.length]),
      [
        ['src/app.py', Date.parse('2025-11-03T09:00:09.000Z'), 3],
        ['tests/test_app.py', Date.parse('2025-11-03T09:00:09.000Z'), 3],
        ['src/util.py', Date.parse('2025-11-03T09:00:15.000Z'), 1],
      ],
    );
    assert.deepEqual(first.writes[0].lineHashes, nonBlankLineHashes(salt, '    print(greet("world"))\ndef greet(name):\n    return f"Hello, {name}!"'));
    assert.deepEqual(first.writes[2].lineHashes, nonBlankLineHashes(salt, 'RETRIES = 3'));

    assert.equal(second.promptAt, Date.parse('2025-11-03T09:10:00.000Z'));
    assert.deepEqual(second.tokens, { input: 1000, output: 150, cacheRead: 2000, cacheWrite: 0 });
    // ../shared is outside the workspace, src/legacy.py is deleted, the second patch failed.
    assert.deepEqual(second.writes.map((w) => w.path), ['src/app.py']);
    assert.deepEqual(second.writes[0].lineHashes, nonBlankLineHashes(salt, 'def shout(name):\n    return greet(name).upper()'));
  });

  it('counts unknown records and possible format changes', () => {
    const parser = createCodexParser(options);
    feed(parser, completeLines(codexFile));
    const counters = parser.counters();
    assert.equal(counters.malformed, 0);
    assert.equal(counters.unknownType, 1);
    assert.equal(counters.outsideWorkspace, 1);
    assert.equal(counters.failedWrites, 1);
    assert.deepEqual(counters.formatChanges, { 'codex.patch': 1, 'codex.tokenCount': 1 });
  });

  it('never lets written text into its output or its state', () => {
    const parser = createCodexParser(options);
    const lines = completeLines(codexFile);
    // Stop right after the first patch call, while its write is still pending in the state.
    const turns = feed(parser, lines.slice(0, 8));
    const out = JSON.stringify(turns) + JSON.stringify(parser.state());
    const texts = writtenTexts(codexFile);
    assert.ok(texts.length >= 8);
    for (const text of texts) assert.ok(!out.includes(text), `written text leaked: ${text}`);
  });

  it('resumes from its state exactly as if it had read in one go', () => {
    const lines = completeLines(codexFile);
    const whole = feed(createCodexParser(options), lines);
    for (const cut of [1, 8, 10, 22]) {
      const a = createCodexParser(options);
      const before = feed(a, lines.slice(0, cut));
      const b = createCodexParser(options, JSON.parse(JSON.stringify(a.state())));
      const after = feed(b, lines.slice(cut));
      const latest = new Map([...before, ...after].map((t) => [agentTurnKey(t), t]));
      assert.deepEqual([...latest.values()], whole, `cut at ${cut}`);
    }
  });

  it('drops a patch whose result never came when the next prompt arrives', () => {
    const parser = createCodexParser(options);
    const rec = (timestamp: string, type: string, payload: object): string => JSON.stringify({ timestamp, type, payload });
    parser.pushLine(rec('2025-11-03T09:00:00Z', 'session_meta', { id: 'c2', cwd: '/home/dev/proj' }));
    parser.pushLine(rec('2025-11-03T09:00:01Z', 'event_msg', { type: 'user_message', message: 'go' }));
    parser.pushLine(rec('2025-11-03T09:00:02Z', 'response_item', { type: 'custom_tool_call', call_id: 'p', name: 'apply_patch', input: '*** Begin Patch\n*** Add File: a.txt\n+hello there\n*** End Patch' }));
    parser.pushLine(rec('2025-11-03T09:00:30Z', 'event_msg', { type: 'user_message', message: 'stop, do something else' }));
    assert.deepEqual(parser.drain(), []);
    assert.equal(parser.counters().unconfirmedWrites, 1);
  });
});
