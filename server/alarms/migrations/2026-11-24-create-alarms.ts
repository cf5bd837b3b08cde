/**
 * Alarm states and their transitions. Frozen: this file describes the
 * schema as it was on its date and imports nothing from the application.
 */
import type { Kysely } from 'kysely';

// any: a migration must not depend on today's table types (kysely's migration guide).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alarm_states')
    .addColumn('series', 'text', (col) => col.primaryKey())
    .addColumn('rule', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('since', 'double precision', (col) => col.notNull())
    .addColumn('value', 'double precision')
    .addColumn('threshold', 'text')
    .addColumn('last_sample_at', 'double precision', (col) => col.notNull())
    /** Whether a problem notice went out for the current episode (a recovery notice follows only then). */
    .addColumn('notified', 'integer', (col) => col.notNull())
    .addColumn('last_notified_at', 'double precision')
    /** The planned downtime that kept the last change quiet; cleared once the notice goes out after it. */
    .addColumn('suppressed_by', 'integer')
    .execute();

  await db.schema
    .createTable('alarm_transitions')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('series', 'text', (col) => col.notNull())
    .addColumn('rule', 'text', (col) => col.notNull())
    .addColumn('from_status', 'text', (col) => col.notNull())
    .addColumn('to_status', 'text', (col) => col.notNull())
    .addColumn('at', 'double precision', (col) => col.notNull())
    .addColumn('value', 'double precision')
    .addColumn('threshold', 'text')
    .addColumn('downtime_id', 'integer')
    .addColumn('downtime_kind', 'text')
    .addColumn('suppressed', 'integer', (col) => col.notNull())
    /** 0 until the notification it calls for is in the outbox; a start re-queues those left at 0. */
    .addColumn('noticed', 'integer', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('alarm_transitions_series_at').on('alarm_transitions').columns(['series', 'at']).execute();
  await db.schema.createIndex('alarm_transitions_at').on('alarm_transitions').column('at').execute();
  await db.schema.createIndex('alarm_transitions_unnoticed').on('alarm_transitions').column('noticed').execute();
}

// any: as in up.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alarm_transitions').execute();
  await db.schema.dropTable('alarm_states').execute();
}
