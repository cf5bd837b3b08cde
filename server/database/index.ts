/** The server's SQLite (or PostgreSQL) database, shared by the parts that keep tables in it. */
export { DatabaseFileError, databaseFileError } from './database-file-error.js';
export { migrate, MigrationError, openPartDatabase, type MigrationSet } from './migrate.js';
export { DATABASE_FILE, openSqlite, partDatabase, type DatabaseSource, type PartDatabase } from './sqlite.js';
