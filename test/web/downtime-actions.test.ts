/**
 * Acting on listed downtimes in headless Chromium against a real server:
 * editing one (the form prefilled, saved by PATCH, the change listed),
 * the API's problem with an edit shown next to its field, cancelling a
 * future one after confirming (gone from the lists and the API's), and
 * ending an active one (its band on the graph stops at the end).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnTint, drawnBands } from './helpers/chart-probe.js';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

interface Downtime {
  id: number;
  start: string;
  end: string | null;
  reason: string;
  status: string;
  updatedBy: string;
}

let web: WebTestServer;
let browser: Browser;
let page: Page;
const NOW = Math.floor(Date.now() / 1000 / 60) * 60;
const SERIES = 'site3.db01.load';

/** `datetime-local` text for a Unix time; the browser context runs in UTC. */
const local = (t: number) => new Date(t * 1000).toISOString().slice(0, 16);
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

const file = (body: Record<string, unknown>) => web.api<Downtime>('POST', '/api/v1/downtimes', web.writer, { scope: { series: [SERIES] }, ...body });
const read = (id: number) => web.api<Downtime>('GET', `/api/v1/downtimes/${id}?include=cancelled`, web.viewer);
const row = (list: string, id: number) => page.locator(`rm-downtime-table#${list} tr[data-id="${id}"]`);

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebTestServer(), launchBrowser()]);
  const samples: [string, number, number][] = [];
  for (let t = NOW - 3600; t <= NOW; t += 10) samples.push([SERIES, t, 2]);
  await web.ingest(samples);
  page = await pageWithToken(browser, web.writer);
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe('editing a downtime', () => {
  it('opens the form prefilled, saves the changed reason and end, and lists them', async () => {
    const planned = await file({ start: NOW + 3600, end: NOW + 7200, reason: 'kernel update' });
    await page.goto(`${web.url}/?view=downtimes`);
    await row('upcoming', planned.id).getByRole('button', { name: `Edit downtime ${planned.id}` }).click();
    const form = page.locator('#edit rm-downtime-form');
    await form.locator('form').waitFor();
    expect(await page.locator('#edit-h').innerText()).toBe(`Edit downtime #${planned.id}`);
    expect(await form.getByLabel('Scope: series or patterns, separated by commas').inputValue()).toBe(SERIES);
    expect(await form.getByLabel('From', { exact: true }).inputValue()).toBe(local(NOW + 3600));
    expect(await form.getByLabel('To', { exact: true }).inputValue()).toBe(local(NOW + 7200));
    expect(await form.getByLabel('Reason').inputValue()).toBe('kernel update');
    expect(await form.getByLabel('Time zone').inputValue()).toBe('UTC');

    await form.getByLabel('Reason').fill('kernel update and reboot');
    await form.getByLabel('To', { exact: true }).fill(local(NOW + 10_800));
    await screenshot(page, 'downtime-edit');
    await form.getByRole('button', { name: 'Save changes' }).click();
    // Saved: the edit form closes and the row shows the new reason and end.
    await page.locator('#edit').waitFor({ state: 'detached' });
    await expect.poll(() => row('upcoming', planned.id).innerText()).toContain('kernel update and reboot');
    const saved = await read(planned.id);
    expect(saved).toMatchObject({ reason: 'kernel update and reboot', start: iso(NOW + 3600), end: iso(NOW + 10_800), updatedBy: 'web-test-writer' });
    const to = await row('upcoming', planned.id).locator('td').nth(3).innerText();
    const from = await row('upcoming', planned.id).locator('td').nth(2).innerText();
    // Three hours between the shown times: the new end is what the row says.
    expect(to).not.toBe(from);
    expect(to).toContain(new Date((NOW + 10_800) * 1000).toISOString().slice(11, 16));
  });

  it('shows the API\'s problem with an edit next to the field it names and changes nothing', async () => {
    const planned = await file({ start: NOW + 3600, end: NOW + 7200, reason: 'disk check' });
    await page.goto(`${web.url}/?view=downtimes`);
    await row('upcoming', planned.id).getByRole('button', { name: `Edit downtime ${planned.id}` }).click();
    const form = page.locator('#edit rm-downtime-form');
    await form.getByLabel('To', { exact: true }).fill(local(NOW + 1800));
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => form.locator('[data-problem="end"]').innerText()).not.toBe('');
    expect(await form.getByLabel('To', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('[data-problem="reason"]').innerText()).toBe('');
    expect((await read(planned.id)).end).toBe(iso(NOW + 7200));
    // Leaving the edit brings the filing form back.
    await page.getByRole('button', { name: 'Stop editing' }).click();
    await page.locator('rm-downtime-form form[aria-label="File a downtime"]').waitFor();
  });
});

describe('cancelling a future downtime', () => {
  it('asks to confirm, then cancels it: gone from the lists, cancelled in the API', async () => {
    const planned = await file({ start: NOW + 86_400, end: NOW + 90_000, reason: 'move racks' });
    await page.goto(`${web.url}/?view=downtimes`);
    await row('upcoming', planned.id).getByRole('button', { name: `Cancel downtime ${planned.id}` }).click();
    // Nothing happens before the confirmation; keeping it keeps it.
    await row('upcoming', planned.id).getByRole('button', { name: 'Keep it' }).click();
    expect((await read(planned.id)).status).toBe('filed');
    await row('upcoming', planned.id).getByRole('button', { name: `Cancel downtime ${planned.id}` }).click();
    await row('upcoming', planned.id).getByRole('button', { name: `Yes, cancel downtime #${planned.id}` }).click();
    await row('upcoming', planned.id).waitFor({ state: 'detached' });
    expect(await page.locator(`rm-downtime-table tr[data-id="${planned.id}"]`).count()).toBe(0);
    expect((await read(planned.id)).status).toBe('cancelled');
  });
});

describe('ending an active downtime', () => {
  it('ends it now: the band on the graph stops there, and the rest of the range is clear', async () => {
    const active = await file({ start: NOW - 1800, end: NOW + 1800, reason: 'index rebuild' });
    await page.goto(`${web.url}/?view=graph&s=${SERIES}&range=1h`);
    await page.locator('rm-graph-view[data-painted]').waitFor();
    expect((await drawnBands(page)).find((b) => b.id === active.id)?.end).toBe((NOW + 1800) * 1000);

    await page.goto(`${web.url}/?view=downtimes`);
    await row('active', active.id).getByRole('button', { name: `End now: downtime ${active.id}` }).click();
    await row('past', active.id).waitFor();
    const ended = await read(active.id);
    const endedAt = Date.parse(ended.end ?? '');
    expect(endedAt).toBeLessThan((NOW + 1800) * 1000);

    // A range reaching past the old end, so the part no longer covered is on the chart.
    await page.goto(`${web.url}/?view=graph&s=${SERIES}&from=${NOW - 3600}&to=${NOW + 3600}`);
    await page.locator('rm-graph-view[data-painted]').waitFor();
    const band = (await drawnBands(page)).find((b) => b.id === active.id);
    expect(band?.end).toBe(endedAt);
    // Pixels: tinted inside the window, clear between its new end and the old one.
    expect((await columnTint(page, (NOW - 900) * 1000)).blue).toBeGreaterThan(50);
    expect((await columnTint(page, endedAt + 600_000)).blue).toBe(0);
    expect((await columnTint(page, (NOW + 1700) * 1000)).blue).toBe(0);
  });
});
