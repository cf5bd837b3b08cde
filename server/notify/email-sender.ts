/**
 * E-mail through the configured SMTP relay (nodemailer, pooled connections
 * so a burst of messages does not pay a handshake each). Each message has a
 * stable Message-ID, `<ringmon-N@host>` from its outbox id, so a copy sent
 * again after a crash (accepted, but not yet marked sent) carries the same
 * id and can be recognised as a duplicate.
 *
 * What is tried again: no connection, timeouts, dropped connections and
 * 4xx replies (the relay's "not now"), and authentication failures (the
 * operator fixes the password; the messages must still go out). What is
 * not: other 5xx replies, a refusal of this message or address for good.
 */
import { connect, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { describeError, type ChannelSender, type SendOutcome } from './channel.js';
import { alarmBodies } from './email-body.js';
import type { OutboxMessage } from './model.js';

export interface EmailSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly starttls: 'required' | 'opportunistic' | 'never';
  readonly user?: string;
  /** Read from notify.email.passwordFile; never logged. */
  readonly password?: string;
  readonly from: string;
  readonly timeoutSeconds: number;
}

/** What nodemailer's errors carry besides the message (smtp-connection's SMTPError). */
interface SmtpFailure {
  readonly code?: string;
  readonly responseCode?: number;
}

export function messageIdOf(id: number, host: string): string {
  return `<ringmon-${id}@${host}>`;
}

export function emailSender(settings: EmailSettings, host: string): ChannelSender {
  const ms = settings.timeoutSeconds * 1000;
  const options: SMTPPool.Options = {
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.starttls === 'required',
    ignoreTLS: settings.starttls === 'never',
    connectionTimeout: ms,
    greetingTimeout: ms,
    socketTimeout: ms,
    // Our own host name in EHLO, as in the Message-ID.
    name: host,
    getSocket: (_options, callback) => connectNoDelay(settings.host, settings.port, ms, callback),
    ...(settings.user === undefined ? {} : { auth: { user: settings.user, pass: settings.password ?? '' } }),
  };
  const transport = nodemailer.createTransport(options);

  return {
    async send(message: OutboxMessage): Promise<SendOutcome> {
      try {
        await transport.sendMail({ ...content(message), from: settings.from, to: message.to, messageId: messageIdOf(message.id, host), headers: { 'Auto-Submitted': 'auto-generated' } });
        return { result: 'sent' };
      } catch (e) {
        return classify(e);
      }
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}

/**
 * A connected socket with Nagle's algorithm off. nodemailer writes a
 * message's end (`.`) apart from its body; with Nagle on, that last write
 * waits for the relay's delayed ACK, about 40 ms per message on Linux.
 * nodemailer takes the socket as it is and starts TLS on it when `secure`.
 */
function connectNoDelay(host: string, port: number, timeoutMs: number, callback: (err: Error | null, socketOptions?: { connection: Socket }) => void): void {
  const socket = connect({ host, port });
  socket.setNoDelay(true);
  socket.setKeepAlive(true);
  const timer = setTimeout(() => {
    socket.destroy();
    callback(Object.assign(new Error(`connection to ${host}:${port} timed out after ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' }));
  }, timeoutMs);
  const failed = (e: Error): void => {
    clearTimeout(timer);
    callback(e);
  };
  socket.once('error', failed);
  socket.once('connect', () => {
    clearTimeout(timer);
    socket.off('error', failed);
    callback(null, { connection: socket });
  });
}

function content(message: OutboxMessage): { subject: string; text: string; html: string; attachments?: { filename: string; content: string; contentType: string }[] } {
  const report = message.payloads.find((p) => p.kind === 'report');
  if (report?.kind === 'report') {
    const { text, html, attachments } = report.report;
    return { subject: message.subject, text, html, attachments: attachments.map((a) => ({ ...a })) };
  }
  const notices = message.payloads.flatMap((p) => (p.kind === 'alarm' ? [p.notice] : []));
  return { subject: message.subject, ...alarmBodies(notices) };
}

function classify(e: unknown): SendOutcome {
  const { code, responseCode } = (typeof e === 'object' && e !== null ? e : {}) as SmtpFailure;
  const reason = describeError(e);
  if (code === 'EAUTH') return { result: 'retry', reason: `the relay refused the credentials: ${reason}` };
  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) return { result: 'failed', reason: `the relay refused the message: ${reason}` };
  if (responseCode !== undefined && responseCode >= 400) return { result: 'retry', reason: `the relay deferred the message: ${reason}` };
  // nodemailer's own checks of the message (no address, bad headers) fail the same way every time.
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return { result: 'failed', reason };
  return { result: 'retry', reason: code === undefined ? reason : `${code}: ${reason}` };
}
