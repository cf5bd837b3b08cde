/**
 * The downtime database on real SQLite files: the schema made from nothing
 * by the migrations, data kept across a restart, every version kept in the
 * history, refused input storing nothing, and files that are not what they
 * should be.
 */
import SQLite from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DowntimeConflictError, DowntimeMigrationError, Downtimes, InvalidDowntimeError, UnknownDowntimeError, type DowntimeDraft } from '../../../server/downtimes/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-downtimes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = (): string => join(dir, `d${++files}.sqlite`);
const LIMITS = { maxWindowSeconds: 90 * 86_400, maxFiled: 100_000, maxFiledPerAuthor: 100_000 };
const T = 1_796_112_000; // 2026-12-01T08:00:00Z

const draft = (over: Partial<DowntimeDraft> = {}): DowntimeDraft => ({
  kind: 'planned',
  scope: { series: ['host.web01.*'], agents: [] },
  start: T,
  end: T + 7200,
  rrule: null,
  timezone: 'UTC',
  reason: 'kernel upgrade',
  ...over,
});

describe('migrations', () => {
  it('create the schema in an empty file, and apply nothing the second time', async () => {
    const file = newFile();
    const first = await Downtimes.open(file, LIMITS);
    expect(first.migrated).toEqual(['2026-11-24-create-downtimes']);
    await first.close();
    const raw = new SQLite(file, { readonly: true });
    const tables = raw.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['downtimes', 'downtime_revisions', 'kysely_migration']));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    const second = await Downtimes.open(file, LIMITS);
    expect(second.migrated).toEqual([]);
    await second.close();
  });

  it('stop the start with the failing migration named when the file holds a foreign table of the same name', async () => {
    const file = newFile();
    const raw = new SQLite(file);
    raw.exec('create table downtimes (x text)');
    raw.close();
    const opening = Downtimes.open(file, LIMITS);
    await expect(opening).rejects.toBeInstanceOf(DowntimeMigrationError);
    await expect(opening).rejects.toThrow(/migration 2026-11-24-create-downtimes failed: .*downtimes/);
  });

  it('refuse a file that is not a database', async () => {
    const file = newFile();
    writeFileSync(file, 'this is not SQLite, just text that is long enough to look like a header of something else'.repeat(20));
    await expect(Downtimes.open(file, LIMITS)).rejects.toThrow(/not a database/);
  });
});

