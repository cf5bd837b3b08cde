/**
 * Units, times, axes and thresholds on screen, in headless Chromium against
 * a real server: values with their units (overview, tooltip), one y axis
 * per unit (left and right, titled, ticks labelled with the unit), series
 * in a third unit linked apart; a series younger than the default range fills the chart (not a
 * blank day) with its y axis fitted to its values; zoomed time ticks fall
 * on round steps; the UTC toggle and the clock setting change the tick
 * labels and the zone shown, and hold after a reload; the alarms table
 * words a threshold as the history does; the downtime card at the right
 * edge stays inside the page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { chartElement, pixelOf, xRange } from './helpers/chart-probe.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

let web: WebTestServer;
let browser: Browser;
let page: Page;
const NOW = Math.floor(Date.now() / 1000 / 10) * 10;
/** The series began 20 minutes ago. */
const BORN = NOW - 1200;
const SERIES = 'site7.web01.load';
const ALARM_RULES = ['alarms:', '  rules:', '    - name: load-busy', '      match: site7.*.load', '      warning: "~:1"', '      critical: "> 50"'].join('\n');
const UNITS = ['units:', "  - { match: 'site7.*.mem', unit: B }", "  - { match: 'site7.*.cpu', unit: '%' }", "  - { match: 'site7.*.rx', unit: bit/s }"].join('\n');
const MEM = 'site7.web01.mem';
const CPU = 'site7.web01.cpu';
const RX = 'site7.web01.rx';
const GiB = 2 ** 30;
/** A saw from 4.6 to 4.8, lowest at multiples of 30 s. */
const load = (t: number) => 4.6 + ((t / 10) % 3) / 10;
/** A sample time after memory's rise and before the downtime band where the load is lowest (the foot of its axis) and memory highest (the top of its). */
const T_APART = (NOW - 420 - ((NOW - 420) % 30)) * 1000;

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebTestServer({ extraConfig: `${ALARM_RULES}\n${UNITS}`, heartbeat: '5m' }), launchBrowser()]);
  const samples: [string, number, number][] = [];
  for (let t = BORN; t <= NOW; t += 10) samples.push([SERIES, t, load(t)], [MEM, t, t < NOW - 600 ? GiB : 1.5 * GiB], [CPU, t, 45], [RX, t, 12_300]);
  await web.ingest(samples);
  // Open to well past the chart's right edge: its band reaches the edge.
  await web.api('POST', '/api/v1/downtimes', web.writer, { scope: { series: ['site7.web01.*'] }, start: NOW - 300, end: NOW + 3600, reason: 'rack move, cables relabelled and the switch replaced' });
  page = await pageWithToken(browser, web.viewer);
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

interface Probe {
  chart: { scales: Record<string, { min: number; max: number; ticks: { value: number; label: string | string[] }[]; options: { title: { text: string } } }> };
}

/** The ticks (value, label as one line) and title of axis `id`. */
function axis(p: Page, id: string): Promise<{ min: number; max: number; title: string; ticks: [number, string][] }> {
  return chartElement(p).evaluate((el, axisId) => {
    const s = (el as unknown as Probe).chart.scales[axisId];
    return { min: s.min, max: s.max, title: s.options.title.text, ticks: s.ticks.map((t): [number, string] => [t.value, ([] as string[]).concat(t.label).join(' ')]) };
  }, id);
}

async function openGraph(p: Page, query: string): Promise<void> {
  await p.goto(`${web.url}/?view=graph&s=${SERIES}${query}`);
  await p.locator('rm-graph-view[data-painted]').waitFor();
}

