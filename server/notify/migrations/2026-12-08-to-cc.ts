/**
 * One message per recipient group (issue 16): a message's `address` is now
 * its To list (one address before), and it gains its Cc list and the
 * template it is written with. Rows from before read as a message to one
 * address, without Cc, in the built-in words. Frozen: this file describes
 * the schema as it was on its date and imports nothing from the
 * application.
 */
import type { Kysely } from 'kysely';

// any: a migration must not depend on today's table types (kysely's migration guide).
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['notify_messages', 'notify_items']) {
    await db.schema.alterTable(table).addColumn('cc', 'text', (col) => col.notNull().defaultTo('')).execute();
    await db.schema.alterTable(table).addColumn('template', 'text').execute();
  }
}

// any: as in up.
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['notify_messages', 'notify_items']) {
    await db.schema.alterTable(table).dropColumn('template').execute();
    await db.schema.alterTable(table).dropColumn('cc').execute();
  }
}
