/**
 * The heatmap view in headless Chromium against a real server: the hourly
 * error rates of test/helpers/heatmap-days.ts (three brokers, three UTC
 * days, the grid derived by hand) and the broker-errors view of the
 * issue's example. The cells' colours are read from the page (computed
 * style and the screenshot's pixels), the legend names the classes with
 * the unit, hovering a cell says its series, time range and value with its
 * unit, and a click opens the graph of that series over that bucket.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { BLACK, BLUE, BROKER_VIEW, DAY, EXPECTED_COLOURS, firstDay, HEATMAP_ARCHIVES, heatmapSamples, RED, YELLOW } from '../helpers/heatmap-days.js';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-web-heatmap-'));
const D0 = firstDay();
let web: WebTestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const metadataFile = join(dir, 'nodes.yaml');
  writeFileSync(metadataFile, 'a:\n  name: Broker A\n');
  const extraConfig = stringify({ metadata: { file: metadataFile, key: 'broker.{node}.*' }, heatmaps: { views: [BROKER_VIEW] } });
  const archives = ['  default:', ...Object.entries(HEATMAP_ARCHIVES).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)];
  [web, browser] = await Promise.all([startWebTestServer({ archives, extraConfig }), launchBrowser()]);
  await web.ingest(heatmapSamples(D0).map(({ series, t, v }) => [series, t, v] as const));
  page = await pageWithToken(browser, web.viewer);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  rmSync(dir, { recursive: true, force: true });
});

const cells = () => page.locator('rm-heatmap-view td.cell');
const cell = (row: number, col: number) => page.locator(`rm-heatmap-view td.cell[data-row="${row}"][data-col="${col}"]`);
const hex = (rgb: string): string => {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
  return `#${[r, g, b].map((n) => n.toString(16).padStart(2, '0')).join('')}`;
};

describe('the heatmap view', () => {
  it('colours each cell by its class, with a legend', async () => {
    await page.goto(`${web.url}/?view=heatmap&hv=broker-errors&from=${D0}&to=${D0 + 3 * DAY}`);
    await cells().first().waitFor();
    expect(await cells().count()).toBe(9);
    for (let row = 0; row < 3; row++) {
      for (let col = 0; col < 3; col++) {
        const colour = await cell(row, col).evaluate((td) => td.ownerDocument.defaultView?.getComputedStyle(td).backgroundColor ?? '');
        expect(hex(colour), `cell ${row},${col}`).toBe(EXPECTED_COLOURS[row][col]);
      }
    }
    const rows = await page.locator('rm-heatmap-view tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-series')));
    expect(rows).toEqual(['broker.a.error_rate', 'broker.b.error_rate', 'broker.c.error_rate']);
    expect(await page.locator('rm-heatmap-view tbody th.row').first().innerText()).toBe('Broker A (broker.a.error_rate)');
    const legend = await page.locator('rm-heatmap-view .legend li').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-colour'), li.textContent?.trim()]));
    expect(legend).toEqual([
      [BLACK, 'no data'],
      [BLUE, '0 %'],
      [YELLOW, '≤ 10 %'],
      [RED, '> 10 %'],
    ]);
  });

  it('draws those colours on the screen (pixels of the screenshot)', async () => {
    await screenshot(page, 'heatmap');
    const shot = PNG.sync.read(await page.screenshot());
    for (let row = 0; row < 3; row++) {
      for (let col = 0; col < 3; col++) {
        const box = await cell(row, col).boundingBox();
        if (!box) throw new Error(`cell ${row},${col} not laid out`);
        const x = Math.round(box.x + box.width / 2);
        const y = Math.round(box.y + box.height / 2);
        const i = (y * shot.width + x) * 4;
        const seen = `#${[shot.data[i], shot.data[i + 1], shot.data[i + 2]].map((n) => n.toString(16).padStart(2, '0')).join('')}`;
        expect(seen, `pixel of cell ${row},${col}`).toBe(EXPECTED_COLOURS[row][col]);
      }
    }
  });

  it('says the series, time range and value with its unit on hover', async () => {
    await cell(0, 1).hover();
    const text = await page.locator('rm-heatmap-view #heatmap-hover').innerText();
    expect(text).toContain('Broker A (broker.a.error_rate)');
    expect(text).toContain('AVERAGE 5%');
    const day = (t: number) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(t * 1000);
    expect(text).toContain(day(D0 + DAY));
    expect(text).toContain(day(D0 + 2 * DAY));
    await cell(1, 0).hover();
    expect(await page.locator('rm-heatmap-view #heatmap-hover').innerText()).toContain('broker.b.error_rate');
    expect(await page.locator('rm-heatmap-view #heatmap-hover').innerText()).toContain('no data');
    await screenshot(page, 'heatmap-hover');
  });

  it('opens the graph of the series over the bucket on click', async () => {
    await cell(2, 2).click();
    await page.locator('rm-graph-view').waitFor();
    const url = new URL(page.url());
    expect(url.searchParams.get('view')).toBe('graph');
    expect(url.searchParams.getAll('s')).toEqual(['broker.c.error_rate']);
    expect([url.searchParams.get('from'), url.searchParams.get('to')]).toEqual([String(D0 + 2 * DAY), String(D0 + 3 * DAY)]);
    expect(url.searchParams.get('hv')).toBeNull();
    await page.goBack();
    await cells().first().waitFor();
    expect(new URL(page.url()).searchParams.get('hv')).toBe('broker-errors');
  });

  it('is reached from the navigation, showing the first view over a month', async () => {
    await page.goto(`${web.url}/`);
    await page.locator('rm-app nav a', { hasText: 'Heatmap' }).click();
    await cells().first().waitFor();
    const url = new URL(page.url());
    expect([url.searchParams.get('view'), url.searchParams.get('range')]).toEqual(['heatmap', '1M']);
    // A month of days: the three days of samples are among them, the rest without data.
    expect(await page.locator('rm-heatmap-view tbody tr').count()).toBe(3);
    expect(await page.locator('rm-heatmap-view tbody tr').first().locator('td.cell').count()).toBeGreaterThanOrEqual(31);
  });
});
