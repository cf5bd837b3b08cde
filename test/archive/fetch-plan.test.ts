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
import { fetchArchive, fetchedRow, planFetchArchive, readFetchArchive } from '../../archive/index.js';
import { filledArchive, gaugeDefinition } from '../helpers/archive-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-fetch-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_700_000_000;
// 150 samples a minute apart, the k-th at T0 + 60 k of value k.
const path = filledArchive(join(dir, 'a.rma'), gaugeDefinition('v', 60, 180, ['RRA:AVERAGE:0.5:1:100', 'RRA:AVERAGE:0.5:10:50']), { start: T0 - 60, count: 150, value: (k) => k });

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
