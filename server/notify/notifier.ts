/**
 * The notifier: alarm notices and reports in, e-mails and webhook calls out,
 * nothing lost on the way. notify() and sendReport() return once the
 * notification is committed to the outbox (synchronous=FULL, one
 * transaction per call); the dispatcher does the rest, across restarts.
 */
import type { DatabaseSource, PartDatabase } from '../database/index.js';
import { hostname } from 'node:os';
import { ConfigError } from '../config-schema/index.js';
import type { ChannelSender, ChannelSenders } from './channel.js';
import type { NotifySettings } from './config-section.js';
import { openNotifyDatabase, type NotifyDatabase } from './database.js';
import { checkRecipients, destinationsOf, type Recipients } from './destinations.js';
import { Dispatcher, type DispatchCounts, type NotifyLogger } from './dispatcher.js';
import { emailSender } from './email-sender.js';
import { emailSettingsOf } from './email-settings.js';
import type { AlarmNotice, NotificationQuery, NotificationRecord, Payload, Report } from './model.js';
import { OutboxStore, type Destination } from './outbox-store.js';
import { readSecretFile, SecretFileError } from './secret-file.js';
import { subjectOf } from './subject.js';
import { templateSet, type TemplateSet } from './template-set.js';
import { webhookSender } from './webhook-sender.js';

export interface NotifierOptions {
  /** The server's shared database connection, or a file of its own (`<dataDir>/ringmon.sqlite`). */
  readonly file: DatabaseSource;
  readonly notify: NotifySettings;
  readonly recipients: Recipients;
  readonly groupWaitSeconds: number;
  readonly log: NotifyLogger;
  /** Unix seconds; injectable for tests. */
  readonly now?: () => number;
  /** The host name in Message-IDs, Idempotency-Keys and EHLO; default os.hostname(). */
  readonly hostname?: string;
}

/** Counters since open (sent, failed, retries) and the outbox now (pending messages, queued notices). */
export type NotifierStats = Readonly<DispatchCounts>;

export class Notifier {
  private closed = false;

  private constructor(
    private readonly database: PartDatabase<NotifyDatabase>,
    private readonly store: OutboxStore,
    private readonly senders: ChannelSenders,
    private readonly dispatcher: Dispatcher,
    private destinations: (names: readonly string[]) => Destination[],
    private readonly templates: TemplateSet,
    private readonly now: () => number,
  ) {}

  /**
   * Checks the settings, reads the secrets, opens the outbox (bringing its
   * tables up to date) and starts sending what a previous run left pending.
   * Throws ConfigError naming the key (notify.email, notify.email.passwordFile,
   * notify.email.caFile, notify.webhook.tokenFile), or MigrationError.
   * Templates (notify.templates) are those of the start: a reload keeps them.
   */
  static async open(options: NotifierOptions): Promise<Notifier> {
    const { notify, recipients, log } = options;
    checkRecipients(recipients, notify);
    const templates = templateSet(notify.templates);
    const host = options.hostname ?? hostname();
    const now = options.now ?? ((): number => Date.now() / 1000);
    // Secrets first: a refused file stops the start before anything is opened.
    const password = notify.email?.passwordFile === undefined ? undefined : secret(notify.email.passwordFile, 'notify.email.passwordFile');
    const token = notify.webhook.tokenFile === undefined ? undefined : secret(notify.webhook.tokenFile, 'notify.webhook.tokenFile');
    const senders: ChannelSenders = {
      email:
        notify.email === undefined
          ? unconfigured('notify.email is not configured')
          : emailSender(emailSettingsOf(notify.email, password, log), host, () => templates),
      webhook: webhookSender({ timeoutSeconds: notify.webhook.timeout, ...(token === undefined ? {} : { token }) }, host),
    };
    let database: PartDatabase<NotifyDatabase> | undefined;
    try {
      database = await openNotifyDatabase(options.file);
      const store = new OutboxStore(database.db);
      const { pending, queued } = await store.counts();
      const dispatcher = new Dispatcher(
        { store, senders, groupWaitSeconds: options.groupWaitSeconds, subjectOf: (payloads, template) => subjectOf(payloads, templates.get(template)), retry: { initialSeconds: notify.retry.initial, maxSeconds: notify.retry.max }, keepSeconds: notify.keep, log, now },
        { pending, queued, sent: 0, failed: 0, retries: 0 },
      );
      if (pending + queued > 0) log.info({ pending, queued }, `notifier: ${pending} notifications pending and ${queued} notices waiting from before`);
      dispatcher.wake();
      return new Notifier(database, store, senders, dispatcher, destinationsOf(recipients, notify.email?.cc), templates, now);
    } catch (e) {
      await Promise.all([database?.close(), senders.email.close(), senders.webhook.close()]);
      throw e;
    }
  }

