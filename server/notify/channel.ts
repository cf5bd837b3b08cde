/**
 * The contract of a notification channel (e-mail, webhook): deliver one
 * outbox message and say how it went. Run-time state (attempts, backoff,
 * the log) belongs to the dispatcher, not to the channel.
 */
import type { Channel, OutboxMessage } from './model.js';

/**
 * sent: the relay or receiver accepted the message. retry: it may succeed
 * later (unreachable, timed out, 4xx from SMTP, 5xx/408/429 from a webhook);
 * `afterSeconds` is the receiver's own wish (Retry-After). failed: refused
 * for good (5xx from SMTP, other 4xx from a webhook); trying again would
 * get the same answer.
 */
export type SendOutcome =
  | { readonly result: 'sent' }
  | { readonly result: 'retry'; readonly reason: string; readonly afterSeconds?: number }
  | { readonly result: 'failed'; readonly reason: string };

export interface ChannelSender {
  /**
   * Delivers `message` once. Never throws and never rejects: every failure
   * is an outcome. Gives up after the channel's configured timeout. The
   * reason names no secret (password, token).
   */
  send(message: OutboxMessage): Promise<SendOutcome>;
  /**
   * Closes pooled connections. Sends in flight get a short grace (at most
   * the channel's timeout) to finish, then are cut and come out as retry;
   * sends started after close() come out as retry at once.
   */
  close(): Promise<void>;
}

/** One sender per channel: the explicit list of channels, complete by type. */
export type ChannelSenders = Readonly<Record<Channel, ChannelSender>>;

/** Error text for logs and the outbox row: one line, bounded. */
export function describeError(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
}
