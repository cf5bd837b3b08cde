/**
 * The notification outbox. Frozen: this file describes the schema as it was
 * on its date and imports nothing from the application.
 */
import type { Kysely } from 'kysely';

// any: a migration must not depend on today's table types (kysely's migration guide).
export async function up(db: Kysely<any>): Promise<void> {
  /** One message to one address: created when its group is due, pending until the relay accepts it or refuses it for good. */
  await db.schema
    .createTable('notify_messages')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('recipient', 'text', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('address', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('created_at', 'double precision', (col) => col.notNull())
    .addColumn('sent_at', 'double precision')
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'double precision', (col) => col.notNull())
    .addColumn('notice_count', 'integer', (col) => col.notNull())
    .execute();
  // The dispatcher looks for the oldest pending message of each address; pruning, for old finished ones.
  await db.schema.createIndex('notify_messages_status_address').on('notify_messages').columns(['status', 'channel', 'address', 'id']).execute();
  await db.schema.createIndex('notify_messages_created').on('notify_messages').column('created_at').execute();

  /** What was queued for one address: an alarm notice or a report (JSON), part of no message until its group is due. */
  await db.schema
    .createTable('notify_items')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('recipient', 'text', (col) => col.notNull())
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('address', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('queued_at', 'double precision', (col) => col.notNull())
    .addColumn('message_id', 'integer', (col) => col.references('notify_messages.id'))
    .execute();
  await db.schema.createIndex('notify_items_message').on('notify_items').column('message_id').execute();
}

// any: as in up.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notify_items').execute();
  await db.schema.dropTable('notify_messages').execute();
}
