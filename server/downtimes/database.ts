/**
 * The downtime database: one interface per table composed into `Database`,
 * opening the SQLite file, and bringing its schema up to date.
 *
 * Only openDatabase knows it is SQLite (the dialect, WAL, pragmas). The
 * queries elsewhere use what kysely's SQLite and PostgreSQL dialects both
 * support (`returning` included), so a PostgreSQL dialect can serve the same
 * code: times are whole Unix seconds in bigint columns (give node-postgres a
 * type parser for int8, which it returns as strings by default), lists and
 * snapshots are JSON in text columns, and ids are assigned by the store.
 */
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Selectable } from 'kysely';
import { DowntimeMigrationError } from './errors.js';
import type { DowntimeKind, DowntimeStatus, RevisionAction } from './model.js';
import { MIGRATIONS } from './migrations/index.js';

/** The current version of each downtime. */
export interface DowntimesTable {
  id: number;
  kind: DowntimeKind;
  status: DowntimeStatus;
  /** JSON array of series globs. */
  scope_series: string;
  /** JSON array of agent names. */
  scope_agents: string;
  start_at: number;
  end_at: number | null;
  rrule: string | null;
  timezone: string;
  reason: string;
  author: string;
  created_at: number;
  updated_by: string;
  updated_at: number;
  revision: number;
}

/** Every version of every downtime, never updated or deleted. */
export interface DowntimeRevisionsTable {
  downtime_id: number;
  revision: number;
  action: RevisionAction;
  author: string;
  at: number;
  /** JSON of the whole Downtime after the action. */
  snapshot: string;
}

export interface Database {
  downtimes: DowntimesTable;
  downtime_revisions: DowntimeRevisionsTable;
}

export type DowntimeRow = Selectable<DowntimesTable>;
export type RevisionRow = Selectable<DowntimeRevisionsTable>;

/**
 * Opens (creating if missing) the SQLite file at `path` in WAL mode, so
 * readers never wait for the writer and a crash loses no committed change.
 * The schema is not touched: call migrateToLatest next.
 */
export function openDatabase(path: string): Kysely<Database> {
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  // WAL with synchronous=NORMAL can lose the last commits at a power cut; a filed downtime must not vanish.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/**
 * Applies the migrations not applied yet, in name order. Throws
 * DowntimeMigrationError naming the migration that failed (its own
 * transaction is rolled back) or saying the database is newer than this
 * program. Returns the names applied now.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const cause = error instanceof Error ? error.message : String(error);
    throw new DowntimeMigrationError(`downtime database: ${failed ? `migration ${failed} failed: ` : ''}${cause}`);
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
