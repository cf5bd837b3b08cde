/** The database file and the -wal and -shm files SQLite makes beside it are owner-only (they were 0644 under umask 022). */
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../../server/database/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-sqlite-modes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('openSqlite', () => {
  it('makes a new database, its -wal and its -shm 0600 under umask 022', async () => {
    const path = join(dir, 'new.sqlite');
    const saved = process.umask(0o022);
    const db = openSqlite<object>(path);
    try {
      await sql`create table t (x integer)`.execute(db);
      await sql`insert into t values (1)`.execute(db);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        expect(existsSync(file), file).toBe(true);
        expect(modeOf(file), file).toBe(0o600);
      }
      expect((await sql<{ x: number }>`select x from t`.execute(db)).rows).toEqual([{ x: 1 }]);
    } finally {
      await db.destroy();
      process.umask(saved);
    }
  });

  it('opens an existing database with its data and leaves its mode as the operator set it', async () => {
    const path = join(dir, 'old.sqlite');
    const first = openSqlite<object>(path);
    await sql`create table t (x integer)`.execute(first);
    await sql`insert into t values (7)`.execute(first);
    await first.destroy();
    chmodSync(path, 0o640);
    const again = openSqlite<object>(path);
    expect((await sql<{ x: number }>`select x from t`.execute(again)).rows).toEqual([{ x: 7 }]);
    await again.destroy();
    expect(modeOf(path)).toBe(0o640);
  });
});
