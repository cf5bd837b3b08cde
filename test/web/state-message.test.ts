/**
 * A check's message in the web client, in headless Chromium against a real
 * server: a sample of `<instance>.state` sent with a message and the state
 * thresholds shows the message in the overview row of the series and
 * beside its alarm in the alarms view.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, pageWithToken } from './helpers/browser.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

let web: WebTestServer;
let browser: Browser;
let page: Page;
const NOW = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebTestServer({ heartbeat: '5m' }), launchBrowser()]);
  const sample = { series: 'site9.disk.state', t: NOW, v: 2, thresholds: { warning: '0', critical: '@2:2' }, message: 'CRITICAL: /var is 97% full' };
  await web.api('POST', '/api/v1/samples', web.writer, [sample]);
  page = await pageWithToken(browser, web.viewer);
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe("a check's message", () => {
  it('shows in the overview row of its series', async () => {
    await page.goto(`${web.url}/`);
    const row = page.locator('rm-series-tree tr[data-series="site9.disk.state"]');
    await row.waitFor();
    expect(await row.getAttribute('data-kind')).toBe('CRITICAL');
    expect(await row.innerText()).toContain('CRITICAL: /var is 97% full');
  });

  it('shows beside the alarm in the alarms view', async () => {
    await page.goto(`${web.url}/?view=alarms`);
    const alarm = page.locator('rm-alarms-view #alarms tr[data-state="CRITICAL"]');
    await alarm.first().waitFor();
    expect(await alarm.innerText()).toContain('site9.disk.state');
    expect(await alarm.locator('.message').innerText()).toBe('CRITICAL: /var is 97% full');
  });
});
