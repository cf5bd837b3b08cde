/**
 * Host pages in headless Chromium against a real server: an agent `web01`
 * heartbeats with two instances (`host.web01`, `disk.web01`) whose series
 * are CPU %, memory bytes and %, two disks in bytes and an interface's
 * byte counters (B/s), each sample declaring its unit; an alarm rule
 * makes its CPU CRITICAL. Its host page shows the open alarm on top, the
 * node with its last contact, and one small graph per unit-coherent set
 * (titles, one unit each, lines drawn), each fetched at about its width;
 * a panel's link opens the full graph of exactly its series. The overview
 * lists the CRITICAL host above OK ones and links groups and nodes to
 * their host pages. "Forget token" is on a page opened by URL whose token
 * came through the dialog, and clears it.
 * Screenshot: test-output/web/host-page.png.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/wait.js';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

const NOW = Math.floor(Date.now() / 1000);
const RULES = ['alarms:', '  rules:', '    - name: cpu-busy', '      match: host.*.cpu.busy_percent', '      critical: "> 90"'].join('\n');
/** The host's series: value (a counter's increase per 10 s), unit; `aaa.web02.load` sorts first by name but is OK. */
const SERIES: readonly { series: string; v: number; unit?: string; kind?: 'COUNTER' }[] = [
  { series: 'host.web01.cpu.busy_percent', v: 95, unit: '%' },
  { series: 'host.web01.cpu.user_percent', v: 40, unit: '%' },
  { series: 'host.web01.memory.used_bytes', v: 3e9, unit: 'B' },
  { series: 'host.web01.memory.total_bytes', v: 8e9, unit: 'B' },
  { series: 'host.web01.memory.used_percent', v: 37.5, unit: '%' },
  // Byte counters: stored as rates, listed in B/s.
  { series: 'host.web01.net.eth0.rx_bytes', v: 2e6, unit: 'B', kind: 'COUNTER' },
  { series: 'host.web01.net.eth0.tx_bytes', v: 5e5, unit: 'B', kind: 'COUNTER' },
  { series: 'disk.web01.mount.root.used_bytes', v: 2e10, unit: 'B' },
  { series: 'disk.web01.mount.var.used_bytes', v: 5e10, unit: 'B' },
  { series: 'aaa.web02.load', v: 1 },
];

let web: WebTestServer;
let browser: Browser;
let page: Page;
let timer: ReturnType<typeof setInterval> | undefined;

async function heartbeat(): Promise<void> {
  const instances = ['host.web01', 'disk.web01'].map((name) => ({ name, slurper: name.split('.')[0], up: true, lastRun: Math.floor(Date.now() / 1000) }));
  const body = { name: 'web01', hostname: 'web01.lab.example', version: 'test', instances, spooledSamples: 0 };
  const res = await fetch(`${web.url}/api/v1/agents/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${web.ingestToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 204) throw new Error(`heartbeat: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebTestServer({ extraConfig: RULES, heartbeat: '5m' }), launchBrowser()]);
  const samples: object[] = [];
  for (let t = NOW - 1800, i = 0; t <= NOW; t += 10, i++) for (const { v, kind, ...rest } of SERIES) samples.push({ ...rest, ...(kind ? { kind } : {}), t, v: kind ? v * i : v });
  const answer = await web.api<{ rejected: unknown[] }>('POST', '/api/v1/samples', web.writer, samples);
  expect(answer.rejected).toEqual([]);
  await heartbeat();
  timer = setInterval(() => void heartbeat().catch(() => undefined), 2000);
  await until(
    async () => (await web.api<{ alarms: { series: string; state: string }[] }>('GET', '/api/v1/alarms', web.viewer)).alarms.some((a) => a.state === 'CRITICAL'),
    'the CPU alarm CRITICAL',
    20_000,
  );
  page = await pageWithToken(browser, web.viewer);
}, 120_000);

afterAll(async () => {
  clearInterval(timer);
  await browser?.close();
  await web?.close();
});

