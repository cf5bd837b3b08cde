/**
 * Reshaping archives: identity, history re-consolidated to a coarser step
 * (expected values computed here from the old rows), the live state carried
 * so updates go on, refused DS changes, and the result checked by the real
 * rrdtool (ringmon dump → rrdtool restore → rrdtool fetch, then the same
 * further updates through both).
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  InvalidDefinitionError,
  archiveInfo,
  createArchive,
  dumpArchiveToString,
  fetchArchive,
  reshapeArchive,
  reshapedDefinition,
  updateArchive,
  type ArchiveDefinition,
  type ConsolidationFunction,
  type FetchResult,
  type Sample,
} from '../../archive/index.js';
import { expectSameFetch, random, rrdFetch, rrdtool } from './dump-restore-helpers.js';
import { rrdtoolAvailable } from './rrdtool-oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-reshape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string): string => join(dir, name);

const START = 1_700_000_000;

const tenSeconds: ArchiveDefinition = {
  step: 10,
  dataSources: [
    { name: 'load', type: 'GAUGE', heartbeat: 20, min: 0, max: NaN },
    { name: 'bytes', type: 'COUNTER', heartbeat: 20, min: 0, max: NaN },
  ],
  rras: [
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 1080 },
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 6, rows: 600 },
    { cf: 'MIN', xff: 0.5, pdpPerRow: 6, rows: 600 },
    { cf: 'MAX', xff: 0.5, pdpPerRow: 6, rows: 600 },
    { cf: 'LAST', xff: 0.5, pdpPerRow: 30, rows: 200 },
  ],
};

/** Samples every `every` seconds (with jitter and a few gaps past the heartbeat when `gaps`). */
function series(seed: number, from: number, count: number, every: number, gaps = true): Sample[] {
  const rnd = random(seed);
  const out: Sample[] = [];
  let t = from;
  let bytes = 1_000_000;
  for (let i = 0; i < count; i++) {
    t += gaps && i % 151 === 100 ? every * 9 : every;
    bytes += Math.floor(rnd() * 50_000);
    out.push({ time: t + (i % 7 === 3 ? 0.25 : 0), values: [rnd() < 0.03 ? 'U' : (rnd() * 100).toFixed(3), String(bytes)] });
  }
  return out;
}

function filled(name: string, def: ArchiveDefinition, samples: readonly Sample[]): string {
  const file = path(name);
  createArchive(file, def, { start: START, initialRow: () => 0 });
  for (let i = 0; i < samples.length; i += 200) updateArchive(file, samples.slice(i, i + 200));
  return file;
}

function fetch(file: string, cf: ConsolidationFunction, resolution: number, span = 86_400): FetchResult {
  const end = Math.floor(archiveInfo(file).lastUpdate);
  return fetchArchive(file, { cf, start: end - span, end, resolution });
}