describe('the default range', () => {
  it('starts where a young series begins, with a note, and the y axis fits its values', async () => {
    await openGraph(page, '');
    const x = await xRange(page);
    expect(x?.max).toBeGreaterThanOrEqual((NOW - 5) * 1000);
    // The 6 hours cut to its first value, a step before it.
    expect(x?.min).toBeGreaterThanOrEqual((BORN - 20) * 1000);
    expect(x?.min).toBeLessThanOrEqual(BORN * 1000);
    expect(await page.locator('rm-graph-view #fitted').innerText()).toContain('Values begin at');
    const y = await axis(page, 'y');
    // Not 0 to 1: about the 4.6 to 4.8 drawn, on round ticks.
    expect(y.min).toBeGreaterThan(3);
    expect(y.max).toBeLessThan(6);
    expect(y.min).toBeLessThanOrEqual(4.6);
    expect(y.max).toBeGreaterThanOrEqual(4.8);
    for (const [value, label] of y.ticks) expect(Number(label)).toBeCloseTo(value, 9);
    expect(y.title).toBe('(no unit)');
    await screenshot(page, 'graph-young-series');
  });
});

describe('time ticks', () => {
  it('fall on round steps when zoomed to an odd span', async () => {
    await openGraph(page, `&from=${NOW - 1003}&to=${NOW - 906}`);
    const x = await axis(page, 'x');
    expect(x.ticks.length).toBeGreaterThanOrEqual(4);
    const step = x.ticks[1][0] - x.ticks[0][0];
    expect([5000, 10_000, 15_000]).toContain(step);
    for (const [value, label] of x.ticks) {
      expect(value % step).toBe(0);
      expect(label).toMatch(/^\d\d:\d\d:\d[05]\b/);
    }
    expect(x.title).toBe('Time (UTC)');
  });

  it('follow the UTC toggle and the clock setting, kept for the next visit', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Berlin', locale: 'en-US' });
    const berlin = await context.newPage();
    await berlin.addInitScript(`sessionStorage.getItem('ringmon.token') ?? sessionStorage.setItem('ringmon.token', ${JSON.stringify(web.viewer)})`);
    await openGraph(berlin, `&from=${NOW - 3600}&to=${NOW}`);
    const zone = berlin.locator('rm-time-settings #zone');
    expect(await zone.innerText()).toBe('GMT+1');
    const local = await axis(berlin, 'x');
    expect(local.title).toBe('Time (GMT+1)');
    // The locale's clock: en-US writes AM/PM.
    expect(local.ticks[0][1]).toMatch(/ (AM|PM)/);
    // The range fields read and write wall time in the zone shown, and say which.
    const from = berlin.locator('rm-range-picker input[name="from"]');
    const wall = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().slice(0, 16);
    // Berlin is an hour ahead of UTC in December.
    expect(await from.inputValue()).toBe(wall(NOW - 3600 + 3600));
    expect(await berlin.locator('rm-range-picker label', { hasText: 'From (GMT+1)' }).count()).toBe(1);

    await berlin.locator('rm-time-settings #clock').selectOption('24h');
    await berlin.locator('rm-graph-view[data-painted]').waitFor();
    await expect.poll(async () => (await axis(berlin, 'x')).ticks[0][1]).not.toMatch(/AM|PM/);
    const h24 = await axis(berlin, 'x');
    const hourOf = (ms: number, offset: number) => String((new Date(ms).getUTCHours() + offset) % 24).padStart(2, '0');
    // A tick on the hour reads Berlin's hour, one more than UTC's in December.
    const onHour = h24.ticks.find(([v]) => v % 3_600_000 === 0);
    if (!onHour) throw new Error('no tick on the hour');
    expect(onHour[1].startsWith(`${hourOf(onHour[0], 1)}:00`)).toBe(true);

    await berlin.locator('rm-time-settings #utc').check();
    await berlin.locator('rm-graph-view[data-painted]').waitFor();
    await expect.poll(() => zone.innerText()).toBe('UTC');
    const utc = await axis(berlin, 'x');
    expect(utc.title).toBe('Time (UTC)');
    const same = utc.ticks.find(([v]) => v === onHour[0]);
    expect(same?.[1].startsWith(`${hourOf(onHour[0], 0)}:00`)).toBe(true);
    expect(await from.inputValue()).toBe(wall(NOW - 3600));
    expect(await berlin.locator('rm-range-picker label', { hasText: 'From (UTC)' }).count()).toBe(1);
    await screenshot(berlin, 'graph-utc');

    // Chosen once: a reload keeps UTC and the 24 h clock.
    await berlin.reload();
    await berlin.locator('rm-graph-view[data-painted]').waitFor();
    expect(await zone.innerText()).toBe('UTC');
    expect(await berlin.locator('rm-time-settings #utc').isChecked()).toBe(true);
    expect((await axis(berlin, 'x')).ticks.every(([, label]) => !/AM|PM/.test(label))).toBe(true);
    await context.close();
  });
});

