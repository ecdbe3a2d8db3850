import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStoreRecords, screenshot, screenshotWhenFailed, startSession, type Session } from '../harness/session';
import { quickOpen, runCommand, typeForGhostText, waitFor, webviewFrame } from '../harness/workbench';

type StoreRecord = Record<string, unknown> & { k: string };
const suggestion = 'function multiply(a, b) {\n  const product = a * b;\n  return product;\n}';

function records(session: Session, kind: string): StoreRecord[] {
  return readStoreRecords(session.server).filter((r) => r.k === kind) as StoreRecord[];
}

/** The latest survival record of an insertion. */
function survivalOf(session: Session, id: string): { aliveChars: number; originalChars: number; fixupChars: number; quickRegret: boolean } | undefined {
  const spans = records(session, 'surv').map((r) => r.span as { id: string; aliveChars: number; originalChars: number; fixupChars: number; quickRegret: boolean; lastObservedAt: number });
  return spans.filter((s) => s.id === id).sort((a, b) => a.lastObservedAt - b.lastObservedAt).pop();
}

describe('Survival of an accepted suggestion in a real VS Code', function () {
  let session: Session;
  let id = '';
  let original = 0;

  before(async function () {
    session = await startSession();
  });

  after(async function () {
    await session?.close();
  });

  afterEach(screenshotWhenFailed('survival', () => session));

  it('records a Tab accept of ghost text as an inline, certain insertion', async () => {
    const { page } = session;
    await quickOpen(page, 'src/core/math.js');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await typeForGhostText(page, 'function mul');
    await page.keyboard.press('Tab');
    const insertion = await waitFor('the insertion record', () => records(session, 'ins').find((r) => r.path === 'src/core/math.js' && r.source === 'inline'));
    assert.equal(insertion.confidence, 'certain');
    assert.equal(insertion.fileKind, 'source');
    assert.equal(insertion.languageId, 'javascript');
    assert.equal(insertion.lines, 4);
    id = String(insertion.id);
    original = Number(insertion.chars);
    assert.ok(original >= suggestion.length - 'function mul'.length && original <= suggestion.length, `chars ${original}`);
  });

  it('lowers survival when part of it is rewritten by typing, and keeps it through undo and redo', async () => {
    const { page } = session;
    // The cursor is at the end of the accepted text, after the closing brace: go to `return product;`.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    for (let i = 0; i < 'product;'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('a * b;', { delay: 30 });
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+Shift+z');
    // Moving a line of it up and back down (Alt+Up, Alt+Down) is neither rework nor new AI code.
    await page.keyboard.press('Alt+ArrowUp');
    await page.keyboard.press('Alt+ArrowDown');
    await page.keyboard.press('Control+s');
    await waitFor('the file saved with the rewrite', () => readFileSync(join(session.workspace, 'src/core/math.js'), 'utf8').includes('{\n  const product = a * b;\n  return a * b;\n}'));
    // A reload deactivates the extension, which writes every span's survival and layout.
    await session.reload();
    const survival = await waitFor('survival after reload', () => survivalOf(session, id));
    assert.equal(survival.originalChars, original);
    assert.equal(survival.aliveChars, original - 'product;'.length);
    assert.ok(survival.fixupChars >= 'a * b;'.length, `fix-up typed in the span: ${survival.fixupChars}`);
    assert.equal(survival.quickRegret, false);
    assert.deepEqual(records(session, 'ins').filter((r) => r.path === 'src/core/math.js').map((r) => r.source), ['inline'], 'the moves made no insertion');
    const layouts = records(session, 'doc').filter((r) => r.path === 'src/core/math.js');
    assert.ok(layouts.length > 0, 'the document layout is stored for the restart');
    const stored = JSON.stringify(readStoreRecords(session.server));
    for (const text of ['const product = a * b;', 'function multiply', 'return a * b;']) assert.ok(!stored.includes(text), `no code text in the store: ${text}`);
  });

  it('shows the insertion in the panel with its source, confidence and survival', async () => {
    await runCommand(session.page, 'Hindsight: Open Panel');
    const frame = await webviewFrame(session.page, `[data-testid="moment-${id}"]`, 30_000);
    const text = (await frame.locator(`[data-testid="moment-${id}"]`).innerText()).replace(/\s+/g, ' ');
    assert.match(text, /src\/core\/math\.js/);
    assert.match(text, /inline · certain · 4 lines/);
    await screenshot(session.page, 'survival-panel-moment');
  });

  it('re-anchors after an outside program rewrites the file, counting the lines it removed', async () => {
    const file = join(session.workspace, 'src/core/math.js');
    await runCommand(session.page, 'View: Close All Editors');
    await waitFor('the closed document layout', () => records(session, 'doc').filter((r) => r.path === 'src/core/math.js').length >= 2, 60_000);
    const before = survivalOf(session, id)!.aliveChars;
    // As a coding agent on the command line would: another process rewrites the file.
    const lineRemoved = '  const product = a * b;';
    execFileSync(process.execPath, ['-e', `const fs=require('fs');const f=${JSON.stringify(file)};fs.writeFileSync(f, fs.readFileSync(f,'utf8').replace(${JSON.stringify(lineRemoved + '\n')}, ''))`]);
    assert.ok(!readFileSync(file, 'utf8').includes(lineRemoved));
    await quickOpen(session.page, 'src/core/math.js');
    const after = await waitFor('survival re-anchored', () => {
      const s = survivalOf(session, id);
      return s && s.aliveChars < before ? s : undefined;
    }, 60_000);
    assert.equal(after.aliveChars, before - lineRemoved.length - 1, 'the removed line and its line break are lost; the rest keeps counting');
  });

  it('marks the insertion as committed when its lines land in a git commit', async () => {
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.invalid', ...args], { cwd: session.workspace, encoding: 'utf8' });
    git('add', '-A');
    git('commit', '-qm', 'multiply\n\nCo-authored-by: GitHub Copilot <copilot@github.com>');
    const commit = await waitFor('the commit record', () => records(session, 'commit').find((r) => (r.spanIds as string[]).includes(id)), 30_000);
    assert.equal(commit.aiTool !== null, true, 'the Co-authored-by trailer names an AI tool');
    assert.ok(Array.isArray((commit.committedLines as Record<string, string[]>)[id]));
  });

  it('does not count a branch switch as rework', async () => {
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.invalid', ...args], { cwd: session.workspace, encoding: 'utf8' });
    const before = survivalOf(session, id)!.aliveChars;
    git('checkout', '-q', '-b', 'other', 'HEAD~1');
    await waitFor('the file reloaded from the other branch', async () => !(await session.page.locator('.editor-instance .view-lines').first().innerText()).includes('multiply'), 30_000);
    git('checkout', '-q', 'main');
    await waitFor('the file back', async () => (await session.page.locator('.editor-instance .view-lines').first().innerText()).includes('multiply'), 30_000);
    await session.reload();
    const after = await waitFor('survival after the round trip', () => survivalOf(session, id));
    assert.ok(!records(session, 'ins').some((r) => r.path === 'src/core/math.js' && r.source === 'agent'), 'the checkout wrote no agent insertion');
    const loss = before - after.aliveChars;
    const span = records(session, 'surv').map((r) => r.span as { id: string; excludedChars: number }).filter((s) => s.id === id).pop()!;
    assert.equal(loss - span.excludedChars <= 0, true, `lost ${loss}, excluded ${span.excludedChars}: a checkout is not rework`);
    writeFileSync(join(session.workspace, '.keep'), '');
  });

  it('keeps today’s data intact when the window reloads in the middle of typing', async () => {
    const { page } = session;
    const before = readStoreRecords(session.server);
    await quickOpen(page, 'docs/notes.md');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nA first line typed by hand.\nA second line, still being typed when', { delay: 15 });
    await session.reload(); // no wait: the extension host goes down mid-typing
    const after = await waitFor('the typed line stored', () => {
      const records = readStoreRecords(session.server);
      return records.some((r) => r.k === 'ins' && r.path === 'docs/notes.md' && r.source === 'typed') ? records : undefined;
    }, 30_000);
    const seen = new Set(after.map((r) => JSON.stringify(r)));
    assert.deepEqual(before.filter((r) => !seen.has(JSON.stringify(r))), [], 'every record from before the reload is still there');
    const storeDir = join(session.server.globalStorage('hindsight-dev.hindsight'), 'store');
    for (const name of readdirSync(storeDir).filter((n) => n.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(storeDir, name), 'utf8').split('\n').filter(Boolean)) assert.doesNotThrow(() => JSON.parse(line), `${name}: ${line.slice(0, 80)}`);
    }
  });
});
