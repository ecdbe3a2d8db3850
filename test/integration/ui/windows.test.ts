import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createSampleWorkspace, startSession, type Session } from '../harness/session';
import { quickOpen, waitFor } from '../harness/workbench';

const itemSelector = '[id="hindsight-dev.hindsight.hindsight.switches"]';

async function countShown(page: Page): Promise<number | null> {
  const match = /(\d+)/.exec(await page.locator(itemSelector).innerText());
  return match ? Number(match[1]) : null;
}

/** Gives one window the browser's focus (focus emulation is off, so the other really loses it). */
async function focus(page: Page): Promise<void> {
  await page.bringToFront();
  await waitFor('the window focused', () => page.evaluate(() => document.hasFocus()));
}

describe('Two VS Code windows in a real VS Code: one day, one count', function () {
  let session: Session;
  let first: Page;
  let second: Page;

  before(async function () {
    session = await startSession();
    first = session.page;
    second = await session.openWindow(createSampleWorkspace());
    for (const page of [first, second]) await (await page.context().newCDPSession(page)).send('Emulation.setFocusEmulationEnabled', { enabled: false });
    await focus(first);
    await quickOpen(first, 'src/core/math.js');
    await first.waitForTimeout(3_000);
  });

  after(async function () {
    await session?.close();
  });

  it('counts a move to the other window as one app switch, shown the same in both windows', async () => {
    const before = await waitFor('a count in the first window', () => countShown(first).then((n) => (n === null ? undefined : n + 1))).then((n) => n - 1);
    await focus(second);
    await quickOpen(second, 'src/core/math.js');
    await second.waitForTimeout(3_000);
    // Each window reads the other's journal every few seconds: both settle on the same figure.
    await waitFor('both windows agree on one more switch', async () => (await countShown(first)) === before + 1 && (await countShown(second)) === before + 1, 30_000);
    await focus(first);
    await first.waitForTimeout(3_000);
    await waitFor('and one more on the way back', async () => (await countShown(first)) === before + 2 && (await countShown(second)) === before + 2, 30_000);
    const tooltipKind = async (page: Page): Promise<string> => (await page.locator(itemSelector).getAttribute('aria-label')) ?? '';
    assert.match(await tooltipKind(first), new RegExp(`^${before + 2} context switches today`));
  });
});
