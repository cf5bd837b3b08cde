/**
 * Every view of the web client, with real data, scanned by axe-core in
 * headless Chromium against a real server: 0 serious or critical
 * violations each (WCAG 2.x A and AA and axe's best practices; see
 * helpers/axe.ts), and a screenshot of each at 1280×900 in
 * test-output/web/view-<name>.png, which `npx tsx tools/docs-screenshots.ts`
 * copies to docs/images/web/ for docs/web.md.
 *
 * The server holds two hosts' load and disk with alarm rules (web01's load
 * CRITICAL and acknowledged, its disk WARNING), a planned downtime over
 * web02 in force, an open unplanned one over web01's disk, a weekly one, an agent heartbeating with a display name, a heatmap
 * view, a report run every 10 s and a public status page.
 *
 * A view is one row of VIEWS: its name, its address, the token the page
 * holds, and what to wait for before scanning.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/wait.js';
import { expectNoSeriousViolations, scanPage, seriousViolations } from './helpers/axe.js';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { pixelOf } from './helpers/chart-probe.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

const NOW = Math.floor(Date.now() / 1000 / 60) * 60;
const dir = mkdtempSync(join(tmpdir(), 'ringmon-web-a11y-'));
let web: WebTestServer;
let browser: Browser;

interface ViewCase {
  /** The screenshot's name: test-output/web/view-NAME.png, docs/images/web/NAME.png. */
  readonly name: string;
  /** The address after the server's URL. */
  readonly path: string;
  /** The token the tab holds: the viewer's unless said; null for none. */
  readonly token?: 'viewer' | 'writer' | null;
  /** Resolves once the view shows its data. */
  ready(page: Page): Promise<unknown>;
}

/** Each view of the client (url-state's VIEWS, the nodes panel, the token dialog) and the public status page. */
const VIEWS: readonly ViewCase[] = [
  { name: 'overview', path: '/', ready: (p) => p.locator('rm-series-tree tr[data-series="a11y.web01.load"] rm-status-icon[kind="CRITICAL"]').waitFor() },
  { name: 'nodes', path: '/?node=web01', ready: (p) => p.locator('rm-nodes-panel tr[data-node="web01"]').waitFor() },
  { name: 'graph', path: `/?view=graph&s=a11y.web01.load&s=a11y.web02.load&range=1h`, ready: (p) => p.locator('rm-graph-view[data-painted]').waitFor() },
  {
    name: 'graph-hover',
    path: `/?view=graph&s=a11y.web01.load&s=a11y.web02.load&range=1h`,
    ready: async (p) => {
      await p.locator('rm-graph-view[data-painted]').waitFor();
      // Over the planned downtime's band, below the alarm markers along the top.
      const box = await p.locator('rm-chart canvas').boundingBox();
      const { x, area } = await pixelOf(p, (NOW - 600) * 1000);
      if (!box) throw new Error('no canvas box');
      await p.mouse.move(box.x + x, box.y + area.top + 60);
      await p.locator('rm-chart #hover-card').waitFor();
    },
  },
  { name: 'graph-empty', path: '/?view=graph&s=a11y.web03.load&range=1h', ready: (p) => p.locator('rm-graph-view rm-empty-notes[overlay] li[data-series="a11y.web03.load"]').waitFor() },
  { name: 'downtimes', path: '/?view=downtimes', token: 'writer', ready: (p) => p.locator('rm-downtime-table#active tr[data-id]').first().waitFor() },
  { name: 'alarms', path: '/?view=alarms', token: 'writer', ready: (p) => p.locator('rm-alarms-view #alarms tr[data-series="a11y.web01.load"][data-acknowledged]').waitFor() },
  {
    name: 'alarm-ack',
    path: '/?view=alarms',
    token: 'writer',
    ready: async (p) => {
      await p.locator('rm-alarms-view #alarms tr[data-series="a11y.web01.disk"]').getByRole('button', { name: 'Acknowledge a11y.web01.disk' }).click();
      await p.locator('rm-ack-form form').waitFor();
    },
  },
  {
    name: 'downtime-problems',
    path: '/?view=downtimes',
    token: 'writer',
    ready: async (p) => {
      await p.locator('rm-downtime-form').getByRole('button', { name: 'File downtime' }).click();
      await p.locator('rm-downtime-form [aria-invalid="true"]').first().waitFor();
    },
  },
  { name: 'heatmap', path: `/?view=heatmap&hv=load-map&from=${NOW - 6 * 3600}&to=${NOW}`, ready: (p) => p.locator('rm-heatmap-view td.cell').first().waitFor() },
  {
    name: 'reports',
    path: '/?view=reports',
    // The first run comes within 10 s of the start; the views before this one usually take longer.
    ready: (p) => until(async () => (await p.locator('rm-reports-view a[href$=".csv"]').count()) > 0 || (await p.reload(), false), 'an archived report run', 20_000),
  },
  { name: 'host', path: '/?view=host&h=a11y.web01&range=1h', ready: (p) => until(() => p.locator('rm-host-panel rm-chart').first().evaluate((el) => ((el as unknown as { chart?: { data: { datasets: unknown[] } } }).chart?.data.datasets.length ?? 0) > 0), 'a small graph drawn') },
  { name: 'dashboards', path: '/?view=dashboard', ready: (p) => p.locator('rm-dashboards-view #dashboards tr[data-name="lab-wall"]').waitFor() },
  {
    name: 'dashboard',
    path: '/?view=dashboard&d=lab-wall',
    ready: async (p) => {
      await p.locator('rm-dashboard-value .value').waitFor();
      await until(() => p.locator('rm-dashboard-graph rm-chart').first().evaluate((el) => ((el as unknown as { chart?: { data: { datasets: unknown[] } } }).chart?.data.datasets.length ?? 0) > 0), 'a graph panel drawn');
    },
  },
  { name: 'token', path: '/', token: null, ready: (p) => p.locator('rm-token-dialog dialog[open]').waitFor() },
  { name: 'status', path: '/status', token: null, ready: (p) => p.getByText('Lab services').first().waitFor() },
];