const panels = () => page.locator('rm-host-panel');
const panelTitled = (title: string) => panels().filter({ has: page.locator('h3', { hasText: new RegExp(`^${title.replace(/[()]/g, '\\$&')}$`) }) });

/** The pixels of each palette colour in the plot area of a panel's chart (chart.js draws series 0 blue, 1 orange). */
function linePixels(panel: Locator): Promise<{ blue: number; orange: number; total: number }> {
  return panel.locator('rm-chart').evaluate((el) => {
    const chart = (el as unknown as { chart?: { chartArea: { left: number; right: number; top: number; bottom: number }; ctx: { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } }; currentDevicePixelRatio: number } }).chart;
    if (!chart) throw new Error('no chart');
    const r = chart.currentDevicePixelRatio;
    const { left, right, top, bottom } = chart.chartArea;
    const { data } = chart.ctx.getImageData(Math.round(left * r), Math.round(top * r), Math.round((right - left) * r), Math.round((bottom - top) * r));
    let blue = 0;
    let orange = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [red, green, b] = [data[i], data[i + 1], data[i + 2]];
      if (b - red > 80 && green < 160) blue++;
      else if (red - b > 120 && green > 90 && green < 170) orange++;
    }
    return { blue, orange, total: data.length / 4 };
  });
}