describe('reshapeArchive', () => {
  it('to the same definition keeps every fetch, the live state and the CDPs in progress', () => {
    const file = filled('same.rma', tenSeconds, series(1, START, 3000, 10));
    const before = archiveInfo(file);
    const fetches = (['AVERAGE', 'MIN', 'MAX', 'LAST'] as const).flatMap((cf) => [10, 60, 300].map((r) => fetch(file, cf, r)));
    const result = reshapeArchive(file, tenSeconds);
    expect(result.after).toEqual(tenSeconds);
    const after = archiveInfo(file);
    expect({ ...after, rra: after.rra.map((r) => ({ ...r, curRow: 0 })) }).toEqual({ ...before, rra: before.rra.map((r) => ({ ...r, curRow: 0 })) });
    expect((['AVERAGE', 'MIN', 'MAX', 'LAST'] as const).flatMap((cf) => [10, 60, 300].map((r) => fetch(file, cf, r)))).toEqual(fetches);
  });

  it('to a 60 s step: each new row is the consolidation of the six old 10 s rows it spans', () => {
    const file = filled('to60.rma', tenSeconds, series(2, START, 5000, 10));
    const old = fetch(file, 'AVERAGE', 10, 10_000);
    const oldStart = old.start;
    const next = reshapedDefinition(tenSeconds, { step: 60 });
    expect(next.dataSources.map((ds) => ds.heartbeat)).toEqual([120, 120]);
    expect(next.rras[0]).toEqual({ cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 600 });
    // The 10 s ring (3 h) and the 1 min AVERAGE ring (10 h) merge into one 1 min ring keeping the longer history.
    reshapeArchive(file, { ...next, rras: [...next.rras, { cf: 'MAX', xff: 0.5, pdpPerRow: 5, rows: 36 }, { cf: 'AVERAGE', xff: 0.2, pdpPerRow: 5, rows: 36 }] });
    const byTime = new Map(old.rows.map((row) => [row[0], row.slice(1) as (number | null)[]]));
    /** The expected row ending at `t` of `seconds`, from the old 10 s rows; unknown when more than `allowed` seconds are. */
    const expected = (t: number, seconds: number, d: number, cf: 'AVERAGE' | 'MAX', allowed: number): number | null => {
      const known: number[] = [];
      for (let s = t - seconds + 10; s <= t; s += 10) {
        const v = byTime.get(s)?.[d];
        if (v !== null && v !== undefined) known.push(v);
      }
      if (seconds - known.length * 10 > allowed || known.length === 0) return null;
      return cf === 'MAX' ? Math.max(...known) : known.reduce((a, b) => a + b, 0) / known.length;
    };
    const check = (cf: 'AVERAGE' | 'MAX', resolution: number, allowed: number): number => {
      const now = fetch(file, cf, resolution, 10_000);
      expect(now.step).toBe(resolution);
      let compared = 0;
      const lastUpdate = archiveInfo(file).lastUpdate;
      for (const row of now.rows) {
        // Rows before the old fetch's window, and the row still being built, have no old rows to compare with.
        if (row[0] - resolution < oldStart || row[0] > lastUpdate) continue;
        for (let d = 0; d < 2; d++) {
          const want = expected(row[0], resolution, d, cf, allowed);
          const got = row[d + 1];
          if (want === null) expect(got, `${cf} ${resolution} row ${row[0]} DS ${d}`).toBeNull();
          else expect(got, `${cf} ${resolution} row ${row[0]} DS ${d}`).toBeCloseTo(want, 9);
          if (want !== null) compared++;
        }
      }
      return compared;
    };
    expect(check('AVERAGE', 60, 30)).toBeGreaterThan(250);
    // (A fetch of MAX at 60 s reads the single-PDP AVERAGE ring, as rrdtool's does: a single PDP serves every CF.)
    expect(check('MAX', 300, 150)).toBeGreaterThan(50);
    expect(check('AVERAGE', 300, 60)).toBeGreaterThan(50);
    // Updates go on at the new step from the carried last update: every row after it is known (but for a sample given as U).
    const last = Math.floor(archiveInfo(file).lastUpdate);
    updateArchive(file, series(3, last, 30, 60, false));
    const tail = fetch(file, 'AVERAGE', 60, 1800).rows.filter((row) => row[0] > last && row[0] <= archiveInfo(file).lastUpdate);
    expect(tail.length).toBeGreaterThanOrEqual(28);
    expect(tail.filter((row) => row[1] !== null).length).toBeGreaterThanOrEqual(tail.length - 2);
    expect(tail.filter((row) => row[2] !== null).length).toBe(tail.length);
  });

  it('with the step unchanged carries the PDP and CDPs in progress exactly: later updates give the same rows as without reshape', () => {
    const all = series(10, START, 2500, 10);
    const plain = filled('carry-plain.rma', tenSeconds, all.slice(0, 2000));
    const file = path('carry.rma');
    copyFileSync(plain, file);
    const fewer: ArchiveDefinition = { ...tenSeconds, rras: [tenSeconds.rras[3], tenSeconds.rras[0], { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 360, rows: 10 }] };
    reshapeArchive(file, fewer);
    updateArchive(plain, all.slice(2000));
    updateArchive(file, all.slice(2000));
    expect(fetch(file, 'AVERAGE', 10, 5000)).toEqual(fetch(plain, 'AVERAGE', 10, 5000));
    expect(fetch(file, 'MAX', 60, 5000)).toEqual(fetch(plain, 'MAX', 60, 5000));
    expect(archiveInfo(file).ds).toEqual(archiveInfo(plain).ds);
  });

  it('to a finer step: each new row takes the value of the old row that holds it', () => {
    const minute: ArchiveDefinition = { ...tenSeconds, step: 60, dataSources: tenSeconds.dataSources.map((ds) => ({ ...ds, heartbeat: 120 })), rras: [tenSeconds.rras[0]] };
    const file = filled('to10.rma', minute, series(9, START, 1000, 60));
    const old = fetch(file, 'AVERAGE', 60, 60_000);
    reshapeArchive(file, { ...minute, step: 10, rras: [{ cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 6000 }] });
    const byTime = new Map(old.rows.map((row) => [row[0], row]));
    const last = archiveInfo(file).lastUpdate;
    let compared = 0;
    for (const row of fetch(file, 'AVERAGE', 10, 59_000).rows) {
      const holder = byTime.get(Math.ceil(row[0] / 60) * 60);
      if (!holder || row[0] > last - (last % 60)) continue;
      expect(row.slice(1), `row ${row[0]}`).toEqual(holder.slice(1));
      compared++;
    }
    expect(compared).toBeGreaterThan(5000);
  });

  it('makes a series written every 60 s into a 10 s/20 s archive (all UNKNOWN) come back as values', () => {
    const slow = series(4, START, 200, 60, false);
    const file = filled('slow.rma', tenSeconds, slow.slice(0, 100));
    expect(fetch(file, 'AVERAGE', 10, 3600).rows.filter((r) => r[1] !== null)).toHaveLength(0);
    const withData = filled('fast.rma', tenSeconds, series(4, START, 600, 10, false));
    expect(fetch(withData, 'AVERAGE', 10, 3600).rows.filter((r) => r[1] !== null).length).toBeGreaterThan(300);
    reshapeArchive(file, reshapedDefinition(tenSeconds, { step: 60 }));
    updateArchive(file, slow.slice(100));
    const rows = fetch(file, 'AVERAGE', 60, 90 * 60).rows.slice(0, -1);
    expect(rows.filter((r) => r[1] !== null).length).toBeGreaterThanOrEqual(rows.length - 1);
  });

  it('refuses a change of DS names or types, changing nothing', () => {
    const file = filled('ds.rma', tenSeconds, series(5, START, 50, 10));
    const bytes = readFileSync(file);
    const renamed = { ...tenSeconds, dataSources: [{ ...tenSeconds.dataSources[0], name: 'cpu' }, tenSeconds.dataSources[1]] };
    expect(() => reshapeArchive(file, renamed)).toThrow(/dataSources\[0\]\.name: 'cpu' is not a DS of the archive/);
    const retyped = { ...tenSeconds, dataSources: [{ ...tenSeconds.dataSources[0], type: 'DERIVE' as const }, tenSeconds.dataSources[1]] };
    expect(() => reshapeArchive(file, retyped)).toThrow(InvalidDefinitionError);
    expect(() => reshapeArchive(file, { ...tenSeconds, dataSources: [tenSeconds.dataSources[0]] })).toThrow(/'bytes' of the archive is missing/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('changes heartbeat, min and max for later updates, keeping the stored rows', () => {
    const file = filled('tune.rma', tenSeconds, series(6, START, 400, 10));
    const rows = fetch(file, 'AVERAGE', 10, 3000).rows;
    const tuned = { ...tenSeconds, dataSources: [{ ...tenSeconds.dataSources[0], heartbeat: 600, max: 50 }, tenSeconds.dataSources[1]] };
    reshapeArchive(file, tuned);
    expect(archiveInfo(file).ds[0]).toMatchObject({ minimalHeartbeat: 600, max: 50 });
    expect(fetch(file, 'AVERAGE', 10, 3000).rows).toEqual(rows);
  });
});

describe.runIf(rrdtoolAvailable())('a reshaped archive in rrdtool', () => {
  it('restores with rrdtool restore, fetches alike, and goes on alike under the same updates', () => {
    const samples = series(7, START, 4000, 10);
    const file = filled('rrd.rma', tenSeconds, samples.slice(0, 2999));
    const next: ArchiveDefinition = {
      ...reshapedDefinition(tenSeconds, { step: 30, retentions: '30s:1d,5m:30d' }),
    };
    reshapeArchive(file, next);
    const xml = path('rrd.xml');
    writeFileSync(xml, dumpArchiveToString(file));
    const rrd = path('rrd.rrd');
    rrdtool('restore', xml, rrd);
    const compare = (what: string): void => {
      const end = Math.floor(archiveInfo(file).lastUpdate);
      for (const cf of ['AVERAGE', 'MIN', 'MAX', 'LAST'] as const) {
        for (const resolution of [30, 300]) {
          const ours = fetchArchive(file, { cf, start: end - 80_000, end, resolution });
          expectSameFetch(ours, rrdFetch(rrd, cf, end - 80_000, end, resolution), `${what} ${cf} ${resolution}`);
        }
      }
    };
    compare('after reshape');
        // (The split is at a whole-second time: rrdtool restore drops a <lastupdate>'s fraction.)
    for (const s of samples.slice(2999)) {
      updateArchive(file, [s]);
    }
    const lines = samples.slice(2999).map((s) => `${s.time}:${s.values.join(':')}`);
    for (let i = 0; i < lines.length; i += 100) rrdtool('update', rrd, ...lines.slice(i, i + 100));
    compare('after more updates');
  });

  it('copies what rrdtool copies: a same-definition reshape dumps as the original does', () => {
    const file = filled('dump-same.rma', tenSeconds, series(8, START, 2000, 10));
    const copy = path('dump-same-copy.rma');
    copyFileSync(file, copy);
    reshapeArchive(copy, tenSeconds);
    const rowsOf = (xml: string): string[] => xml.split('\n').filter((l) => l.includes('<row>') || l.includes('<cdp_prep>') || l.includes('<value>'));
    expect(rowsOf(dumpArchiveToString(copy))).toEqual(rowsOf(dumpArchiveToString(file)));
  });
});
