import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { computeDashboard, type DashboardSnapshot } from '../../../src/core/analytics';
import { dayKeyOf, shiftDay } from '../../../src/core/days';
import { formatCount, formatPercent, sampleText } from '../../../src/core/format';
import { History } from '../../../src/core/history';
import type { CaptureRecord } from '../../../src/core/records';
import { syntheticHistory } from '../../../src/core/synthetic';
import { awayFromCheckpoints, recordsOf, writeStore } from '../harness/seed';
import { extensionId, readStoreRecords, screenshot, startSession, type Session } from '../harness/session';
import { runCommand, waitFor, webviewFrame } from '../harness/workbench';

const now = Date.now();
const today = dayKeyOf(now);
const yesterday = shiftDay(today, -1);
/** A range that ends yesterday: what the panel shows for it cannot move while the test runs. */
const range = { from: shiftDay(today, -14), to: yesterday };
const history = syntheticHistory(42, 30, 24, yesterday);
const insertions = awayFromCheckpoints(history.insertions, now, 20 * 60_000);
const seeded: CaptureRecord[] = recordsOf(history, insertions);

/** What the core computes from the same records, as the extension will. */
function expected(from: string, to: string): DashboardSnapshot {
  const folded = new History();
  for (const record of seeded) folded.add(record);
  const days = folded.daySummaries(dayRangeOf(from, to), today, now, 'test');
  return computeDashboard({ insertions: folded.outcomes(now), days }, { from, to }, now, { minConfidence: 'possible' });
}

function dayRangeOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = shiftDay(d, 1)) days.push(d);
  return days;
}

async function text(frame: Frame, testid: string): Promise<string> {
  return (await frame.locator(`[data-testid="${testid}"]`).first().innerText()).replace(/\s+/g, ' ').trim();
}

describe('The Hindsight panel on a known history in a real VS Code', function () {
  let session: Session;
  let frame: Frame;
  const sprint = expected(range.from, range.to);

  before(async function () {
    session = await startSession({
      settings: { 'workbench.colorTheme': 'Default Dark Modern' },
      beforeConnect: (server) => writeStore(join(server.globalStorage(extensionId), 'store'), seeded, dayKeyOf),
    });
  });

  after(async function () {
    await session?.close();
  });

  it('opens on the seeded history and shows a custom range that ends yesterday', async () => {
    await runCommand(session.page, 'Hindsight: Open Panel');
    frame = await webviewFrame(session.page, '[data-testid="range-select"]', 60_000);
    await frame.locator('[data-testid="range-select"]').selectOption('custom');
    await frame.locator('[data-testid="range-from"]').fill(range.from);
    await frame.locator('[data-testid="range-to"]').fill(range.to);
    await frame.locator('[data-testid="range-apply"]').click();
    await waitFor('the custom range', async () => (await text(frame, 'range-label')).includes(sampleText(sprint.sample.insertions)), 30_000);
  });

  it('shows the day-at-a-glance figures the core computes', async () => {
    const totals = sprint.glance.totals;
    assert.equal(await text(frame, 'ai-insertions'), formatCount(sprint.glance.insertions.ai));
    assert.equal(await text(frame, 'switches-total'), formatCount(totals.switches));
    for (const kind of ['app', 'project', 'area', 'tool'] as const) assert.equal(await text(frame, `switches-${kind}`), formatCount(totals.byKind[kind]), kind);
    for (const source of ['inline', 'chat', 'agent'] as const) assert.equal(await text(frame, `insertions-${source}`), formatCount(sprint.glance.insertions.bySource[source]), source);
    assert.equal(await text(frame, 'sessions'), formatCount(totals.sessions));
  });

  it('shows survival at the checkpoints and rework at 72 h against the 15% target', async () => {
    for (const reading of sprint.survival.checkpoints.ai) {
      const shown = await text(frame, `survival-ai-${reading.label}`);
      assert.equal(shown, reading.value === null ? '—' : formatPercent(reading.value), reading.label);
    }
    const rework = sprint.survival.rework72h.ai;
    assert.equal(await text(frame, 'rework-72h'), rework.value === null ? '—' : formatPercent(rework.value));
    assert.ok(rework.n >= 5, `the seeded history judges rework on enough insertions (n = ${rework.n})`);
  });

  it('shows the verdict mix and the green/yellow/red breakdown rows with their n', async () => {
    const { mix, breakdowns } = sprint.verdicts;
    for (const verdict of ['helped', 'mixed', 'hurt'] as const) {
      assert.equal(await text(frame, `verdict-${verdict}`), formatPercent(mix[`${verdict}Share`].value ?? 0), verdict);
    }
    let rows = 0;
    for (const dimension of ['source', 'fileKind', 'size'] as const) {
      for (const row of breakdowns[dimension]) {
        const shown = await text(frame, `row-${dimension}-${row.key}`);
        assert.ok(shown.includes(row.label) && shown.includes(sampleText(row.n)), `${dimension}/${row.key}: ${shown}`);
        const light = await frame.locator(`[data-testid="row-${dimension}-${row.key}"] .light`).first().getAttribute('class');
        assert.ok(light?.includes(row.light), `${dimension}/${row.key} light ${row.light}: ${light}`);
        rows++;
      }
    }
    assert.ok(rows >= 6, `${rows} rows checked`);
    await screenshot(session.page, 'panel-dark-sidebar');
  });

  it('switches range: the last 30 days count more insertions', async () => {
    await frame.locator('[data-testid="range-select"]').selectOption('month');
    const month = expected(shiftDay(today, -29), today);
    await waitFor('the 30-day range', async () => (await text(frame, 'ai-insertions')) === formatCount(month.glance.insertions.ai), 30_000);
    assert.ok(month.glance.insertions.ai > sprint.glance.insertions.ai);
  });

  it('lets the developer overrule a verdict and add a note, and stores both', async () => {
    const moment = frame.locator('[data-testid^="moment-"]').first();
    const id = (await moment.getAttribute('data-testid'))!.slice('moment-'.length);
    await moment.locator('select').selectOption('hurt');
    await waitFor('the verdict record', () => readStoreRecords(session.server).some((r) => r.k === 'verdict' && r.id === id && r.verdict === 'hurt'), 15_000);
    const note = frame.locator(`[data-testid="moment-${id}"] input[type="text"]`);
    await note.fill('Needed two rounds of fixes');
    await note.press('Enter');
    await waitFor('the note record', () => readStoreRecords(session.server).some((r) => r.k === 'note' && r.id === id && r.note === 'Needed two rounds of fixes'), 15_000);
    await waitFor('the overrule shown', async () => /yours/.test(await text(frame, `moment-${id}`)), 15_000);
  });

  it('looks like VS Code in the light theme and in a wide editor tab', async () => {
    const { page } = session;
    await runCommand(page, 'Preferences: Color Theme');
    await page.locator('.quick-input-widget input.input').fill('Light Modern');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Light Modern' }).first().click({ timeout: 10_000 });
    await waitFor('the light theme', () => page.evaluate(() => document.querySelector('.monaco-workbench')?.classList.contains('vs') ?? false), 30_000);
    await session.page.waitForTimeout(1_000);
    await screenshot(session.page, 'panel-light-sidebar');
    await runCommand(session.page, 'Hindsight: Open Panel in Editor');
    await session.page.locator('.tab', { hasText: 'Hindsight' }).first().waitFor({ timeout: 20_000 });
    await session.page.waitForTimeout(2_000);
    await screenshot(session.page, 'panel-light-editor-tab');
  });
});
