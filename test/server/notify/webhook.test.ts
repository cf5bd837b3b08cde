/**
 * Webhooks over a real HTTP receiver on loopback: the JSON body, the token
 * and idempotency headers, retries after 503, and a 4xx that fails for good.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Notifier, type Report } from '../../../server/notify/index.js';
import { memoryLog, notice, notifySettings, sleep, tempFiles, until, type Recipients } from './helpers/fixtures.js';
import { WebhookSink } from '../../helpers/webhook-sink.js';

const files = tempFiles();
let sink: WebhookSink;
beforeAll(async () => {
  sink = await WebhookSink.start();
});
afterAll(async () => {
  await sink.stop();
});

const TOKEN = 'whk_s3cret-token-value';
const tokenFile = join(files.dir, 'webhook-token');
writeFileSync(tokenFile, `${TOKEN}\n`);
chmodSync(tokenFile, 0o600);

function open(path: string, log = memoryLog()): Promise<Notifier> {
  const recipients: Recipients = [{ name: 'chat', email: [], webhook: [sink.url(path)] }];
  return Notifier.open({ file: files.newFile(), notify: { ...notifySettings(1), email: undefined, webhook: { timeout: 2, tokenFile } }, recipients, groupWaitSeconds: 0, log, hostname: 'mon.test' });
}

describe('webhooks', () => {
  it('POST the notices as JSON with the token and an idempotency key', async () => {
    const log = memoryLog();
    const notifier = await open('/ok', log);
    try {
      await notifier.notify(['chat'], [notice({ series: 'hook.a' })]);
      await until(() => notifier.stats().sent === 1, 'the webhook call');
      const [call] = sink.calls.filter((c) => c.path === '/ok');
      expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(call.headers['content-type']).toBe('application/json');
      const [record] = await notifier.list();
      expect(call.headers['idempotency-key']).toBe(`ringmon-${record.id}@mon.test`);
      expect(call.body).toEqual({ id: record.id, recipient: 'chat', subject: '[ringmon] CRITICAL hook.a = 97.2 (> 95)', notices: [notice({ series: 'hook.a' })] });
      expect(JSON.stringify(log.lines)).not.toContain(TOKEN);
    } finally {
      await notifier.close();
    }
  });

  it('retry after 503 with the same idempotency key, and deliver once', async () => {
    sink.answers.push(503, 503);
    const log = memoryLog();
    const notifier = await open('/busy', log);
    try {
      await notifier.notify(['chat'], [notice({ series: 'hook.b' })]);
      await until(() => notifier.stats().sent === 1, 'the webhook call to succeed', 15_000);
      const calls = sink.calls.filter((c) => c.path === '/busy');
      expect(calls.map((c) => c.status)).toEqual([503, 503, 200]);
      expect(new Set(calls.map((c) => c.headers['idempotency-key'])).size).toBe(1);
      expect(notifier.stats()).toMatchObject({ sent: 1, retries: 2, failed: 0, pending: 0 });
      const [record] = await notifier.list();
      expect(record).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
      expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([
        expect.stringMatching(/retrying in \d\.\ds because the receiver answered HTTP 503/),
        expect.stringMatching(/retrying in \d\.\ds because the receiver answered HTTP 503/),
      ]);
      expect(JSON.stringify(log.lines)).not.toContain(TOKEN);
    } finally {
      await notifier.close();
    }
  });

  it('fail for good on 404, logged once at error level, not retried', async () => {
    sink.answers.push(404);
    const log = memoryLog();
    const notifier = await open('/gone', log);
    try {
      await notifier.notify(['chat'], [notice({ series: 'hook.c' })]);
      await until(() => notifier.stats().failed === 1, 'the webhook call to fail');
      await sleep(1500); // past a retry interval
      expect(sink.calls.filter((c) => c.path === '/gone')).toHaveLength(1);
      const [record] = await notifier.list({ status: 'failed' });
      expect(record).toMatchObject({ status: 'failed', attempts: 1, sentAt: null, lastError: 'the receiver answered HTTP 404' });
      expect(log.lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([expect.stringContaining('failed because the receiver answered HTTP 404')]);
    } finally {
      await notifier.close();
    }
  });

  it('carry a report as `report`, in a message of its own', async () => {
    const notifier = await open('/report');
    try {
      const report: Report = { subject: 'Weekly availability', text: 'all fine', html: '<p>all fine</p>', attachments: [{ filename: 'a.csv', content: 'x,y\n1,2\n', contentType: 'text/csv' }] };
      await notifier.notify(['chat'], [notice({ series: 'hook.d' })]);
      await notifier.sendReport(['chat'], report);
      await until(() => notifier.stats().sent === 2, 'both calls');
      const bodies = sink.calls.filter((c) => c.path === '/report').map((c) => c.body as { notices: unknown[]; report?: Report; subject: string });
      expect(bodies.map((b) => b.notices.length).toSorted()).toEqual([0, 1]);
      expect(bodies.find((b) => b.report !== undefined)).toMatchObject({ subject: 'Weekly availability', report, notices: [] });
    } finally {
      await notifier.close();
    }
  });
});
