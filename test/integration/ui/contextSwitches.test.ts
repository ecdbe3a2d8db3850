import assert from 'node:assert/strict';
import type { CDPSession, Page } from 'playwright-core';
import { readStoreRecords, screenshot, startSession, type Session } from '../harness/session';
import { quickOpen, runCommand, waitFor, webviewFrame } from '../harness/workbench';

const itemSelector = '[id="hindsight-dev.hindsight.hindsight.switches"]';
/** Longer than the 2 s dwell after which a new context counts. */
const settle = 2_600;

async function countShown(page: Page): Promise<number | null> {
  const item = page.locator(itemSelector);
  if ((await item.count()) === 0) return null;
  const match = /(\d+)/.exec(await item.innerText());
  return match ? Number(match[1]) : null;
}

async function expectCount(page: Page, expected: number, what: string): Promise<void> {
  await waitFor(`status bar count ${expected} after ${what}`, async () => (await countShown(page)) === expected, 15_000);
}

/** Another tab takes the browser's focus: the VS Code page really loses it (focus emulation off). */
async function blurFor(session: Session, cdp: CDPSession, ms: number): Promise<void> {
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
  const other = await session.page.context().newPage();
  await other.bringToFront();
  await waitFor('VS Code page blurred', () => session.page.evaluate(() => !document.hasFocus()));
  await other.waitForTimeout(ms);
  await other.close();
  await session.page.bringToFront();
  await waitFor('VS Code page focused again', () => session.page.evaluate(() => document.hasFocus()));
}

describe('Context switches and the status bar in a real VS Code', function () {
  let session: Session;
  let cdp: CDPSession;

  before(async function () {
    session = await startSession();
    cdp = await session.page.context().newCDPSession(session.page);
  });

  after(async function () {
    await session?.close();
  });

  it('shows 0 before anything happened', async () => {
    await expectCount(session.page, 0, 'start');
  });

  it('counts a move to another area of the code once the developer settles there', async () => {
    const { page } = session;
    await quickOpen(page, 'src/core/math.js');
    await page.waitForTimeout(settle);
    await expectCount(page, 0, 'the first file of the session');
    await quickOpen(page, 'src/host/app.js');
    await page.waitForTimeout(settle);
    await expectCount(page, 1, 'core → host');
    // A source file and its test are one area: test/core/… belongs to core.
    await quickOpen(page, 'test/core/math.test.js');
    await page.waitForTimeout(settle);
    await expectCount(page, 2, 'host → core (its test)');
  });

  it('counts rapid flipping through files as no switch when the developer comes back', async () => {
    const { page } = session;
    await quickOpen(page, 'src/host/app.js');
    await quickOpen(page, 'docs/notes.md');
    await quickOpen(page, 'src/core/math.js');
    await page.waitForTimeout(settle);
    await expectCount(page, 2, 'flipping host → docs → core within the dwell');
  });

  it('counts editor ↔ terminal as tool switches', async () => {
    const { page } = session;
    await page.keyboard.press('Control+Backquote');
    await page.locator('.terminal-wrapper, .xterm').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(settle);
    await expectCount(page, 3, 'editor → terminal');
    await page.locator('.editor-instance .view-lines').first().click();
    await page.waitForTimeout(settle);
    await expectCount(page, 4, 'terminal → editor');
  });

  it('counts leaving VS Code for more than 5 s as one app switch, and a 2 s blur as none', async () => {
    await blurFor(session, cdp, 6_500);
    await expectCount(session.page, 5, 'a 6.5 s absence');
    await blurFor(session, cdp, 2_000);
    await session.page.waitForTimeout(settle);
    await expectCount(session.page, 5, 'a 2 s absence');
  });

  it('explains the count in the tooltip: kinds, focus time, longest block', async () => {
    const { page } = session;
    await page.locator(itemSelector).hover();
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'context switches today' }).first();
    await hover.waitFor({ timeout: 10_000 });
    const text = (await hover.innerText()).replace(/\s+/g, ' ');
    await screenshot(page, 'status-bar-tooltip');
    assert.match(text, /5 context switches today/);
    assert.match(text, /app \(left VS Code > 5 s, or another window\) 1/);
    assert.match(text, /project 0/);
    assert.match(text, /area of the code 2/);
    assert.match(text, /tool \(editor, terminal, chat, debugger\) 2/);
    assert.match(text, /Focus time today: \S+/);
    assert.match(text, /longest focus block: \S+/);
    await page.mouse.move(10, 10);
  });

  it('shows the same number in the panel as in the status bar', async () => {
    await runCommand(session.page, 'Hindsight: Open Panel');
    const frame = await webviewFrame(session.page, '[data-testid="switches-total"], .first-run');
    // Until the first insertion the panel explains itself; type a line so it shows figures.
    if ((await frame.locator('.first-run').count()) > 0) {
      await quickOpen(session.page, 'src/core/math.js');
      await session.page.keyboard.press('Control+End');
      await session.page.keyboard.type('\n// a line I typed myself\n', { delay: 20 });
    }
    const figures = await webviewFrame(session.page, '[data-testid="switches-total"]', 30_000);
    await waitFor('panel total', async () => (await figures.locator('[data-testid="switches-total"]').innerText()).includes(String(await countShown(session.page))));
    const byKind = async (kind: string): Promise<string> => (await figures.locator(`[data-testid="switches-${kind}"]`).innerText()).replace(/\s+/g, ' ');
    assert.match(await byKind('app'), /\b1\b/);
    assert.match(await byKind('area'), /\b2\b/);
    assert.match(await byKind('tool'), /\b2\b/);
    await screenshot(session.page, 'panel-with-switches');
  });

  it('keeps today’s count across a window reload, from the store', async () => {
    const before = await countShown(session.page);
    assert.equal(before, 5);
    const contextRecords = readStoreRecords(session.server).filter((r) => r.k === 'ctx');
    assert.ok(contextRecords.length >= 8, `context events journalled (${contextRecords.length})`);
    await session.reload();
    await expectCount(session.page, 5, 'a window reload');
  });
});
