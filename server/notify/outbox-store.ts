/**
 * The outbox in the database. A notification is an item row before anything
 * is sent; a group of items for one address becomes a message row once its
 * window has passed; a message stays `pending` until the relay accepts it
 * (`sent`) or refuses it for good (`failed`). Every step is one transaction,
 * so a restart at any point finds each notice either waiting in its group
 * or in exactly one message.
 *
 * Ids are max + 1 inside the writing transaction, as in the downtime store:
 * no dialect-specific identity column. prune() never deletes the newest
 * message, so an id (and the Message-ID made from it) is never reused.
 */
import type { Kysely } from 'kysely';
import type { NotifyDatabase } from './database.js';
import type { Channel, NotificationQuery, NotificationRecord, OutboxMessage, Payload } from './model.js';
import { payloadToColumns, rowToPayload, rowToRecord } from './rows.js';

/** Where one copy of a notification goes: one e-mail message (To and Cc) or one webhook. */
export interface Destination {
  /** For the log: the recipient group's names and addresses. */
  readonly recipient: string;
  readonly channel: Channel;
  /** To addresses, comma-separated, or the webhook's URL. */
  readonly address: string;
  /** Cc addresses, comma-separated; '' for none. */
  readonly cc: string;
  /** The names given (not stored): which template applies is decided by them. */
  readonly names: readonly string[];
}

/** One notification to queue: where, what, and in which words (a template name; null: built-in). */
export interface OutboxEntry {
  readonly to: Destination;
  readonly payload: Payload;
  readonly template: string | null;
}

/** What a message's subject is made of. */
export type SubjectOf = (payloads: readonly Payload[], template: string | null) => string;

/** The oldest pending message of an address: messages to one address go out in order. */
export interface PendingHead {
  readonly id: number;
  readonly channel: Channel;
  readonly address: string;
  readonly nextAttemptAt: number;
}

export const MAX_LIST_LIMIT = 1000;
const DEFAULT_LIST_LIMIT = 100;

/** Most notices in one message; a longer backlog goes out as several. */
export const MAX_NOTICES_PER_MESSAGE = 100;

const addressKey = (d: Pick<Destination, 'channel' | 'address'>): string => JSON.stringify([d.channel, d.address]);

export class OutboxStore {
  constructor(private readonly db: Kysely<NotifyDatabase>) {}

