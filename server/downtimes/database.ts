/**
 * The downtime tables: one interface per table composed into `Database`,
 * and bringing them up to date in the shared database (server/database).
 *
 * The queries elsewhere use what kysely's SQLite and PostgreSQL dialects both
 * support (`returning` included), so a PostgreSQL dialect can serve the same
 * code: times are whole Unix seconds in bigint columns (give node-postgres a
 * type parser for int8, which it returns as strings by default), lists and
 * snapshots are JSON in text columns, and ids are assigned by the store.
 */
import type { Kysely, Selectable } from 'kysely';
import { migrate, MigrationError } from '../database/index.js';
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
 * Applies the downtime migrations not applied yet. Throws
 * DowntimeMigrationError naming the migration that failed or saying the
 * database is newer than this program. Returns the names applied now.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  try {
    // The downtimes came first and keep kysely's default migration table.
    return await migrate(db, { part: 'downtime database', migrations: MIGRATIONS });
  } catch (e) {
    if (e instanceof MigrationError) throw new DowntimeMigrationError(e.message);
    throw e;
  }
}