describe('a host page', () => {
  const fetches: URL[] = [];

  beforeAll(async () => {
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/fetch?')) fetches.push(new URL(r.url()));
    });
    // The last hour, of which the samples fill half.
    await page.goto(`${web.url}/?view=host&h=web01&range=1h`);
    await panels().first().waitFor();
  });

  it('shows a grid of small graphs, one per set of the host series and unit, titled, each with its unit', async () => {
    const shown = await panels().evaluateAll((els) =>
      els.map((el) => {
        const root = (el as unknown as { shadowRoot: { querySelector(s: string): { textContent: string | null; getAttribute(a: string): string | null } | null } }).shadowRoot;
        return [root.querySelector('h3')?.textContent?.trim(), root.querySelector('.unit')?.getAttribute('data-unit')];
      }),
    );
    expect(shown).toEqual([
      ['CPU', '%'],
      ['Memory (%)', '%'],
      ['Memory (B)', 'B'],
      ['Disk root', 'B'],
      ['Disk var', 'B'],
      ['Interface eth0', 'B/s'],
    ]);
    const series = await panels().evaluateAll((els) => els.map((el) => (el as unknown as { panel: { series: string[] } }).panel.series));
    expect(series).toEqual([
      ['host.web01.cpu.busy_percent', 'host.web01.cpu.user_percent'],
      ['host.web01.memory.used_percent'],
      ['host.web01.memory.total_bytes', 'host.web01.memory.used_bytes'],
      ['disk.web01.mount.root.used_bytes'],
      ['disk.web01.mount.var.used_bytes'],
      ['host.web01.net.eth0.rx_bytes', 'host.web01.net.eth0.tx_bytes'],
    ]);
    expect(await panelTitled('Interface eth0').locator('.unit').innerText()).toBe('B/s');
  });

  it('draws each small graph from a fetch of about its width, its lines in the plot', async () => {
    const cpu = panelTitled('CPU');
    await until(async () => (await cpu.locator('rm-chart').evaluate((el) => (el as unknown as { chart?: { data: { datasets: unknown[] } } }).chart?.data.datasets.length ?? 0)) === 2, 'the CPU graph drawn');
    const labels = await cpu.locator('rm-chart').evaluate((el) => (el as unknown as { chart: { data: { datasets: { label: string }[] } } }).chart.data.datasets.map((d) => d.label));
    expect(labels).toEqual(['busy_percent', 'user_percent']);
    const pixels = await linePixels(cpu);
    // Two flat lines over half the plot's width, each at least a pixel thick.
    const plotWidth = await cpu.locator('rm-chart').evaluate((el) => {
      const area = (el as unknown as { chart: { chartArea: { left: number; right: number } } }).chart.chartArea;
      return area.right - area.left;
    });
    expect(pixels.blue).toBeGreaterThan(plotWidth * 0.4);
    expect(pixels.orange).toBeGreaterThan(plotWidth * 0.4);
    const width = await cpu.evaluate((el) => el.getBoundingClientRect().width);
    const asked = fetches.find((u) => u.searchParams.getAll('series').includes('host.web01.cpu.busy_percent'));
    expect(asked?.searchParams.getAll('series')).toEqual(['host.web01.cpu.busy_percent', 'host.web01.cpu.user_percent']);
    expect(asked?.searchParams.get('format')).toBe('compact');
    expect(Number(asked?.searchParams.get('width'))).toBeGreaterThanOrEqual(Math.round(width) - 2);
    expect(Number(asked?.searchParams.get('width'))).toBeLessThanOrEqual(Math.round(width) + 2);
    await screenshot(page, 'host-page');
  });

  it("refreshes (the page's 30 s timer) with one fetch per small graph, and reloads them all in a range picked", async () => {
    const cpuFetches = () => fetches.filter((u) => u.searchParams.getAll('series').includes('host.web01.cpu.busy_percent'));
    const before = cpuFetches().length;
    await page.locator('rm-host-view').evaluate((el) => (el as unknown as { refresh(): Promise<void> }).refresh());
    expect(cpuFetches().length).toBe(before + 1);
    expect(fetches.length).toBeGreaterThanOrEqual(6);
    await page.locator('rm-host-view rm-range-picker').getByRole('button', { name: '1 day' }).click();
    await until(() => cpuFetches().length === before + 2, 'the CPU graph fetched over a day');
    const [last] = cpuFetches().slice(-1);
    expect(Number(last.searchParams.get('end')) - Number(last.searchParams.get('start'))).toBe(86_400);
    expect(new URL(page.url()).searchParams.get('range')).toBe('1d');
    await page.goBack();
    await until(() => cpuFetches().length === before + 3, 'the CPU graph fetched over the hour again');
  });

  it('zooms every small graph to a span dragged across one', async () => {
    const disk = panelTitled('Disk root');
    const canvas = disk.locator('canvas');
    const box = await canvas.boundingBox();
    const area = await disk.locator('rm-chart').evaluate((el) => ({ ...(el as unknown as { chart: { chartArea: { left: number; right: number; top: number; bottom: number } } }).chart.chartArea }));
    if (!box) throw new Error('no canvas box');
    const y = box.y + (area.top + area.bottom) / 2;
    const at = (share: number) => box.x + area.left + (area.right - area.left) * share;
    await page.mouse.move(at(0.5), y);
    await page.mouse.down();
    await page.mouse.move(at(0.7), y, { steps: 4 });
    await page.mouse.move(at(0.9), y, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => new URL(page.url()).searchParams.has('from')).toBe(true);
    const from = Number(new URL(page.url()).searchParams.get('from'));
    const to = Number(new URL(page.url()).searchParams.get('to'));
    // Half to nine tenths of the last hour: about 24 minutes, ending about 6 minutes ago.
    expect(to - from).toBeGreaterThan(20 * 60);
    expect(to - from).toBeLessThan(28 * 60);
    const cpuSpans = () => fetches.filter((u) => u.searchParams.getAll('series').includes('host.web01.cpu.busy_percent')).map((u) => [Number(u.searchParams.get('start')), Number(u.searchParams.get('end'))]);
    await expect.poll(() => cpuSpans().some(([start, end]) => start === from && end === to)).toBe(true);
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('range')).toBe('1h');
  });

  it('lists the open alarms on top and the node with its last contact', async () => {
    const alarm = page.locator('rm-host-view #host-alarms tbody tr');
    expect(await alarm.count()).toBe(1);
    expect(await alarm.getAttribute('data-series')).toBe('host.web01.cpu.busy_percent');
    expect(await alarm.getAttribute('data-state')).toBe('CRITICAL');
    expect(await alarm.locator('td.value').innerText()).toBe('95%');
    const order = await page.locator('rm-host-view').evaluate((el) => Array.from((el as unknown as { shadowRoot: { querySelectorAll(s: string): ArrayLike<{ localName: string }> } }).shadowRoot.querySelectorAll('#host-alarms, rm-nodes-panel, rm-host-panel'), (e) => e.localName));
    expect(order.slice(0, 2)).toEqual(['table', 'rm-nodes-panel']);
    const node = page.locator('rm-host-view rm-nodes-panel tr[data-node="web01"]');
    expect(await node.getAttribute('data-state')).toBe('up');
    expect(await node.locator('td.contact').innerText()).toMatch(/ago \(.*UTC\)/);
  });

  it("opens the full graph of exactly a panel's series from its title", async () => {
    await panelTitled('Interface eth0').locator('h3 a').click();
    await page.locator('rm-graph-view[data-painted]').waitFor();
    expect(new URL(page.url()).searchParams.get('view')).toBe('graph');
    expect(new URL(page.url()).searchParams.getAll('s')).toEqual(['host.web01.net.eth0.rx_bytes', 'host.web01.net.eth0.tx_bytes']);
    const drawn = await page.locator('rm-graph-view rm-chart').evaluate((el) => (el as unknown as { chart: { data: { datasets: { label: string }[] } } }).chart.data.datasets.map((d) => d.label));
    expect(drawn).toEqual(['host.web01.net.eth0.rx_bytes', 'host.web01.net.eth0.tx_bytes']);
  });
});

