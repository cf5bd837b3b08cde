/**
 * The compact answer of GET /api/v1/fetch (`format=compact`), for charts:
 * per series `{ series, start, step, values, min, max }`, value i covering
 * (start + i·step, start + (i + 1)·step] and drawn at its end, null for
 * unknown. No time per row, and with `width` the rows are first
 * consolidated into at most `width` buckets (lib/bucket-envelope.ts): the
 * line (`values`) by the asked CF — the mean for AVERAGE, the lowest for
 * MIN, the highest for MAX, the last known for LAST — and the MIN/MAX
 * envelope (`min`, `max`) of each bucket's rows, so a one-row spike still
 * shows at any width; where the archive keeps MIN and MAX rows of the
 * same rows (fetch-envelope.ts), the envelope reaches theirs too, so a
 * spike averaged away in a year's 6-hour rows still shows. Without
 * `width`, a bucket is a row and min = max = values. Values are rounded to
 * COMPACT_DIGITS significant digits: a chart has no use for more, and the
 * text is half as long. A series' first data source is answered (ringmon
 * series have one). Written a series at a time, with a turn of the event
 * loop between, as the other answers are.
 */
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ConsolidationFunction, FetchedValues } from '../../archive/index.js';
import { bucketEnvelope, type Buckets } from '../../lib/bucket-envelope.js';
import { roundSignificant } from '../../lib/significant-digits.js';
import type { FetchedSeries } from './fetch-answer.js';

/** Significant digits of a compact value: a relative 5e-7, far below a pixel of any chart. */
export const COMPACT_DIGITS = 7;

/** Value i of a fetch's first data source, NaN for unknown and for rows outside what the archive holds. */
function firstDsValue(values: FetchedValues): (i: number) => number {
  const width = values.ds.length;
  return (i) => {
    const k = i - values.firstStored;
    return k >= 0 && k < values.storedRows ? values.stored[k * width] : NaN;
  };
}

/** The bucket values that draw the line for `cf`. */
function lineOf(buckets: Buckets, cf: ConsolidationFunction): Float64Array {
  switch (cf) {
    case 'AVERAGE':
      return buckets.mean;
    case 'MIN':
      return buckets.min;
    case 'MAX':
      return buckets.max;
    case 'LAST':
      return buckets.last;
    default: {
      const never: never = cf;
      throw new Error(`unknown CF ${String(never)}`);
    }
  }
}

const arrayText = (values: Float64Array): string =>
  `[${Array.from(values, (v) => (Number.isFinite(v) ? String(roundSignificant(v, COMPACT_DIGITS)) : 'null')).join(',')}]`;

/** `a` with each bucket widened to `b`'s where `b` reaches further (`lower`: downwards); NaN counts as nothing. */
function widen(a: Float64Array, b: Float64Array, lower: boolean): Float64Array {
  return a.map((v, i) => (Number.isNaN(b[i]) || (!Number.isNaN(v) && (lower ? v <= b[i] : v >= b[i])) ? v : b[i]));
}

/** One series' compact JSON object, consolidated to at most `width` buckets when given. */
export function compactSeriesText({ series, unit, values, envelope }: FetchedSeries, cf: ConsolidationFunction, width: number | undefined): string {
  const { start, step, rowCount } = values;
  // Row i covers (start + i·step, start + (i + 1)·step]: its absolute index is the start of that span over the step.
  const consolidate = (rows: FetchedValues) => bucketEnvelope({ firstRow: start / step, rowCount, value: firstDsValue(rows) }, width ?? Math.max(1, rowCount));
  const buckets = consolidate(values);
  // The archive's MIN and MAX rows of the same rows (fetch-envelope.ts) keep what the line's rows averaged away.
  const min = envelope ? widen(buckets.min, consolidate(envelope.lowest).min, true) : buckets.min;
  const max = envelope ? widen(buckets.max, consolidate(envelope.highest).max, false) : buckets.max;
  const bucketStep = step * buckets.rowsPerBucket;
  // So bucket b covers (b·bucketStep, (b + 1)·bucketStep]: its end is a round multiple of its length, as an RRA's rows are.
  const bucketsStart = buckets.firstBucket * bucketStep;
  // The header is an object so fields added to a fetched series (its unit) join it in one place.
  const header = JSON.stringify({ series, ...(unit === undefined ? {} : { unit }), start: bucketsStart, step: bucketStep });
  return `${header.slice(0, -1)},"values":${arrayText(lineOf(buckets, cf))},"min":${arrayText(min)},"max":${arrayText(max)}}`;
}

async function* compactChunks(series: readonly FetchedSeries[], cf: ConsolidationFunction, width: number | undefined): AsyncGenerator<string> {
  yield '{"series":[';
  for (const [n, one] of series.entries()) {
    yield (n === 0 ? '' : ',') + compactSeriesText(one, cf, width);
    await nextTurn();
  }
  yield ']}';
}

/** The compact answer as a byte stream for reply.send. */
export function fetchCompact(series: readonly FetchedSeries[], cf: ConsolidationFunction, width: number | undefined): Readable {
  return Readable.from(compactChunks(series, cf, width), { objectMode: false });
}
