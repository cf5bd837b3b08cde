/**
 * The log of notifications (GET /api/v1/notifications reads it): newest
 * first, paged by id, filtered by status, counted by stats(), and pruned
 * once notify.keep has passed, on an injected clock.
 */
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Notifier } from '../../../server/notify/index.js';
import { memoryLog, notice, notifySettings, T, tempFiles, until, type Recipients } from './helpers/fixtures.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';

const files = tempFiles();
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await SmtpSink.start(0, { refuse: (address) => (address.startsWith('bounce@') ? { code: 550, message: 'mailbox unavailable' } : undefined) });
});
afterAll(async () => {
  await smtp.stop();
});

const RECIPIENTS: Recipients = [
  { name: 'ops', email: ['ops@test.example'], webhook: [] },
  { name: 'bad', email: ['bounce@test.example'], webhook: [] },
];
const DAY = 86_400;

describe('the notification log', () => {
  const file = files.newFile();
  let clock = T;
  let notifier: Notifier;
  beforeAll(async () => {
    notifier = await Notifier.open({ file, notify: { ...notifySettings(smtp.port), keep: 30 * DAY }, recipients: RECIPIENTS, groupWaitSeconds: 0, log: memoryLog(), now: () => clock });
    for (const series of ['log.a', 'log.b', 'log.c']) {
      clock += 10;
      const sent = notifier.stats().sent;
      await notifier.notify(['ops'], [notice({ series })]);
      await until(() => notifier.stats().sent === sent + 1, `${series} to be sent`);
    }
    clock += 10;
    await notifier.notify(['bad'], [notice({ series: 'log.d' }), notice({ series: 'log.e' })]);
    await until(() => notifier.stats().failed === 1, 'the bounce');
  });
  afterAll(async () => {
    await notifier.close();
  });

  it('lists newest first, with what each message was', async () => {
    const all = await notifier.list();
    expect(all.map((r) => [r.recipient, r.to, r.status, r.notices])).toEqual([
      ['bad', 'bounce@test.example', 'failed', 2],
      ['ops', 'ops@test.example', 'sent', 1],
      ['ops', 'ops@test.example', 'sent', 1],
      ['ops', 'ops@test.example', 'sent', 1],
    ]);
    expect(all.map((r) => r.id)).toEqual([4, 3, 2, 1]);
    expect(all[1]).toEqual({
      id: 3,
      channel: 'email',
      recipient: 'ops',
      to: 'ops@test.example',
      cc: '',
      subject: '[ringmon] CRITICAL log.c = 97.2 (> 95)',
      status: 'sent',
      createdAt: T + 30,
      sentAt: T + 30,
      attempts: 1,
      lastError: null,
      notices: 1,
    });
    expect(all[0].subject).toBe('[ringmon] 2 alarms: 2 CRITICAL');
  });

  it('pages by id and filters by status', async () => {
    expect((await notifier.list({ limit: 2 })).map((r) => r.id)).toEqual([4, 3]);
    expect((await notifier.list({ limit: 2, before: 3 })).map((r) => r.id)).toEqual([2, 1]);
    expect((await notifier.list({ status: 'failed' })).map((r) => r.id)).toEqual([4]);
    expect((await notifier.list({ status: 'pending' })).map((r) => r.id)).toEqual([]);
  });

  it('counts since open in stats()', () => {
    expect(notifier.stats()).toEqual({ pending: 0, queued: 0, sent: 3, failed: 1, retries: 0 });
  });

  it('forgets sent and failed messages once notify.keep has passed', async () => {
    clock += 31 * DAY;
    await notifier.notify(['ops'], [notice({ series: 'log.f' })]);
    await until(() => notifier.stats().sent === 4, 'log.f to be sent');
    await until(async () => (await notifier.list()).length === 1, 'the old messages to be pruned');
    const [left] = await notifier.list();
    expect(left).toMatchObject({ id: 5, subject: '[ringmon] CRITICAL log.f = 97.2 (> 95)' });
    const raw = new SQLite(file, { readonly: true });
    try {
      expect(raw.prepare('select count(*) from notify_items').pluck().get()).toBe(1);
    } finally {
      raw.close();
    }
  });
});
