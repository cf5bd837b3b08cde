/**
 * The unit each series' samples declared (issue 17). Frozen: this file
 * describes the schema as it was on its date and imports nothing from the
 * application.
 */
import type { Kysely } from 'kysely';

// any: a migration must not depend on today's table types (kysely's migration guide).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('series_units')
    .addColumn('series', 'text', (col) => col.primaryKey())
    /** The unit of the values as sent (`B` for a byte counter, whose stored rates are B/s). */
    .addColumn('unit', 'text', (col) => col.notNull())
    /** Unix seconds of the sample that last changed it. */
    .addColumn('changed_at', 'double precision', (col) => col.notNull())
    .execute();
}

// any: as in up.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('series_units').execute();
}
