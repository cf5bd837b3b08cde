/**
 * Acknowledging over real HTTP on a real `ringmon serve` process, with a
 * real SQLite file and a real SMTP server. Two series go WARNING together,
 * each mailed to its own address, with reminders every 60 s (the smallest
 * renotify the config allows). Once the first reminders came, series A is
 * acknowledged by an operator token; the server is restarted; B's second
 * reminder comes and A's does not. A then goes CRITICAL: the problem is
 * mailed, the acknowledgement is gone from GET /api/v1/alarms, the history
 * holds the ack (who, why, when) and its end, and A's reminders flow again.
 * Refused requests (a viewer's token, an unknown series, an OK one, a bad
 * name, a blank or long comment, an expiry in the past) answer 4xx naming
 * the field and record nothing.
 *
 * Failed on the old code: POST /api/v1/alarms/ack answered 404 (no route).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { launcherInTempDir, type ServedFolder } from '../../helpers/ringmon-process.js';
import { NO_SLURPERS, ONE_SECOND_ARCHIVES } from '../../helpers/server-config.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';
import { sleep, until } from '../../helpers/wait.js';

const A = 'a@test.example';
const B = 'b@test.example';
const RENOTIFY = 60;
const { dir, launcher } = launcherInTempDir('ringmon-alarm-ack-');
let smtp: SmtpSink;
let served: ServedFolder;
const tokens: Record<'operator' | 'viewer' | 'ingest', string> = { operator: '', viewer: '', ingest: '' };

beforeAll(async () => {
  smtp = await SmtpSink.start(0);
  const tokensFile = join(dir, 'tokens');
  for (const role of Object.keys(tokens) as (keyof typeof tokens)[]) tokens[role] = addToken(tokensFile, `${role}-token`, role);
  served = await launcher.serveIn(dir, { tokensFile, log: 'warn' }, NO_SLURPERS, ONE_SECOND_ARCHIVES, {
    alarms: {
      groupWait: '0s',
      rules: [
        { name: 'temp-a', match: 'lab.a.temp', warning: '> 25', critical: '> 30', notify: ['a'], renotify: `${RENOTIFY}s` },
        { name: 'temp-b', match: 'lab.b.temp', warning: '> 25', critical: '> 30', notify: ['b'], renotify: `${RENOTIFY}s` },
        { name: 'temp-ok', match: 'lab.ok.temp', critical: '> 30', notify: ['b'] },
      ],
      recipients: [
        { name: 'a', email: [A] },
        { name: 'b', email: [B] },
      ],
    },
    notify: { email: { host: '127.0.0.1', port: smtp.port, starttls: 'never', from: 'ringmon@test.example' } },
  });
}, 90_000);

afterAll(async () => {
  await smtp?.stop();
});

const mailsTo = (address: string) => smtp.received.filter((m) => m.envelopeTo.includes(address));

async function post(series: string, value: number): Promise<void> {
  const answer = await apiCall(served.base, 'POST', '/api/v1/samples', tokens.ingest, [{ series, t: Date.now() / 1000, v: value }]);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
}

async function alarmOf(series: string): Promise<Record<string, any>> {
  const answer = await apiCall(served.base, 'GET', `/api/v1/alarms?series=${series}`, tokens.viewer);
  expect(answer.status).toBe(200);
  return answer.json.alarms[0];
}

const ackEvents = async (): Promise<Record<string, any>[]> => (await apiCall(served.base, 'GET', '/api/v1/alarms/history', tokens.viewer)).json.acknowledgements;

describe('acknowledging an alarm', () => {
  it('holds off reminders across a restart, until the state changes', async () => {
    await post('lab.ok.temp', 20);
    await post('lab.a.temp', 28);
    await post('lab.b.temp', 28);
    await until(() => mailsTo(A).length === 1 && mailsTo(B).length === 1, 'the WARNING mails', 30_000);
    await until(() => mailsTo(A).length === 2 && mailsTo(B).length === 2, 'the first reminders', 2 * RENOTIFY * 1000);
    expect(mailsTo(A)[1].subject).toMatch(/WARNING/);

    const acked = await apiCall(served.base, 'POST', '/api/v1/alarms/ack', tokens.operator, { series: 'lab.a.temp', comment: 'fan swap booked for 14:00' });
    expect(acked.status, JSON.stringify(acked.json)).toBe(200);
    expect(acked.json).toMatchObject({ series: 'lab.a.temp', state: 'WARNING', acknowledgement: { author: 'operator-token', comment: 'fan swap booked for 14:00', until: null, state: 'WARNING' } });
    const ackedAt = Date.now();

    // A restart in the middle: the acknowledgement is in the database.
    served.proc.stop();
    await served.proc.exited;
    const proc = await launcher.serve(served.config, served.base);
    served = { ...served, proc };
    expect((await alarmOf('lab.a.temp')).acknowledgement).toMatchObject({ author: 'operator-token', comment: 'fan swap booked for 14:00' });

    // B's next reminder comes; A's, due at the same time, does not.
    await until(() => mailsTo(B).length === 3, "B's second reminder", 2 * RENOTIFY * 1000);
    await sleep(5000);
    expect(mailsTo(A)).toHaveLength(2);
    expect(Date.now() - ackedAt).toBeGreaterThan((RENOTIFY - 10) * 1000);

    // A change of state ends it: the CRITICAL is told, and its reminders flow.
    await post('lab.a.temp', 35);
    await until(() => mailsTo(A).length === 3, 'the CRITICAL mail', 30_000);
    expect(mailsTo(A)[2].subject).toMatch(/CRITICAL/);
    expect((await alarmOf('lab.a.temp')).acknowledgement).toBeUndefined();
    const events = await ackEvents();
    expect(events.map((e) => [e.action, e.series, e.state, e.author, e.comment])).toEqual([
      ['ended', 'lab.a.temp', 'WARNING', null, 'state changed to CRITICAL'],
      ['ack', 'lab.a.temp', 'WARNING', 'operator-token', 'fan swap booked for 14:00'],
    ]);
    await until(() => mailsTo(A).length === 4, "the CRITICAL's reminder", 2 * RENOTIFY * 1000);
  }, 6 * RENOTIFY * 1000);

  it('refuses what does not fit, naming the field, and records nothing', async () => {
    // An OK series is known from its first sample after a start.
    await post('lab.ok.temp', 20);
    await until(async () => (await alarmOf('lab.ok.temp')) !== undefined, 'lab.ok.temp known', 10_000);
    const before = await ackEvents();
    const cases: [string, unknown, number, string][] = [
      ['/api/v1/alarms/ack', { series: 'lab.none.temp', comment: 'x' }, 404, 'body/series'],
      ['/api/v1/alarms/ack', { series: 'lab.ok.temp', comment: 'x' }, 409, 'body/series'],
      ['/api/v1/alarms/ack', { series: 'lab..temp', comment: 'x' }, 400, 'body/series'],
      ['/api/v1/alarms/ack', { series: 'lab.b.temp', comment: '   ' }, 400, 'body/comment'],
      ['/api/v1/alarms/ack', { series: 'lab.b.temp', comment: 'x'.repeat(1001) }, 400, 'body/comment'],
      ['/api/v1/alarms/ack', { series: 'lab.b.temp', comment: 'two\nlines' }, 400, 'body/comment'],
      ['/api/v1/alarms/ack', { series: 'lab.b.temp', comment: 'x', until: 1_000_000 }, 400, 'body/until'],
      ['/api/v1/alarms/ack', { series: 'lab.b.temp', comment: 'x', until: 'tomorrowish' }, 400, 'body/until'],
      ['/api/v1/alarms/ack', { series: 'lab.b.temp' }, 400, 'comment'],
      ['/api/v1/alarms/unack', { series: 'lab.b.temp' }, 409, 'body/series'],
    ];
    for (const [path, body, status, field] of cases) {
      const answer = await apiCall(served.base, 'POST', path, tokens.operator, body);
      expect(answer.status, `${JSON.stringify(body)}: ${JSON.stringify(answer.json)}`).toBe(status);
      expect(JSON.stringify(answer.json.error)).toContain(field);
    }
    const viewer = await apiCall(served.base, 'POST', '/api/v1/alarms/ack', tokens.viewer, { series: 'lab.b.temp', comment: 'x' });
    expect(viewer.status).toBe(403);
    expect(await ackEvents()).toEqual(before);
    expect((await alarmOf('lab.b.temp')).acknowledgement).toBeUndefined();
  });

  it('takes an expiry and an unack, both in the history', async () => {
    const until = Math.floor(Date.now() / 1000) + 3600;
    const acked = await apiCall(served.base, 'POST', '/api/v1/alarms/ack', tokens.operator, { series: 'lab.b.temp', comment: 'checking', until });
    expect(acked.status, JSON.stringify(acked.json)).toBe(200);
    expect(acked.json.acknowledgement.until).toBe(new Date(until * 1000).toISOString().replace('.000Z', 'Z'));
    const withdrawn = await apiCall(served.base, 'POST', '/api/v1/alarms/unack', tokens.operator, { series: 'lab.b.temp', comment: 'not mine' });
    expect(withdrawn.status, JSON.stringify(withdrawn.json)).toBe(200);
    expect(withdrawn.json.acknowledgement).toBeNull();
    const [unack, ack] = await ackEvents();
    expect(unack).toMatchObject({ action: 'unack', series: 'lab.b.temp', author: 'operator-token', comment: 'not mine' });
    expect(ack).toMatchObject({ action: 'ack', series: 'lab.b.temp', comment: 'checking' });
  });
});
