/**
 * The SQLite file every part of the server keeps its tables in
 * (`<dataDir>/ringmon.sqlite`): downtimes, alarm states, the notification
 * outbox. Each part opens its own kysely instance on the file and brings
 * its own tables up to date with migrate(); only this file knows the
 * dialect, so a PostgreSQL dialect can stand in for it.
 */
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';

/** The database file's name in the data directory. */
export const DATABASE_FILE = 'ringmon.sqlite';

/**
 * Opens (creating if missing) the SQLite file at `path` in WAL mode, so
 * readers never wait for the writer, and with synchronous=FULL, so a
 * commit survives a power cut: a filed downtime or a queued notification
 * must not vanish. Several connections (one per part) share the file;
 * busy_timeout makes a writer wait for another's commit instead of failing.
 */
export function openSqlite<Tables>(path: string): Kysely<Tables> {
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
}