  /**
   * Queues `notices` for `recipients` (names in alarms.recipients, or
   * e-mail addresses): one e-mail message for the list, each address once
   * in its To or Cc, and one call per webhook (destinations.ts).
   * Durable once it resolves. Throws for an unknown recipient name (the
   * config check rules that out: it is a bug in the caller), or when closed.
   */
  async notify(recipients: readonly string[], notices: readonly AlarmNotice[]): Promise<void> {
    await this.enqueue(recipients, notices.map((notice) => ({ kind: 'alarm', notice })));
  }

  /**
   * Takes `recipients` (a reloaded alarms.recipients) for every notice
   * queued from now on; queued ones keep their addresses. Throws ConfigError
   * naming notify.email, changing nothing, when one has addresses and no
   * relay is configured.
   */
  setRecipients(recipients: Recipients, notify: NotifySettings): void {
    checkRecipients(recipients, notify);
    this.destinations = destinationsOf(recipients, notify.email?.cc);
  }

  /** Queues `report` as a message of its own to each recipient: not grouped with alarms. Durable once it resolves. */
  async sendReport(recipients: readonly string[], report: Report): Promise<void> {
    await this.enqueue(recipients, [{ kind: 'report', report }]);
  }

  /** The log of notifications, newest first: pending, sent and failed, until notify.keep has passed. */
  async list(query: NotificationQuery = {}): Promise<NotificationRecord[]> {
    return this.store.list(query);
  }

  stats(): NotifierStats {
    return { ...this.dispatcher.counts };
  }

  /** Stops sending and waits for the attempts in flight; what is still pending goes out after the next open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The dispatcher starts no attempt from here on; the senders give the ones in flight a short grace, so a hung relay cannot hold up a shutdown.
    const stopped = this.dispatcher.close();
    await Promise.all([stopped, this.senders.email.close(), this.senders.webhook.close()]);
    await this.database.close();
  }

  private async enqueue(recipients: readonly string[], payloads: readonly Payload[]): Promise<void> {
    if (this.closed) throw new Error('notify: the notifier is closed');
    // A template words alarm e-mails; a webhook gets the notices as data, a report is its own.
    const entries = this.destinations(recipients).flatMap((to) =>
      payloads.map((payload) => ({ to, payload, template: payload.kind === 'alarm' && to.channel === 'email' ? this.templates.choose(to.names, payload.notice.rule) : null })),
    );
    if (entries.length === 0) return;
    // Counted before the commit: a pass running right after it may already bundle or send them.
    const counts = this.dispatcher.counts;
    const reports = entries.filter((e) => e.payload.kind === 'report').length;
    counts.pending += reports;
    counts.queued += entries.length - reports;
    try {
      await this.store.enqueue(entries, this.now(), (payloads) => subjectOf(payloads));
    } catch (e) {
      counts.pending -= reports;
      counts.queued -= entries.length - reports;
      throw e;
    }
    this.dispatcher.wake();
  }
}

function secret(path: string, key: string): string {
  try {
    return readSecretFile(path);
  } catch (e) {
    if (e instanceof SecretFileError) throw new ConfigError(undefined, [{ key, message: e.message }]);
    throw e;
  }
}

/** The e-mail channel without notify.email: never used, since checkRecipients refuses e-mail recipients then. */
function unconfigured(reason: string): ChannelSender {
  return { send: async () => ({ result: 'failed', reason }), close: async () => undefined };
}
