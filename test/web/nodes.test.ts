/**
 * The nodes in the web client, in headless Chromium against a real server:
 * two agents heartbeat over real HTTP (POST /api/v1/agents/heartbeat with
 * an ingest token) to a server with short node thresholds (late after 3 s
 * without a heartbeat, down after 10 s) and a metadata file naming them.
 * The overview's nodes panel shows both up with their display names, kind
 * and times; one agent stops: at the overview's refresh its node shows
 * late, then down, first in the list, with the counts in the header. The
 * alarms view shows the display name beside the series, its series held by
 * the node down, and the node-down item linking to the node's row, not to
 * a graph.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/wait.js';
import { launchBrowser, pageWithToken, screenshot } from './helpers/browser.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

const LATE_AFTER = 3; // heartbeatInterval 1 s × graceFactor 3
const DOWN_AFTER = 10;
const AGENTS = ['web01', 'web03'];
const dir = mkdtempSync(join(tmpdir(), 'ringmon-web-nodes-'));
let web: WebTestServer;
let browser: Browser;
let page: Page;
/** The agents heartbeating now. */
const beating = new Set(AGENTS);
let timer: ReturnType<typeof setInterval> | undefined;

async function heartbeat(name: string): Promise<void> {
  const body = { name, hostname: `${name}.lab.example`, version: 'test', instances: [{ name, slurper: 'exec', up: true, lastRun: Math.floor(Date.now() / 1000) }], spooledSamples: 0 };
  const res = await fetch(`${web.url}/api/v1/agents/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${web.ingestToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 204) throw new Error(`heartbeat ${name}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  const metadataFile = join(dir, 'nodes.yaml');
  writeFileSync(metadataFile, 'web01:\n  name: Web one\nweb03:\n  name: Web three\n');
  const extraConfig = [
    'nodes:',
    '  heartbeatInterval: 1s',
    `  graceFactor: ${LATE_AFTER}`,
    `  downAfter: ${DOWN_AFTER}s`,
    'metadata:',
    `  file: ${JSON.stringify(metadataFile)}`,
    "  key: '{node}.**'",
    'alarms:',
    '  rules:',
    '    - name: load-high',
    '      match: web*.load',
    '      critical: "> 10"',
  ].join('\n');
  [web, browser] = await Promise.all([startWebTestServer({ extraConfig, heartbeat: '5m' }), launchBrowser()]);
  const now = Math.floor(Date.now() / 1000);
  const samples: [string, number, number][] = [];
  for (let t = now - 600; t <= now; t += 10) samples.push(['web01.load', t, 1], ['web03.load', t, 12]);
  await web.ingest(samples);
  await Promise.all(AGENTS.map(heartbeat));
  timer = setInterval(() => {
    for (const name of beating) void heartbeat(name).catch(() => undefined);
  }, 400);
  page = await pageWithToken(browser, web.viewer);
}, 120_000);

afterAll(async () => {
  clearInterval(timer);
  await browser?.close();
  await web?.close();
  rmSync(dir, { recursive: true, force: true });
});

const panelRows = () => page.locator('rm-nodes-panel tbody tr[data-node]');
const rowOf = (name: string) => page.locator(`rm-nodes-panel tr[data-node="${name}"]`);
const counts = () => page.locator('rm-nodes-panel #node-counts').innerText();
/** [name, state] of each row, top to bottom. */
const listed = () => panelRows().evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-node'), tr.getAttribute('data-state')]));
/** The overview's own refresh (what its 30 s timer runs), then the rows it drew. */
async function refreshed(): Promise<(string | null)[][]> {
  await page.locator('rm-overview').evaluate((el) => (el as unknown as { refresh(): Promise<void> }).refresh());
  return listed();
}

