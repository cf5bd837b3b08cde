/**
 * What the relay answers decides what happens: 550 fails for good, 451 is
 * tried again, AUTH uses the password from its file (and no log shows it),
 * and a report goes out as it is, attachments included.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { Notifier } from '../../../server/notify/index.js';
import { freePort } from '../../helpers/free-port.js';
import { memoryLog, notice, notifySettings, OPS, sleep, tempFiles, until } from './helpers/fixtures.js';
import { parseMail } from '../../helpers/received-mail.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';

const files = tempFiles();
const sinks: SmtpSink[] = [];
afterAll(async () => {
  await Promise.all(sinks.map((s) => s.stop()));
});

async function sink(refuse?: (address: string) => { code: number; message: string } | undefined): Promise<SmtpSink> {
  const started = await SmtpSink.start(0, refuse === undefined ? {} : { refuse });
  sinks.push(started);
  return started;
}

describe('SMTP replies', () => {
  it('550: the message fails for good, logged once at error level, never retried', async () => {
    const smtp = await sink((address) => (address === 'ops@test.example' ? { code: 550, message: 'no such user' } : undefined));
    const log = memoryLog();
    const notifier = await Notifier.open({ file: files.newFile(), notify: notifySettings(smtp.port), recipients: OPS, groupWaitSeconds: 0, log });
    try {
      await notifier.notify(['ops'], [notice()]);
      await until(() => notifier.stats().failed === 1, 'the refusal');
      await sleep(1500); // past a retry interval
      expect(notifier.stats()).toMatchObject({ pending: 0, sent: 0, failed: 1, retries: 0 });
      const [record] = await notifier.list();
      expect(record).toMatchObject({ status: 'failed', attempts: 1, sentAt: null });
      expect(record.lastError).toMatch(/^the relay refused the message: .*550.*no such user/);
      const errors = log.lines.filter((l) => l.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0].msg).toMatch(/failed because the relay refused the message.*it will not be retried/);
      expect(smtp.received).toHaveLength(0);
      // The address is free again: the next notice is sent (and refused) on its own.
      await notifier.notify(['ops'], [notice({ series: 'next' })]);
      await until(() => notifier.stats().failed === 2, 'the second refusal');
    } finally {
      await notifier.close();
    }
  });

  it('451: the message is deferred and tried again until accepted', async () => {
    let refusals = 2;
    const smtp = await sink(() => (refusals-- > 0 ? { code: 451, message: 'try again later' } : undefined));
    const notifier = await Notifier.open({ file: files.newFile(), notify: notifySettings(smtp.port), recipients: OPS, groupWaitSeconds: 0, log: memoryLog() });
    try {
      await notifier.notify(['ops'], [notice()]);
      await smtp.waitFor(1, 15_000);
      await until(() => notifier.stats().pending === 0, 'the message to be marked sent');
      expect(notifier.stats()).toMatchObject({ sent: 1, retries: 2, failed: 0 });
      expect((await notifier.list())[0]).toMatchObject({ status: 'sent', attempts: 3 });
    } finally {
      await notifier.close();
    }
  });

  it('a relay that never greets: the attempt times out and is tried again', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const port = await new Promise<number>((resolve) => silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)));
    const settings = notifySettings(port);
    const notifier = await Notifier.open({ file: files.newFile(), notify: { ...settings, email: { ...settings.email!, timeout: 1 } }, recipients: OPS, groupWaitSeconds: 0, log: memoryLog() });
    try {
      await notifier.notify(['ops'], [notice()]);
      await until(() => notifier.stats().retries >= 1, 'the attempt to time out');
      const [record] = await notifier.list();
      expect(record).toMatchObject({ status: 'pending', attempts: 1 });
      expect(record.lastError).toMatch(/ETIMEDOUT/);
    } finally {
      await notifier.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('logs in with the password from notify.email.passwordFile and never logs it', async () => {
    const password = 'correct horse battery staple';
    const passwordFile = join(files.dir, 'smtp-password');
    writeFileSync(passwordFile, `${password}\n`);
    chmodSync(passwordFile, 0o600);
    const logins: string[] = [];
    const raw: string[] = [];
    const server = new SMTPServer({
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      closeTimeout: 100,
      onAuth(auth, _session, callback) {
        logins.push(`${auth.username}:${auth.password}`);
        if (auth.username === 'ringmon' && auth.password === password) return callback(null, { user: auth.username });
        return callback(new Error('bad credentials'));
      },
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          raw.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    const log = memoryLog();
    const settings = notifySettings(port);
    // A plain connection: the password may go in clear only with allowPlainAuth (smtp-tls.test.ts has the TLS cases).
    const notify = { ...settings, email: { ...settings.email!, user: 'ringmon', passwordFile, allowPlainAuth: true } };
    const notifier = await Notifier.open({ file: files.newFile(), notify, recipients: OPS, groupWaitSeconds: 0, log });
    try {
      await notifier.notify(['ops'], [notice()]);
      await until(() => notifier.stats().sent === 1, 'the authenticated delivery');
      expect(logins).toEqual([`ringmon:${password}`]);
      expect((await parseMail(raw[0])).subject).toBe('[ringmon] CRITICAL host.web01.cpu.user = 97.2 (> 95)');
      expect(JSON.stringify(log.lines)).not.toContain(password);
      expect(JSON.stringify(await notifier.list())).not.toContain(password);
    } finally {
      await notifier.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('sends a report as it is, with its attachments, apart from alarms', async () => {
    const smtp = await sink();
    const notifier = await Notifier.open({ file: files.newFile(), notify: notifySettings(smtp.port), recipients: OPS, groupWaitSeconds: 1, log: memoryLog() });
    try {
      await notifier.notify(['ops'], [notice()]);
      await notifier.sendReport(['ops'], {
        subject: 'Weekly availability report',
        text: 'web01 99.95 %',
        html: '<p>web01 <b>99.95 %</b></p>',
        attachments: [{ filename: 'availability.csv', content: 'series,availability\nweb01,99.95\n', contentType: 'text/csv' }],
      });
      const mails = await smtp.waitFor(2);
      const report = mails.find((m) => m.subject === 'Weekly availability report');
      expect(report?.text).toBe('web01 99.95 %');
      expect(report?.html).toBe('<p>web01 <b>99.95 %</b></p>');
      expect(report?.attachments.find((a) => a.filename === 'availability.csv')?.content).toBe('series,availability\nweb01,99.95\n');
      expect(mails.find((m) => m !== report)?.subject).toBe('[ringmon] CRITICAL host.web01.cpu.user = 97.2 (> 95)');
      const records = await notifier.list();
      expect(records.map((r) => r.notices)).toEqual([1, 1]);
    } finally {
      await notifier.close();
    }
  });
});
