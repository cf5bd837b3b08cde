/**
 * SeriesUnits on a real SQLite file: a declared unit is written once, in a
 * batch, and again only when it changes; the config's rules win; the rate
 * kinds list per second; a restart reads what was written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SeriesUnits, storedUnit } from '../../../server/units/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-series-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = { info: () => undefined, warn: () => undefined };

function rows(file: string): { series: string; unit: string; changed_at: number }[] {
  const db = new SQLite(file, { readonly: true });
  try {
    return db.prepare('SELECT series, unit, changed_at FROM series_units ORDER BY series').all() as { series: string; unit: string; changed_at: number }[];
  } finally {
    db.close();
  }
}

describe('SeriesUnits', () => {
  it('writes a unit when it changes, not when it is declared again, and reads it back after a restart', async () => {
    const file = join(dir, 'a.sqlite');
    let clock = 100;
    const units = await SeriesUnits.open({ database: file, rules: [], log, now: () => clock });
    units.declare('h.rx', 'B');
    units.declare('h.cpu', '%');
    await units.flush();
    expect(rows(file)).toEqual([{ series: 'h.cpu', unit: '%', changed_at: 100 }, { series: 'h.rx', unit: 'B', changed_at: 100 }]);
    clock = 200;
    units.declare('h.rx', 'B');
    units.declare('h.cpu', 'percent');
    await units.flush();
    // h.rx untouched: its unit did not change.
    expect(rows(file)).toEqual([{ series: 'h.cpu', unit: 'percent', changed_at: 200 }, { series: 'h.rx', unit: 'B', changed_at: 100 }]);
    await units.close();
    const again = await SeriesUnits.open({ database: file, rules: [], log });
    expect([again.unitOf('h.rx'), again.unitOf('h.cpu'), again.unitOf('h.other')]).toEqual(['B', 'percent', undefined]);
    expect(again.size).toBe(2);
    await again.close();
  });

  it('writes what changed within FLUSH_DELAY_MS by itself, in one batch', async () => {
    const file = join(dir, 'b.sqlite');
    const units = await SeriesUnits.open({ database: file, rules: [], log });
    for (let i = 0; i < 1200; i++) units.declare(`h.s${i}`, 'B');
    expect(rows(file)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(rows(file)).toHaveLength(1200);
    await units.close();
  });

  it("gives the config's first matching rule precedence, and the stored unit per second for a rate kind", async () => {
    const units = await SeriesUnits.open({ database: join(dir, 'c.sqlite'), rules: [{ match: 'lab.*.temp', unit: '°C' }, { match: ['lab.**'], unit: 'x' }], log });
    units.declare('lab.a.temp', 'K');
    units.declare('web.rx', 'B');
    expect(units.unitOf('lab.a.temp')).toBe('°C');
    expect(units.unitOf('lab.b.c.d')).toBe('x');
    expect(units.storedUnitOf('web.rx', 'COUNTER')).toBe('B/s');
    expect(units.storedUnitOf('web.rx', 'GAUGE')).toBe('B');
    expect(units.storedUnitOf('web.none', 'DERIVE')).toBeUndefined();
    await units.close();
    expect(['GAUGE', 'COUNTER', 'DERIVE', 'ABSOLUTE', 'DCOUNTER', 'DDERIVE'].map((k) => storedUnit('count', k as 'GAUGE'))).toEqual(['count', 'count/s', 'count/s', 'count/s', 'count/s', 'count/s']);
  });
});
