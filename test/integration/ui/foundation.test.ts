import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCommand, paletteEntries, quickOpen, typeForGhostText, waitFor, webviewFrame } from '../harness/workbench';
import { readStoreRecords, repoRoot, screenshot, screenshotWhenFailed, startSession, type Session } from '../harness/session';
import { join } from 'node:path';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string; title: string; category: string }[]; menus: { commandPalette: { command: string; when: string }[] } };
};

describe('Foundation: Hindsight in a real VS Code (code-server 4.100.3)', function () {
  let session: Session;

  before(async function () {
    session = await startSession();
  });

  after(async function () {
    await session?.close();
  });

  afterEach(screenshotWhenFailed('foundation', () => session));

  it('activates and registers every command (extension-host suite)', async () => {
    await runCommand(session.page, 'Hindsight Test: Run Host Suite');
    const results = await waitFor('host suite results', () => {
      try {
        return JSON.parse(readFileSync(session.hostResults, 'utf8')) as { passed: number; failed: number; failures: unknown[] };
      } catch {
        return null;
      }
    }, 60_000);
    assert.deepEqual(results.failures, []);
    assert.ok(results.passed >= 2, `host suite ran ${results.passed} tests`);
  });

  it('lists its commands in the palette under the Hindsight category', async () => {
    const shown = await paletteEntries(session.page, 'Hindsight:');
    const hidden = new Set(manifest.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command));
    for (const c of manifest.contributes.commands) {
      if (hidden.has(c.command) || c.command === 'hindsight.resumeTracking') continue;
      assert.ok(shown.includes(`Hindsight: ${c.title}`), `palette shows "Hindsight: ${c.title}" (saw ${shown.join(' | ')})`);
    }
  });

  it('opens the Hindsight view and renders the first-run panel inside its webview', async () => {
    await runCommand(session.page, 'Hindsight: Open Panel');
    const frame = await webviewFrame(session.page, '#app .first-run');
    const text = await frame.locator('#app').innerText();
    assert.match(text, /nothing leaves this machine/i);
    assert.match(text, /no code/i);
    const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.ok(csp, 'the panel declares a Content-Security-Policy');
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.equal(directives.get('script-src')?.length, 1, `scripts only by nonce: ${csp}`);
    assert.match(directives.get('script-src')![0], /^'nonce-[A-Za-z0-9+/=]{20,}'$/);
    // Styles, images and fonts only from the webview's own resource origin (VS Code's cspSource).
    const resourceOrigin = directives.get('style-src');
    assert.ok(resourceOrigin && resourceOrigin.length >= 1 && !resourceOrigin.includes("'unsafe-inline'"), `style-src: ${csp}`);
    for (const name of ['img-src', 'font-src']) {
      const allowed = (directives.get(name) ?? []).filter((v) => v !== 'data:');
      assert.deepEqual(allowed, resourceOrigin, `${name} allows only the resource origin`);
    }
    await screenshot(session.page, 'foundation-panel');
  });

  it('shows the fixture assistant’s ghost text, and Tab inserts it', async () => {
    await quickOpen(session.page, 'src/core/math.js');
    const page = session.page;
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await typeForGhostText(page, 'function mul');
    await page.keyboard.press('Tab');
    await waitFor('accepted text in the editor', async () =>
      (await page.locator('.editor-instance .view-lines').first().innerText()).replace(/\u00a0/g, ' ').includes('const product = a * b;'),
    );
    await screenshot(page, 'foundation-ghost-text-accepted');
  });

  it('deletes every stored record after a confirmation', async () => {
    const page = session.page;
    await waitFor('records to delete', () => readStoreRecords(session.server).length > 0, 30_000);
    await runCommand(page, 'Hindsight: Delete All My Data');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /cannot be undone/);
    await dialog.locator('.monaco-button', { hasText: 'Delete All Data' }).click();
    const before = Date.now();
    await waitFor('the store emptied', () => readStoreRecords(session.server).every((r) => Number(r.t) >= before), 30_000);
  });
});
