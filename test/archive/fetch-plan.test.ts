/**
 * A fetch in three steps (archive/fetch.ts): the plan counts rows from the
 * header alone, the read holds only the rows the ring has, and the rows
 * built from it are fetchArchive's, rrdtool's whole range of unknowns
 * included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createArchive, fetchArchive, fetchedRow, planFetchArchive, readFetchArchive, updateArchive, type ArchiveDefinition } from '../../archive/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-fetch-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_700_000_000;
const path = join(dir, 'a.rma');
const definition: ArchiveDefinition = {
  step: 60,
  dataSources: [{ name: 'v', type: 'GAUGE', heartbeat: 180, min: NaN, max: NaN }],
  rras: [
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 100 },
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 10, rows: 50 },
  ],
};
createArchive(path, definition, { start: T0 - 60 });
updateArchive(path, Array.from({ length: 150 }, (_, k) => ({ time: T0 + k * 60, values: [k] })));

describe('planFetch and readFetch', () => {
  it('count the rows of a range far wider than the archive without holding them', () => {
    const options = { cf: 'AVERAGE' as const, start: T0 + 60 * 120, end: T0 + 60 * 120 + 1e9 };
    const plan = planFetchArchive(path, options);
    expect(plan).toMatchObject({ rra: 0, step: 60, rowCount: (plan.end - plan.start) / 60 });
    expect(plan.rowCount).toBeGreaterThan(16_000_000);
    const values = readFetchArchive(path, options);
    // The ring's rows from start to its last update, and nothing for the 16 million unknown ones after.
    expect(values.storedRows).toBeLessThanOrEqual(100);
    expect(values.stored.length).toBe(values.storedRows);
    expect(fetchedRow(values, values.rowCount - 1)).toEqual([plan.end, null]);
  });

  it('give fetchArchive rows, coarse RRA and unknowns before the ring included', () => {
    for (const options of [
      { cf: 'AVERAGE' as const, start: T0 - 3600, end: T0 + 150 * 60 },
      { cf: 'AVERAGE' as const, start: T0 - 86400, end: T0 + 200 * 60, resolution: 600 },
      { cf: 'AVERAGE' as const, start: T0 + 140 * 60, end: T0 + 141 * 60 },
    ]) {
      const values = readFetchArchive(path, options);
      const { rows, ...head } = fetchArchive(path, options);
      expect({ start: values.start, end: values.end, step: values.step, ds: values.ds }).toEqual(head);
      expect(Array.from({ length: values.rowCount }, (_, i) => fetchedRow(values, i))).toEqual(rows);
    }
  });
});