async function heartbeat(): Promise<void> {
  const body = { name: 'web01', hostname: 'web01.lab.example', version: 'test', instances: [{ name: 'web01', slurper: 'exec', up: true, lastRun: Math.floor(Date.now() / 1000) }], spooledSamples: 0 };
  const res = await fetch(`${web.url}/api/v1/agents/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${web.ingestToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 204) throw new Error(`heartbeat: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  const metadataFile = join(dir, 'nodes.yaml');
  writeFileSync(metadataFile, 'web01:\n  name: Web one\nweb02:\n  name: Web two\n');
  // A relay that is not there: report mail waits in the outbox; the runs are archived all the same.
  const extraConfig = stringify({
    alarms: {
      groupWait: 0,
      recipients: [{ name: 'ops', email: ['ops@test.example'] }],
      rules: [
        { name: 'load-high', match: 'a11y.*.load', warning: '> 4', critical: '> 8', notify: ['ops'] },
        { name: 'disk-full', match: 'a11y.*.disk', warning: '> 80', critical: '> 90' },
      ],
    },
    notify: { email: { host: '127.0.0.1', port: await freePort(), starttls: 'never', from: 'ringmon@test.example' } },
    // Every 10 s: a run soon, and not so many mails that the notification log fills the alarms view.
    reports: [{ name: 'daily', title: 'Daily review', cron: '*/10 * * * * *', notify: ['ops'] }],
    metadata: { file: metadataFile, key: 'a11y.{node}.*' },
    heatmaps: { views: [{ name: 'load-map', title: 'Load', match: 'a11y.*.load', bucket: '15m', range: '6h', classes: [{ max: 4, colour: '#2e7d32', label: '≤ 4' }, { max: 8, colour: '#f2c511', label: '≤ 8' }, { colour: '#d7261e', label: '> 8' }] }] },
    status: { title: 'Lab services', groups: [{ name: 'web', title: 'Web servers', series: 'a11y.*.load' }] },
  });
  [web, browser] = await Promise.all([startWebTestServer({ extraConfig, heartbeat: '5m' }), launchBrowser()]);
  const samples: [string, number, number][] = [];
  // Six hours of load (the heatmap's range), an hour of disk.
  for (let t = NOW - 6 * 3600; t <= NOW; t += 10) {
    const wave = Math.sin(t / 1800);
    samples.push(['a11y.web01.load', t, t < NOW - 300 ? 3 + 2 * wave : 9.5], ['a11y.web02.load', t, 1.5 + wave]);
    if (t >= NOW - 3600) samples.push(['a11y.web01.disk', t, 85], ['a11y.web02.disk', t, 40]);
  }
  await web.ingest(samples);
  await heartbeat();
  await web.api('POST', '/api/v1/downtimes', web.writer, { kind: 'planned', scope: { series: ['a11y.web02.*'] }, start: NOW - 1200, end: NOW + 1800, reason: 'kernel update' });
  await web.api('POST', '/api/v1/downtimes', web.writer, { kind: 'unplanned', scope: { series: ['a11y.web01.disk'] }, start: NOW - 900, reason: 'disk controller replaced' });
  await web.api('POST', '/api/v1/downtimes', web.writer, { kind: 'planned', scope: { series: ['a11y.web01.disk'] }, start: NOW + 3600, end: NOW + 7200, rrule: 'FREQ=WEEKLY', timezone: 'UTC', reason: 'weekly backup' });
  const alarm = async () => (await web.api<{ alarms: { state: string }[] }>('GET', '/api/v1/alarms?series=a11y.web01.load', web.viewer)).alarms[0]?.state;
  await until(async () => (await alarm()) === 'CRITICAL', 'a11y.web01.load CRITICAL', 20_000);
  await web.api('POST', '/api/v1/alarms/ack', web.writer, { series: 'a11y.web01.load', comment: 'load test running until noon' });
  await web.api('PUT', '/api/v1/dashboards/lab-wall', web.writer, {
    title: 'Lab wall',
    panels: [
      { type: 'graph', w: 6, h: 3, series: ['a11y.*.load'], range: '1d' },
      { type: 'value', w: 3, h: 1, series: ['a11y.web01.disk'] },
      { type: 'alarms', w: 3, h: 2, match: 'a11y.**' },
      { type: 'heatmap', w: 12, h: 3, view: 'load-map', range: '1d' },
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the scan', () => {
  it('finds a fault inside a shadow root, naming the element through its host', async () => {
    const page = await pageWithToken(browser, web.viewer);
    try {
      await page.goto(`${web.url}/`);
      await VIEWS[0].ready(page);
      // An unlabelled field and a nameless button in <rm-overview>'s shadow root.
      await page.evaluate(`document.querySelector('rm-app').shadowRoot.querySelector('rm-overview').shadowRoot.append(Object.assign(document.createElement('input'), { id: 'no-label' }), Object.assign(document.createElement('button'), { id: 'no-name' }))`);
      const found = seriousViolations(await scanPage(page)).filter((v) => v.targets.some((t) => /#no-(label|name)$/.test(t)));
      expect(found.map((v) => [v.id, v.targets])).toEqual([
        ['button-name', ['rm-app >>> rm-overview >>> #no-name']],
        ['label', ['rm-app >>> rm-overview >>> #no-label']],
      ]);
    } finally {
      await page.context().close();
    }
  });
});

describe('every view of the web client', () => {
  it.each(VIEWS.map((v) => [v.name, v] as const))('%s: no serious or critical accessibility violation, and a screenshot', async (name, view) => {
    const role = view.token === undefined ? 'viewer' : view.token;
    const page = await pageWithToken(browser, role === null ? null : web[role]);
    try {
      await page.goto(`${web.url}${view.path}`);
      await view.ready(page);
      // Fonts and the chart's last frame settle before the picture and the contrast checks.
      await page.evaluate('document.fonts.ready');
      await screenshot(page, `view-${name}`);
      await expectNoSeriousViolations(page, name);
    } finally {
      await page.context().close();
    }
  });
});
