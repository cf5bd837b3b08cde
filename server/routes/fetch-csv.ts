/**
 * A GET /api/v1/fetch answer as CSV (`format=csv`, or `Accept: text/csv`):
 * one record a value, `series,ds,time,value`, in the order the JSON answer
 * lists them (series, then time, then data source), an empty value for
 * UNKNOWN; RFC 4180 with a header record (lib/csv.ts). Long rather than wide,
 * so series of different steps and data sources need no alignment. Written
 * as a stream, ROWS_PER_CHUNK rows at a time with a turn of the event loop
 * between, as the JSON answer is.
 */
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { csvRecord } from '../../lib/csv.js';
import type { FetchedSeries } from './fetch-answer.js';

const ROWS_PER_CHUNK = 2048;

export const FETCH_CSV_HEADER = ['series', 'ds', 'time', 'value'] as const;

async function* csvChunks(series: readonly FetchedSeries[]): AsyncGenerator<string> {
  yield csvRecord(FETCH_CSV_HEADER);
  for (const { series: name, values } of series) {
    const { start, step, firstStored, storedRows, stored, ds } = values;
    const width = ds.length;
    for (let from = 0; from < values.rowCount; from += ROWS_PER_CHUNK) {
      let text = '';
      for (let i = from; i < Math.min(from + ROWS_PER_CHUNK, values.rowCount); i++) {
        const time = start + (i + 1) * step;
        const k = i - firstStored;
        for (let d = 0; d < width; d++) {
          const v = k >= 0 && k < storedRows ? stored[k * width + d] : NaN;
          text += csvRecord([name, ds[d], time, Number.isFinite(v) ? v : null]);
        }
      }
      yield text;
      await nextTurn();
    }
  }
}

/** The answer as a byte stream for reply.send. */
export function fetchCsv(series: readonly FetchedSeries[]): Readable {
  return Readable.from(csvChunks(series), { objectMode: false });
}
