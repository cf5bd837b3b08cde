/**
 * The public status page end to end: a real `ringmon serve` (a process)
 * with auth.openReads off and a `status` section of two groups, a series
 * group (`site.a.*`) and a node group (`gw*`), on a data directory whose
 * alarm history was scripted before the start (written with the server's
 * own AlarmStore, at chosen times over the last 40 days). Planned downtimes
 * are filed over HTTP, past and coming, two agents heartbeat, samples come
 * in.
 *
 * - GET /api/v1/status without a token lists exactly the configured items,
 *   with the uptime of each derived by hand below from the script (planned
 *   downtime left out), and the coming planned downtimes of its items.
 * - What is not public (a series and an agent outside the groups, a
 *   downtime covering only them, the recipients' and the metadata's
 *   addresses) is in neither the JSON nor the HTML.
 * - GET /status in headless Chromium: the DOM shows the groups, items,
 *   states, uptimes and downtimes, the page runs no script and loads only
 *   its own stylesheet (the CSP holds), and a screenshot is saved.
 * - The answer is built once per status.refresh whatever the traffic.
 * - It reloads itself only at /status?reload=1.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmStatus } from '../../../server/alarms/index.js';
import { addToken } from '../../../server/auth/token-file.js';
import { DATABASE_FILE } from '../../../server/database/index.js';
import { CONTENT_SECURITY_POLICY } from '../../../server/http/security-headers.js';
import { writeAlarmHistory } from '../../helpers/alarm-history.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { launcherInTempDir } from '../../helpers/ringmon-process.js';
import { NO_SLURPERS, testServerYaml } from '../../helpers/server-config.js';
import { until } from '../../helpers/wait.js';
import { launchBrowser, screenshot } from '../../web/helpers/browser.js';

const H = 3600;
const D = 86_400;
const OPS = 'ops.secret@hospital.example';
const NODE_CONTACT = 'gw-contact@hospital.example';
const SECRET_REASON = 'SECRET-REASON internal switch swap';
const REFRESH = 2;
const { dir, launcher } = launcherInTempDir('ringmon-status-e2e-');
/** The moment the script is written against: whole seconds. */
const T = Math.floor(Date.now() / 1000);
let base = '';
const tokens = { admin: '', operator: '', ingest: '' };
let browser: Browser | undefined;

/** The scripted history: [item, rule, from, to, at]. */
const SCRIPT: [string, string, AlarmStatus, AlarmStatus, number][] = [
  ['site.a.latency', 'latency', 'OK', 'WARNING', T - 40 * D], // before both windows: the 30 days start in WARNING (up)
  ['site.a.latency', 'latency', 'WARNING', 'CRITICAL', T - 20 * D],
  ['site.a.latency', 'latency', 'CRITICAL', 'OK', T - 20 * D + H], // 1 h down
  ['site.a.latency', 'latency', 'OK', 'NODATA', T - 25 * H], // 2 h without data, across the 24 h window's start
  ['site.a.latency', 'latency', 'NODATA', 'OK', T - 23 * H],
  ['site.a.latency', 'latency', 'OK', 'CRITICAL', T - 2 * H], // 1 h down, its second half in planned downtime
  ['site.a.latency', 'latency', 'CRITICAL', 'OK', T - H],
  ['site.secret.latency', 'latency', 'OK', 'CRITICAL', T - 5 * D],
  ['node:gw01', 'node-down', 'OK', 'CRITICAL', T - 10 * D], // 10 min down
  ['node:gw01', 'node-down', 'CRITICAL', 'OK', T - 10 * D + 600],
];

async function heartbeat(name: string): Promise<void> {
  const beat = await apiCall(base, 'POST', '/api/v1/agents/heartbeat', tokens.ingest, { name, hostname: `${name}.lab.example`, version: 'test', spooledSamples: 0, instances: [] });
  expect(beat.status).toBe(204);
}

async function fileDowntime(scope: { series?: string[]; agents?: string[] }, start: number, end: number, reason: string): Promise<void> {
  const filed = await apiCall(base, 'POST', '/api/v1/downtimes', tokens.operator, { kind: 'planned', scope: { series: [], agents: [], ...scope }, start, end, reason });
  expect(filed.status, JSON.stringify(filed.json)).toBe(201);
}