  /**
   * Queues alarm notices for grouping and turns each report into a message
   * of its own at once, all in one transaction.
   */
  async enqueue(entries: readonly OutboxEntry[], now: number, reportSubject: SubjectOf): Promise<void> {
    if (entries.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      let itemId = await nextId(trx, 'notify_items');
      let messageId = await nextId(trx, 'notify_messages');
      for (const { to, payload, template } of entries) {
        const group = { recipient: to.recipient, channel: to.channel, address: to.address, cc: to.cc, template };
        let message: number | null = null;
        if (payload.kind === 'report') {
          message = messageId++;
          await trx.insertInto('notify_messages').values(newMessage(message, group, reportSubject([payload], template), 1, now)).execute();
        }
        await trx
          .insertInto('notify_items')
          .values({ id: itemId++, ...group, ...payloadToColumns(payload), queued_at: now, message_id: message })
          .execute();
      }
    });
  }

  /**
   * Makes messages of the waiting items of each address whose first item
   * has waited `waitSeconds`, unless that address still has a pending
   * message: what comes in meanwhile waits and goes out together after it,
   * so a relay that is down or slow gets one message per address, not one
   * per window. `subjectOf` names each message; a message carries at most
   * MAX_NOTICES_PER_MESSAGE notices. Returns how many messages were made of
   * how many items, and when the next group not held back is due.
   */
  async bundleDue(now: number, waitSeconds: number, subjectOf: SubjectOf): Promise<{ messages: number; items: number; nextDue: number | undefined }> {
    return this.db.transaction().execute(async (trx) => {
      const made = { messages: 0, items: 0, nextDue: undefined as number | undefined };
      // Bodies are read only for groups that go out now: a storm of notify() calls, each waking a pass, must not reread every waiting notice.
      const groups = await trx
        .selectFrom('notify_items')
        .select(['recipient', 'channel', 'address', 'cc', 'template', (eb) => eb.fn.min('queued_at').as('first')])
        .where('message_id', 'is', null)
        .groupBy(['recipient', 'channel', 'address', 'cc', 'template'])
        .execute();
      if (groups.length === 0) return made;
      const busy = await trx.selectFrom('notify_messages').select(['channel', 'address']).distinct().where('status', '=', 'pending').execute();
      const held = new Set(busy.map(addressKey));
      let id = await nextId(trx, 'notify_messages');
      for (const group of groups) {
        if (held.has(addressKey(group))) continue;
        const due = Number(group.first) + waitSeconds;
        if (due > now) {
          made.nextDue = Math.min(made.nextDue ?? due, due);
          continue;
        }
        const items = await trx
          .selectFrom('notify_items')
          .select(['id', 'kind', 'body'])
          .where('message_id', 'is', null)
          .where('recipient', '=', group.recipient)
          .where('channel', '=', group.channel)
          .where('address', '=', group.address)
          .where('cc', '=', group.cc)
          .where((eb) => (group.template === null ? eb('template', 'is', null) : eb('template', '=', group.template)))
          .orderBy('id')
          .execute();
        for (let start = 0; start < items.length; start += MAX_NOTICES_PER_MESSAGE) {
          const chunk = items.slice(start, start + MAX_NOTICES_PER_MESSAGE);
          await trx.insertInto('notify_messages').values(newMessage(id, group, subjectOf(chunk.map(rowToPayload), group.template), chunk.length, now)).execute();
          const ids = chunk.map((item) => item.id);
          await trx.updateTable('notify_items').set({ message_id: id }).where('id', 'in', ids).execute();
          id++;
          made.messages++;
          made.items += chunk.length;
        }
      }
      return made;
    });
  }

  /** The oldest pending message of each address. */
  async pendingHeads(): Promise<PendingHead[]> {
    const rows = await this.db
      .selectFrom('notify_messages')
      .select(['id', 'channel', 'address', 'next_attempt_at'])
      .where('id', 'in', (eb) => eb.selectFrom('notify_messages').select((e) => e.fn.min('id').as('head')).where('status', '=', 'pending').groupBy(['channel', 'address']))
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: Number(r.id), channel: r.channel, address: r.address, nextAttemptAt: Number(r.next_attempt_at) }));
  }

  /** A pending message with what it carries, or undefined when it is no longer pending. */
  async load(id: number): Promise<OutboxMessage | undefined> {
    const row = await this.db.selectFrom('notify_messages').selectAll().where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    if (!row) return undefined;
    const items = await this.db.selectFrom('notify_items').select(['kind', 'body']).where('message_id', '=', id).orderBy('id').execute();
    const { recipient, channel, to, cc, subject, attempts } = rowToRecord(row);
    return { id, recipient, channel, to, cc, template: row.template, subject, attempts, payloads: items.map(rowToPayload) };
  }

  async markSent(id: number, at: number): Promise<void> {
    await this.db
      .updateTable('notify_messages')
      .set((eb) => ({ status: 'sent', sent_at: at, attempts: eb('attempts', '+', 1), last_error: null }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  async markRetry(id: number, error: string, nextAttemptAt: number): Promise<void> {
    await this.db
      .updateTable('notify_messages')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error, next_attempt_at: nextAttemptAt }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.db
      .updateTable('notify_messages')
      .set((eb) => ({ status: 'failed', attempts: eb('attempts', '+', 1), last_error: error }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Newest first. */
  async list(query: NotificationQuery): Promise<NotificationRecord[]> {
    const limit = Math.min(Math.max(1, Math.floor(query.limit ?? DEFAULT_LIST_LIMIT)), MAX_LIST_LIMIT);
    let select = this.db.selectFrom('notify_messages').selectAll();
    if (query.before !== undefined) select = select.where('id', '<', query.before);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    const rows = await select.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(rowToRecord);
  }

  /** Messages by status, and notices still waiting for their group. */
  async counts(): Promise<{ pending: number; sent: number; failed: number; queued: number }> {
    const byStatus = await this.db
      .selectFrom('notify_messages')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const { n: queued } = await this.db
      .selectFrom('notify_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('message_id', 'is', null)
      .executeTakeFirstOrThrow();
    const of = (status: string): number => Number(byStatus.find((r) => r.status === status)?.n ?? 0);
    return { pending: of('pending'), sent: of('sent'), failed: of('failed'), queued: Number(queued) };
  }

  /** Deletes sent and failed messages (with their items) created before `before`, except the newest message. Returns how many. */
  async prune(before: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const { last } = await trx.selectFrom('notify_messages').select((eb) => eb.fn.max('id').as('last')).executeTakeFirstOrThrow();
      if (last === null || last === undefined) return 0;
      const old = trx.selectFrom('notify_messages').select('id').where('status', '!=', 'pending').where('created_at', '<', before).where('id', '<', Number(last));
      await trx.deleteFrom('notify_items').where('message_id', 'in', old).execute();
      const result = await trx.deleteFrom('notify_messages').where('status', '!=', 'pending').where('created_at', '<', before).where('id', '<', Number(last)).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
}

/** The columns that make a message's group: who, how, and in which words. */
type Group = Pick<NotifyDatabase['notify_messages'], 'recipient' | 'channel' | 'address' | 'cc' | 'template'>;

function newMessage(id: number, to: Group, subject: string, noticeCount: number, now: number): NotifyDatabase['notify_messages'] {
  const { recipient, channel, address, cc, template } = to;
  return { id, recipient, channel, address, cc, template, subject, status: 'pending', created_at: now, sent_at: null, attempts: 0, last_error: null, next_attempt_at: now, notice_count: noticeCount };
}

async function nextId(trx: Kysely<NotifyDatabase>, table: 'notify_items' | 'notify_messages'): Promise<number> {
  const { last } = await trx.selectFrom(table).select((eb) => eb.fn.max('id').as('last')).executeTakeFirstOrThrow();
  return Number(last ?? 0) + 1;
}
