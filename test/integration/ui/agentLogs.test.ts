import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStoreRecords, startSession, type Session } from '../harness/session';
import { quickOpen, runCommand, waitFor, webviewFrame } from '../harness/workbench';

/**
 * A coding agent on the command line, as Claude Code does it: it writes the file, then logs
 * the turn (prompt, assistant message with usage, the Edit tool call, its result) to its
 * transcript. Run as a child process so it writes from outside VS Code.
 */
const agentScript = `
const fs = require('fs');
const [transcript, file, cwd] = process.argv.slice(1);
const before = fs.readFileSync(file, 'utf8');
const added = '\\nfunction subtract(a, b) {\\n  const difference = a - b;\\n  return difference;\\n}\\n';
const iso = (ms) => new Date(ms).toISOString();
const t = Date.now();
const base = { isSidechain: false, userType: 'external', cwd, sessionId: 'integration-session', version: '1.0.98' };
const lines = [
  { ...base, type: 'user', uuid: 'u1', timestamp: iso(t - 4000), message: { role: 'user', content: 'Add a subtract helper' } },
  { ...base, type: 'assistant', uuid: 'a1', timestamp: iso(t - 3000), message: { id: 'msg_1', role: 'assistant', content: [
    { type: 'tool_use', id: 'tool_1', name: 'Edit', input: { file_path: file, old_string: before, new_string: before + added } } ],
    usage: { input_tokens: 1200, output_tokens: 300, cache_creation_input_tokens: 0, cache_read_input_tokens: 500 } } },
];
fs.writeFileSync(file, before + added);
lines.push({ ...base, type: 'user', uuid: 'u2', timestamp: iso(Date.now()), message: { role: 'user', content: [ { tool_use_id: 'tool_1', type: 'tool_result', content: 'The file ' + file + ' has been updated.' } ] } });
fs.appendFileSync(transcript, lines.map((l) => JSON.stringify(l)).join('\\n') + '\\n');
`;

describe('Coding-agent transcripts in a real VS Code', function () {
  let session: Session;
  const claudeFolder = mkdtempSync(join(tmpdir(), 'hindsight-claude-'));

  before(async function () {
    session = await startSession({ settings: { 'hindsight.agentLogs.enabled': true, 'hindsight.agentLogs.claudeCodeFolder': claudeFolder } });
  });

  after(async function () {
    await session?.close();
  });

  it('matches an agent write on disk to its logged edit: agent, certain, with the turn’s tokens', async () => {
    const file = join(session.workspace, 'src/core/math.js');
    await quickOpen(session.page, 'src/core/math.js');
    const projectDir = join(claudeFolder, session.workspace.replace(/[^A-Za-z0-9]/g, '-'));
    mkdirSync(projectDir, { recursive: true });
    execFileSync(process.execPath, ['-e', agentScript, join(projectDir, 'integration-session.jsonl'), file, session.workspace]);
    const insertion = await waitFor('the agent insertion', () => readStoreRecords(session.server).find((r) => r.k === 'ins' && r.path === 'src/core/math.js' && r.source === 'agent'), 30_000);
    const match = await waitFor('the match with the logged edit', () => readStoreRecords(session.server).find((r) => r.k === 'agentMatch' && r.id === insertion.id), 30_000);
    assert.equal(match.agent, 'claude-code');
    assert.equal(match.tokens, 1200 + 300 + 500);
    const turns = readStoreRecords(session.server).filter((r) => r.k === 'turn');
    assert.ok(turns.length >= 1, 'the turn is journalled');
    assert.ok(!JSON.stringify(turns).includes('difference'), 'no written code in the journalled turn');
  });

  it('shows waiting on AI for the workspace in the panel', async () => {
    await runCommand(session.page, 'Hindsight: Open Panel');
    const frame = await webviewFrame(session.page, '[data-testid="waiting-on-ai"]', 60_000);
    const text = (await frame.locator('[data-testid="waiting-on-ai"]').innerText()).replace(/\s+/g, ' ');
    assert.match(text, /\d/);
  });
});