async function get(path: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const res = await request(`${base}${path}`);
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

const unix = (iso: string): number => Date.parse(iso) / 1000;

beforeAll(async () => {
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  await writeAlarmHistory(join(dataDir, DATABASE_FILE), SCRIPT.map(([series, rule, from, to, at]) => ({ series, rule, from, to, at })));
  const tokensFile = join(dir, 'tokens');
  for (const role of ['admin', 'operator', 'ingest'] as const) tokens[role] = addToken(tokensFile, `${role}-token`, role);
  const metadataFile = join(dir, 'nodes.yaml');
  writeFileSync(metadataFile, `gw01:\n  name: Gateway one\n  contacts: [${NODE_CONTACT}]\n`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const config = testServerYaml({ port, dataDir, tokensFile, openReads: false, log: 'warn' }, NO_SLURPERS, {
    archives: { default: { step: '10s', heartbeat: '1h', rras: ['RRA:AVERAGE:0.5:1:600'] } },
    metadata: { file: metadataFile, key: '{node}.**' },
    // One heartbeat keeps the agents up for the whole test, however slow the machine.
    nodes: { heartbeatInterval: '1h', downAfter: '3h' },
    alarms: { rules: [{ name: 'latency', match: 'site.*.latency', critical: '> 500', notify: ['ops'] }], recipients: [{ name: 'ops', email: [OPS] }] },
    notify: { email: { host: '127.0.0.1', port: await freePort(), starttls: 'never', from: 'ringmon@hospital.example' } },
    status: {
      title: 'Testbed status',
      refresh: `${REFRESH}s`,
      groups: [
        { name: 'web', title: 'Web sites', series: 'site.a.*' },
        { name: 'gateways', title: 'Gateways', nodes: ['gw*'] },
      ],
    },
  });
  writeFileSync(join(dir, 'ringmon.yaml'), config);
  // Generous: a loaded machine (the suite's other servers) has taken more than a minute to start one.
  await launcher.serve(join(dir, 'ringmon.yaml'), base, 150_000);
  await Promise.all(['gw01', 'internal01'].map(heartbeat));
  const now = Math.floor(Date.now() / 1000);
  const samples = await apiCall(base, 'POST', '/api/v1/samples', tokens.ingest, [
    { series: 'site.a.latency', t: now, v: 120 },
    { series: 'site.secret.latency', t: now, v: 900 },
  ]);
  expect(samples.status).toBe(200);
  await fileDowntime({ series: ['site.a.*'] }, T - 90 * 60, T - 30 * 60, 'Database migration');
  await fileDowntime({ series: ['site.a.*'] }, T + 2 * H, T + 3 * H, 'Network upgrade');
  await fileDowntime({ agents: ['gw01'] }, T + D, T + D + H, 'Gateway firmware');
  await fileDowntime({ series: ['site.secret.*'] }, T + H, T + 2 * H, SECRET_REASON);
  // The next build after all of that: both items there and the downtimes filed.
  await until(async () => {
    const board = JSON.parse((await get('/api/v1/status')).text);
    return board.groups[0].items.length === 1 && board.groups[1].items.length === 1 && board.groups[1].downtimes.length === 1 && unix(board.generatedAt) > now + 0.5;
  }, 'a board with the items and downtimes', 60_000);
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
});

describe('GET /api/v1/status without a token (openReads off)', () => {
  it('lists exactly the configured items, with the uptime derived by hand from the script', async () => {
    const answer = await get('/api/v1/status');
    expect(answer.status).toBe(200);
    const board = JSON.parse(answer.text);
    const G = unix(board.generatedAt);
    const δ = G - T; // the server's now, a few seconds after the script's
    expect(δ).toBeGreaterThan(0);
    expect(δ).toBeLessThan(H);
    // site.a.latency, 30 days [G − 30 d, G): starts in WARNING (up); down 1 h (20 d ago) + 2 h (NODATA) + 30 min (CRITICAL
    // outside the planned hour from T − 90 min to T − 30 min); 1 h planned, left out.
    const down30 = H + 2 * H + 30 * 60;
    // 24 h [G − 24 h, G): the NODATA spell from T − 25 h to T − 23 h counts from G − 24 h on: 1 h − δ; then the same 30 min.
    const down24 = H - δ + 30 * 60;
    const pct = (window: number, planned: number, down: number) => (100 * (window - planned - down)) / (window - planned);
    expect(board.title).toBe('Testbed status');
    expect(board.refreshSeconds).toBe(REFRESH);
    expect(board.groups.map((g: { name: string; title: string }) => [g.name, g.title])).toEqual([
      ['web', 'Web sites'],
      ['gateways', 'Gateways'],
    ]);
    const [web, gateways] = board.groups;
    expect(web.items).toHaveLength(1);
    const site = web.items[0];
    expect(site).toMatchObject({ kind: 'series', name: 'site.a.latency', state: 'OK', level: 'ok', maintenance: false });
    expect(site.uptime.last30d).toEqual({ percent: expect.any(Number), downSeconds: down30, plannedSeconds: H });
    expect(site.uptime.last30d.percent).toBeCloseTo(pct(30 * D, H, down30), 3);
    expect(site.uptime.last24h.downSeconds).toBeCloseTo(down24, 6);
    expect(site.uptime.last24h.plannedSeconds).toBe(H);
    expect(site.uptime.last24h.percent).toBeCloseTo(pct(D, H, down24), 3);
    expect(web.downtimes).toEqual([{ start: new Date((T + 2 * H) * 1000).toISOString().replace('.000', ''), end: new Date((T + 3 * H) * 1000).toISOString().replace('.000', ''), reason: 'Network upgrade', items: ['site.a.latency'] }]);
    // gw01: down 10 min ten days ago; up now from its heartbeat; its agent's downtime tomorrow.
    expect(gateways.items).toHaveLength(1);
    const gw = gateways.items[0];
    expect(gw).toMatchObject({ kind: 'node', name: 'gw01', displayName: 'Gateway one', state: 'up', level: 'ok', maintenance: false });
    expect(gw.uptime.last24h).toEqual({ percent: 100, downSeconds: 0, plannedSeconds: 0 });
    expect(gw.uptime.last30d).toEqual({ percent: expect.any(Number), downSeconds: 600, plannedSeconds: 0 });
    expect(gw.uptime.last30d.percent).toBeCloseTo(pct(30 * D, 0, 600), 3);
    expect(gateways.downtimes.map((d: { reason: string; items: string[] }) => [d.reason, d.items])).toEqual([['Gateway firmware', ['gw01']]]);
    expect(board.level).toBe('ok');
  });

  it('holds nothing that is not public: no other series or node, no address, no other downtime', async () => {
    const json = (await get('/api/v1/status')).text;
    const html = (await get('/status')).text;
    for (const text of [json, html]) {
      expect(text).toContain('site.a.latency');
      for (const hidden of ['site.secret', 'internal01', OPS, NODE_CONTACT, 'hospital.example', SECRET_REASON, 'Database migration', '> 500', '&gt; 500', '"rule"', '"threshold"', '"value"']) {
        expect(text.includes(hidden), `'${hidden}' in ${text.slice(0, 60)}`).toBe(false);
      }
    }
  });

  it('reloads itself only when asked (?reload=1), and refuses another value naming it', async () => {
    expect((await get('/status')).text).not.toContain('http-equiv="refresh"');
    expect((await get('/status?reload=1')).text).toContain('<meta http-equiv="refresh" content="60">');
    const refused = await get('/status?reload=yes');
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('querystring/reload');
  });

  it('keeps every other route behind a token: the alarms, nodes and downtimes themselves answer 401', async () => {
    for (const path of ['/api/v1/alarms', '/api/v1/nodes', '/api/v1/downtimes', '/api/v1/alarms/history', '/api/v1/notifications', '/api/v1/metadata']) {
      expect((await get(path)).status, path).toBe(401);
    }
  });

  it('is built once per status.refresh whatever the traffic', async () => {
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 400 }, () => get('/api/v1/status')));
    const elapsed = performance.now() - started;
    const stamps = new Set(answers.map((a) => JSON.parse(a.text).generatedAt));
    // 400 requests within one or two refresh periods: one or two builds, never one per request.
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(stamps.size).toBeLessThanOrEqual(Math.ceil(elapsed / 1000 / REFRESH) + 1);
    expect(answers[0].headers['cache-control']).toBe(`public, max-age=${REFRESH}`);
    console.log(`status: 400 concurrent requests in ${elapsed.toFixed(0)} ms, ${stamps.size} build(s)`);
  });
});

