/**
 * The alarm engine and the real notifier together, on one shared database
 * connection as the server runs them, with a real SMTP server on loopback
 * and an injected clock: reminders at the rule's renotify interval and the
 * recovery notice as mails, and a storm of crossings in one batch as one
 * mail per recipient.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../../../server/alarms/index.js';
import { DATABASE_FILE, openSqlite } from '../../../server/database/index.js';
import { Downtimes } from '../../../server/downtimes/index.js';
import { Notifier } from '../../../server/notify/index.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';
import { sleep } from '../../helpers/wait.js';
import { memoryLog, notifySettings } from '../notify/helpers/fixtures.js';
import { alarmsSettings } from './fixtures.js';

const T0 = 1_800_000_000;
let smtp: SmtpSink;
let dir: string;
let database: Kysely<object>;
let downtimes: Downtimes;
let notifier: Notifier;
let engine: AlarmEngine;
let now: number;

const recipients = [{ name: 'ops', email: ['ops@test.example'], webhook: [] }];
const settings = { ...alarmsSettings([{ name: 'temp', match: 'rack.*.temp', warning: '> 30', critical: '> 40', notify: ['ops'], renotify: 86_400 }]), recipients };

beforeAll(async () => {
  smtp = await SmtpSink.start();
});
afterAll(async () => {
  await smtp.stop();
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ringmon-alarm-mail-'));
  database = openSqlite<object>(join(dir, DATABASE_FILE));
  downtimes = await Downtimes.open(database, { maxWindowSeconds: 86_400 });
  now = T0;
  notifier = await Notifier.open({ file: database, notify: notifySettings(smtp.port), recipients, groupWaitSeconds: 1, log: memoryLog(), hostname: 'mon.test' });
  engine = await AlarmEngine.open({ file: database, alarms: settings, downtimes, notices: notifier, log: memoryLog(), graphUrl: (s) => `http://mon.test/?view=graph&s=${s}`, now: () => now, tickMs: 3_600_000 });
});

afterEach(async () => {
  await engine.close();
  await notifier.close();
  await downtimes.close();
  await database.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** Mails accepted since `from`, waiting until there are `count`. */
async function mailsSince(from: number, count: number) {
  return (await smtp.waitFor(from + count)).slice(from);
}

describe('alarm mails', () => {
  it('reminds once a day while still bad, then tells the recovery', async () => {
    const before = smtp.received.length;
    engine.observe([{ series: 'rack.r1.temp', time: now, value: 45 }]);
    await engine.settle();
    const [problem] = await mailsSince(before, 1);
    expect(problem.subject).toBe('[ringmon] CRITICAL rack.r1.temp = 45 (> 40)');

    now += 86_399;
    engine.runTimers();
    await engine.settle();
    await sleep(1500);
    expect(smtp.received.length).toBe(before + 1);

    now += 1;
    engine.runTimers();
    await engine.settle();
    const [, reminder] = await mailsSince(before, 2);
    expect(reminder.subject).toMatch(/CRITICAL rack\.r1\.temp/);
    expect(reminder.text).toMatch(/still|reminder/i);

    engine.observe([{ series: 'rack.r1.temp', time: now + 10, value: 20 }]);
    await engine.settle();
    const [, , recovery] = await mailsSince(before, 3);
    expect(recovery.subject).toBe('[ringmon] RECOVERED rack.r1.temp = 20 (was CRITICAL)');
  });

  it('sends a storm of crossings in one batch as one mail listing each', async () => {
    const before = smtp.received.length;
    const racks = Array.from({ length: 12 }, (_, i) => `rack.r${i + 10}.temp`);
    engine.observe(racks.map((series) => ({ series, time: now, value: 50 })));
    await engine.settle();
    const [mail] = await mailsSince(before, 1);
    expect(mail.subject).toBe('[ringmon] 12 alarms: 12 CRITICAL');
    for (const series of racks) expect(mail.text).toContain(series);
    await sleep(1500);
    expect(smtp.received.length).toBe(before + 1);
  });
});
