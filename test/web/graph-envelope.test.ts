/**
 * The faster graph in headless Chromium against a real server: 20 series ×
 * a day of 10 s rows come consolidated by the server to the chart's width
 * (format=compact) in an answer a small fraction of the rows' JSON, without
 * float noise, and a spike of one row among 8,640 shows in its series' MIN/
 * MAX band (pixels, within the y axis) and the line's tooltip though the
 * mean line barely rises there. Once laid out, the graph asks the plot
 * area's width.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coloursAround, drawnEnvelopes, drawnSeries, pixelOf } from './helpers/chart-probe.js';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

let web: WebTestServer;
let browser: Browser;
let page: Page;
let answer = '';

const DAY = 86_400;
const END = Math.floor(Date.now() / 1000 / 10) * 10 - 60;
const START = END - DAY;
const SPIKE_AT = START + 40_000;
const SPIKE = 100;
const names = Array.from({ length: 20 }, (_, i) => `env.host${String(i).padStart(2, '0')}.load`);
/** Values with every digit a double has (sin), so an unrounded answer would carry 16 or 17 of them. */
const value = (t: number, i: number): number => (i === 0 ? (t === SPIKE_AT ? SPIKE : 1 + Math.abs(Math.sin(t / 900)) / 10) : Math.sin(t / 3600 + i) * 10 + 20);
/** The JSON of the same view as rows (today's path) was 5.4 MB; the compact answer must stay far below. */
const MAX_ANSWER_BYTES = 800_000;

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebTestServer(), launchBrowser()]);
  const samples: [string, number, number][] = [];
  for (let t = START - 60; t <= END; t += 10) for (const [i, name] of names.entries()) samples.push([name, t, value(t, i)]);
  await web.ingest(samples);
  page = await pageWithToken(browser, web.viewer);
  await page.setViewportSize({ width: 1280, height: 900 });
  const fetched = page.waitForResponse((r) => r.url().includes('/api/v1/fetch?'));
  await page.goto(`${web.url}/?view=graph&${names.map((n) => `s=${n}`).join('&')}&from=${START}&to=${END}`);
  answer = await (await fetched).text();
  await page.locator('rm-graph-view[data-painted]').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

interface Compact {
  series: string;
  step: number;
  values: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
}

