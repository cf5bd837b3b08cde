/**
 * notify.email as the e-mail channel needs it: the password and the CA
 * certificates read from their files, and what the start-up log should say
 * about how the password travels. Throws ConfigError naming the key whose
 * file cannot be used.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ConfigError } from '../config-schema/index.js';
import type { NotifySettings } from './config-section.js';
import type { NotifyLogger } from './dispatcher.js';
import type { EmailSettings } from './smtp-transport.js';

type EmailSection = NonNullable<NotifySettings['email']>;

export function emailSettingsOf(email: EmailSection, password: string | undefined, log: NotifyLogger): EmailSettings {
  const ca = email.caFile === undefined ? undefined : readCertificates(email.caFile);
  if (password !== undefined && !email.secure) {
    const relay = `${email.host}:${email.port}`;
    if (email.allowPlainAuth) {
      log.warn({ relay }, `notify.email.allowPlainAuth is true: the SMTP password goes to ${relay} without TLS when the relay offers none; keep it for a relay on this host`);
    } else if (email.starttls !== 'required') {
      log.info({ relay }, `notify.email: a password is configured, so STARTTLS is required of ${relay} (notify.email.starttls: ${email.starttls} is not enough for the password)`);
    }
  }
  return {
    host: email.host,
    port: email.port,
    secure: email.secure,
    starttls: email.starttls,
    allowPlainAuth: email.allowPlainAuth,
    from: email.from,
    timeoutSeconds: email.timeout,
    ...(email.user === undefined ? {} : { user: email.user }),
    ...(password === undefined ? {} : { password }),
    ...(ca === undefined ? {} : { ca }),
  };
}

/** The PEM text of notify.email.caFile, checked to hold certificates TLS can use. */
export function readCertificates(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(undefined, [{ key: 'notify.email.caFile', message: `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}` }]);
  }
  try {
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate (-----BEGIN CERTIFICATE-----) in it');
    createSecureContext({ ca: text });
  } catch (e) {
    throw new ConfigError(undefined, [{ key: 'notify.email.caFile', message: `${path}: ${(e as Error).message}` }]);
  }
  return text;
}
