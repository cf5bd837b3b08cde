/**
 * Webhooks: each message is a JSON POST (undici) of
 *
 *   { id, recipient, subject, notices: [AlarmNotice...], report?: Report }
 *
 * each notice as the alarm engine made it (model.ts), with the check's
 * `message` when its series had one.
 *
 * with an `Idempotency-Key` header that stays the same for every attempt
 * of one message, so a receiver can drop the copy sent again after a crash
 * (accepted, but not yet marked sent). With notify.webhook.tokenFile the
 * token goes as `Authorization: Bearer`.
 *
 * 2xx is delivered; 408, 429, 5xx and network errors are tried again
 * (honouring Retry-After); a redirect or any other 4xx fails for good: the
 * URL or the token is wrong, and only the operator can fix that.
 */
import { Agent, request } from 'undici';
import { describeError, type ChannelSender, type SendOutcome } from './channel.js';
import type { OutboxMessage } from './model.js';

export interface WebhookSettings {
  readonly timeoutSeconds: number;
  /** Read from notify.webhook.tokenFile; never logged. */
  readonly token?: string;
}

export function idempotencyKeyOf(id: number, host: string): string {
  return `ringmon-${id}@${host}`;
}

export function webhookSender(settings: WebhookSettings, host: string): ChannelSender {
  const ms = settings.timeoutSeconds * 1000;
  const agent = new Agent({ connect: { timeout: ms }, headersTimeout: ms, bodyTimeout: ms });
  return {
    async send(message: OutboxMessage): Promise<SendOutcome> {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'idempotency-key': idempotencyKeyOf(message.id, host),
        'user-agent': 'ringmon',
      };
      if (settings.token !== undefined) headers.authorization = `Bearer ${settings.token}`;
      try {
        const response = await request(message.to, { method: 'POST', headers, body: JSON.stringify(bodyOf(message)), dispatcher: agent, signal: AbortSignal.timeout(ms) });
        // The body is not used, but must be read for the connection to be reused.
        await response.body.dump();
        return outcomeOf(response.statusCode, response.headers['retry-after']);
      } catch (e) {
        return { result: 'retry', reason: describeError(e) };
      }
    },
    async close(): Promise<void> {
      await agent.close();
    },
  };
}

/** The JSON a receiver gets. */
export function bodyOf(message: OutboxMessage): object {
  const notices = message.payloads.flatMap((p) => (p.kind === 'alarm' ? [p.notice] : []));
  const report = message.payloads.find((p) => p.kind === 'report');
  return { id: message.id, recipient: message.recipient, subject: message.subject, notices, ...(report?.kind === 'report' ? { report: report.report } : {}) };
}

function outcomeOf(status: number, retryAfter: string | string[] | undefined): SendOutcome {
  if (status >= 200 && status < 300) return { result: 'sent' };
  const reason = `the receiver answered HTTP ${status}`;
  if (status === 408 || status === 429 || status >= 500) {
    const afterSeconds = retryAfterSeconds(typeof retryAfter === 'string' ? retryAfter : retryAfter?.[0]);
    return afterSeconds === undefined ? { result: 'retry', reason } : { result: 'retry', reason, afterSeconds };
  }
  return { result: 'failed', reason: status >= 300 && status < 400 ? `${reason} (redirects are not followed: configure the final URL)` : reason };
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
function retryAfterSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - Date.now()) / 1000);
}