describe('graph of 20 series × 1 day at 10 s', () => {
  it('asks for the chart width in the compact format and gets a small answer', async () => {
    const url = new URL((await page.evaluate(() => performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/fetch?'))?.name)) ?? '');
    expect(url.searchParams.get('format')).toBe('compact');
    const width = Number(url.searchParams.get('width'));
    expect(width).toBeGreaterThan(1000);
    expect(width).toBeLessThanOrEqual(1280);
    const series = (JSON.parse(answer) as { series: Compact[] }).series;
    expect(series.map((s) => s.series)).toEqual(names);
    for (const s of series) expect(s.values.length).toBeLessThanOrEqual(width);
    expect(series[0].step).toBeGreaterThan(10);
    console.log(`compact answer for 20 series × 1 day: ${answer.length.toLocaleString('en')} bytes, ${series[0].values.length} values of ${series[0].step} s a series`);
    expect(answer.length).toBeLessThan(MAX_ANSWER_BYTES);
  });

  it('carries no float noise: 7 significant digits at most', () => {
    const series = (JSON.parse(answer) as { series: Compact[] }).series;
    const digits = (v: number): number => v.toExponential().replace(/e.*$/, '').replace(/[-.]/g, '').length;
    const values = series.flatMap((s) => [...s.values, ...s.min, ...s.max]).filter((v): v is number => v !== null);
    expect(values.length).toBeGreaterThan(20 * 3 * 1000);
    expect(Math.max(...values.map(digits))).toBeLessThanOrEqual(7);
    expect(answer).not.toMatch(/\d\.\d{8,}/);
  });

  it('keeps a one-row spike in the MIN/MAX band, drawn in a tint of the series colour, not in the mean line', async () => {
    const [band] = (await drawnEnvelopes(page)).filter((e) => e.series === names[0]);
    expect(band).toBeDefined();
    const [line] = (await drawnSeries(page)).filter((s) => s.label === names[0]);
    // The bucket holding the spike: its highest is the spike, its mean a fraction of it.
    const k = band.high.findIndex(([x]) => x >= SPIKE_AT * 1000);
    expect(band.high[k][1]).toBe(SPIKE);
    expect(line.points[k][1]).toBeLessThan(SPIKE / 4);
    expect(Math.max(...band.high.map(([, y]) => y ?? 0).filter((_, i) => i !== k))).toBeLessThan(1.2);
    // On the canvas: at the spike, high up the plot, the band's light blue (series 0 is #1f77b4); an hour away, nothing.
    const bluish = ([r, , b, a]: [number, number, number, number]) => a > 0 && b - r > 15;
    const at = (t: number) => Promise.all([0.5, 0.7, 0.9].map((f) => coloursAround(page, t, SPIKE * f)));
    const spikeMs = band.high[k][0] - 5000;
    expect((await at(spikeMs)).every((box) => box.some(bluish))).toBe(true);
    expect((await at(spikeMs - 3_600_000)).flat().some(bluish)).toBe(false);
    // The y axis holds the band (the lines alone reach 30).
    const yMax = await page.locator('rm-chart').evaluate((el) => (el as unknown as { chart: { scales: { y: { max: number } } } }).chart.scales.y.max);
    expect(yMax).toBeGreaterThanOrEqual(SPIKE);
    await screenshot(page, 'graph-envelope');
  });

  it("gives the bucket's lowest and highest in the line's tooltip", async () => {
    const [band] = (await drawnEnvelopes(page)).filter((e) => e.series === names[0]);
    const k = band.high.findIndex(([x]) => x >= SPIKE_AT * 1000);
    const { x, area } = await pixelOf(page, band.high[k][0]);
    const box = await page.locator('rm-chart canvas').boundingBox();
    if (!box) throw new Error('no canvas');
    // Buckets are about a pixel apart, so the pointer lands on the spike's bucket or a neighbour: a few pixels either
    // side are tried, and chart.js handles each move on the next animation frame (the tooltip is read until it follows).
    const notes = () => page.locator('rm-chart').evaluate((el) => (el as unknown as { chart: { tooltip: { body?: { after: string[] }[] } } }).chart.tooltip.body?.flatMap((b) => b.after) ?? []);
    const seen: string[] = [];
    for (const dx of [0, -1, 1, -2, 2, -3, 3]) {
      await page.mouse.move(box.x + x + dx, box.y + (area.top + area.bottom) / 2);
      await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
      seen.push(...(await notes()));
      if (seen.some((n) => /^lowest .+, highest 100$/.test(n))) break;
    }
    expect(seen.some((n) => /^lowest .+, highest 100$/.test(n)), seen.join(' | ')).toBe(true);
    await page.mouse.move(0, 0);
  });

  it("asks the plot area's width once a chart is laid out, not the whole element's", async () => {
    const plot = await page.locator('rm-chart').evaluate((el) => (el as unknown as { plotWidth: number }).plotWidth);
    const element = await page.locator('rm-graph-view').evaluate((el) => el.getBoundingClientRect().width);
    expect(plot).toBeLessThan(element - 20);
    const fetched = page.waitForResponse((r) => r.url().includes('/api/v1/fetch?'));
    await page.locator('rm-graph-view').evaluate((el) => (el as unknown as { refresh(): Promise<void> }).refresh());
    expect(Number(new URL((await fetched).url()).searchParams.get('width'))).toBe(Math.round(plot));
  });

  it('leaves the bands out of the legend', async () => {
    const legend = await page.locator('rm-chart').evaluate((el) => (el as unknown as { chart: { legend: { legendItems: { text: string }[] } } }).chart.legend.legendItems.map((i) => i.text));
    expect(legend).toEqual(names);
  });
});
