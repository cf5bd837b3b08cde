/**
 * The downtimes view in headless Chromium against a real server: filing a
 * downtime through the form stores it (read back through the API, with the
 * writer token the page asked for as author) and draws it on the graph;
 * the API's validation problems appear next to their fields and store
 * nothing; an open unplanned downtime is ended with its button.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawnBands } from './helpers/chart-probe.js';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

interface Downtime {
  id: number;
  rrule: string | null;
  timezone: string;
  kind: string;
  scope: { series: string[] };
  start: string;
  end: string | null;
  reason: string;
  author: string;
}

let web: WebTestServer;
let browser: Browser;
let page: Page;
const NOW = Math.floor(Date.now() / 1000 / 60) * 60;

/** `datetime-local` text for a Unix time; the browser context runs in UTC. */
const local = (t: number) => new Date(t * 1000).toISOString().slice(0, 16);

const listDowntimes = async () => (await web.api<{ downtimes: Downtime[] }>('GET', '/api/v1/downtimes', web.viewer)).downtimes;

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebTestServer(), launchBrowser()]);
  const samples: [string, number, number][] = [];
  for (let t = NOW - 3600; t <= NOW; t += 10) samples.push(['site2.web01.load', t, 1], ['site2.web01.disk', t, 50]);
  await web.ingest(samples);
  // The page starts with a viewer token: filing asks for a writer's.
  page = await pageWithToken(browser, web.viewer);
  await page.goto(`${web.url}/?view=downtimes`);
  await page.locator('rm-downtime-form form').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

const form = () => page.locator('rm-downtime-form');
const scopeInput = () => form().getByLabel('Scope: series or patterns, separated by commas');

