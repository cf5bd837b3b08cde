/**
 * Acknowledgements (issue 16): the one in force per alarmed series, and
 * every ack, unack and end as an event for the history. Frozen: this file
 * describes the schema as it was on its date and imports nothing from the
 * application.
 */
import type { Kysely } from 'kysely';

// any: a migration must not depend on today's table types (kysely's migration guide).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alarm_acks')
    .addColumn('series', 'text', (col) => col.primaryKey())
    /** The id of the `ack` event that gave it, so an end recorded late never removes a later ack. */
    .addColumn('event_id', 'integer', (col) => col.notNull())
    /** The status acknowledged: the ack holds while the series stays in it. */
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('author', 'text', (col) => col.notNull())
    .addColumn('comment', 'text', (col) => col.notNull())
    .addColumn('at', 'double precision', (col) => col.notNull())
    /** When it ends by itself; null: only a change of state or an unack ends it. */
    .addColumn('until', 'double precision')
    .execute();

  await db.schema
    .createTable('alarm_ack_events')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('series', 'text', (col) => col.notNull())
    /** ack, unack, expired (its until passed), ended (the state changed). */
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    /** The token's name; null for the ends the server records (expired, ended). */
    .addColumn('author', 'text')
    .addColumn('comment', 'text')
    .addColumn('at', 'double precision', (col) => col.notNull())
    .addColumn('until', 'double precision')
    .execute();
  await db.schema.createIndex('alarm_ack_events_series_at').on('alarm_ack_events').columns(['series', 'at']).execute();
  await db.schema.createIndex('alarm_ack_events_at').on('alarm_ack_events').column('at').execute();
}

// any: as in up.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alarm_ack_events').execute();
  await db.schema.dropTable('alarm_acks').execute();
}
