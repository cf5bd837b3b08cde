/**
 * Dashboards in headless Chromium against a real server: a graph becomes a
 * panel of a new dashboard ("Add to dashboard"), the dashboard is edited in
 * the page (a value panel and an alarm list added, reordered) and saved by
 * one token; another token (a viewer) in a new browser context opens its
 * URL and sees the same panels, the graph panel drawing the ingested
 * points and the value panel the last value with its unit on its alarm
 * state's colour. A save over someone else's newer version is refused and
 * said, and changes nothing. Screenshots: test-output/web/dashboard.png, dashboard-editing.png, dashboards.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/wait.js';
import { drawnSeries } from './helpers/chart-probe.js';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

const RULES = ['alarms:', '  rules:', '    - name: cpu-busy', '      match: dash.*.cpu', '      critical: "> 90"', '      unit: "%"'].join('\n');
// Samples on 10 s boundaries over the last half hour, ending a minute ago.
const END = Math.floor(Date.now() / 1000 / 10) * 10 - 60;
const load = (t: number) => Math.round((2 + Math.sin(t / 300)) * 100) / 100;

interface Saved {
  name: string;
  title: string;
  author: string;
  version: number;
  panels: { type: string; series?: string[]; match?: string; range?: string }[];
}

let web: WebTestServer;
let browser: Browser;
let editor: Page;

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebTestServer({ extraConfig: RULES, heartbeat: '5m' }), launchBrowser()]);
  const samples: [string, number, number][] = [];
  for (let t = END - 1800; t <= END; t += 10) samples.push(['dash.web01.load', t, load(t)]);
  samples.push(['dash.web01.cpu', END - 10, 80], ['dash.web01.cpu', END, 95]);
  await web.ingest(samples);
  await until(async () => (await web.api<{ alarms: { state: string }[] }>('GET', '/api/v1/alarms?series=dash.web01.cpu', web.viewer)).alarms[0]?.state === 'CRITICAL', 'dash.web01.cpu CRITICAL', 20_000);
  editor = await pageWithToken(browser, web.writer);
  editor.setDefaultTimeout(10_000);
  editor.on('pageerror', (e) => console.error('page error:', e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

const stored = (name: string) => web.api<Saved>('GET', `/api/v1/dashboards/${name}`, web.viewer);
const panelTypes = (page: Page) => page.locator('rm-dashboard-panel section').evaluateAll((sections) => sections.map((s) => s.getAttribute('data-type')));

describe('building a dashboard in the page', () => {
  it('makes the graph on show a panel of a new dashboard, then adds, edits and reorders panels and saves them', async () => {
    await editor.goto(`${web.url}/?view=graph&s=dash.web01.load&range=1h`);
    await editor.locator('rm-graph-view[data-painted]').waitFor();
    await editor.getByRole('button', { name: 'Add to dashboard' }).click();
    await editor.locator('rm-dashboard-add select[name="dashboard"]').selectOption({ label: 'New dashboard…' });
    await editor.getByLabel("New dashboard's title").fill('Ops wall');
    await editor.getByRole('button', { name: 'Add graph' }).click();
    await editor.getByText('Added to Ops wall (version 1).').waitFor();
    const first = await stored('ops-wall');
    expect(first).toMatchObject({ title: 'Ops wall', author: 'web-test-writer', version: 1, panels: [{ type: 'graph', series: ['dash.web01.load'], range: '1h' }] });

    await editor.getByRole('link', { name: 'Open it' }).click();
    await editor.waitForURL(/view=dashboard&d=ops-wall/);
    await editor.getByRole('button', { name: 'Edit' }).click();
    await editor.locator('#new-panel-type').selectOption('value');
    await editor.getByRole('button', { name: 'Add panel' }).click();
    await editor.getByRole('form', { name: 'Panel 2 settings' }).getByLabel('Series').fill('dash.web01.cpu');
    await editor.getByRole('form', { name: 'Panel 2 settings' }).getByLabel('Series').blur();
    await editor.locator('#new-panel-type').selectOption('alarms');
    await editor.getByRole('button', { name: 'Add panel' }).click();
    await editor.getByRole('form', { name: 'Panel 3 settings' }).getByLabel('Series pattern').fill('dash.**');
    await editor.getByRole('form', { name: 'Panel 3 settings' }).getByLabel('Series pattern').blur();
    await editor.getByRole('button', { name: 'Move panel 3 earlier' }).click();
    expect(await panelTypes(editor)).toEqual(['graph', 'alarms', 'value']);
    await screenshot(editor, 'dashboard-editing');
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.getByText('Saved as version 2.').waitFor();

    const saved = await stored('ops-wall');
    expect(saved).toMatchObject({ author: 'web-test-writer', version: 2 });
    expect(saved.panels).toEqual([
      { type: 'graph', w: 6, h: 3, series: ['dash.web01.load'], range: '1h' },
      { type: 'alarms', w: 6, h: 2, match: 'dash.**' },
      { type: 'value', w: 3, h: 1, series: ['dash.web01.cpu'] },
    ]);
  }, 60_000);
});

describe('the saved dashboard, opened by another token', () => {
  let viewer: Page;
  beforeAll(async () => {
    viewer = await pageWithToken(browser, web.viewer);
    viewer.setDefaultTimeout(10_000);
    await viewer.goto(`${web.url}/?view=dashboard&d=ops-wall`);
    await viewer.locator('rm-dashboard-value [data-state]').waitFor();
    await viewer.locator('rm-chart').evaluate((el) => new Promise<void>((resolve) => ((el as unknown as { chart?: unknown }).chart ? resolve() : el.addEventListener('rm-chart-painted', () => resolve(), { once: true }))));
  }, 60_000);

  it('shows the same panels in the same order, and who saved it', async () => {
    expect(await panelTypes(viewer)).toEqual(['graph', 'alarms', 'value']);
    await expect(viewer.locator('#dashboard-title').textContent()).resolves.toBe('Ops wall');
    await expect(viewer.locator('rm-dashboard-page .bar').textContent()).resolves.toMatch(/Version 2, saved by web-test-writer/);
    // A viewer sees no editor.
    expect(await viewer.locator('rm-dashboard-panel-form').count()).toBe(0);
  });

  it('draws the ingested points of the graph panel', async () => {
    await until(async () => (await drawnSeries(viewer))[0]?.points.some(([, y]) => y !== null) ?? false, 'graph panel drawn', 10_000);
    const [drawn] = await drawnSeries(viewer);
    expect(drawn.label).toBe('dash.web01.load');
    const known = drawn.points.filter((p): p is [number, number] => p[1] !== null);
    expect(known.length).toBeGreaterThan(100);
    for (const [x, y] of known.slice(0, 50)) expect(y).toBeCloseTo(load(x / 1000), 1);
  });

  it('shows the value panel as the last value with its unit on its alarm state colour', async () => {
    const value = viewer.locator('rm-dashboard-value .value');
    await expect(value.getAttribute('data-state')).resolves.toBe('CRITICAL');
    await expect(value.locator('.number').textContent()).resolves.toBe('95%');
    await expect(value.evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).borderLeftColor ?? '')).resolves.toBe('rgb(198, 40, 40)');
  });

  it('lists the alarms the pattern matches, with value and unit', async () => {
    const row = viewer.locator('rm-dashboard-alarms tr[data-series="dash.web01.cpu"]');
    await expect(row.getAttribute('data-state')).resolves.toBe('CRITICAL');
    await expect(row.locator('td').nth(2).textContent()).resolves.toBe('95%');
    await screenshot(viewer, 'dashboard');
  });

  it('lists the dashboard with its author and panel count', async () => {
    await viewer.goto(`${web.url}/?view=dashboard`);
    const row = viewer.locator('#dashboards tr[data-name="ops-wall"]');
    await row.waitFor();
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('3');
    await expect(row.locator('td').nth(2).textContent()).resolves.toBe('web-test-writer');
    await screenshot(viewer, 'dashboards');
  });
});

describe('a heatmap panel', () => {
  it('shows the heatmap grid of its pattern without the heatmap view\'s controls', async () => {
    await web.api('PUT', '/api/v1/dashboards/heat', web.writer, { title: 'Heat', panels: [{ type: 'heatmap', w: 12, h: 3, match: 'dash.*.load', range: '1d' }] });
    const page = await pageWithToken(browser, web.viewer);
    page.setDefaultTimeout(10_000);
    await page.goto(`${web.url}/?view=dashboard&d=heat`);
    const row = page.locator('rm-dashboard-panel rm-heatmap-view tr[data-series="dash.web01.load"]');
    await row.waitFor();
    const colours = await row.locator('td.cell').evaluateAll((cells) => cells.map((td) => (td as unknown as { style: { background: string } }).style.background));
    expect(colours.filter((c) => c !== colours[0]).length + 1, 'cells of more than one colour: the data, not only "no data"').toBeGreaterThan(1);
    expect(await page.locator('rm-dashboard-panel rm-heatmap-view form.controls').count()).toBe(0);
    expect(await page.locator('rm-dashboard-panel rm-range-picker').count()).toBe(0);
    await page.context().close();
  });
});

describe('two editors', () => {
  it('refuses a save over a newer version, says so, and keeps the newer one', async () => {
    await editor.goto(`${web.url}/?view=dashboard&d=ops-wall`);
    await editor.getByRole('button', { name: 'Edit' }).click();
    // Someone else saves version 3 meanwhile.
    const theirs = await web.api<Saved>('PUT', '/api/v1/dashboards/ops-wall', web.writer, { title: 'Ops wall (theirs)', panels: [{ type: 'alarms', w: 12, h: 2, match: '**' }], version: 2 });
    expect(theirs.version).toBe(3);
    await editor.getByRole('button', { name: 'Remove panel 1' }).click();
    await editor.getByRole('button', { name: 'Save' }).click();
    const alert = editor.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/someone else changed this dashboard since you opened it.*now version 3/);
    expect(await stored('ops-wall')).toMatchObject({ title: 'Ops wall (theirs)', version: 3 });
    await editor.getByRole('button', { name: 'Load their version' }).click();
    await expect(editor.locator('#dashboard-title').textContent()).resolves.toBe('Ops wall (theirs)');
  });
});

describe('deleting', () => {
  it('deletes the dashboard after the confirmation and goes back to the list without it', async () => {
    await editor.goto(`${web.url}/?view=dashboard&d=heat`);
    await editor.getByRole('button', { name: 'Edit' }).click();
    editor.once('dialog', (dialog) => void dialog.accept());
    await editor.getByRole('button', { name: 'Delete' }).click();
    await editor.locator('#dashboards tr[data-name="ops-wall"]').waitFor();
    expect(await editor.locator('#dashboards tr[data-name="heat"]').count()).toBe(0);
    expect(editor.url()).toMatch(/\?view=dashboard$/);
    await expect(web.api('GET', '/api/v1/dashboards/heat', web.viewer)).rejects.toThrow(/404/);
  });
});
