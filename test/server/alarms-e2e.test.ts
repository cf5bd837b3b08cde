/**
 * Alarms end to end: a real `ringmon serve` (startServer) with samples
 * posted over HTTP, notices mailed through the real outbox to a real SMTP
 * server on 127.0.0.1, and the API showing states, transitions and the
 * notification log. Threshold crossings, hysteresis, nodata, planned and
 * unplanned downtimes, the relay down across a ringmon restart, and a
 * report run on request.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig, type ServerConfig } from '../../server/config/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { apiCall } from '../helpers/api-call.js';
import { freePort } from '../helpers/free-port.js';
import { SmtpSink, type ReceivedMail } from '../helpers/smtp-sink.js';
import { sleep as settle, until } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-alarms-e2e-'));
let smtp: SmtpSink | undefined;
let smtpPort: number;
let config: ServerConfig;
let server: RunningServer;
let writer: string;
let admin: string;
/** Every SMTP server started on the port; the relay is stopped and started again. */
const sinks: SmtpSink[] = [];
const mails = (): ReceivedMail[] => sinks.flatMap((s) => s.received);

async function startSmtp(): Promise<void> {
  smtp = await SmtpSink.start(smtpPort);
  sinks.push(smtp);
}

const configText = (port: number): string => `
log:
  level: silent
slurpers:
  instances: []
archives:
  default:
    step: 1s
    rras: [RRA:AVERAGE:0.5:1:3600]
alarms:
  groupWait: 0
  publicUrl: https://monitor.test.example/ringmon/
  rules:
    - name: cpu
      match: "host.*.cpu"
      warning: "> 80"
      critical: "> 90"
      hysteresis: 5
      notify: [ops]
    - name: beat
      match: "beat.*"
      nodata: 2s
      notify: [ops]
  recipients:
    - name: ops
      email: [ops@test.example]
notify:
  email:
    host: 127.0.0.1
    port: ${port}
    starttls: never
    from: ringmon@test.example
    timeout: 2s
  retry:
    initial: 1s
    max: 1s
reports:
  - name: morning
    cron: "30 0 * * *"
    notify: [ops]
    groupBy: 2
`;

beforeAll(async () => {
  smtpPort = await freePort();
  await startSmtp();
  writeFileSync(join(dir, 'ringmon.yaml'), configText(smtpPort));
  config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  writer = addToken(config.auth.tokensFile, 'collector', 'writer');
  admin = addToken(config.auth.tokensFile, 'root', 'admin');
  server = await startServer(config);
});

