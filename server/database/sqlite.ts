/**
 * The SQLite file every part of the server keeps its tables in
 * (`<dataDir>/ringmon.sqlite`): downtimes, alarm states, the notification
 * outbox. The server opens one connection and hands it to every part
 * (partDatabase), each bringing its own tables up to date with migrate();
 * only this file knows the dialect, so a PostgreSQL dialect can stand in.
 *
 * One connection, not one per part: better-sqlite3 is synchronous, so a
 * second connection in the same process waiting for the first one's lock
 * blocks the very event loop the first needs to commit, until busy_timeout
 * gives up ("database is locked"). Kysely's SQLite driver runs one
 * transaction at a time on its connection instead.
 */
import { closeSync, fchmodSync, openSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { FILE_MODE } from '../../lib/durable-file.js';

/** The database file's name in the data directory. */
export const DATABASE_FILE = 'ringmon.sqlite';

/**
 * Opens (creating if missing) the SQLite file at `path` in WAL mode, so
 * readers never wait for the writer, and with synchronous=FULL, so a
 * commit survives a power cut: a filed downtime or a queued notification
 * must not vanish. Several connections (one per part) share the file;
 * busy_timeout makes a writer wait for another's commit instead of failing.
 * A new file is owner-only (0600), and so are its -wal and -shm files,
 * which SQLite creates with the main file's permissions.
 */
export function openSqlite<Tables>(path: string): Kysely<Tables> {
  createOwnerOnly(path);
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** Where a part keeps its tables: a file of its own (tests, tools), or the server's shared connection. */
export type DatabaseSource = string | Kysely<object>;

/** A part's view of the database, and how to let go of it. */
export interface PartDatabase<Tables> {
  readonly db: Kysely<Tables>;
  /** Closes a connection the part opened itself; leaves a shared one to its owner. */
  close(): Promise<void>;
}

export function partDatabase<Tables>(source: DatabaseSource): PartDatabase<Tables> {
  if (typeof source === 'string') {
    const db = openSqlite<Tables>(source);
    return { db, close: () => db.destroy() };
  }
  // The cast: the same connection and driver, typed with the part's tables (kysely checks table types at compile time only).
  return { db: source as unknown as Kysely<Tables>, close: async () => undefined };
}

/**
 * Creates `path` empty and owner-only if it does not exist (SQLite takes an
 * empty file for a new database; left to itself it would create one 0644).
 * An existing file keeps its mode: an operator may have opened it on purpose.
 */
function createOwnerOnly(path: string): void {
  if (path === '' || path === ':memory:') return; // SQLite's names for a temporary and an in-memory database
  let fd: number;
  try {
    fd = openSync(path, 'wx', FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    fchmodSync(fd, FILE_MODE);
  } finally {
    closeSync(fd);
  }
}
