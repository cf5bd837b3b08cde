/**
 * Consolidating a run of rows into at most `width` buckets, one per pixel
 * column of a chart, keeping per bucket the mean, the lowest and the highest
 * value (the MIN/MAX envelope: a spike of one row survives however many rows
 * share its bucket) and the last known value.
 *
 * Buckets hold a whole number of rows and are aligned on multiples of that
 * number counted from the epoch (row index `firstRow` is absolute: the
 * time its span begins / step), so the same rows fall into the same buckets whatever the range
 * asked: a graph that refreshes every minute does not see its envelope
 * jitter. So the first and the last bucket may hold fewer rows than the
 * others. A bucket is unknown (NaN everywhere) only when all its rows are;
 * the others consolidate their known rows alone.
 *
 * Pure: imports nothing.
 */

export interface BucketInput {
  /** The absolute index of the first row: the time its span begins / step (rows lie on multiples of the step). */
  readonly firstRow: number;
  /** How many rows. */
  readonly rowCount: number;
  /** The value of row i (0 ≤ i < rowCount); NaN is unknown. */
  readonly value: (i: number) => number;
}

export interface Buckets {
  /** Rows per bucket (1 when the rows already fit the width: then each bucket is one row). */
  readonly rowsPerBucket: number;
  /** The absolute index of the first bucket: its first row is firstBucket × rowsPerBucket. */
  readonly firstBucket: number;
  /** Per bucket, NaN where all its rows are unknown. */
  readonly mean: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly last: Float64Array;
}

/** How many buckets of `size` rows the rows [first, first + count) touch. */
function bucketCount(first: number, count: number, size: number): number {
  if (count === 0) return 0;
  return Math.floor((first + count - 1) / size) - Math.floor(first / size) + 1;
}

/** The fewest rows per bucket that keeps `count` rows from absolute row `first` within `width` buckets. */
export function rowsPerBucket(first: number, count: number, width: number): number {
  if (!Number.isSafeInteger(width) || width < 1) throw new RangeError(`width must be a whole number >= 1, got ${width}`);
  if (count <= width) return 1;
  // Alignment can add one bucket at most over ceil(count / size): a step or two up finds the fit.
  let size = Math.ceil(count / width);
  while (bucketCount(first, count, size) > width) size++;
  return size;
}

/** The rows of `input` consolidated into at most `width` aligned buckets (see the header). */
export function bucketEnvelope(input: BucketInput, width: number): Buckets {
  const { firstRow, rowCount, value } = input;
  const size = rowsPerBucket(firstRow, rowCount, width);
  const firstBucket = Math.floor(firstRow / size);
  const n = bucketCount(firstRow, rowCount, size);
  const mean = new Float64Array(n).fill(NaN);
  const min = new Float64Array(n).fill(NaN);
  const max = new Float64Array(n).fill(NaN);
  const last = new Float64Array(n).fill(NaN);
  let i = 0;
  for (let b = 0; b < n; b++) {
    const end = Math.min((firstBucket + b + 1) * size - firstRow, rowCount);
    let sum = 0;
    let known = 0;
    for (; i < end; i++) {
      const v = value(i);
      if (Number.isNaN(v)) continue;
      sum += v;
      known++;
      if (!(v >= min[b])) min[b] = v;
      if (!(v <= max[b])) max[b] = v;
      last[b] = v;
    }
    // A sum of equal values may round past them (3 × 0.1 / 3 > 0.1): the mean stays inside its envelope.
    if (known > 0) mean[b] = Math.min(max[b], Math.max(min[b], sum / known));
  }
  return { rowsPerBucket: size, firstBucket, mean, min, max, last };
}