describe('thresholds', () => {
  it('read the same in the alarms table as in the history', async () => {
    await page.goto(`${web.url}/?view=alarms`);
    const row = page.locator(`rm-alarms-view #alarms tr[data-series="${SERIES}"]`);
    await row.waitFor();
    const cell = (await row.locator('td').nth(5).innerText()).split('\n')[0];
    expect(cell).toBe('warning > 1, critical > 50');
    const history = page.locator('rm-alarms-view #history tbody tr', { hasText: SERIES }).first();
    expect(await history.locator('td').nth(5).innerText()).toBe('> 1');
    expect(cell).not.toContain('~:');
  });
});

describe('the downtime card', () => {
  it('stays inside the page at the right edge of the chart', async () => {
    await openGraph(page, '');
    const box = await page.locator('rm-chart canvas').boundingBox();
    if (!box) throw new Error('no canvas box');
    const { area } = await pixelOf(page, NOW * 1000);
    await page.mouse.move(box.x + area.right - 2, box.y + area.top + 30);
    const card = page.locator('rm-chart #hover-card');
    await card.waitFor();
    expect(await card.innerText()).toContain('rack move');
    const sizes = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })')) as { scroll: number; viewport: number };
    expect(sizes.scroll).toBeLessThanOrEqual(sizes.viewport);
    const cardBox = await card.boundingBox();
    expect((cardBox?.x ?? 0) + (cardBox?.width ?? Infinity)).toBeLessThanOrEqual(box.x + box.width);
    // Not squeezed: as wide as its text wants.
    expect(cardBox?.width).toBeGreaterThan(200);
    await screenshot(page, 'graph-band-card-right-edge');
  });
});

/** The colour [r, g, b, alpha] at time `t` (ms) and value `v` on axis `id`, 5×5 pixels around it. */
function coloursOnAxis(p: Page, id: string, t: number, v: number): Promise<[number, number, number, number][]> {
  return chartElement(p).evaluate(
    (el, [axisId, time, value]) => {
      const chart = (el as unknown as { chart: { scales: Record<string, { getPixelForValue(v: number): number }>; currentDevicePixelRatio: number; ctx: { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } } }).chart;
      const ratio = chart.currentDevicePixelRatio;
      const x = Math.round(chart.scales.x.getPixelForValue(Number(time)) * ratio) - 2;
      const y = Math.round(chart.scales[String(axisId)].getPixelForValue(Number(value)) * ratio) - 2;
      const { data } = chart.ctx.getImageData(x, y, 5, 5);
      const pixels: [number, number, number, number][] = [];
      for (let i = 0; i < data.length; i += 4) pixels.push([data[i], data[i + 1], data[i + 2], data[i + 3]]);
      return pixels;
    },
    [id, t, v] as const,
  );
}

const blue = ([r, g, b, a]: [number, number, number, number]) => a > 60 && b > r + 60 && b > g;
const orange = ([r, g, b, a]: [number, number, number, number]) => a > 60 && r > g && g > b && r - b > 100;