describe('GET /status in headless Chromium', () => {
  it('shows the groups, items, uptimes and coming downtimes, with no script and its own stylesheet', async () => {
    const context = await browser!.newContext({ viewport: { width: 1100, height: 800 }, timezoneId: 'UTC', locale: 'en-GB' });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto(`${base}/status`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.title()).toBe('Testbed status');
    expect(await page.locator('#overall').getAttribute('data-level')).toBe('ok');
    expect(await page.locator('section.group').evaluateAll((s) => s.map((e) => e.getAttribute('data-group')))).toEqual(['web', 'gateways']);
    const rows = await page.locator('tr[data-item]').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-item'), tr.getAttribute('data-state'), ...[...tr.querySelectorAll('td.uptime')].map((td) => td.textContent)]));
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ['site.a.latency', 'OK'],
      ['gw01', 'up'],
    ]);
    expect(rows[1].slice(2)).toEqual(['100.000 %', `${((100 * (30 * D - 600)) / (30 * D)).toFixed(3)} %`]);
    expect(await page.locator('tr[data-item="gw01"] td.name').innerText()).toContain('Gateway one');
    const downtimes = await page.locator('li[data-downtime]').allInnerTexts();
    expect(downtimes).toHaveLength(2);
    expect(downtimes[0]).toContain('Network upgrade');
    expect(downtimes[1]).toContain('Gateway firmware');
    // The stylesheet applied (the overall banner is green), no script anywhere, no CSP complaint.
    // Browser code as text: the tests compile without the DOM's types.
    expect(await page.evaluate("getComputedStyle(document.getElementById('overall')).backgroundColor")).toBe('rgb(26, 127, 55)');
    expect(await page.locator('script').count()).toBe(0);
    expect(violations).toEqual([]);
    await screenshot(page, 'status-page');
    await context.close();
  });
});
