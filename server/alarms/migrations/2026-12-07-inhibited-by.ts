/**
 * Inhibition (issue 15): each transition records the node, late or down
 * then, that kept it from being told. Frozen: this file describes the
 * schema as it was on its date and imports nothing from the application.
 */
import type { Kysely } from 'kysely';

// any: a migration must not depend on today's table types (kysely's migration guide).
export async function up(db: Kysely<any>): Promise<void> {
  /** The node's name; null: no node inhibited it (and in every row written before this migration). */
  await db.schema.alterTable('alarm_transitions').addColumn('inhibited_by', 'text').execute();
}

// any: as in up.
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('alarm_transitions').dropColumn('inhibited_by').execute();
}
