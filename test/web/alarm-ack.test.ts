/**
 * Acknowledging in the web client, in headless Chromium against a real
 * server: a CRITICAL alarm's Acknowledge button opens a small form; what
 * it submits is stored (read back through the API with the page's token as
 * author), the row says who and why, its icon carries the acknowledged
 * badge and says so to screen readers, in the alarms view and in the
 * overview; the history lists the acknowledgement; a blank comment shows
 * the API's problem and stores nothing; Unacknowledge withdraws it.
 * Screenshot: test-output/web/alarm-ack.png.
 *
 * Failed on the old code: no Acknowledge button.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/wait.js';
import { freePort } from '../helpers/free-port.js';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

// The relay is not there: the notice waits in the outbox, and the log shows it with its To and Cc.
const rules = (relay: number) =>
  [
    'alarms:',
    '  groupWait: 0',
    '  recipients:',
    '    - { name: ops, email: [ops@test.example], cc: [desk@test.example] }',
    '  rules:',
    '    - name: disk-full',
    '      match: ack.*.disk',
    '      warning: "> 80"',
    '      critical: "> 90"',
    '      notify: [ops]',
    'notify:',
    `  email: { host: 127.0.0.1, port: ${relay}, starttls: never, from: ringmon@test.example }`,
  ].join('\n');
const NOW = Math.floor(Date.now() / 1000);

let web: WebTestServer;
let browser: Browser;
let page: Page;

interface AlarmOut {
  series: string;
  state: string;
  acknowledgement?: { author: string; comment: string; until: string | null };
}

const alarmOf = async (series: string): Promise<AlarmOut | undefined> => (await web.api<{ alarms: AlarmOut[] }>('GET', `/api/v1/alarms?series=${series}`, web.viewer)).alarms[0];

beforeAll(async () => {
  [web, browser] = await Promise.all([startWebTestServer({ extraConfig: rules(await freePort()), heartbeat: '5m' }), launchBrowser()]);
  await web.ingest([
    ['ack.web01.disk', NOW - 20, 50],
    ['ack.web01.disk', NOW - 10, 95],
    ['ack.web02.disk', NOW - 10, 40],
  ]);
  await until(async () => (await alarmOf('ack.web01.disk'))?.state === 'CRITICAL', 'ack.web01.disk CRITICAL', 20_000);
  page = await pageWithToken(browser, web.writer);
  await page.goto(`${web.url}/?view=alarms`);
  await page.locator('rm-alarms-view #alarms').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

const view = () => page.locator('rm-alarms-view');
const row = (series: string) => view().locator(`#alarms tr[data-series="${series}"]`);

describe('the notification log in the web client', () => {
  it("shows each message's To and Cc (an operator's page)", async () => {
    await page.reload();
    const logged = view().locator('#notifications tbody tr');
    await until(async () => (await logged.count()) > 0 || (await page.reload(), false), 'a row in the notification log', 20_000);
    const first = logged.first();
    expect(await first.locator('td.to').innerText()).toBe('ops@test.example');
    expect(await first.locator('td.cc').innerText()).toBe('desk@test.example');
    expect(await first.locator('td.to').getAttribute('title')).toBe('ops');
  });
});

describe('acknowledging an alarm in the web client', () => {
  it('offers Acknowledge on a bad alarm only', async () => {
    expect(await row('ack.web01.disk').getByRole('button', { name: 'Acknowledge ack.web01.disk' }).count()).toBe(1);
    expect(await row('ack.web02.disk').getByRole('button').count()).toBe(0);
  });

  it('shows the API problem for a blank comment and stores nothing', async () => {
    await row('ack.web01.disk').getByRole('button', { name: 'Acknowledge ack.web01.disk' }).click();
    const form = view().locator('rm-ack-form');
    await form.getByLabel('Why').fill('   ');
    await form.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => form.getByRole('alert').innerText()).toContain('comment');
    expect((await alarmOf('ack.web01.disk'))?.acknowledgement).toBeUndefined();
  });

  it('acknowledges through the form: stored with the token as author, shown with a badge and who and why', async () => {
    const form = view().locator('rm-ack-form');
    await form.getByLabel('Why').fill('disk swap booked for Tuesday');
    await form.getByLabel('How long').selectOption({ label: 'for 1 day' });
    await form.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => row('ack.web01.disk').getAttribute('data-acknowledged')).not.toBeNull();
    const stored = await alarmOf('ack.web01.disk');
    expect(stored?.acknowledgement).toMatchObject({ author: 'web-test-writer', comment: 'disk swap booked for Tuesday' });
    expect(Date.parse(stored!.acknowledgement!.until!) / 1000).toBeGreaterThan(NOW + 86_000);
    const text = await row('ack.web01.disk').innerText();
    expect(text).toContain('acknowledged by web-test-writer: disk swap booked for Tuesday');
    const icon = row('ack.web01.disk').locator('rm-status-icon');
    expect(await icon.getAttribute('acknowledged')).not.toBeNull();
    expect(await icon.locator('svg').getAttribute('aria-label')).toBe('Critical, acknowledged');
    expect(await icon.locator('svg g.ack').count()).toBe(1);
    await expect.poll(() => view().locator('#history tr.ack-event[data-action="ack"]').innerText()).toContain('acknowledged by web-test-writer: disk swap booked for Tuesday');
    expect(await row('ack.web01.disk').getByRole('button', { name: 'Unacknowledge ack.web01.disk' }).count()).toBe(1);
    await screenshot(page, 'alarm-ack');
  });

  it('badges the icon in the overview too', async () => {
    const overview = await pageWithToken(browser, web.viewer);
    await overview.goto(`${web.url}/?view=overview`);
    const icon = overview.locator('rm-series-tree tr[data-series="ack.web01.disk"] rm-status-icon');
    await icon.waitFor();
    expect(await icon.getAttribute('acknowledged')).not.toBeNull();
    expect(await overview.locator('rm-series-tree tr[data-series="ack.web02.disk"] rm-status-icon').getAttribute('acknowledged')).toBeNull();
    await screenshot(overview, 'alarm-ack-overview');
    await overview.close();
  });

  it('withdraws it with Unacknowledge', async () => {
    await row('ack.web01.disk').getByRole('button', { name: 'Unacknowledge ack.web01.disk' }).click();
    await expect.poll(() => row('ack.web01.disk').getAttribute('data-acknowledged')).toBeNull();
    expect((await alarmOf('ack.web01.disk'))?.acknowledgement).toBeUndefined();
    await expect.poll(() => view().locator('#history tr.ack-event[data-action="unack"]').count()).toBe(1);
  });
});
