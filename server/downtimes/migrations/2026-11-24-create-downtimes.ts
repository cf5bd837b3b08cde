/**
 * The downtimes and their history. Frozen: this file describes the schema
 * as it was on its date and imports nothing from the application.
 *
 * Kysely<any>: a migration must not depend on today's table types, which
 * describe the schema after every migration (kysely's migration guide).
 */
import type { Kysely } from 'kysely';

// any: see above; the schema builder needs no table types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('downtimes')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('scope_series', 'text', (col) => col.notNull())
    .addColumn('scope_agents', 'text', (col) => col.notNull())
    .addColumn('start_at', 'bigint', (col) => col.notNull())
    .addColumn('end_at', 'bigint')
    .addColumn('rrule', 'text')
    .addColumn('timezone', 'text', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('author', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_by', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addColumn('revision', 'integer', (col) => col.notNull())
    .execute();
  // Time-window queries narrow on start and end; most queries leave out cancelled downtimes.
  await db.schema.createIndex('downtimes_status_start').on('downtimes').columns(['status', 'start_at']).execute();
  await db.schema.createIndex('downtimes_end').on('downtimes').column('end_at').execute();

  await db.schema
    .createTable('downtime_revisions')
    .addColumn('downtime_id', 'integer', (col) => col.notNull().references('downtimes.id'))
    .addColumn('revision', 'integer', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('author', 'text', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('snapshot', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('downtime_revisions_pk', ['downtime_id', 'revision'])
    .execute();
}

// any: as in up.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('downtime_revisions').execute();
  await db.schema.dropTable('downtimes').execute();
}
