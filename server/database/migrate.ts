/**
 * Bringing one part's tables up to date. Each part lists its migrations by
 * name (dated, so name order is the order they apply in; frozen once
 * released) and records them in a migration table of its own, so the parts
 * sharing the database evolve independently.
 */
import { Migrator, type Kysely, type Migration } from 'kysely';
import { partDatabase, type DatabaseSource, type PartDatabase } from './sqlite.js';

export interface MigrationSet {
  /** Named in errors: `downtime database`, `alarm database`. */
  readonly part: string;
  readonly migrations: Readonly<Record<string, Migration>>;
  /** The table recording which migrations ran; kysely's default when absent (the downtimes, which came first). */
  readonly table?: string;
}

/** A migration failed (its transaction is rolled back), or the database is newer than this program. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Applies the migrations of `set` not applied yet, in name order. Throws
 * MigrationError naming the part and the migration that failed. Returns the
 * names applied now.
 */
export async function migrate<Tables>(db: Kysely<Tables>, set: MigrationSet): Promise<string[]> {
  const tables = set.table === undefined ? {} : { migrationTableName: set.table, migrationLockTableName: `${set.table}_lock` };
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...set.migrations }) }, ...tables });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const cause = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`${set.part}: ${failed ? `migration ${failed} failed: ` : ''}${cause}`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** A part's database (partDatabase) with its tables brought up to date; closes what it opened and rethrows when migrate() throws. */
export async function openPartDatabase<Tables>(source: DatabaseSource, set: MigrationSet): Promise<PartDatabase<Tables>> {
  const part = partDatabase<Tables>(source);
  try {
    await migrate(part.db, set);
    return part;
  } catch (e) {
    await part.close();
    throw e;
  }
}
