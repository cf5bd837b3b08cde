/**
 * E-mail through the configured SMTP relay (smtp-transport.ts: pooled,
 * bounded in time, no password in clear): one message to its To and Cc
 * addresses (the relay gets each once, as RCPT TO), in its template's
 * words or the built-in ones. Each message has a
 * stable Message-ID, `<ringmon-N@host>` from its outbox id, so a copy sent
 * again after a crash (accepted, but not yet marked sent) carries the same
 * id and can be recognised as a duplicate.
 *
 * What is tried again: no connection, timeouts, dropped connections and
 * 4xx replies (the relay's "not now"), and authentication failures (the
 * operator fixes the password; the messages must still go out), and so is
 * a relay without the TLS the settings require (the reason names the
 * setting to change). What is not: other 5xx replies, a refusal of this
 * message or address for good.
 */
import { describeError, type ChannelSender, type SendOutcome } from './channel.js';
import { alarmBodies } from './email-body.js';
import type { OutboxMessage } from './model.js';
import { BUILT_IN_ONLY, type TemplateSet } from './template-set.js';
import { smtpTransport, tlsRequiredForPassword, type EmailSettings } from './smtp-transport.js';

/** What nodemailer's errors carry besides the message (smtp-connection's SMTPError). */
interface SmtpFailure {
  readonly code?: string;
  readonly responseCode?: number;
}

export function messageIdOf(id: number, host: string): string {
  return `<ringmon-${id}@${host}>`;
}

/** `templates`: the templates in force when a message is sent (template-set.ts). */
export function emailSender(settings: EmailSettings, host: string, templates: () => TemplateSet = () => BUILT_IN_ONLY): ChannelSender {
  const transport = smtpTransport(settings, host);
  return {
    async send(message: OutboxMessage): Promise<SendOutcome> {
      try {
        const cc = message.cc === '' ? {} : { cc: message.cc };
        await transport.send({ ...content(message, templates()), from: settings.from, to: message.to, ...cc, messageId: messageIdOf(message.id, host), headers: { 'Auto-Submitted': 'auto-generated' } });
        return { result: 'sent' };
      } catch (e) {
        return classify(e, settings);
      }
    },
    close: () => transport.close(),
  };
}

function content(message: OutboxMessage, templates: TemplateSet): { subject: string; text: string; html?: string; attachments?: { filename: string; content: string; contentType: string }[] } {
  const report = message.payloads.find((p) => p.kind === 'report');
  if (report?.kind === 'report') {
    const { text, html, attachments } = report.report;
    return { subject: message.subject, text, html, attachments: attachments.map((a) => ({ ...a })) };
  }
  const notices = message.payloads.flatMap((p) => (p.kind === 'alarm' ? [p.notice] : []));
  return { subject: message.subject, ...alarmBodies(notices, templates.get(message.template)) };
}

/**
 * Node's verdicts on a relay certificate ("self-signed certificate", "unable
 * to verify the first certificate", "Hostname/IP does not match
 * certificate's altnames"), which nodemailer passes on as socket errors
 * (ESOCKET), their own codes overwritten.
 */
const CERTIFICATE_PROBLEM = /certificate|altnames/i;

function classify(e: unknown, settings: EmailSettings): SendOutcome {
  const { code, responseCode } = (typeof e === 'object' && e !== null ? e : {}) as SmtpFailure;
  const reason = describeError(e);
  // Before the responseCode checks: a relay refusing STARTTLS answers 5xx, yet the message itself was never offered.
  if (code === 'ETLS' || (code === 'ESOCKET' && CERTIFICATE_PROBLEM.test(reason))) return { result: 'retry', reason: tlsFailure(reason, settings) };
  if (code === 'EAUTH') return { result: 'retry', reason: `the relay refused the credentials: ${reason}` };
  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) return { result: 'failed', reason: `the relay refused the message: ${reason}` };
  if (responseCode !== undefined && responseCode >= 400) return { result: 'retry', reason: `the relay deferred the message: ${reason}` };
  // nodemailer's own checks of the message (no address, bad headers) fail the same way every time.
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return { result: 'failed', reason };
  return { result: 'retry', reason: code === undefined ? reason : `${code}: ${reason}` };
}

/**
 * Why TLS with the relay failed, and which setting to change. Retried like
 * refused credentials: once the operator fixes the relay or the config, the
 * messages still go out.
 */
function tlsFailure(reason: string, settings: EmailSettings): string {
  if (/^Error initiating TLS/.test(reason) || CERTIFICATE_PROBLEM.test(reason)) {
    return `ETLS: TLS with the relay failed: ${reason}; if the relay's certificate comes from a private CA, name it in notify.email.caFile`;
  }
  if (tlsRequiredForPassword(settings) && settings.starttls !== 'required') {
    return `ETLS: the relay offers no TLS (STARTTLS), and the SMTP password is never sent in clear: nothing was sent. Have the relay offer STARTTLS, use notify.email.secure: true (port 465), or, for a relay on this host only, set notify.email.allowPlainAuth: true (${reason})`;
  }
  return `ETLS: the relay offers no TLS (STARTTLS), which notify.email.starttls: required insists on: nothing was sent (${reason})`;
}
