/**
 * What a failure of the database file means to the person starting the
 * server: SQLite's own words ("file is not a database") name neither the
 * file nor a way out. databaseFileError turns an error from SQLite (or a
 * MigrationError caused by one) into a DatabaseFileError whose message is
 * one line naming the file, what is wrong and what to do.
 */

/** The database file cannot be used as it is; the message names it and the fix. */
export class DatabaseFileError extends Error {
  override name = 'DatabaseFileError';
  constructor(
    readonly path: string,
    /** SQLite's result code: SQLITE_NOTADB, SQLITE_CORRUPT, ... */
    readonly sqliteCode: string,
    message: string,
  ) {
    super(message);
  }
}

const LOST = 'downtimes, alarm states and queued notifications are kept there';

/** What to say for each SQLite result code (extended codes fall back to their primary code). */
function describe(path: string, code: string, said: string): string {
  const aside = `move it aside (mv ${path} ${path}.broken) and start again with an empty one, or put back a copy from a backup (${LOST})`;
  switch (code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1')) {
    case 'SQLITE_NOTADB':
      return `${path}: not a SQLite database (damaged, or another file in its place): ${aside}`;
    case 'SQLITE_CORRUPT':
      return `${path}: the database is damaged (${said}): ${aside}`;
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return `${path}: cannot open the database (${said}): check that it and its folder belong to the user running ringmon`;
    case 'SQLITE_READONLY':
      return `${path}: the database is read-only (${said}): give the user running ringmon write access to it, its -wal and -shm files and its folder`;
    case 'SQLITE_FULL':
      return `${path}: no space left on device for the database: free some space, then start again`;
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return `${path}: the database is locked by another process (${said}): stop it, then start again`;
    case 'SQLITE_IOERR':
      return `${path}: the disk failed reading or writing the database (${said}): check the disk and the system log`;
    default:
      return `${path}: ${said} (${code})`;
  }
}

/** The SQLite result code in `error` or its causes, if any. */
function sqliteCode(error: unknown): { code: string; message: string } | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return { code, message: e.message };
  }
  return undefined;
}

/** A DatabaseFileError for `path` when `error` came from SQLite; undefined otherwise. */
export function databaseFileError(path: string, error: unknown): DatabaseFileError | undefined {
  const found = sqliteCode(error);
  return found && new DatabaseFileError(path, found.code, describe(path, found.code, found.message));
}
