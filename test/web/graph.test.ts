/**
 * The graph view in headless Chromium against a real server: the series and
 * points drawn are the ones ingested (unknown values as gaps, not zeros),
 * downtime bands are drawn over the right time span in their colours with
 * their reason and author on hover, drag-to-zoom and double-click change
 * the range in the URL, and a server that wants a token for reads gets one
 * through the token dialog.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coloursAround, columnTint, drawnBands, drawnSeries, pixelOf, xRange } from './helpers/chart-probe.js';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

let web: WebTestServer;
let browser: Browser;

// A fixed hour in the recent past, on 10 s boundaries, so rows fall on the samples.
const END = Math.floor(Date.now() / 1000 / 10) * 10 - 60;
const START = END - 3600;
const value = (t: number) => Math.round(Math.sin(t / 300) * 1000) / 100;
const GAP = { from: START + 1200, to: START + 1500 };
const PLANNED = { start: START + 600, end: START + 1200 };
const UNPLANNED = { start: START + 2400, end: START + 2700 };

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebTestServer(), launchBrowser()]);
  const samples: [string, number, number | null][] = [];
  for (let t = START - 600; t <= END; t += 10) {
    samples.push(['site1.web01.load', t, value(t)]);
    samples.push(['site1.web01.errors', t, t > GAP.from && t <= GAP.to ? null : 5]);
    samples.push(['site1.db01.load', t, 2]);
  }
  await web.ingest(samples);
  await web.api('POST', '/api/v1/downtimes', web.writer, { scope: { series: ['site1.web01.*'] }, start: PLANNED.start, end: PLANNED.end, reason: 'kernel upgrade' });
  await web.api('POST', '/api/v1/downtimes', web.writer, { kind: 'unplanned', scope: { series: ['site1.web01.load'] }, start: UNPLANNED.start, end: UNPLANNED.end, reason: 'power loss' });
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

const graphUrl = (from: number, to: number, series: string[]) => `${web.url}/?view=graph&${series.map((s) => `s=${s}`).join('&')}&from=${from}&to=${to}`;

async function openGraph(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('rm-graph-view[data-painted]').waitFor();
}

describe('graph view', () => {
  let page: Page;
  beforeAll(async () => {
    page = await pageWithToken(browser, web.viewer);
    await openGraph(page, graphUrl(START, END, ['site1.web01.load', 'site1.web01.errors']));
  });

  it('draws the series asked for with the ingested points at 10 s', async () => {
    const series = await drawnSeries(page);
    expect(series.map((s) => s.label)).toEqual(['site1.web01.load', 'site1.web01.errors']);
    // The API answers rrdtool's rows: from start + step to the end rounded up, which is not known yet.
    const [load, errors] = series.map((s) => s.points);
    expect(load.length).toBe(361);
    expect(load[0][0]).toBe((START + 10) * 1000);
    expect(load.at(-1)).toEqual([(END + 10) * 1000, null]);
    for (const [x, y] of load.slice(0, -1)) expect(y).toBeCloseTo(value(x / 1000), 6);
    expect(errors.map(([x]) => x)).toEqual(load.map(([x]) => x));
    expect(await xRange(page)).toEqual({ min: START * 1000, max: END * 1000 });
    await screenshot(page, 'graph');
  });

  it('leaves unknown values as gaps, not zeros', async () => {
    const errors = (await drawnSeries(page))[1].points.filter(([x]) => x <= END * 1000);
    const inGap = errors.filter(([x]) => x / 1000 > GAP.from && x / 1000 <= GAP.to);
    expect(inGap.length).toBe(30);
    expect(inGap.every(([, y]) => y === null)).toBe(true);
    const outside = errors.filter(([x]) => x / 1000 <= GAP.from || x / 1000 > GAP.to);
    expect(outside.every(([, y]) => y === 5)).toBe(true);
    // The orange line (#ff7f0e) of value 5 is drawn before the gap and not inside it.
    const orange = ([r, g, b, a]: [number, number, number, number]) => a > 60 && r > g && g > b && r - b > 100;
    expect((await coloursAround(page, (GAP.from - 150) * 1000, 5)).some(orange)).toBe(true);
    expect((await coloursAround(page, ((GAP.from + GAP.to) / 2) * 1000, 5)).some(orange)).toBe(false);
  });

  it('shades each downtime over its time span, planned and unplanned in their colours', async () => {
    const bands = await drawnBands(page);
    expect(bands.map((b) => [b.kind, b.start, b.end, b.reason, b.author])).toEqual([
      ['planned', PLANNED.start * 1000, PLANNED.end * 1000, 'kernel upgrade', 'web-test-writer'],
      ['unplanned', UNPLANNED.start * 1000, UNPLANNED.end * 1000, 'power loss', 'web-test-writer'],
    ]);
    const ms = (t: number) => t * 1000;
    // Inside a band most of the column is tinted; 30 s outside it (about 10 px here) nothing is but where a line crosses.
    const inside = await columnTint(page, ms((PLANNED.start + PLANNED.end) / 2));
    expect(inside.blue / inside.total).toBeGreaterThan(0.8);
    for (const t of [PLANNED.start + 30, PLANNED.end - 30]) expect((await columnTint(page, ms(t))).blue / inside.total).toBeGreaterThan(0.8);
    for (const t of [PLANNED.start - 30, PLANNED.end + 30]) expect((await columnTint(page, ms(t))).blue / inside.total).toBeLessThan(0.05);
    const red = await columnTint(page, ms((UNPLANNED.start + UNPLANNED.end) / 2));
    expect(red.red / red.total).toBeGreaterThan(0.8);
    expect((await columnTint(page, ms(UNPLANNED.end + 30))).red / red.total).toBeLessThan(0.05);
  });

  it('shows reason, author and times when hovering a band', async () => {
    const box = await page.locator('rm-chart canvas').boundingBox();
    if (!box) throw new Error('no canvas box');
    const { x, area } = await pixelOf(page, ((PLANNED.start + PLANNED.end) / 2) * 1000);
    await page.mouse.move(box.x + x, box.y + area.top + 20);
    const card = page.locator('rm-chart #hover-card');
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('Planned downtime');
    expect(text).toContain('kernel upgrade');
    expect(text).toContain('web-test-writer');
    await screenshot(page, 'graph-band-hover');
    await page.mouse.move(box.x + 2, box.y + 2);
    await card.waitFor({ state: 'detached' });
  });

  it('zooms to a dragged span, keeping it in the URL, and double-click goes back', async () => {
    const box = await page.locator('rm-chart canvas').boundingBox();
    if (!box) throw new Error('no canvas box');
    const a = await pixelOf(page, (START + 900) * 1000);
    const b = await pixelOf(page, (START + 1800) * 1000);
    const y = box.y + (a.area.top + a.area.bottom) / 2;
    await page.mouse.move(box.x + a.x, y);
    await page.mouse.down();
    await page.mouse.move(box.x + (a.x + b.x) / 2, y, { steps: 4 });
    await page.mouse.move(box.x + b.x, y, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => xRange(page)).not.toEqual({ min: START * 1000, max: END * 1000 });
    const url = new URL(page.url());
    const from = Number(url.searchParams.get('from'));
    const to = Number(url.searchParams.get('to'));
    // One pixel is about 3 s at this width.
    expect(Math.abs(from - (START + 900))).toBeLessThanOrEqual(10);
    expect(Math.abs(to - (START + 1800))).toBeLessThanOrEqual(10);
    await expect.poll(async () => (await xRange(page))?.min).toBe(from * 1000);
    expect(url.searchParams.getAll('s')).toEqual(['site1.web01.load', 'site1.web01.errors']);
    await screenshot(page, 'graph-zoomed');
    await page.mouse.dblclick(box.x + (a.x + b.x) / 2, y);
    await expect.poll(() => xRange(page)).toEqual({ min: START * 1000, max: END * 1000 });
    expect(new URL(page.url()).searchParams.get('from')).toBe(String(START));
  });

  it('changes the range with the preset buttons, and back restores the previous one', async () => {
    await page.locator('rm-range-picker button[data-preset="1w"]').click();
    await expect.poll(async () => { const r = await xRange(page); return r ? r.max - r.min : 0; }).toBe(7 * 86_400_000);
    expect(new URL(page.url()).searchParams.get('range')).toBe('1w');
    expect(await page.locator('rm-range-picker button[data-preset="1w"]').getAttribute('aria-pressed')).toBe('true');
    await page.goBack();
    await expect.poll(() => xRange(page)).toEqual({ min: START * 1000, max: END * 1000 });
  });
});

describe('a server whose reads need a token', () => {
  it('asks for one, keeps it out of the URL, and draws once it is given', async () => {
    const page = await pageWithToken(browser, null);
    await page.goto(graphUrl(START, END, ['site1.db01.load']));
    const dialog = page.locator('rm-token-dialog dialog[open]');
    await dialog.waitFor();
    const input = dialog.getByLabel('Token');
    await expect.poll(() => input.evaluate((el) => (el.getRootNode() as unknown as { activeElement: unknown }).activeElement === el)).toBe(true);
    await input.fill(web.viewer);
    await input.press('Enter');
    await page.locator('rm-graph-view[data-painted]').waitFor();
    const series = await drawnSeries(page);
    expect(series.map((s) => s.label)).toEqual(['site1.db01.load']);
    expect(series[0].points.filter(([x]) => x <= END * 1000).every(([, y]) => y === 2)).toBe(true);
    expect(page.url()).not.toContain(web.viewer);
    expect(await page.evaluate('sessionStorage.getItem("ringmon.token")')).toBe(web.viewer);
    await page.context().close();
  });
});