describe('the nodes panel', () => {
  it('lists every node with its state, kind, display name and times', async () => {
    await page.goto(`${web.url}/`);
    await panelRows().first().waitFor();
    expect(await listed()).toEqual([
      ['web01', 'up'],
      ['web03', 'up'],
    ]);
    expect(await counts()).toBe('2 up · 0 late · 0 down');
    const row = rowOf('web03');
    expect(await row.locator('.state').innerText()).toContain('up'); // the word, not the colour alone
    expect(await row.locator('.display-name').innerText()).toBe('Web three');
    expect(await rowOf('web01').locator('.display-name').innerText()).toBe('Web one');
    expect(await row.getAttribute('data-kind')).toBe('agent');
    expect(await row.innerText()).toContain('agent');
    // Since when and last contact: relative, and absolute with the zone (the browser's: UTC here).
    expect(await row.locator('td.since').innerText()).toMatch(/ago \(.*UTC\)/);
    expect(await row.locator('td.contact').innerText()).toMatch(/\d+(\.\d)? s ago \(.*\d\d:\d\d:\d\d UTC\)/);
    await screenshot(page, 'nodes-up');
  });

  it('follows the pages of nodes and of metadata to the end', async () => {
    // The real server, asked for one node (one metadata node) a page: the panel must follow `next`.
    const other = await pageWithToken(browser, web.viewer);
    const asked: string[] = [];
    for (const route of ['nodes', 'metadata']) {
      await other.route(`**/api/v1/${route}?*`, (r) => {
        const url = new URL(r.request().url());
        url.searchParams.set('limit', '1');
        asked.push(`${route} ${url.searchParams.get('after') ?? ''}`);
        return r.continue({ url: url.toString() });
      });
    }
    await other.goto(`${web.url}/`);
    await other.locator('rm-nodes-panel tr[data-node="web03"] .display-name').waitFor();
    expect(await other.locator('rm-nodes-panel tbody tr[data-node]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-node')))).toEqual(['web01', 'web03']);
    expect(await other.locator('rm-nodes-panel tr[data-node="web03"] .display-name').innerText()).toBe('Web three');
    expect(asked).toEqual(expect.arrayContaining(['nodes ', 'nodes web01', 'metadata ', 'metadata web01']));
    await other.context().close();
  });

  it('leaves display names out when the metadata cannot be read (403, 404)', async () => {
    for (const status of [403, 404]) {
      const other = await pageWithToken(browser, web.viewer);
      await other.route('**/api/v1/metadata*', (r) => r.fulfill({ status, contentType: 'application/json', body: JSON.stringify({ error: { code: 'refused', message: `answered ${status}` } }) }));
      await other.goto(`${web.url}/`);
      await other.locator('rm-nodes-panel tr[data-node="web03"]').waitFor();
      expect(await other.locator('rm-nodes-panel tbody tr[data-node]').count(), `metadata ${status}`).toBe(2);
      expect(await other.locator('rm-nodes-panel .display-name').count(), `metadata ${status}`).toBe(0);
      expect(await other.locator('rm-nodes-panel th', { hasText: 'Display name' }).count()).toBe(0);
      expect(await other.locator('rm-overview [role="alert"]').count()).toBe(0);
      await other.context().close();
    }
  });

  it('shows a node that stops heartbeating late, then down, first in the list, with the counts', async () => {
    beating.delete('web03');
    const seen: string[] = [];
    await until(async () => {
      const rows = await refreshed();
      const state = rows.find(([name]) => name === 'web03')?.[1];
      if (state && seen[seen.length - 1] !== state) seen.push(state);
      if (state === 'late') {
        expect(rows).toEqual([
          ['web03', 'late'],
          ['web01', 'up'],
        ]);
        expect(await counts()).toBe('1 up · 1 late · 0 down');
        expect(await rowOf('web03').locator('.state').innerText()).toContain('late');
      }
      return state === 'down';
    }, 'web03 down in the panel', 60_000);
    expect(seen.filter((state) => state !== 'up')).toEqual(['late', 'down']); // seen late before down
    expect(await listed()).toEqual([
      ['web03', 'down'],
      ['web01', 'up'],
    ]);
    expect(await counts()).toBe('1 up · 0 late · 1 down');
    expect(await rowOf('web03').locator('.state').innerText()).toContain('down');
    expect(await rowOf('web03').locator('.display-name').innerText()).toBe('Web three');
    await screenshot(page, 'nodes-down');
  });
});

describe('the alarms view', () => {
  it('shows display names, the series held by the node down, and the node-down item without a graph link', async () => {
    await until(async () => {
      const { alarms } = await web.api<{ alarms: { series: string; state: string }[] }>('GET', '/api/v1/alarms', web.viewer);
      return alarms.some((a) => a.series === 'node:web03' && a.state === 'CRITICAL');
    }, 'the node-down alarm of web03', 30_000);
    await page.goto(`${web.url}/?view=alarms`);
    const item = page.locator('rm-alarms-view #alarms tbody tr', { has: page.locator('a', { hasText: /^node:web03$/ }) });
    await item.waitFor();
    const held = page.locator('rm-alarms-view #alarms tbody tr', { has: page.locator('a', { hasText: /^web03\.load$/ }) });
    expect(await held.locator('.display-name').innerText()).toBe('Web three');
    expect(await held.locator('.held').innerText()).toBe('held: node web03 is down');
    const other = page.locator('rm-alarms-view #alarms tbody tr', { has: page.locator('a', { hasText: /^web01\.load$/ }) });
    expect(await other.locator('.display-name').innerText()).toBe('Web one');
    expect(await other.locator('.held').count()).toBe(0);
    // The node-down item: the node's display name too, and a link to its row, not to a graph.
    expect(await item.getAttribute('data-state')).toBe('CRITICAL');
    expect(await item.locator('.display-name').innerText()).toBe('Web three');
    const link = item.locator('a', { hasText: /^node:web03$/ });
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).not.toContain('view=graph');
    expect(new URL(href, web.url).searchParams.get('node')).toBe('web03');
    await screenshot(page, 'nodes-alarms');
    await link.click();
    await rowOf('web03').waitFor();
    expect(new URL(page.url()).searchParams.get('view')).toBeNull();
    expect(await rowOf('web03').getAttribute('aria-current')).toBe('true');
    expect(await rowOf('web01').getAttribute('aria-current')).toBe('false');
    // In the overview's list of series too, the item is no graph link and takes no checkbox.
    const treeRow = page.locator('rm-series-tree tr[data-series="node:web03"]');
    expect(new URL((await treeRow.locator('a').getAttribute('href')) ?? '', web.url).searchParams.get('node')).toBe('web03');
    expect(await treeRow.locator('input[type="checkbox"]').count()).toBe(0);
  });
});