describe('the store', () => {
  it('keeps downtimes across a restart, index included', async () => {
    const file = newFile();
    const before = await Downtimes.open(file, LIMITS);
    const a = await before.create(draft(), 'alice', T - 60);
    const b = await before.create(draft({ kind: 'unplanned', end: null, scope: { series: [], agents: ['web02'] }, reason: 'rack power' }), 'bob', T);
    await before.close();
    const after = await Downtimes.open(file, LIMITS);
    expect(await after.get(a.id)).toEqual(a);
    expect(await after.get(b.id)).toEqual(b);
    expect(after.size).toBe(2);
    expect(after.activePlannedDowntime('host.web01.load', T + 10)?.downtime.id).toBe(a.id);
    expect((await after.create(draft(), 'carol', T)).id).toBe(3);
    await after.close();
  });

  it('keeps every version in the history on change, end and cancel', async () => {
    const db = await Downtimes.open(newFile(), LIMITS);
    const created = await db.create(draft({ kind: 'unplanned', end: null }), 'alice', T);
    const changed = await db.update(created.id, { reason: 'kernel upgrade, second try', scope: { series: ['host.web0*.*'], agents: [] } }, 'bob', T + 10);
    const ended = await db.end(created.id, 'carol', T + 600);
    const cancelled = await db.cancel(created.id, 'dave', T + 700);
    expect(changed.revision).toBe(2);
    expect(ended.end).toBe(T + 600);
    expect(cancelled).toMatchObject({ status: 'cancelled', revision: 4, author: 'alice', updatedBy: 'dave', updatedAt: T + 700 });
    const history = await db.history(created.id);
    expect(history.map((r) => [r.revision, r.action, r.author, r.at])).toEqual([
      [1, 'created', 'alice', T],
      [2, 'updated', 'bob', T + 10],
      [3, 'ended', 'carol', T + 600],
      [4, 'cancelled', 'dave', T + 700],
    ]);
    expect(history[0].snapshot).toEqual(created);
    expect(history[0].snapshot.reason).toBe('kernel upgrade');
    expect(history[1].snapshot).toEqual(changed);
    expect(history[3].snapshot).toEqual(cancelled);
    // Cancelled: gone from queries unless asked for, still there by id.
    expect(await db.list()).toEqual([]);
    expect((await db.list({ includeCancelled: true })).map((l) => l.downtime.id)).toEqual([created.id]);
    expect((await db.get(created.id)).status).toBe('cancelled');
    await db.close();
  });

  it('stores nothing from refused input, and reports every field at fault', async () => {
    const db = await Downtimes.open(newFile(), LIMITS);
    const refused = db.create(draft({ scope: { series: [], agents: [] }, end: T - 1, timezone: 'Mars/Olympus', reason: ' ' }), 'alice', T);
    await expect(refused).rejects.toBeInstanceOf(InvalidDowntimeError);
    const error = (await refused.catch((e: unknown) => e)) as InvalidDowntimeError;
    expect(error.problems.map((p) => p.field)).toEqual(['scope', 'end', 'timezone', 'reason']);
    const tooLong = (await db.create(draft({ end: T + 91 * 86_400 }), 'alice', T).catch((e: unknown) => e)) as InvalidDowntimeError;
    expect(tooLong.problems).toEqual([{ field: 'end', message: expect.stringContaining('the longest allowed is 90d') }]);
    const badRule = (await db.create(draft({ rrule: 'FREQ=FORTNIGHTLY' }), 'alice', T).catch((e: unknown) => e)) as InvalidDowntimeError;
    expect(badRule.problems.map((p) => p.field)).toEqual(['rrule']);
    expect(await db.list({ includeCancelled: true })).toEqual([]);
    // A refused change leaves the downtime and its history as they were.
    const kept = await db.create(draft(), 'alice', T);
    await expect(db.update(kept.id, { end: kept.start }, 'bob', T)).rejects.toBeInstanceOf(InvalidDowntimeError);
    expect(await db.get(kept.id)).toEqual(kept);
    expect(await db.history(kept.id)).toHaveLength(1);
    expect(kept.id).toBe(1);
    await db.close();
  });

  it('refuses what does not fit the downtime state', async () => {
    const db = await Downtimes.open(newFile(), LIMITS);
    const weekly = await db.create(draft({ rrule: 'FREQ=WEEKLY' }), 'alice', T);
    await expect(db.end(weekly.id, 'bob', T + 60)).rejects.toThrow(/recurs/);
    const later = await db.create(draft({ start: T + 86_400, end: T + 90_000 }), 'alice', T);
    await expect(db.end(later.id, 'bob', T)).rejects.toThrow(/has not started yet/);
    await expect(db.end(later.id, 'bob', T + 90_000)).rejects.toThrow(/already over/);
    await db.cancel(later.id, 'bob', T);
    await expect(db.cancel(later.id, 'bob', T)).rejects.toBeInstanceOf(DowntimeConflictError);
    await expect(db.update(later.id, { reason: 'x' }, 'bob', T)).rejects.toBeInstanceOf(DowntimeConflictError);
    await expect(db.get(99)).rejects.toBeInstanceOf(UnknownDowntimeError);
    await expect(db.update(99, { reason: 'x' }, 'bob', T)).rejects.toBeInstanceOf(UnknownDowntimeError);
    await expect(db.history(99)).rejects.toBeInstanceOf(UnknownDowntimeError);
    await db.close();
  });

  it('answers the graph question the same from the index and from the database', async () => {
    const db = await Downtimes.open(newFile(), LIMITS);
    const hosts = ['web01', 'web02', 'db01'];
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 48271) % 2147483647) % n);
    for (let i = 0; i < 150; i++) {
      const start = T + rand(30) * 3600;
      const kind = rand(4) === 0 ? 'unplanned' : 'planned';
      await db.create(
        draft({
          kind,
          scope: { series: [rand(2) ? `host.${hosts[rand(3)]}.*` : `**.${['cpu', 'disk'][rand(2)]}`], agents: rand(5) === 0 ? [hosts[rand(3)]] : [] },
          start,
          end: kind === 'unplanned' && rand(2) ? null : start + 600 + rand(10) * 600,
          rrule: kind === 'planned' && rand(3) === 0 ? 'FREQ=DAILY' : null,
        }),
        'alice',
        T,
      );
    }
    for (const series of ['host.web01.cpu', 'host.db01.disk', 'app.x.cpu', 'other']) {
      for (const [from, to] of [[T, T + 3600], [T + 5 * 3600, T + 40 * 3600], [T - 86_400, T]]) {
        const fromIndex = await db.list({ series, agent: 'web02', from, to });
        const fromDatabase = await db.list({ series, agent: 'web02', from, to, includeCancelled: true });
        expect(fromIndex).toEqual(fromDatabase);
      }
    }
    expect((await db.list({ series: 'host.web01.cpu', from: T, to: T + 86_400 })).length).toBeGreaterThan(5);
    await db.close();
  });
});
