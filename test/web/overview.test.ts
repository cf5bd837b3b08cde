/**
 * The overview and alarms views in headless Chromium against a real server
 * with an alarm rule: series grouped by prefix with the icon of their state
 * (CRITICAL over the threshold, OK below it, NODATA once data stops, the
 * downtime icon under an active downtime), counts per state, the filter and
 * state buttons kept in the URL, threshold lines and alarm markers on the
 * graph, the alarms and their history. Last, a server without an alarms
 * API (its 404 given in the browser by page.route) still gets icons from
 * the data alone.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { chartElement } from './helpers/chart-probe.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

let web: WebTestServer;
let browser: Browser;
let page: Page;
const NOW = Math.floor(Date.now() / 1000);
const ALARM_RULES = ['alarms:', '  rules:', '    - name: load-high', '      match: site3.*.load', '      warning: "> 5"', '      critical: "> 10"'].join('\n');

beforeAll(async () => {
  // A 5 min heartbeat: the fresh series stay fresh however slowly the tests run, cpu (10 min old) has none.
  [web, browser] = await Promise.all([startWebTestServer({ extraConfig: ALARM_RULES, heartbeat: '5m' }), launchBrowser()]);
  const samples: [string, number, number][] = [];
  for (let t = NOW - 1800; t <= NOW; t += 10) {
    samples.push(['site3.web01.load', t, 12], ['site3.web02.load', t, 1], ['site3.db01.load', t, 1]);
    // cpu stopped reporting ten minutes ago.
    if (t <= NOW - 600) samples.push(['site3.web01.cpu', t, 30]);
  }
  await web.ingest(samples);
  await web.api('POST', '/api/v1/downtimes', web.writer, { scope: { series: ['site3.db01.*'] }, start: NOW - 300, end: NOW + 3600, reason: 'database migration' });
  page = await pageWithToken(browser, web.viewer);
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

const iconOf = (series: string) => page.locator(`rm-series-tree tr[data-series="${series}"] rm-status-icon`);
const rows = () => page.locator('rm-series-tree tr[data-series]');
const rowNames = () => rows().evaluateAll((trs) => trs.map((tr) => (tr as unknown as { dataset: { series: string } }).dataset.series));
const count = (kind: string) => page.locator(`rm-state-counts button[data-kind="${kind}"] .n`).innerText();

describe('overview', () => {
  beforeAll(async () => {
    await page.goto(`${web.url}/`);
    await rows().first().waitFor();
  });

  it('groups every series by prefix and shows what is over threshold at a glance', async () => {
    // Problems first: the CRITICAL group and series above the rest, NODATA next, the downtime, then OK.
    expect(await rowNames()).toEqual(['site3.web01.load', 'site3.web01.cpu', 'site3.db01.load', 'site3.web02.load']);
    expect(await page.locator('rm-series-tree details[data-prefix]').evaluateAll((ds) => ds.map((d) => (d as unknown as { dataset: { prefix: string } }).dataset.prefix))).toEqual([
      'site3',
      'site3.web01',
      'site3.db01',
      'site3.web02',
    ]);
    expect(await iconOf('site3.web01.load').getAttribute('kind')).toBe('CRITICAL');
    expect(await iconOf('site3.web01.load').locator('svg').getAttribute('aria-label')).toMatch(/^Critical: load-high: Critical since/);
    expect(await page.locator('rm-series-tree details[data-prefix="site3.web01"] > summary rm-status-icon').getAttribute('kind')).toBe('CRITICAL');
    expect(await page.locator('rm-series-tree details[data-prefix="site3"] > summary rm-status-icon').getAttribute('kind')).toBe('CRITICAL');
    expect(await iconOf('site3.web02.load').getAttribute('kind')).toBe('OK');
    expect(await iconOf('site3.web01.cpu').getAttribute('kind')).toBe('NODATA');
    expect(await iconOf('site3.db01.load').getAttribute('kind')).toBe('DOWNTIME');
    expect(await iconOf('site3.db01.load').locator('svg').getAttribute('aria-label')).toContain('database migration');
    const counts = await Promise.all(['CRITICAL', 'WARNING', 'NODATA', 'DOWNTIME', 'OK'].map(count));
    expect(counts).toEqual(['1', '0', '1', '1', '1']);
    expect(await page.locator('#no-alarms').count()).toBe(0);
    await screenshot(page, 'overview');
  });

  it('filters by name and by state, keeping both in the URL', async () => {
    await page.getByLabel('Filter series').fill('web01');
    await expect.poll(rowNames).toEqual(['site3.web01.load', 'site3.web01.cpu']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('web01');
    await page.locator('rm-state-counts button[data-kind="NODATA"]').click();
    await expect.poll(rowNames).toEqual(['site3.web01.cpu']);
    expect(new URL(page.url()).searchParams.get('state')).toBe('NODATA');
    await page.reload();
    await expect.poll(rowNames).toEqual(['site3.web01.cpu']);
    expect(await page.getByLabel('Filter series').inputValue()).toBe('web01');
    expect(await page.locator('rm-state-counts button[data-kind="NODATA"]').getAttribute('aria-pressed')).toBe('true');
    await page.goto(`${web.url}/?q=${encodeURIComponent('site3.*.load')}`);
    await expect.poll(rowNames).toEqual(['site3.web01.load', 'site3.db01.load', 'site3.web02.load']);
  });

  it('opens the graph of the series picked, with threshold lines and the alarm marker', async () => {
    await page.goto(`${web.url}/`);
    await rows().first().waitFor();
    await page.getByLabel('Select site3.web01.load for a graph').check();
    await page.getByLabel('Select site3.web02.load for a graph').check();
    await page.getByRole('link', { name: 'Graph the 2 selected' }).click();
    await page.locator('rm-graph-view[data-painted]').waitFor();
    expect(new URL(page.url()).searchParams.getAll('s')).toEqual(['site3.web01.load', 'site3.web02.load']);
    const drawn = await chartElement(page).evaluate((el) => {
      const e = el as unknown as { overlays: { thresholds: { level: string; value: number; series: string }[]; markers: { at: number; to: string; series: string }[] }; chart: { scales: { y: { max: number } } } };
      return { thresholds: e.overlays.thresholds.map((t) => [t.series, t.level, t.value]), markers: e.overlays.markers.map((m) => [m.series, m.to, m.at]), yMax: e.chart.scales.y.max };
    });
    expect(drawn.thresholds).toEqual([
      ['site3.web01.load', 'warning', 5],
      ['site3.web01.load', 'critical', 10],
      ['site3.web02.load', 'warning', 5],
      ['site3.web02.load', 'critical', 10],
    ]);
    expect(drawn.markers.map(([series, to]) => [series, to])).toEqual([['site3.web01.load', 'CRITICAL']]);
    expect(Number(drawn.markers[0][2]) / 1000).toBeGreaterThanOrEqual(NOW - 1800);
    expect(Number(drawn.markers[0][2]) / 1000).toBeLessThanOrEqual(NOW);
    expect(drawn.yMax).toBeGreaterThanOrEqual(12);
    await screenshot(page, 'graph-alarm');
  });
});

describe('alarms view', () => {
  it('lists the alarms now, their changes and the notification log', async () => {
    await page.goto(`${web.url}/?view=alarms`);
    const critical = page.locator('rm-alarms-view #alarms tr[data-state="CRITICAL"]');
    await critical.first().waitFor();
    expect(await critical.count()).toBe(1);
    expect(await critical.innerText()).toContain('site3.web01.load');
    expect(await page.locator('rm-alarms-view #alarms tbody tr').first().getAttribute('data-state')).toBe('CRITICAL');
    expect(await page.locator('rm-alarms-view #history tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('rm-alarms-view #history').innerText()).toContain('OK → CRITICAL');
    await screenshot(page, 'alarms');
  });
});

describe('a server without an alarms API', () => {
  it('says so and shows OK or NODATA from the data, with downtimes', async () => {
    const other = await pageWithToken(browser, web.viewer);
    await other.route('**/api/v1/alarms*', (route) => route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { code: 'not_found', message: 'no route GET /api/v1/alarms' } }) }));
    await other.goto(`${web.url}/`);
    await other.locator('#no-alarms').waitFor();
    const kind = (series: string) => other.locator(`rm-series-tree tr[data-series="${series}"] rm-status-icon`).getAttribute('kind');
    expect([await kind('site3.web01.load'), await kind('site3.web01.cpu'), await kind('site3.db01.load')]).toEqual(['OK', 'NODATA', 'DOWNTIME']);
    await other.context().close();
  });
});
