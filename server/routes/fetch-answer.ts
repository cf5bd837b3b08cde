/**
 * The JSON of a GET /api/v1/fetch answer, written as a stream: the same
 * document JSON.stringify would give for `{ series: [{ series, unit?, start,
 * end, step, ds, rows }] }` (rows as [time, value...], null for UNKNOWN and for
 * a value JSON cannot hold), made ROWS_PER_CHUNK rows at a time from the
 * compact values the archive read (8 bytes a value), with a turn of the
 * event loop between chunks. So the largest allowed answer never exists as
 * one string or as millions of small arrays, and /healthz and other
 * requests are served while it is written. A client that goes away ends
 * the stream; the generator is simply not resumed.
 */
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FetchedValues } from '../../archive/index.js';

/** About 100 KB of JSON per chunk: small enough to keep the loop free, large enough that chunk overhead is nothing. */
const ROWS_PER_CHUNK = 2048;

/** One series of the answer: its name and what the archive read for it. */
export interface FetchedSeries {
  readonly series: string;
  /** The unit of the values (server/units UnitLookup.storedUnitOf); left out of the answer when unknown. */
  readonly unit?: string;
  readonly values: FetchedValues;
}

const number = (v: number): string => (Number.isFinite(v) ? String(v) : 'null');

/** Rows [from, to) of `values` as JSON array text, each preceded by a comma but the answer's first. */
function rowsText(values: FetchedValues, from: number, to: number): string {
  const { start, step, firstStored, storedRows, stored } = values;
  const width = values.ds.length;
  let text = '';
  for (let i = from; i < to; i++) {
    text += i === 0 ? '[' : ',[';
    text += String(start + (i + 1) * step);
    const k = i - firstStored;
    for (let d = 0; d < width; d++) text += k >= 0 && k < storedRows ? `,${number(stored[k * width + d])}` : ',null';
    text += ']';
  }
  return text;
}

async function* answerChunks(series: readonly FetchedSeries[]): AsyncGenerator<string> {
  yield '{"series":[';
  for (const [n, { series: name, unit, values }] of series.entries()) {
    const { start, end, step, ds } = values;
    const unitText = unit === undefined ? '' : `"unit":${JSON.stringify(unit)},`;
    yield `${n === 0 ? '' : ','}{"series":${JSON.stringify(name)},${unitText}"start":${start},"end":${end},"step":${step},"ds":${JSON.stringify(ds)},"rows":[`;
    for (let from = 0; from < values.rowCount; from += ROWS_PER_CHUNK) {
      yield rowsText(values, from, Math.min(from + ROWS_PER_CHUNK, values.rowCount));
      await nextTurn();
    }
    yield ']}';
  }
  yield ']}';
}

/** The answer as a byte stream for reply.send. */
export function fetchAnswer(series: readonly FetchedSeries[]): Readable {
  return Readable.from(answerChunks(series), { objectMode: false });
}
