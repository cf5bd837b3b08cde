import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketEnvelope, rowsPerBucket, type BucketInput } from '../../lib/bucket-envelope.js';

const input = (firstRow: number, values: readonly number[]): BucketInput => ({ firstRow, rowCount: values.length, value: (i) => values[i] });

/** Row values, some unknown (NaN), some equal (so means may round past their rows). */
const rowValues = fc.array(fc.oneof(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.constant(NaN), fc.constant(0.1)), { maxLength: 3000 });
const widths = fc.integer({ min: 1, max: 1500 });
const firstRows = fc.integer({ min: 0, max: 1e9 });

/** Each bucket's rows, by the definition: absolute row index / rowsPerBucket. */
function rowsOfBuckets(firstRow: number, values: readonly number[], size: number): number[][] {
  const buckets = new Map<number, number[]>();
  values.forEach((v, i) => {
    const b = Math.floor((firstRow + i) / size);
    buckets.set(b, [...(buckets.get(b) ?? []), v]);
  });
  return [...buckets.values()];
}

describe('bucketEnvelope', () => {
  it('answers at most width buckets, each a whole number of aligned rows', () => {
    fc.assert(
      fc.property(firstRows, rowValues, widths, (first, values, width) => {
        const b = bucketEnvelope(input(first, values), width);
        expect(b.mean.length).toBeLessThanOrEqual(width);
        expect(b.mean.length).toBe(rowsOfBuckets(first, values, b.rowsPerBucket).length);
        if (values.length > 0) expect(b.firstBucket).toBe(Math.floor(first / b.rowsPerBucket));
        if (values.length <= width) expect(b.rowsPerBucket).toBe(1);
      }),
    );
  });

  it('keeps min ≤ mean ≤ max, each the min, mean and max of the bucket’s known rows', () => {
    fc.assert(
      fc.property(firstRows, rowValues, widths, (first, values, width) => {
        const b = bucketEnvelope(input(first, values), width);
        rowsOfBuckets(first, values, b.rowsPerBucket).forEach((rows, k) => {
          const known = rows.filter((v) => !Number.isNaN(v));
          if (known.length === 0) {
            expect([b.mean[k], b.min[k], b.max[k], b.last[k]]).toEqual([NaN, NaN, NaN, NaN]);
            return;
          }
          expect(b.min[k]).toBe(Math.min(...known));
          expect(b.max[k]).toBe(Math.max(...known));
          expect(b.last[k]).toBe(known[known.length - 1]);
          expect(b.min[k]).toBeLessThanOrEqual(b.mean[k]);
          expect(b.mean[k]).toBeLessThanOrEqual(b.max[k]);
          const mean = known.reduce((s, v) => s + v, 0) / known.length;
          expect(b.mean[k]).toBeCloseTo(mean, 6);
        });
      }),
    );
  });

  it('keeps a spike of one row in the envelope, however many rows share its bucket', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 20_000 }), fc.nat(), widths, firstRows, (count, at, width, first) => {
        const spikeAt = at % count;
        const values = Array.from({ length: count }, (_, i) => (i === spikeAt ? 1000 : 1));
        const b = bucketEnvelope(input(first, values), width);
        const k = Math.floor((first + spikeAt) / b.rowsPerBucket) - b.firstBucket;
        expect(b.max[k]).toBe(1000);
        expect(Math.max(...b.max)).toBe(1000);
        expect(Math.min(...b.min)).toBe(1);
      }),
    );
  });

  it('makes a bucket unknown only when all its rows are', () => {
    // 10 rows into 5 buckets of 2: [1, NaN] [NaN, NaN] [NaN, 4] [5, 6] [NaN, NaN]
    const b = bucketEnvelope(input(0, [1, NaN, NaN, NaN, NaN, 4, 5, 6, NaN, NaN]), 5);
    expect(b.rowsPerBucket).toBe(2);
    expect([...b.mean]).toEqual([1, NaN, 4, 5.5, NaN]);
    expect([...b.min]).toEqual([1, NaN, 4, 5, NaN]);
    expect([...b.max]).toEqual([1, NaN, 4, 6, NaN]);
  });

  it('aligns buckets on the epoch, so a range moved by a row keeps its buckets', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const a = bucketEnvelope(input(1000, values), 10);
    const b = bucketEnvelope(input(1001, values.slice(1)), 10);
    expect(a.rowsPerBucket).toBe(10);
    expect([...b.max.slice(1)]).toEqual([...a.max.slice(1)]);
    // Row 1001 starts mid-bucket: 11 buckets would not fit 10, so this one takes 11 rows a bucket.
    expect(rowsPerBucket(1001, 100, 10)).toBe(11);
  });

  it('refuses a width that is not a whole number ≥ 1', () => {
    expect(() => bucketEnvelope(input(0, [1, 2]), 0)).toThrow(/width must be a whole number >= 1, got 0/);
  });
});
