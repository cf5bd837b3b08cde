/** The consolidation of archive rows into buckets (grid.ts consolidate) and the bucket span, on hand-made rows. */
import { describe, expect, it } from 'vitest';
import type { FetchedValues } from '../../../archive/index.js';
import { bucketSpan, consolidate, HeatmapQueryError } from '../../../server/heatmap/grid.js';

/** Rows of `step` seconds from `start` (row i covers start + i·step to start + (i+1)·step), one DS. */
function rows(start: number, step: number, values: number[]): FetchedValues {
  return { rra: 0, start, end: start + values.length * step, step, ds: ['v'], dsTypes: ['GAUGE'], rowCount: values.length, firstStored: 0, storedRows: values.length, stored: Float64Array.from(values) };
}

describe('consolidate', () => {
  it('weighs rows by the seconds they share with a bucket, and leaves UNKNOWN out', () => {
    // 40-minute rows in 60-minute buckets: bucket 0 holds row 0 and 20 min of row 1, bucket 1 the other 20 min of row 1 and row 2.
    const read = rows(0, 2400, [10, 40, 100]);
    const span = bucketSpan({ from: 0, to: 7200, bucket: 3600 }, 10);
    // bucket 0: (10·2400 + 40·1200) / 3600 = 20; bucket 1: (40·1200 + 100·2400) / 3600 = 80
    expect(consolidate(read, 0, span, 3600, 'AVERAGE')).toEqual([20, 80]);
    expect(consolidate(read, 0, span, 3600, 'MIN')).toEqual([10, 40]);
    expect(consolidate(read, 0, span, 3600, 'MAX')).toEqual([40, 100]);
    expect(consolidate(read, 0, span, 3600, 'LAST')).toEqual([40, 100]);
    expect(consolidate(rows(0, 2400, [Number.NaN, Number.NaN, 6]), 0, span, 3600, 'AVERAGE')).toEqual([null, 6]);
  });

  it('counts a row coarser than the bucket in every bucket it covers', () => {
    const read = rows(0, 3 * 3600, [7]);
    expect(consolidate(read, 0, bucketSpan({ from: 0, to: 4 * 3600, bucket: 3600 }, 10), 3600, 'AVERAGE')).toEqual([7, 7, 7, null]);
  });

  it('widens the range to whole buckets and refuses too many', () => {
    expect(bucketSpan({ from: 100, to: 86_500, bucket: 86_400 }, 10)).toEqual({ from: 0, to: 172_800, columns: 2 });
    expect(() => bucketSpan({ from: 0, to: 86_400 * 11, bucket: 86_400 }, 10)).toThrow(HeatmapQueryError);
    expect(() => bucketSpan({ from: 5, to: 5, bucket: 60 }, 10)).toThrow(/after from/);
  });
});
