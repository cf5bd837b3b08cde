/**
 * Acting from the graph view, in headless Chromium against a real server:
 * the rules panel under the chart names the rule of each drawn series and
 * its thresholds in the words of the alarm history (`~:1` as `> 1`);
 * acknowledging a bad alarm there shows in the alarms view (round trip),
 * and an overview row withdraws and gives one too;
 * shift+drag (and a drag with "Select for downtime" on) opens the downtime
 * form prefilled with the span and the graph's series, and once filed the
 * band is drawn over exactly that span.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/wait.js';
import { chartElement, columnTint, drawnBands, pixelOf, xRange } from './helpers/chart-probe.js';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

const LOAD = 'act.web01.load';
const DISK = 'act.web01.disk';
const rules = (relay: number) =>
  [
    'alarms:',
    '  groupWait: 0',
    '  recipients:',
    '    - { name: ops, email: [ops@test.example] }',
    '  rules:',
    '    - name: load-high',
    '      match: act.*.load',
    '      warning: "~:1"',
    '      critical: "~:10"',
    '      notify: [ops]',
    'notify:',
    `  email: { host: 127.0.0.1, port: ${relay}, starttls: never, from: ringmon@test.example }`,
  ].join('\n');
const NOW = Math.floor(Date.now() / 1000 / 10) * 10;

let web: WebTestServer;
let browser: Browser;
let page: Page;

interface AlarmOut {
  state: string;
  acknowledgement?: { author: string; comment: string };
}
interface Downtime {
  id: number;
  scope: { series: string[] };
  start: string;
  end: string;
  reason: string;
}

const alarmOf = async (series: string): Promise<AlarmOut | undefined> => (await web.api<{ alarms: AlarmOut[] }>('GET', `/api/v1/alarms?series=${series}`, web.viewer)).alarms[0];
const graphUrl = () => `${web.url}/?view=graph&s=${LOAD}&s=${DISK}&range=1h`;
const panelRow = (series: string) => page.locator(`rm-rules-panel tr[data-series="${series}"]`);

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebTestServer({ extraConfig: rules(await freePort()), heartbeat: '5m' }), launchBrowser()]);
  const samples: [string, number, number][] = [];
  for (let t = NOW - 3600; t <= NOW; t += 10) samples.push([LOAD, t, t < NOW - 60 ? 0.5 : 4.6], [DISK, t, 40]);
  await web.ingest(samples);
  await until(async () => (await alarmOf(LOAD))?.state === 'WARNING', `${LOAD} WARNING`, 20_000);
  page = await pageWithToken(browser, web.writer);
  await page.goto(graphUrl());
  await page.locator('rm-graph-view[data-painted]').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe('the rules panel', () => {
  it('names the rule of each drawn series and its thresholds in the words of the alarm history', async () => {
    await panelRow(LOAD).waitFor();
    expect(await panelRow(LOAD).locator('td.rule').innerText()).toContain('load-high');
    expect(await panelRow(LOAD).locator('td.rule').innerText()).toContain('matches act.*.load');
    expect(await panelRow(LOAD).locator('td.warning').innerText()).toBe('> 1');
    expect(await panelRow(LOAD).locator('td.critical').innerText()).toBe('> 10');
    expect(await panelRow(LOAD).getAttribute('data-state')).toBe('WARNING');
    expect(await panelRow(DISK).innerText()).toContain('No alarm rule applies.');
    // The alarm history says the same of the change to WARNING.
    const alarms = await pageWithToken(browser, web.viewer);
    await alarms.goto(`${web.url}/?view=alarms`);
    const change = alarms.locator('rm-alarms-view #history tr', { hasText: 'OK → WARNING' });
    await change.waitFor();
    expect(await change.locator('td').nth(5).innerText()).toBe(await panelRow(LOAD).locator('td.warning').innerText());
    await alarms.close();
  });
});

describe('acknowledging from the graph view', () => {
  it('acknowledges the bad alarm of a drawn series; the alarms view shows the badge', async () => {
    expect(await panelRow(DISK).getByRole('button').count()).toBe(0);
    await panelRow(LOAD).getByRole('button', { name: `Acknowledge ${LOAD}` }).click();
    const form = page.locator('rm-rules-panel rm-ack-form');
    await form.getByLabel('Why').fill('batch job, expected');
    await form.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => panelRow(LOAD).getAttribute('data-acknowledged')).not.toBeNull();
    expect(await panelRow(LOAD).locator('.ack-note').innerText()).toBe('acknowledged by web-test-writer: batch job, expected');
    expect(await panelRow(LOAD).locator('rm-status-icon').getAttribute('acknowledged')).not.toBeNull();
    expect((await alarmOf(LOAD))?.acknowledgement).toMatchObject({ author: 'web-test-writer', comment: 'batch job, expected' });
    await screenshot(page, 'graph-rules-ack');

    const alarms = await pageWithToken(browser, web.viewer);
    await alarms.goto(`${web.url}/?view=alarms`);
    const row = alarms.locator(`rm-alarms-view #alarms tr[data-series="${LOAD}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-acknowledged')).not.toBeNull();
    expect(await row.locator('rm-status-icon svg g.ack').count()).toBe(1);
    expect(await row.innerText()).toContain('batch job, expected');
    await alarms.close();
  });
});

describe('acknowledging from an overview row', () => {
  it('withdraws and gives an acknowledgement from the row of the series; its icon follows', async () => {
    const overview = await pageWithToken(browser, web.writer);
    await overview.goto(`${web.url}/?q=${LOAD}`);
    const row = overview.locator(`rm-series-tree tr[data-series="${LOAD}"]`);
    await row.waitFor();
    expect(await row.locator('rm-status-icon').getAttribute('acknowledged')).not.toBeNull();
    await row.getByRole('button', { name: `Unacknowledge ${LOAD}` }).click();
    await expect.poll(() => row.locator('rm-status-icon').getAttribute('acknowledged')).toBeNull();
    expect((await alarmOf(LOAD))?.acknowledgement).toBeUndefined();

    await row.getByRole('button', { name: `Acknowledge ${LOAD}` }).click();
    await row.locator('rm-ack-form').getByLabel('Why').fill('looked at it from the overview');
    await row.locator('rm-ack-form').getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => row.locator('rm-status-icon').getAttribute('acknowledged')).not.toBeNull();
    expect((await alarmOf(LOAD))?.acknowledgement).toMatchObject({ comment: 'looked at it from the overview' });
    await screenshot(overview, 'overview-ack');
    await overview.close();
  });
});

/** Drags across the plot from time `a` to `b` (ms), holding shift when asked. */
async function dragAcross(a: number, b: number, shift: boolean): Promise<void> {
  const box = await chartElement(page).locator('canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  const [from, to] = await Promise.all([pixelOf(page, a), pixelOf(page, b)]);
  const y = box.y + (from.area.top + from.area.bottom) / 2;
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.move(box.x + from.x, y);
  await page.mouse.down();
  await page.mouse.move(box.x + to.x, y, { steps: 8 });
  await page.mouse.up();
  if (shift) await page.keyboard.up('Shift');
}

describe('a downtime from a graph selection', () => {
  it('opens the form with the span and the series on shift+drag, and draws the filed band over exactly that span', async () => {
    const before = await xRange(page);
    const [a, b] = [(NOW - 2400) * 1000, (NOW - 1200) * 1000];
    await dragAcross(a, b, true);
    const panel = page.locator('rm-graph-downtime');
    const form = panel.locator('rm-downtime-form');
    await form.locator('form').waitFor();
    // Selecting did not zoom.
    expect(await xRange(page)).toEqual(before);
    expect(await panel.getByRole('heading').innerText()).toBe('Downtime for these series');
    expect(await form.getByLabel('Scope: series or patterns, separated by commas').inputValue()).toBe(`${LOAD}, ${DISK}`);
    const from = await form.getByLabel('From', { exact: true }).inputValue();
    const to = await form.getByLabel('To', { exact: true }).inputValue();
    // The span to the nearest minute (the browser runs in UTC), give or take a pixel of a 1 h chart (3 s).
    const start = Date.parse(`${from}:00Z`);
    const end = Date.parse(`${to}:00Z`);
    expect(Math.abs(start - a)).toBeLessThanOrEqual(36_000);
    expect(Math.abs(end - b)).toBeLessThanOrEqual(36_000);
    await form.getByLabel('Reason').fill('switch firmware');
    await screenshot(page, 'graph-selection-downtime');
    await form.getByRole('button', { name: 'File downtime' }).click();

    // Filed: the form closes, the graph loads again with the band.
    await panel.locator('section').waitFor({ state: 'detached' });
    const stored = (await web.api<{ downtimes: Downtime[] }>('GET', '/api/v1/downtimes', web.viewer)).downtimes.find((d) => d.reason === 'switch firmware');
    expect(stored?.scope.series).toEqual([LOAD, DISK]);
    await expect.poll(async () => (await drawnBands(page)).find((band) => band.id === stored?.id)).toMatchObject({ start, end, kind: 'planned' });
    expect((await columnTint(page, (start + end) / 2)).blue).toBeGreaterThan(50);
    // Outside the band a column crosses only the series' lines (and their MIN/MAX envelope, a tint of the same blue): a few pixels, not a band's height.
    expect((await columnTint(page, start - 120_000)).blue).toBeLessThan(8);
    expect((await columnTint(page, end + 120_000)).blue).toBeLessThan(8);
    await screenshot(page, 'graph-selection-band');
  });

  it('selects with a plain drag while "Select for downtime" is on, then zooms again', async () => {
    const toggle = page.getByRole('button', { name: 'Select for downtime' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const before = await xRange(page);
    await dragAcross((NOW - 3000) * 1000, (NOW - 2700) * 1000, false);
    const form = page.locator('rm-graph-downtime rm-downtime-form');
    await form.locator('form').waitFor();
    expect(await xRange(page)).toEqual(before);
    // One selection per press: the toggle is off again.
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await page.locator('rm-graph-downtime').getByRole('button', { name: 'Close' }).click();
    await form.waitFor({ state: 'detached' });
    // Off, a plain drag zooms as before.
    await dragAcross((NOW - 3000) * 1000, (NOW - 2700) * 1000, false);
    await expect.poll(() => page.url()).toContain('from=');
    expect(Math.abs(Number(new URL(page.url()).searchParams.get('from')) - (NOW - 3000))).toBeLessThan(10);
    expect(await page.locator('rm-graph-downtime section').count()).toBe(0);
  });
});
