/**
 * The dashboards table. Frozen: this file describes the schema as it was on
 * its date and imports nothing from the application.
 *
 * Kysely<any>: a migration must not depend on today's table types, which
 * describe the schema after every migration (kysely's migration guide).
 */
import type { Kysely } from 'kysely';

// any: see above; the schema builder needs no table types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dashboards')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('panels', 'text', (col) => col.notNull())
    .addColumn('author', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .execute();
}

// any: as in up.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dashboards').execute();
}
