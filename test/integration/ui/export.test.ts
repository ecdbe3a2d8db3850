import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { dayKeyOf, shiftDay } from '../../../src/core/days';
import type { CaptureRecord } from '../../../src/core/records';
import { validateRetroSummary } from '../../../src/core/retroSummarySchema';
import { syntheticHistory } from '../../../src/core/synthetic';
import { recordsOf, writeStore } from '../harness/seed';
import { extensionId, screenshotWhenFailed, startSession, type Session } from '../harness/session';
import { runCommand, waitFor } from '../harness/workbench';

const today = dayKeyOf(Date.now());
const history = syntheticHistory(7, 20, 12, shiftDay(today, -1));
const noteId = history.insertions[history.insertions.length - 1].id;
const secretNote = 'Copilot guessed wrong in src/billing/stripeClient.ts, ask jane.doe@acme.io, see https://git.acme.io/pay/42';
const seeded: CaptureRecord[] = [
  ...recordsOf(history, history.insertions),
  { k: 'note', t: Date.now() - 60_000, w: 'seed', id: noteId, note: secretNote },
];

async function pick(page: Page, title: RegExp, label: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: 20_000 });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
}

async function exportAs(session: Session, format: 'Markdown' | 'JSON', tickNote: boolean): Promise<string> {
  const { page } = session;
  const before = readdirSync(session.workspace);
  // A review notification left by an earlier export must not be the one clicked.
  await runCommand(page, 'Notifications: Clear All Notifications');
  await runCommand(page, 'Hindsight: Export Retro Summary');
  await pick(page, /1\/3/, 'Last 14 days');
  await pick(page, /2\/3/, format);
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /3\/3/ }).waitFor({ timeout: 20_000 });
  const noteRow = page.locator('.quick-input-list .monaco-list-row').first();
  // Shown redacted while the developer decides, and not ticked by default.
  const shown = await noteRow.innerText();
  assert.ok(!shown.includes('jane.doe') && !shown.includes('acme.io') && !shown.includes('stripeClient'), `note preview is redacted: ${shown}`);
  const checked = async (): Promise<boolean> => (await noteRow.getAttribute('aria-checked')) === 'true';
  assert.equal(await checked(), false);
  if (tickNote) {
    await noteRow.click();
    await waitFor('the note ticked', checked);
  }
  await page.keyboard.press('Enter');
  // The summary opens as an untitled document for review: nothing is written yet.
  await page.locator('.tab.active', { hasText: /Untitled/ }).waitFor({ timeout: 30_000 });
  // "Copy" puts the reviewed document on the clipboard; nothing was written to disk.
  await page.evaluate(() => navigator.clipboard.writeText(''));
  // Click only once the progress toast has gone: while it leaves, the toasts below it move,
  // and a click aimed at a moving button can land beside it.
  const review = page.locator('.notifications-toasts .notification-toast-container', { hasText: 'Review the retro summary' });
  await review.waitFor({ timeout: 20_000 });
  await page.locator('.notifications-toasts .notification-toast-container', { hasText: 'building the retro summary' }).waitFor({ state: 'detached', timeout: 20_000 });
  await review.locator('.monaco-button', { hasText: 'Copy' }).click();
  // Choosing an action closes its notification: a click that missed would leave it here.
  await review.waitFor({ state: 'detached', timeout: 10_000 });
  const copied = await waitFor(`the copied ${format} summary`, async () => {
    const text = await page.evaluate(() => navigator.clipboard.readText());
    return text.length > 100 ? text : undefined;
  }, 30_000);
  assert.deepEqual(readdirSync(session.workspace).filter((name) => !before.includes(name)), [], 'no file was written');
  await page.keyboard.press('Control+w');
  await page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" }).click({ timeout: 10_000 });
  return copied;
}

describe('Retro summary export in a real VS Code', function () {
  let session: Session;

  before(async function () {
    session = await startSession({ beforeConnect: (server) => writeStore(join(server.globalStorage(extensionId), 'store'), seeded, dayKeyOf) });
  });

  after(async function () {
    await session?.close();
  });

  afterEach(screenshotWhenFailed('export', () => session));

  it('walks range, format and notes, opens Markdown for review, and copies it only when asked', async () => {
    const markdown = await exportAs(session, 'Markdown', true);
    assert.match(markdown, /^# /m);
    assert.match(markdown, /n = \d+/);
    assert.match(markdown, /Copilot guessed wrong in \[redacted\]/, 'the ticked note is included, redacted');
    for (const leak of ['stripeClient', 'jane.doe', 'acme.io', 'git.acme', '/pay/42', session.workspace]) assert.ok(!markdown.includes(leak), `no ${leak}`);
    for (const o of history.insertions) assert.ok(!markdown.includes(o.path), `no path ${o.path}`);
  });

  it('exports JSON that validates against the versioned schema, without notes unless ticked', async () => {
    const json = await exportAs(session, 'JSON', false);
    const summary = JSON.parse(json) as Record<string, unknown>;
    assert.deepEqual(validateRetroSummary(summary), []);
    assert.ok(!json.includes('guessed wrong'), 'an unticked note stays out');
    for (const o of history.insertions) assert.ok(!json.includes(o.path), `no path ${o.path}`);
  });
});
