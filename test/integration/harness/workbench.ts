/**
 * Debian's Chromium, driven by playwright-core, as a developer's hands on the real
 * VS Code workbench that code-server serves: clicks, keys, palette, webview frames.
 */
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';

export interface Workbench {
  page: Page;
  close(): Promise<void>;
}

const chromiumPath = process.env.HINDSIGHT_CHROMIUM ?? '/usr/bin/chromium';

/** Opens the workbench for `folder` and waits until the editor area is ready. */
export async function openWorkbench(url: string, folder: string, colorScheme: 'dark' | 'light' = 'dark'): Promise<Workbench> {
  // playwright gives every launch a fresh, throw-away profile.
  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    colorScheme,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  await page.locator('.part.statusbar').waitFor({ timeout: 90_000 });
  await waitForExtensions(page);
  return {
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
  };
}

/**
 * Waits until the extension host has registered the extensions (Hindsight's activity-bar
 * entry shows) and activated them (Hindsight's status bar item appears once its store is
 * loaded; the fixtures activate on the same startup event).
 */
export async function waitForExtensions(page: Page): Promise<void> {
  await page.locator('.activitybar .action-item a[aria-label^="Hindsight"]').first().waitFor({ timeout: 90_000 });
  await page.locator('[id="hindsight-dev.hindsight.hindsight.switches"]').waitFor({ timeout: 90_000 });
}

/**
 * Types `trigger` and waits for the assistant's ghost text; when none shows, asks again,
 * alternately with Alt+\ (triggers inline suggestions) and by typing the trigger's last character again.
 */
export async function typeForGhostText(page: Page, trigger: string): Promise<void> {
  await page.keyboard.type(trigger, { delay: 30 });
  const ghost = page.locator('.ghost-text-decoration, .ghost-text').first();
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      await ghost.waitFor({ timeout: 8_000 });
      return;
    } catch {
      if (attempt % 2 === 0) await page.keyboard.press('Alt+Backslash');
      else {
        // Full CI runs on a busy machine sometimes show no ghost text for 40 s after the
        // trigger (cause not found): typing its last character again makes VS Code ask anew.
        await page.keyboard.press('Backspace');
        await page.keyboard.type(trigger.slice(-1), { delay: 30 });
      }
    }
  }
  await ghost.waitFor({ timeout: 8_000 });
}

/** Runs a command through the real command palette (F1), by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Several commands may match the words; click the one with exactly this title.
  const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

/** Lists the palette entries matching `query` (titles as shown). */
export async function paletteEntries(page: Page, query: string): Promise<string[]> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${query}`);
  await page.waitForTimeout(500);
  const labels = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
  await page.keyboard.press('Escape');
  return labels.map((l) => l.replace(/\s+/g, ' ').trim());
}

/** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor to have focus. */
export async function quickOpen(page: Page, relativePath: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(relativePath);
  const name = relativePath.split('/').pop()!;
  const folder = relativePath.split('/').slice(0, -1).join('/');
  // Enter opens the focused row: wait until the filter has put this very file there.
  await page
    .locator('.quick-input-list .monaco-list-row.focused', { hasText: name })
    .filter({ hasText: folder })
    .first()
    .waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[data-resource-name="${name}"], .tab.active:has-text("${name}")`).first().waitFor({ timeout: 15_000 });
  // Keys pressed before the editor has focus go elsewhere (a webview the test used before).
  await page.locator('.editor-instance .monaco-editor.focused').first().waitFor({ timeout: 15_000 });
}

/** The status bar item with the given id's text, or '' when absent. */
export async function statusBarText(page: Page, id: string): Promise<string> {
  const item = page.locator(`#${cssEscape(id)}`);
  if ((await item.count()) === 0) return '';
  return (await item.innerText()).trim();
}

/**
 * The inner frame of the webview whose document contains `selector` (code-server nests
 * each webview in two iframes).
 */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.locator(selector).count()) > 0) return frame;
      } catch {
        /* frame navigated away */
      }
    }
    if (Date.now() > deadline) throw new Error(`no webview frame with ${selector}`);
    await page.waitForTimeout(250);
  }
}

/** Polls `probe` until it returns a truthy value or the time runs out. */
export async function waitFor<T>(what: string, probe: () => Promise<T> | T, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function cssEscape(id: string): string {
  return id.replace(/([.:#[\]()])/g, '\\$1');
}