describe('the overview as the index of hosts', () => {
  it('lists the CRITICAL host above OK ones and links groups and nodes to their host pages', async () => {
    await page.goto(`${web.url}/`);
    const rows = page.locator('rm-series-tree tr[data-series]');
    await rows.first().waitFor();
    const names = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-series')));
    expect(names[0]).toBe('host.web01.cpu.busy_percent');
    expect(names.indexOf('host.web01.cpu.busy_percent')).toBeLessThan(names.indexOf('aaa.web02.load'));
    const groups = await page.locator('rm-series-tree details[data-prefix]').evaluateAll((ds) => ds.map((d) => d.getAttribute('data-prefix')));
    expect(groups.indexOf('host')).toBeLessThan(groups.indexOf('aaa'));
    await page.locator('rm-series-tree details[data-prefix="host.web01"] + .links a.host-link').click();
    await panels().first().waitFor();
    expect(new URL(page.url()).searchParams.get('h')).toBe('host.web01');
    // The group's page: its own series (no disks), and the node whose instance it is.
    expect(await panels().count()).toBe(4);
    expect(await page.locator('rm-host-view rm-nodes-panel tr[data-node="web01"]').count()).toBe(1);
    await page.goBack();
    await page.locator('rm-nodes-panel tr[data-node="web01"] td.name a').click();
    await panels().first().waitFor();
    expect(new URL(page.url()).searchParams.get('h')).toBe('web01');
    expect(await panels().count()).toBe(6);
  });
});

describe('Forget token', () => {
  it('is on a page opened by URL whose token came through the dialog, and clears the token', async () => {
    const fresh = await pageWithToken(browser, null);
    await fresh.goto(`${web.url}/?view=host&h=web01`);
    const dialog = fresh.locator('rm-token-dialog dialog[open]');
    await dialog.waitFor();
    expect(await fresh.getByRole('button', { name: 'Forget token' }).count()).toBe(0);
    await dialog.getByLabel('Token').fill(web.viewer);
    await dialog.getByRole('button', { name: 'Use token' }).click();
    await fresh.locator('rm-host-panel').first().waitFor();
    const forget = fresh.getByRole('button', { name: 'Forget token' });
    await forget.waitFor();
    expect(await fresh.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('ringmon.token'))).toBe(web.viewer);
    await forget.click();
    await expect.poll(() => forget.count()).toBe(0);
    expect(await fresh.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('ringmon.token'))).toBeNull();
    await fresh.context().close();
  });
});
