/**
 * The send loop. Each pass (a "tick"):
 *
 *   1. makes a message of each group whose window has passed, unless its
 *      address still has a message pending (outbox-store.ts bundleDue);
 *   2. prunes the log, at most once an hour;
 *   3. starts an attempt at the oldest pending message of each address
 *      whose time has come, unless one to that address is in flight, so
 *      messages to one address arrive in the order they were made (a
 *      recovery never overtakes its problem) and an unreachable relay
 *      costs one attempt per address per backoff, not one per message;
 *   4. sets one timer for the earliest thing to do next: a group due, a
 *      retry due, the next prune.
 *
 * notify() wakes the loop at once, and so does each finished attempt, so
 * nothing waits on a slow poll. Passes never overlap: a wake-up during a
 * pass runs one more pass after it.
 *
 * Exactly once: a message is marked sent right after the relay accepts it.
 * The one window left is a process that dies between the two (or a
 * database that fails the update); the message is then sent again at the
 * next start, with the same Message-ID / Idempotency-Key for the receiver
 * to recognise it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffSeconds, type RetrySettings } from './backoff.js';
import { describeError, type ChannelSenders } from './channel.js';
import type { OutboxStore, PendingHead, SubjectOf } from './outbox-store.js';

/** The part of pino the notifier uses; a pino logger (or fastify's) fits. */
export interface NotifyLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface DispatcherOptions {
  readonly store: OutboxStore;
  readonly senders: ChannelSenders;
  readonly groupWaitSeconds: number;
  /** Names each message made of a group (subject.ts, with the group's template). */
  readonly subjectOf: SubjectOf;
  readonly retry: RetrySettings;
  readonly keepSeconds: number;
  readonly log: NotifyLogger;
  /** Unix seconds. */
  readonly now: () => number;
}

/** Counters since the notifier opened, and gauges kept in step with the outbox. */
export interface DispatchCounts {
  /** Messages waiting for an attempt (in flight included). */
  pending: number;
  /** Notices waiting for their group's window. */
  queued: number;
  sent: number;
  failed: number;
  /** Attempts that failed and will be tried again. */
  retries: number;
}

const PRUNE_INTERVAL_SECONDS = 3600;
/** Timers are re-armed at least this often, so a clock that jumps (or one injected by a test) is noticed. */
const MAX_SLEEP_SECONDS = 60;

export class Dispatcher {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private nextPruneAt = Number.NEGATIVE_INFINITY;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly closing = new AbortController();

  constructor(
    private readonly options: DispatcherOptions,
    readonly counts: DispatchCounts,
  ) {}

  /** Runs a pass now, or right after the one running. */
  wake(): void {
    if (this.closed) return;
    if (this.pass !== undefined) {
      this.again = true;
      return;
    }
    this.pass = this.loop().finally(() => {
      this.pass = undefined;
    });
  }

  /** Stops the timer and waits for the pass and the attempts in flight; pending messages stay for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    clearTimeout(this.timer);
    await this.pass;
    await Promise.all(this.inFlight.values());
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        this.sleepUntil(await this.tick());
      } catch (e) {
        // The database failed (disk full, locked too long): nothing is lost, try again later.
        this.options.log.error({ err: describeError(e) }, `notification dispatch failed, trying again in ${this.options.retry.initialSeconds}s`);
        this.sleepUntil(this.options.now() + this.options.retry.initialSeconds);
      }
    } while (this.again && !this.closed);
  }

  /** One pass; returns when the next one is due. */
  private async tick(): Promise<number> {
    const { store, groupWaitSeconds, keepSeconds, log } = this.options;
    const now = this.options.now();
    const made = await store.bundleDue(now, groupWaitSeconds, this.options.subjectOf);
    this.counts.pending += made.messages;
    this.counts.queued -= made.items;
    if (now >= this.nextPruneAt) {
      this.nextPruneAt = now + PRUNE_INTERVAL_SECONDS;
      const pruned = await store.prune(now - keepSeconds);
      if (pruned > 0) log.info({ pruned }, `pruned ${pruned} notifications older than ${keepSeconds}s from the log`);
    }
    let next = Math.min(this.nextPruneAt, made.nextDue ?? Number.POSITIVE_INFINITY);
    for (const head of await store.pendingHeads()) {
      if (this.closed) break;
      const key = `${head.channel} ${head.address}`;
      if (this.inFlight.has(key)) continue;
      if (head.nextAttemptAt > now) {
        next = Math.min(next, head.nextAttemptAt);
        continue;
      }
      const attempt = this.attempt(head).finally(() => {
        this.inFlight.delete(key);
        this.wake();
      });
      this.inFlight.set(key, attempt);
    }
    return next;
  }

  private sleepUntil(at: number): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    const seconds = Math.min(Math.max(at - this.options.now(), 0), MAX_SLEEP_SECONDS);
    this.timer = setTimeout(() => this.wake(), Math.ceil(seconds * 1000));
    // The server's listeners keep the process alive; a pending retry alone should not.
    this.timer.unref();
  }

  /** One attempt at one message, and its outcome written down. Never rejects. */
  private async attempt(head: PendingHead): Promise<void> {
    const { store, senders, retry, log, now } = this.options;
    try {
      const message = await store.load(head.id);
      if (message === undefined) return;
      const outcome = await senders[message.channel].send(message);
      const where = { id: message.id, channel: message.channel, recipient: message.recipient, to: message.to, notices: message.payloads.length, attempt: message.attempts + 1 };
      switch (outcome.result) {
        case 'sent':
          await store.markSent(message.id, now());
          this.counts.pending--;
          this.counts.sent++;
          log.info(where, `sent notification ${message.id} (${message.payloads.length} notices) by ${message.channel} to ${message.to}`);
          return;
        case 'retry': {
          const wait = Math.min(Math.max(backoffSeconds(message.attempts + 1, retry), outcome.afterSeconds ?? 0), retry.maxSeconds);
          await store.markRetry(message.id, outcome.reason, now() + wait);
          this.counts.retries++;
          log.warn({ ...where, err: outcome.reason }, `notification ${message.id} to ${message.to}: retrying in ${wait.toFixed(1)}s because ${outcome.reason}`);
          return;
        }
        case 'failed':
          await store.markFailed(message.id, outcome.reason);
          this.counts.pending--;
          this.counts.failed++;
          log.error({ ...where, err: outcome.reason }, `notification ${message.id} to ${message.to} failed because ${outcome.reason}; it will not be retried`);
          return;
        default: {
          const unknown: never = outcome;
          throw new Error(`unknown send outcome ${JSON.stringify(unknown)}`);
        }
      }
    } catch (e) {
      // The database failed around the send. The message stays pending; this address rests (stays in flight) a while, so a broken database is not hammered.
      log.error({ id: head.id, err: describeError(e) }, `notification ${head.id}: could not record the attempt, trying again in ${retry.initialSeconds}s: ${describeError(e)}`);
      await sleep(retry.initialSeconds * 1000, undefined, { signal: this.closing.signal }).catch(() => undefined);
    }
  }
}