describe('filing a downtime', () => {
  it('offers series names to complete the scope', async () => {
    await expect.poll(() => form().locator('datalist option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value))).toEqual(['site2.web01.disk', 'site2.web01.load']);
  });

  it('shows each problem the API finds next to its field, focuses it, and stores nothing', async () => {
    await scopeInput().fill('site2.web[0-9].*');
    await form().getByLabel('From', { exact: true }).fill(local(NOW + 3600));
    await form().getByLabel('To', { exact: true }).fill(local(NOW + 1800));
    await form().getByRole('button', { name: 'File downtime' }).click();
    // The viewer token cannot write: the page asks for a writer's.
    const dialog = page.locator('rm-token-dialog dialog[open]');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('writer');
    await dialog.getByLabel('Token').fill(web.writer);
    await dialog.getByRole('button', { name: 'Use token' }).click();
    const endProblem = form().locator('[data-problem="end"]');
    await expect.poll(() => endProblem.innerText()).not.toBe('');
    expect(await form().locator('[data-problem="reason"]').innerText()).not.toBe('');
    expect(await form().locator('[data-problem="start"]').innerText()).toBe('');
    const scopeProblem = form().locator('rm-series-input .field-problem');
    expect(await scopeProblem.innerText()).not.toBe('');
    expect(await scopeInput().getAttribute('aria-invalid')).toBe('true');
    expect(await form().getByLabel('To', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await form().getByLabel('From', { exact: true }).getAttribute('aria-invalid')).toBe('false');
    // The first field at fault (the scope) has the focus.
    expect(await scopeInput().evaluate((el) => (el.getRootNode() as unknown as { activeElement: unknown }).activeElement === el)).toBe(true);
    await screenshot(page, 'downtime-form-problems');
    expect(await listDowntimes()).toEqual([]);
  });

  it('stores a valid one with the writer as author, lists it and draws it on the graph', async () => {
    await scopeInput().fill('site2.web01.*');
    await form().getByLabel('From', { exact: true }).fill(local(NOW - 1800));
    await form().getByLabel('To', { exact: true }).fill(local(NOW + 1800));
    await form().getByLabel('Reason').fill('disk swap');
    await form().getByRole('button', { name: 'File downtime' }).click();
    await expect.poll(() => form().getByRole('status').innerText()).toMatch(/Filed downtime #\d+/);
    const stored = await listDowntimes();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      kind: 'planned',
      scope: { series: ['site2.web01.*'] },
      start: new Date((NOW - 1800) * 1000).toISOString().replace('.000Z', 'Z'),
      end: new Date((NOW + 1800) * 1000).toISOString().replace('.000Z', 'Z'),
      reason: 'disk swap',
      author: 'web-test-writer',
    });
    expect(await form().locator('[data-problem="end"]').innerText()).toBe('');
    expect(await form().locator('#form-problems').innerText()).toBe('');
    // The form is empty again, ready for the next one.
    expect(await form().getByLabel('Reason').inputValue()).toBe('');
    expect(await form().getByLabel('Time zone').inputValue()).toBe('UTC');
    expect(await form().getByLabel('Planned (silences alarms)').isChecked()).toBe(true);
    const activeRow = page.locator(`rm-downtime-table#active tr[data-id="${stored[0].id}"]`);
    // Listed at once, not at the next 30 s refresh.
    await activeRow.waitFor({ timeout: 5000 });
    expect(await activeRow.innerText()).toContain('disk swap');
    await screenshot(page, 'downtimes');

    await page.goto(`${web.url}/?view=graph&s=site2.web01.load&range=1h`);
    await page.locator('rm-graph-view[data-painted]').waitFor();
    const bands = await drawnBands(page);
    expect(bands.map((b) => [b.id, b.kind, b.start, b.end, b.reason])).toEqual([[stored[0].id, 'planned', (NOW - 1800) * 1000, (NOW + 1800) * 1000, 'disk swap']]);
    await screenshot(page, 'downtime-on-graph');
  });
});

describe('a recurring downtime', () => {
  it('is filed with its rule and listed as upcoming with its next window', async () => {
    await page.goto(`${web.url}/?view=downtimes`);
    await scopeInput().fill('site2.web01.disk');
    await form().getByLabel('From', { exact: true }).fill(local(NOW + 3600));
    await form().getByLabel('To', { exact: true }).fill(local(NOW + 7200));
    await form().getByLabel('Repeats').selectOption({ label: 'Every week' });
    await form().getByLabel('Reason').fill('weekly backup');
    await form().getByRole('button', { name: 'File downtime' }).click();
    await expect.poll(() => form().getByRole('status').innerText()).toMatch(/Filed downtime #\d+/);
    const stored = (await listDowntimes()).find((d) => d.reason === 'weekly backup');
    expect(stored).toMatchObject({ rrule: 'FREQ=WEEKLY', timezone: 'UTC', scope: { series: ['site2.web01.disk'] } });
    const row = page.locator(`rm-downtime-table#upcoming tr[data-id="${stored?.id}"]`);
    await row.waitFor({ timeout: 5000 });
    // The rule in words, with the first window's wall times in its zone, and its next window.
    const first = new Date((NOW + 3600) * 1000);
    const weekday = first.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
    const clock = (d: Date) => d.toISOString().slice(11, 16);
    const last = new Date((NOW + 7200) * 1000);
    const nextDay = last.getUTCDate() !== first.getUTCDate() ? ' (next day)' : '';
    expect(await row.locator('.rule').innerText()).toBe(`every ${weekday} ${clock(first)}–${clock(last)}${nextDay} UTC`);
    expect(await row.locator('.rule').getAttribute('title')).toBe('FREQ=WEEKLY');
    expect(await row.locator('.next').innerText()).toMatch(/^next: /);
  });
});

describe('ending an unplanned downtime', () => {
  it('ends an open one with its button and moves it to the past', async () => {
    const open = await web.api<Downtime>('POST', '/api/v1/downtimes', web.writer, { kind: 'unplanned', scope: { series: ['site2.web01.disk'] }, start: NOW - 600, reason: 'controller failure' });
    await page.goto(`${web.url}/?view=downtimes`);
    const row = page.locator(`rm-downtime-table#active tr[data-id="${open.id}"]`);
    await row.getByRole('button', { name: `End now: downtime ${open.id}` }).click();
    await page.locator(`rm-downtime-table#past tr[data-id="${open.id}"]`).waitFor();
    const ended = await web.api<Downtime>('GET', `/api/v1/downtimes/${open.id}`, web.viewer);
    expect(ended.end).not.toBeNull();
    expect(Date.parse(ended.end ?? '') / 1000).toBeGreaterThanOrEqual(NOW - 1);
    expect(await row.count()).toBe(0);
  });
});