afterAll(async () => {
  await server.close();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const call = (method: 'GET' | 'POST', path: string, body?: unknown, token = admin) => apiCall(server.url, method, path, token, body);

let clock = Math.floor(Date.now() / 1000) - 600;
async function post(series: string, ...values: number[]): Promise<void> {
  for (const v of values) {
    const res = await call('POST', '/api/v1/samples', [{ series, t: ++clock, v }], writer);
    expect(res.json).toEqual({ accepted: 1, rejected: [] });
  }
}

const about = (series: string): ReceivedMail[] => mails().filter((m) => m.text.includes(series));

describe('a threshold crossing', () => {
  it('sends exactly one mail with what, value, threshold and a graph link, and shows in the API', async () => {
    await post('host.web01.cpu', 40, 97);
    await until(() => about('host.web01.cpu').length === 1, 'the CRITICAL mail');
    const [mail] = about('host.web01.cpu');
    expect(mail.subject).toBe('[ringmon] CRITICAL host.web01.cpu = 97 (> 90)');
    expect(mail.envelopeTo).toEqual(['ops@test.example']);
    expect(mail.text).toContain('> 90');
    // Issue 16: links from alarms.publicUrl, never the listen address.
    expect(mail.html).toContain('href="https://monitor.test.example/ringmon/?view=graph&#38;s=host.web01.cpu"');

    const alarms = await call('GET', '/api/v1/alarms?series=host.web01.cpu');
    expect(alarms.json.alarms).toEqual([
      expect.objectContaining({
        series: 'host.web01.cpu',
        rule: 'cpu',
        state: 'CRITICAL',
        value: 97,
        threshold: '> 90',
        thresholds: { warning: { range: '~:80', low: null, high: 80, inside: false, text: '> 80' }, critical: { range: '~:90', low: null, high: 90, inside: false, text: '> 90' } },
        downtime: null,
        suppressed: false,
      }),
    ]);
    // The rule lists its thresholds in the same words as the alarm and the mail.
    const rules = await call('GET', '/api/v1/rules');
    expect(rules.json.rules.find((r: { name: string }) => r.name === 'cpu')).toMatchObject({ warning: { range: '~:80', text: '> 80' }, critical: { range: '~:90', text: '> 90' } });
    const history = await call('GET', '/api/v1/alarms/history?series=host.web01.cpu');
    expect(history.json.transitions.map((t: { from: string; to: string }) => `${t.from}>${t.to}`)).toEqual(['OK>CRITICAL']);
  });

  it('hysteresis keeps a wobbling value from sending more mail; the recovery sends one', async () => {
    await post('host.web01.cpu', 88, 93, 86, 91, 87);
    await settle(500);
    expect(about('host.web01.cpu')).toHaveLength(1);
    await post('host.web01.cpu', 50);
    await until(() => about('host.web01.cpu').length === 2, 'the recovery mail');
    expect(about('host.web01.cpu')[1].subject).toMatch(/^\[ringmon\] (RECOVERED|OK|recovered).*host\.web01\.cpu/i);
    const alarms = await call('GET', '/api/v1/alarms?state=OK');
    expect(alarms.json.alarms.map((a: { series: string }) => a.series)).toContain('host.web01.cpu');
  });

  it('refuses a bad history query with a 400 naming the parameter', async () => {
    const res = await call('GET', '/api/v1/alarms/history?from=yesterday');
    expect(res.status).toBe(400);
    expect(res.json.error.problems[0].field).toBe('querystring/from');
  });
});

describe('nodata', () => {
  it('fires when samples stop', async () => {
    await post('beat.a', 1);
    await until(() => about('beat.a').length === 1, 'the NODATA mail', 8000);
    expect(about('beat.a')[0].subject).toContain('NODATA');
    expect((await call('GET', '/api/v1/alarms?series=beat.a')).json.alarms[0].state).toBe('NODATA');
  });
});

describe('downtimes', () => {
  it('a planned downtime suppresses; the alarm still active at its end is told then', async () => {
    const now = Math.floor(Date.now() / 1000);
    const filed = await call('POST', '/api/v1/downtimes', { scope: { series: ['host.db01.*'] }, start: now - 5, end: now + 3, reason: 'disk swap' }, writer);
    expect(filed.status).toBe(201);
    clock = Math.max(clock, now - 1);
    await post('host.db01.cpu', 99);
    await until(async () => (await call('GET', '/api/v1/alarms/history?series=host.db01.cpu')).json.transitions.length === 1, 'the transition');
    const [t] = (await call('GET', '/api/v1/alarms/history?series=host.db01.cpu')).json.transitions;
    expect(t).toMatchObject({ to: 'CRITICAL', suppressed: true, downtime: { id: filed.json.id, kind: 'planned' } });
    expect((await call('GET', '/api/v1/alarms?series=host.db01.cpu')).json.alarms[0]).toMatchObject({ suppressed: true, downtime: { id: filed.json.id, reason: 'disk swap' } });
    await settle(1000);
    expect(about('host.db01.cpu')).toHaveLength(0);
    await until(() => about('host.db01.cpu').length === 1, 'the mail after the downtime', 8000);
    expect(Date.now() / 1000).toBeGreaterThanOrEqual(now + 3);
    expect(about('host.db01.cpu')[0].text).toContain('CRITICAL');
  });

  it('an unplanned downtime does not suppress; the mail names it', async () => {
    const now = Math.floor(Date.now() / 1000);
    const filed = await call('POST', '/api/v1/downtimes', { kind: 'unplanned', scope: { series: ['host.web02.*'] }, start: now - 5, reason: 'rack power feed B lost' }, writer);
    expect(filed.status).toBe(201);
    clock = Math.max(clock, now - 1);
    await post('host.web02.cpu', 95);
    await until(() => about('host.web02.cpu').length === 1, 'the mail');
    expect(about('host.web02.cpu')[0].text).toContain('rack power feed B lost');
    const [t] = (await call('GET', '/api/v1/alarms/history?series=host.web02.cpu')).json.transitions;
    expect(t).toMatchObject({ suppressed: false, downtime: { id: filed.json.id, kind: 'unplanned' } });
  });
});

describe('the mail relay down across a ringmon restart', () => {
  it('delivers each notice exactly once after the relay returns', async () => {
    await smtp?.stop();
    await post('host.web03.cpu', 99);
    await until(async () => (await call('GET', '/api/v1/notifications?status=pending')).json.notifications.some((n: { subject: string }) => n.subject.includes('host.web03.cpu')), 'the pending notification');
    await server.close();
    server = await startServer(config);
    await settle(500);
    expect(about('host.web03.cpu')).toHaveLength(0);
    await startSmtp();
    await until(() => about('host.web03.cpu').length === 1, 'the mail once the relay is back', 15_000);
    await settle(2500);
    expect(about('host.web03.cpu')).toHaveLength(1);
    const log = await call('GET', '/api/v1/notifications');
    const entry = log.json.notifications.find((n: { subject: string }) => n.subject.includes('host.web03.cpu'));
    expect(entry).toMatchObject({ channel: 'email', recipient: 'ops', to: 'ops@test.example', status: 'sent' });
    expect(entry.attempts).toBeGreaterThanOrEqual(2);
  });
});

describe('reports', () => {
  it('runs a report on request: the CSV in the data directory and the mail with it attached', async () => {
    const res = await call('POST', '/api/v1/reports/morning/run');
    expect(res.status).toBe(200);
    const csv = readFileSync(res.json.file, 'utf8');
    // Issue 16: a report covers a period (since its last run); its columns say so (docs/reports.md).
    expect(csv.split('\r\n')[0]).toMatch(/^group,series,worst_status,not_ok_seconds,first_bad,last_bad,/);
    expect(csv).toContain('beat.a,beat.a,NODATA');
    expect(csv).toContain('host.db01,host.db01.cpu,CRITICAL');
    await until(() => mails().some((m) => m.subject === res.json.subject), 'the report mail');
    const mail = mails().find((m) => m.subject === res.json.subject);
    expect(mail?.attachments.map((a) => a.content)).toEqual([csv]);
    expect((await call('POST', '/api/v1/reports/evening/run')).status).toBe(404);
    expect((await call('POST', '/api/v1/reports/morning/run', undefined, writer)).status).toBe(403);
  });
});
