/**
 * The period report end to end: a real `ringmon serve` process on a fresh
 * data directory with real SQLite, fed a scripted day of node states over
 * HTTP (samples carry their own times, so the day is yesterday), a planned
 * downtime filed through the API, and a real SMTP server on 127.0.0.1.
 *
 * The report over that day must list exactly the nodes that were ever bad
 * (one that recovered hours before the run too), with the times and
 * availability worked out by hand below; its CSV and HTML are archived,
 * listed and downloaded through the API; the mail arrives with the CSV.
 * Then the scheduled window: since the last run, across a restart; and
 * copies older than `keep` are gone at start.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { launcherInTempDir, type ServedFolder } from '../../helpers/ringmon-process.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';
import { until } from '../../helpers/wait.js';
import { parseCsv } from './fixtures.js';

const { dir, launcher } = launcherInTempDir('ringmon-period-report-');
let smtp: SmtpSink;
let served: ServedFolder;
let admin: string;
let viewer: string;
let writer: string;
let ingest: string;
const tokensFile = join(dir, 'tokens');

/** The scripted day: 24 h starting at a whole hour 26 h before now, so all of it is past. */
const DAY_START = Math.floor(Date.now() / 1000 / 3600) * 3600 - 26 * 3600;
const h = (hours: number, minutes = 0): number => DAY_START + hours * 3600 + minutes * 60;
const DAY_END = h(24);
const iso = (t: number): string => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Node states every 10 minutes (0 fine, 3 failed): h1 fails 03:00–04:00 and recovers;
 * h2 fails at 22:00 and stays failed; h3 never fails; h4 fails 10:00–10:30 inside its
 * planned maintenance 09:00–12:00. The rule is `> 2` critical.
 */
function stateAt(node: string, t: number): number {
  if (node === 'h1') return t >= h(3) && t < h(4) ? 3 : 0;
  if (node === 'h2') return t >= h(22) ? 3 : 0;
  if (node === 'h4') return t >= h(10) && t < h(10, 30) ? 3 : 0;
  return 0;
}

const config = (smtpPort: number) => ({
  log: { level: 'warn' },
  slurpers: { instances: [] },
  archives: { default: { step: '10m', heartbeat: '1h', rras: ['RRA:LAST:0.5:1:600'] } },
  metadata: { file: join(dir, 'nodes.yaml'), key: 'broker.{node}.state' },
  alarms: {
    groupWait: 0,
    rules: [{ name: 'node-state', match: 'broker.*.state', critical: '> 2', notify: [] }],
    recipients: [{ name: 'ops', email: ['ops@test.example'] }],
  },
  notify: { email: { host: '127.0.0.1', port: smtpPort, starttls: 'never', from: 'ringmon@test.example' }, retry: { initial: '1s', max: '1s' } },
  reports: [{ name: 'daily', cron: '30 0 * * *', notify: ['ops'], match: 'broker.**', groupBy: 2, keep: '30d', title: 'Node review' }],
});

const call = (method: 'GET' | 'POST', path: string, token = admin, body?: unknown) => apiCall(served.base, method, path, token, body);

