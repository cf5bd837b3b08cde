/**
 * The reports view in headless Chromium against a real server whose report
 * runs every second: the page lists the archived runs of each report, its
 * entry in the navigation marked current, and the CSV and HTML links
 * download the archived files (fetched with the page's viewer token) under
 * their own names. Screenshot: test-output/web/reports.png.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/wait.js';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

let web: WebTestServer;
let browser: Browser;
let page: Page;
const NOW = Math.floor(Date.now() / 1000 / 10) * 10;

interface Listing {
  reports: { name: string; runs: { run: string; files: { kind: string; file: string; url: string }[] }[] }[];
}

beforeAll(async () => {
  // A relay that is not there: the mail waits in the outbox; the archive is written before delivery all the same.
  const relay = await freePort();
  const extraConfig = [
    'alarms:',
    '  groupWait: 0',
    '  rules:',
    '    - name: load-high',
    '      match: rep.*.load',
    '      critical: "> 10"',
    '  recipients:',
    '    - name: ops',
    '      email: [ops@test.example]',
    'notify:',
    '  email:',
    '    host: 127.0.0.1',
    `    port: ${relay}`,
    '    starttls: never',
    '    from: ringmon@test.example',
    'reports:',
    '  - name: web-daily',
    '    title: Ward review',
    '    cron: "* * * * * *"',
    '    notify: [ops]',
  ].join('\n');
  [web, browser] = await Promise.all([startWebTestServer({ extraConfig }), launchBrowser()]);
  await web.ingest([
    ['rep.ward1.load', NOW - 60, 20],
    ['rep.ward2.load', NOW - 60, 1],
  ]);
  // The newest run must be one made after the alarm saw ward1's sample (a new series' samples may wait while its
  // cadence is learned): runs before list nothing, and the page's first row is the newest run.
  await until(async () => {
    const listing = await web.api<Listing>('GET', '/api/v1/reports', web.viewer);
    const csv = listing.reports[0].runs[0]?.files.find((f) => f.kind === 'csv');
    if (csv === undefined || listing.reports[0].runs[0].files.length < 2) return false;
    const res = await fetch(`${web.url}${csv.url}`, { headers: { authorization: `Bearer ${web.viewer}` } });
    return (await res.text()).includes('rep.ward1.load');
  }, 'an archived run with its CSV and HTML, listing rep.ward1.load', 60_000);
  page = await pageWithToken(browser, web.viewer);
  await page.goto(`${web.url}/?view=reports`);
  await page.locator('rm-reports-view table tbody tr').first().waitFor();
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

describe('the reports view', () => {
  it('lists the reports and their runs, its navigation entry current', async () => {
    const view = page.locator('rm-reports-view');
    expect(await view.locator('h2').first().innerText()).toBe('Ward review');
    expect(await view.locator('section[data-report="web-daily"] p').first().innerText()).toContain('copies kept 90 days');
    expect(await view.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('rm-app nav a[aria-current="page"]').innerText()).toBe('Reports');
    await screenshot(page, 'reports');
  });

  it('downloads the CSV and the HTML of a run under their own names', async () => {
    const row = page.locator('rm-reports-view tbody tr').first();
    for (const [kind, starts] of [
      ['csv', 'group,series,worst_status,'],
      ['html', '<!DOCTYPE html>'],
    ] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), row.locator(`a[data-kind="${kind}"]`).click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^web-daily-\\d{4}-\\d\\d-\\d\\dT\\d{4}Z\\.${kind}$`));
      const text = readFileSync(await download.path(), 'utf8');
      expect(text.startsWith(starts)).toBe(true);
      expect(text).toContain('rep.ward1.load');
      expect(text).not.toContain('rep.ward2.load');
    }
    expect(await page.locator('rm-reports-view [role="alert"]').count()).toBe(0);
  });
});