describe('units', () => {
  it('show with the last values in the overview', async () => {
    await page.goto(`${web.url}/?q=site7`);
    const value = (series: string) => page.locator(`rm-series-tree tr[data-series="${series}"] td.value`).innerText();
    await expect.poll(() => value(MEM)).toBe('1.5 GiB');
    expect([await value(CPU), await value(RX)]).toEqual(['45%', '12.3 kbit/s']);
  });

  it('give each unit its own axis, left and right, titled and ticked with the unit, each series drawn on its own', async () => {
    await openGraph(page, `&s=${MEM}&s=${CPU}&from=${NOW - 900}&to=${NOW}`);
    const axes = await chartElement(page).evaluate((el) => {
      const chart = (el as unknown as { chart: { data: { datasets: { label: string; yAxisID: string }[] }; scales: Record<string, { options: { position: string } }> } }).chart;
      return { datasets: chart.data.datasets.map((d) => [d.label, d.yAxisID]), sides: Object.fromEntries(Object.entries(chart.scales).map(([id, sc]) => [id, sc.options.position])) };
    });
    // SERIES (no unit), MEM and CPU: one series each, so in the order asked for; SERIES on the left.
    expect(axes.datasets).toEqual([
      [SERIES, 'y'],
      [MEM, 'y1'],
    ]);
    expect(axes.sides).toMatchObject({ x: 'bottom', y: 'left', y1: 'right' });
    const right = await axis(page, 'y1');
    expect(right.title).toBe('B');
    expect(right.ticks.length).toBeGreaterThanOrEqual(2);
    for (const [value, label] of right.ticks) expect(Number(label.replace(' GiB', '')) * GiB).toBeCloseTo(value, 0);
    expect(right.ticks.some(([, label]) => label === '1.5 GiB')).toBe(true);
    // The third unit, %, is not drawn on these two axes: a link opens it on its own.
    const apart = page.locator('rm-graph-view .apart');
    expect(await apart.innerText()).toContain('1 series in %');
    expect((await coloursOnAxis(page, 'y1', T_APART, 1.5 * GiB)).some(orange)).toBe(true);
    expect((await coloursOnAxis(page, 'y', T_APART, load(T_APART / 1000))).some(blue)).toBe(true);
    await screenshot(page, 'graph-three-units');
    await apart.getByRole('link').click();
    // The same view, drawn again: wait for the new chart rather than the painted mark the last one left.
    await expect.poll(async () => (await axis(page, 'y')).title).toBe('%');
    expect(new URL(page.url()).searchParams.getAll('s')).toEqual([CPU]);
    const percent = await axis(page, 'y');
    expect(percent.ticks.every(([, label]) => label.endsWith('%'))).toBe(true);
  });

  it('put bytes left and percent right, and say each value with its unit in the tooltip', async () => {
    await page.goto(`${web.url}/?view=graph&s=${MEM}&s=${CPU}&from=${NOW - 900}&to=${NOW}`);
    await page.locator('rm-graph-view[data-painted]').waitFor();
    const [left, right] = [await axis(page, 'y'), await axis(page, 'y1')];
    expect([left.title, right.title]).toEqual(['B', '%']);
    expect(left.ticks.every(([, label]) => label.endsWith(' GiB'))).toBe(true);
    expect(right.ticks.every(([, label]) => label.endsWith('%'))).toBe(true);
    const t = T_APART;
    expect((await coloursOnAxis(page, 'y', t, 1.5 * GiB)).some(blue)).toBe(true);
    expect((await coloursOnAxis(page, 'y1', t, 45)).some(orange)).toBe(true);
    const box = await page.locator('rm-chart canvas').boundingBox();
    if (!box) throw new Error('no canvas box');
    const { x, area } = await pixelOf(page, t);
    await page.mouse.move(box.x + x, box.y + (area.top + area.bottom) / 2);
    await expect.poll(() => chartElement(page).evaluate((el) => (el as unknown as { chart: { tooltip: { opacity: number } } }).chart.tooltip.opacity)).toBe(1);
    const tooltip = await chartElement(page).evaluate((el) => {
      const tip = (el as unknown as { chart: { tooltip: { title: string[]; body: { lines: string[] }[] } } }).chart.tooltip;
      return { title: tip.title, lines: tip.body.flatMap((b) => b.lines) };
    });
    expect(tooltip.lines.sort()).toEqual([`${CPU}: 45%`, `${MEM}: 1.5 GiB`]);
    expect(tooltip.title.join(' ')).toMatch(/UTC$/);
    await screenshot(page, 'graph-two-units');
  });
});
