/**
 * A configured SMTP password never goes out in clear (issue 14): against a
 * relay that offers AUTH but no STARTTLS, nothing is sent and AUTH never
 * reaches it, the outbox says why and which setting to change; with
 * STARTTLS offered (a self-signed certificate named in notify.email.caFile)
 * it logs in over TLS; allowPlainAuth opts out, with a warning at start.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../server/config/index.js';
import { Notifier } from '../../../server/notify/index.js';
import { memoryLog, notice, notifySettings, OPS, sleep, tempFiles, until } from './helpers/fixtures.js';

const files = tempFiles();
const PASSWORD = 'correct horse battery staple';
const passwordFile = join(files.dir, 'smtp-password');
const keyFile = join(files.dir, 'relay.key');
const certFile = join(files.dir, 'relay.crt');

/** What the relay saw: each AUTH (and whether TLS was up then) and each message. */
interface Relay {
  readonly port: number;
  readonly logins: { user: string; secure: boolean }[];
  readonly messages: string[];
  stop(): Promise<void>;
}

/** A real smtp-server on 127.0.0.1 offering AUTH, on a plain connection too; STARTTLS only with `tls`. */
async function relay(tls: boolean): Promise<Relay> {
  const logins: { user: string; secure: boolean }[] = [];
  const messages: string[] = [];
  const server = new SMTPServer({
    // The relay would take the password in clear: only the client can keep it from going out.
    allowInsecureAuth: true,
    ...(tls ? { key: readFileSync(keyFile), cert: readFileSync(certFile) } : { disabledCommands: ['STARTTLS'] }),
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 100,
    onAuth(auth, session, callback) {
      logins.push({ user: `${auth.username}:${auth.password}`, secure: session.secure });
      callback(null, { user: auth.username });
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  const port = await new Promise<number>((resolve) => {
    const listener = server.listen(0, '127.0.0.1', () => resolve((listener.address() as { port: number }).port));
  });
  relays.push(server);
  return { port, logins, messages, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const relays: SMTPServer[] = [];
beforeAll(() => {
  writeFileSync(passwordFile, `${PASSWORD}\n`);
  chmodSync(passwordFile, 0o600);
  // A self-signed certificate for 127.0.0.1, as a relay with a private CA would have.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
});
afterAll(async () => {
  await Promise.all(relays.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** notify settings with the password, STARTTLS as the default says (opportunistic), and `over` on notify.email. */
function withPassword(port: number, over: Partial<NonNullable<ReturnType<typeof notifySettings>['email']>> = {}): ReturnType<typeof notifySettings> {
  const settings = notifySettings(port);
  return { ...settings, email: { ...settings.email!, starttls: 'opportunistic', user: 'ringmon', passwordFile, ...over } };
}

describe('the SMTP password and TLS', () => {
  it('a relay without STARTTLS gets no AUTH and no message, and the outbox says why', async () => {
    const smtp = await relay(false);
    const log = memoryLog();
    const notifier = await Notifier.open({ file: files.newFile(), notify: withPassword(smtp.port), recipients: OPS, groupWaitSeconds: 0, log });
    try {
      expect(log.lines.some((l) => l.level === 'info' && /a password is configured, so STARTTLS is required/.test(l.msg))).toBe(true);
      await notifier.notify(['ops'], [notice()]);
      await until(() => notifier.stats().retries >= 2, 'two refused attempts');
      expect(smtp.logins).toEqual([]);
      expect(smtp.messages).toEqual([]);
      const [record] = await notifier.list();
      expect(record).toMatchObject({ status: 'pending', sentAt: null });
      expect(record.lastError).toMatch(/offers no TLS \(STARTTLS\), and the SMTP password is never sent in clear: nothing was sent/);
      expect(record.lastError).toMatch(/notify\.email\.secure: true/);
      expect(record.lastError).toMatch(/notify\.email\.allowPlainAuth: true/);
      expect(JSON.stringify(log.lines)).not.toContain(PASSWORD);
    } finally {
      await notifier.close();
    }
  });

  it('logs in over STARTTLS with the relay certificate from notify.email.caFile', async () => {
    const smtp = await relay(true);
    const notifier = await Notifier.open({ file: files.newFile(), notify: withPassword(smtp.port, { caFile: certFile }), recipients: OPS, groupWaitSeconds: 0, log: memoryLog() });
    try {
      await notifier.notify(['ops'], [notice()]);
      await until(() => notifier.stats().sent === 1, 'the delivery over TLS');
      expect(smtp.logins).toEqual([{ user: `ringmon:${PASSWORD}`, secure: true }]);
      expect(smtp.messages).toHaveLength(1);
    } finally {
      await notifier.close();
    }
  });

  it('an untrusted relay certificate: no AUTH, and the outbox names notify.email.caFile', async () => {
    const smtp = await relay(true);
    const notifier = await Notifier.open({ file: files.newFile(), notify: withPassword(smtp.port), recipients: OPS, groupWaitSeconds: 0, log: memoryLog() });
    try {
      await notifier.notify(['ops'], [notice()]);
      await until(() => notifier.stats().retries >= 1, 'the refused certificate');
      expect(smtp.logins).toEqual([]);
      const [record] = await notifier.list();
      expect(record.lastError).toMatch(/TLS with the relay failed: .*self-signed certificate.*notify\.email\.caFile/);
    } finally {
      await notifier.close();
    }
  });

  it('allowPlainAuth: true lets the password go in clear, with a warning at start', async () => {
    const smtp = await relay(false);
    const log = memoryLog();
    const notifier = await Notifier.open({ file: files.newFile(), notify: withPassword(smtp.port, { allowPlainAuth: true }), recipients: OPS, groupWaitSeconds: 0, log });
    try {
      const warning = log.lines.find((l) => l.level === 'warn' && /notify\.email\.allowPlainAuth is true/.test(l.msg));
      expect(warning?.msg).toMatch(/the SMTP password goes to 127\.0\.0\.1:\d+ without TLS/);
      await notifier.notify(['ops'], [notice()]);
      await until(() => notifier.stats().sent === 1, 'the delivery');
      expect(smtp.logins).toEqual([{ user: `ringmon:${PASSWORD}`, secure: false }]);
      await sleep(100);
      expect(JSON.stringify(log.lines)).not.toContain(PASSWORD);
    } finally {
      await notifier.close();
    }
  });

  it('refuses a notify.email.caFile that is missing or holds no certificate, naming the key', async () => {
    const notPem = join(files.dir, 'not-a-cert.pem');
    writeFileSync(notPem, 'hello\n');
    for (const caFile of [join(files.dir, 'missing.pem'), notPem]) {
      const error = await Notifier.open({ file: files.newFile(), notify: withPassword(25, { caFile }), recipients: OPS, groupWaitSeconds: 0, log: memoryLog() }).then(
        async (n) => {
          await n.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([{ key: 'notify.email.caFile', message: expect.stringContaining(caFile) }]);
    }
  });
});