async function download(path: string, token = viewer): Promise<{ status: number; type: string; disposition: string; csp: string; text: string }> {
  const res = await request(`${served.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.body.text();
  const header = (name: string): string => String(res.headers[name] ?? '');
  return { status: res.statusCode, type: header('content-type'), disposition: header('content-disposition'), csp: header('content-security-policy'), text };
}

/** A run of an old report left in the archive: 40 days old, past the 30d keep. */
const STALE = `daily-${iso(DAY_START - 40 * 86400).slice(0, 16).replace(':', '')}Z.csv`;

beforeAll(async () => {
  smtp = await SmtpSink.start(0);
  admin = addToken(tokensFile, 'root', 'admin');
  viewer = addToken(tokensFile, 'reader', 'viewer');
  writer = addToken(tokensFile, 'collector', 'writer');
  ingest = addToken(tokensFile, 'agent', 'ingest');
  writeFileSync(join(dir, 'nodes.yaml'), 'h1: { name: Hospital one }\nh2: { name: Hospital two }\nh3: { name: Hospital three }\nh4: { name: Hospital four }\n');
  mkdirSync(join(dir, 'data', 'reports'), { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'data', 'reports', STALE), 'group\r\n', { mode: 0o600 });
  served = await launcher.serveIn(dir, { tokensFile }, config(smtp.port));
  const planned = await call('POST', '/api/v1/downtimes', admin, { kind: 'planned', scope: { series: ['broker.h4.**'] }, start: h(9), end: h(12), reason: '=firmware "upgrade", ward 4' });
  expect(planned.status).toBe(201);
  const samples = [];
  for (let t = h(0); t <= h(24); t += 600) for (const node of ['h1', 'h2', 'h3', 'h4']) samples.push({ series: `broker.${node}.state`, t, v: stateAt(node, t) });
  const res = await call('POST', '/api/v1/samples', writer, samples);
  expect(res.json).toMatchObject({ accepted: samples.length, rejected: [] });
  await until(async () => (await call('GET', '/api/v1/alarms/history?limit=10', viewer)).json?.transitions?.length >= 5, 'the day\'s transitions recorded', 30_000);
}, 120_000);

afterAll(async () => {
  await smtp?.stop();
});

describe('a report over a scripted day', () => {
  let run: Record<string, any>;

  beforeAll(async () => {
    const res = await call('POST', `/api/v1/reports/daily/run?from=${DAY_START}&to=${DAY_END}`);
    expect(res.status).toBe(200);
    run = res.json;
  }, 60_000);

  it('lists exactly the nodes that were ever bad, with the times and availability worked out by hand', async () => {
    expect(run).toMatchObject({ subject: '[ringmon] Node review: 3 not OK in 3 groups', from: iso(DAY_START), to: iso(DAY_END), notOk: 3, groups: 3 });
    const listing = await call('GET', '/api/v1/reports', viewer);
    const csvUrl = listing.json.reports[0].runs[0].files.find((f: { kind: string }) => f.kind === 'csv').url;
    const csv = await download(csvUrl);
    expect(csv.status).toBe(200);
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.disposition).toMatch(/^attachment; filename="daily-\d{4}-\d\d-\d\dT\d{4}Z\.csv"$/);
    const [header, ...rows] = parseCsv(csv.text);
    const named = rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
    expect(named.map((r) => [r.series, r.display_name, r.worst_status, r.worst_value, r.not_ok_seconds, r.first_bad, r.last_bad, r.availability_percent, r.planned_downtime_seconds, r.not_ok_in_planned_downtime_seconds, r.status_at_end])).toEqual([
      // 03:00 to 04:00: 3600 s of 86400 → 100 × (1 − 3600/86400) = 95.833 %; recovered long before the run, listed all the same.
      ['broker.h1.state', 'Hospital one', 'CRITICAL', '3', '3600', iso(h(3)), iso(h(4)), '95.833', '0', '0', 'OK'],
      // 22:00 to the day's end: 7200 s → 91.666 %; still bad at the end, so the last bad time is the end.
      ['broker.h2.state', 'Hospital two', 'CRITICAL', '3', '7200', iso(h(22)), iso(h(24)), '91.666', '0', '0', 'CRITICAL'],
      // 10:00 to 10:30 inside the planned 09:00–12:00 (10800 s): not held against it → 100 %.
      ['broker.h4.state', 'Hospital four', 'CRITICAL', '3', '1800', iso(h(10)), iso(h(10, 30)), '100', '10800', '1800', 'OK'],
    ]);
  });

  it('archives the HTML beside the CSV, owner-only, and serves it as HTML that runs nothing', async () => {
    const listing = await call('GET', '/api/v1/reports', viewer);
    expect(listing.status).toBe(200);
    const [daily] = listing.json.reports;
    expect(daily).toMatchObject({ name: 'daily', title: 'Node review', keepSeconds: 30 * 86400, lastEnd: null });
    expect(daily.runs).toHaveLength(1);
    const html = await download(daily.runs[0].files.find((f: { kind: string }) => f.kind === 'html').url);
    expect(html.type).toBe('text/html; charset=utf-8');
    expect(html.csp).toContain("default-src 'none'");
    expect(html.text).toContain('<h2>Hospital one (broker.h1): CRITICAL 1</h2>');
    expect(html.text).toContain('1h (3600 s)');
    expect(html.text).toContain('#1');
    for (const file of readdirSync(join(served.dataDir, 'reports')).filter((f) => f.startsWith('daily-'))) {
      expect(statSync(join(served.dataDir, 'reports', file)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(join(served.dataDir, 'reports')).mode & 0o777).toBe(0o700);
  });

  it('mails the report to its recipients with the CSV attached', async () => {
    await until(() => smtp.received.some((m) => m.subject === run.subject), 'the report mail', 30_000);
    const mail = smtp.received.find((m) => m.subject === run.subject);
    const listing = await call('GET', '/api/v1/reports', viewer);
    const csv = await download(listing.json.reports[0].runs[0].files.find((f: { kind: string }) => f.kind === 'csv').url);
    expect(mail?.attachments.map((a) => a.content)).toEqual([csv.text]);
    expect(mail?.html).toContain('Hospital two (broker.h2)');
  });

  it('removed the copy older than keep at start', () => {
    expect(readdirSync(join(served.dataDir, 'reports'))).not.toContain(STALE);
  });
});

describe('the reports API refuses', () => {
  it('a file name that is not one of the report\'s, or a path, naming the field', async () => {
    for (const file of ['..%2F..%2Ftokens', '..%2Fringmon.sqlite', 'daily-2026-13-01T0000Z.csv', 'other-2026-11-24T0030Z.csv', 'daily-2026-11-24T0030Z.txt']) {
      const res = await call('GET', `/api/v1/reports/daily/runs/${file}`, viewer);
      expect([400, 404], file).toContain(res.status);
      expect(res.json.error.problems[0].field, file).toBe('params/file');
    }
    expect((await call('GET', '/api/v1/reports/weekly/runs/weekly-2026-11-24T0030Z.csv', viewer)).json.error.problems[0].field).toBe('params/name');
  });

  it('a range that is half given, backwards, in the future or too long, changing nothing', async () => {
    const before = (await call('GET', '/api/v1/reports', viewer)).json.reports[0].runs.length;
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string][] = [
      [`from=${DAY_START}`, 'querystring/to'],
      [`to=${DAY_END}`, 'querystring/from'],
      [`from=${DAY_END}&to=${DAY_START}`, 'querystring/to'],
      [`from=${now}&to=${now + 86400}`, 'querystring/to'],
      [`from=${now - 400 * 86400}&to=${now}`, 'querystring/to'],
      [`from=yesterday&to=${now}`, 'querystring/from'],
    ];
    for (const [query, field] of cases) {
      const res = await call('POST', `/api/v1/reports/daily/run?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json.error.problems[0].field, query).toBe(field);
    }
    expect((await call('GET', '/api/v1/reports', viewer)).json.reports[0].runs.length).toBe(before);
  });

  it('a reader the run, and the listing to no token or an ingest token', async () => {
    expect((await call('POST', '/api/v1/reports/daily/run', viewer)).status).toBe(403);
    expect((await apiCall(served.base, 'GET', '/api/v1/reports', undefined)).status).toBe(401);
    expect((await call('GET', '/api/v1/reports', ingest)).status).toBe(403);
    expect((await download('/api/v1/reports/daily/runs/daily-2026-11-24T0030Z.csv', ingest)).status).toBe(403);
    expect((await call('GET', '/api/v1/reports?limit=0', viewer)).status).toBe(400);
  });
});

describe('the scheduled window', () => {
  it('runs since the last run, and keeps where it ended across a restart', async () => {
    const first = await call('POST', '/api/v1/reports/daily/run');
    expect(first.status).toBe(200);
    // The first run of a report covers the last 24 h.
    expect(Date.parse(first.json.to) / 1000 - Date.parse(first.json.from) / 1000).toBe(86400);
    expect((await call('GET', '/api/v1/reports', viewer)).json.reports[0].lastEnd).toBe(first.json.to);
    served.proc.stop();
    await served.proc.exited;
    served = { ...served, proc: await launcher.serve(served.config, served.base) };
    const second = await call('POST', '/api/v1/reports/daily/run');
    expect(second.status).toBe(200);
    expect(second.json.from).toBe(first.json.to);
  }, 120_000);
});
