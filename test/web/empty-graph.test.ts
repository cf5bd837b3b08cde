/**
 * A graph that draws nothing says why, in headless Chromium against a real
 * server with real ingested samples, and the overview shows the series
 * whose samples miss their archive:
 * - samples every 60 s into a 10 s archive (an archives rule, heartbeat
 *   30 s) are stored as unknown: the graph says so, with the step and
 *   heartbeat, and how to reshape; the server's drift report becomes the
 *   message "samples every 60 s; archive expects 10 s (heartbeat 30 s)" and
 *   the overview badge; samples every 10 s into a 1 h archive get the badge
 *   "samples every 10 s; archive keeps 1 h", and a toggle shows only the
 *   series with such problems;
 * - a series nobody sent: "no samples yet", in the legend of a graph whose
 *   other series draws;
 * - a new series with two samples and no interval is held while its
 *   cadence is learned: the graph gives the server's words;
 * - a range before the first sample: "no samples in this range" with the
 *   last sample's time and a link to a range that holds it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/wait.js';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { drawnSeries } from './helpers/chart-probe.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

let web: WebTestServer;
let browser: Browser;
let page: Page;

const NOW = Math.floor(Date.now() / 1000 / 10) * 10;
const SLOW = 'ten.slow.load';
const STEADY = 'ten.steady.load';
const HELD = 'fresh.one.load';
const NEVER = 'never.sent.load';
const FAST = 'hour.fast.load';

// Series under ten.** get a 10 s archive with a 30 s heartbeat; the rest the template at their cadence, learned within an hour.
const ARCHIVES = ['  inferWithin: 1h', '  rules:', '    - match: ten.**', '      step: 10s', '      heartbeat: 30s', '      retentions: 10s:1d', '      cfs: [AVERAGE]', '    - match: hour.**', '      step: 1h', '      retentions: 1h:30d'];

// Drift is judged at each flush: every second here, not every minute.
const FLUSH_OFTEN = ['writeBehind:', '  flushIntervalSeconds: 1s'].join('\n');

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebTestServer({ archives: ARCHIVES, extraConfig: FLUSH_OFTEN }), launchBrowser()]);
  const samples: [string, number, number][] = [];
  for (let t = NOW - 1800; t <= NOW; t += 10) {
    samples.push([STEADY, t, 3], [FAST, t, 4]);
    if ((NOW - t) % 60 === 0) samples.push([SLOW, t, 7]);
  }
  samples.push([HELD, NOW - 20, 1], [HELD, NOW - 10, 2]);
  await web.ingest(samples);
  page = await pageWithToken(browser, web.viewer);
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

const graphUrl = (series: string[], range = '&range=1h') => `${web.url}/?view=graph&${series.map((s) => `s=${s}`).join('&')}${range}`;
const note = (series: string) => page.locator(`rm-graph-view rm-empty-notes li[data-series="${series}"]`);

async function openGraph(url: string): Promise<void> {
  await page.goto(url);
  await page.locator('rm-graph-view[data-painted]').waitFor();
}

describe('a graph with nothing to draw says why', () => {
  it('samples further apart than the heartbeat: stored as unknown, with the step, heartbeat and how to fix it', async () => {
    // The API itself: 31 samples accepted, and of 180 rows only the first sample's has a value (its gap from the archive's start is one step).
    const fetched = await web.api<{ series: { rows: [number, number | null][] }[] }>('GET', `/api/v1/fetch?series=${SLOW}&start=${NOW - 1800}&end=${NOW}`, web.viewer);
    expect(fetched.series[0].rows.length).toBeGreaterThan(100);
    expect(fetched.series[0].rows.filter(([, v]) => v !== null).length).toBeLessThanOrEqual(1);
    await openGraph(graphUrl([SLOW]));
    const overlay = page.locator('rm-graph-view rm-empty-notes[overlay]');
    expect(await overlay.locator('[role="status"]').count()).toBe(1);
    const item = note(SLOW);
    expect(['drift', 'unknown']).toContain(await item.getAttribute('data-reason'));
    const text = await item.innerText();
    expect(text).toMatch(/unknown/);
    // The step and the heartbeat, with their units, whether the server has reported the drift yet or not.
    expect(text).toContain('10 s');
    expect(text).toContain('30 s');
    expect(text).toContain('ringmon archive reshape');
    expect(text).toContain('/api/v1/admin/reshape');
    // No line: no two neighbouring points with values.
    const [points] = (await drawnSeries(page)).map((s) => s.points);
    expect(points.some(([, y], i) => y !== null && points[i + 1]?.[1] != null)).toBe(false);
    await screenshot(page, 'graph-empty-unknown');
  });

  it('a series nobody sent: "no samples yet", for that series only, under a chart that draws the other', async () => {
    await openGraph(graphUrl([STEADY, NEVER]));
    expect(await note(NEVER).getAttribute('data-reason')).toBe('never');
    expect(await note(NEVER).innerText()).toContain('no samples yet');
    expect(await note(STEADY).count()).toBe(0);
    // Not over the chart: the steady series is drawn.
    expect(await page.locator('rm-graph-view rm-empty-notes[overlay]').count()).toBe(0);
    const drawn = await drawnSeries(page);
    expect(drawn.map((s) => s.label)).toEqual([STEADY]);
    expect(drawn[0].points.some(([, y]) => y === 3)).toBe(true);
    await screenshot(page, 'graph-empty-never');
  });

  it('a new series held while its cadence is learned: the server says how many samples since when', async () => {
    await openGraph(graphUrl([HELD]));
    const item = note(HELD);
    expect(await item.getAttribute('data-reason')).toBe('held');
    const text = await item.innerText();
    expect(text).toContain('held while its cadence is learned');
    expect(text).toContain('2 samples held since');
    expect(text).toContain('third sample');
    await screenshot(page, 'graph-held');
  });

  it('a range before the first sample: "no samples in this range", the last sample\'s time, and a link to a range with it', async () => {
    const from = NOW - 7200;
    const to = NOW - 3600;
    await openGraph(graphUrl([STEADY], `&from=${from}&to=${to}`));
    const item = note(STEADY);
    expect(await item.getAttribute('data-reason')).toBe('outside');
    expect(await item.innerText()).toContain('no samples in this range');
    const last = Date.parse((await item.locator('time').getAttribute('datetime')) ?? '') / 1000;
    expect(last).toBe(NOW);
    await screenshot(page, 'graph-empty-outside');
    await item.getByRole('link', { name: 'Show a range with it' }).click();
    await expect.poll(async () => Number(new URL(page.url()).searchParams.get('to'))).toBeGreaterThan(NOW);
    const url = new URL(page.url());
    expect(Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'))).toBe(3600);
    expect(url.searchParams.getAll('s')).toEqual([STEADY]);
    await expect.poll(async () => (await drawnSeries(page))[0]?.points.some(([, y]) => y === 3) ?? false).toBe(true);
    expect(await page.locator('rm-graph-view rm-empty-notes').count()).toBe(0);
  });
});

describe('series whose samples miss their archive (server drift report)', () => {
  beforeAll(async () => {
    // The server reports drift once it has seen the gaps; it may take a flush.
    const listed = async () => (await web.api<{ series: { drift?: unknown }[] }>('GET', `/api/v1/series?match=${SLOW}`, web.viewer)).series[0];
    await until(async () => (await listed())?.drift !== undefined, `the drift of ${SLOW} in GET /api/v1/series`, 20_000);
    const fast = async () => (await web.api<{ series: { drift?: unknown }[] }>('GET', `/api/v1/series?match=${FAST}`, web.viewer)).series[0];
    await until(async () => (await fast())?.drift !== undefined, `the drift of ${FAST} in GET /api/v1/series`, 20_000);
  });

  it('the graph gives the observed interval against the step and heartbeat', async () => {
    await openGraph(graphUrl([SLOW]));
    expect(await note(SLOW).getAttribute('data-reason')).toBe('drift');
    expect(await note(SLOW).innerText()).toContain('samples every 60 s; archive expects 10 s (heartbeat 30 s)');
    await screenshot(page, 'graph-empty-drift');
  });

  it('the overview puts a badge on the series and its groups, and one on the held series', async () => {
    await page.goto(`${web.url}/`);
    const row = page.locator(`rm-series-tree tr[data-series="${SLOW}"]`);
    await row.waitFor();
    expect(await row.locator('[data-badge="drift"]').innerText()).toBe('samples every 60 s; archive expects 10 s');
    expect(await page.locator('rm-series-tree details[data-prefix="ten.slow"] > summary [data-badge="drift"]').innerText()).toBe('1 series: samples every 60 s; archive expects 10 s');
    expect(await page.locator('rm-series-tree details[data-prefix="ten"] > summary [data-badge="drift"]').innerText()).toBe('1 series: samples every 60 s; archive expects 10 s');
    expect(await page.locator(`rm-series-tree tr[data-series="${STEADY}"] [data-badge]`).count()).toBe(0);
    expect(await page.locator(`rm-series-tree tr[data-series="${HELD}"] [data-badge="held"]`).innerText()).toMatch(/^held: 2 samples since /);
    expect(await page.locator(`rm-series-tree tr[data-series="${FAST}"] [data-badge="drift"]`).innerText()).toBe('samples every 10 s; archive keeps 1 h');
    await screenshot(page, 'overview-drift');
  });

  it('the overview narrows to the series whose samples miss their archive, keeping it in the URL', async () => {
    const rowNames = () => page.locator('rm-series-tree tr[data-series]').evaluateAll((trs) => trs.map((tr) => (tr as unknown as { dataset: { series: string } }).dataset.series));
    await page.goto(`${web.url}/`);
    await expect.poll(rowNames).toEqual([HELD, FAST, SLOW, STEADY]);
    const toggle = page.locator('rm-overview #problems');
    expect(await toggle.locator('.n').innerText()).toBe('3');
    await toggle.click();
    await expect.poll(rowNames).toEqual([HELD, FAST, SLOW]);
    expect(new URL(page.url()).searchParams.get('problems')).toBe('1');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    await expect.poll(rowNames).toEqual([HELD, FAST, SLOW]);
    await page.locator('rm-overview #problems').click();
    await expect.poll(rowNames).toEqual([HELD, FAST, SLOW, STEADY]);
    expect(new URL(page.url()).searchParams.has('problems')).toBe(false);
  });
});
