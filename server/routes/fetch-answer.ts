/**
 * The JSON of a GET /api/v1/fetch answer, written as a stream: the same
 * document JSON.stringify would give for `{ series: [{ series, unit?, start,
 * end, step, ds, rows }] }` (rows as [time, value...], null for UNKNOWN and for
 * a value JSON cannot hold; values to JSON_DIGITS significant digits), made ROWS_PER_CHUNK rows at a time from the
 * compact values the archive read (8 bytes a value), with a turn of the
 * event loop between chunks. So the largest allowed answer never exists as
 * one string or as millions of small arrays, and /healthz and other
 * requests are served while it is written. A client that goes away ends
 * the stream; the generator is simply not resumed.
 */
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FetchedValues } from '../../archive/index.js';
import { roundSignificant } from '../../lib/significant-digits.js';
import type { EnvelopeRows } from './fetch-envelope.js';

/** About 100 KB of JSON per chunk: small enough to keep the loop free, large enough that chunk overhead is nothing. */
const ROWS_PER_CHUNK = 2048;

/** One series of the answer: its name and what the archive read for it. */
export interface FetchedSeries {
  readonly series: string;
  /** The unit of the values (server/units UnitLookup.storedUnitOf); left out of the answer when unknown. */
  readonly unit?: string;
  readonly values: FetchedValues;
  /** Compact answers: the archive's MIN and MAX rows of the same rows, where it keeps them (fetch-envelope.ts). */
  readonly envelope?: EnvelopeRows;
}

/**
 * Significant digits of a value: every value written with up to 12 digits comes back as written, and the float
 * noise of an archive's arithmetic (0.34900000000000003, a relative 1e-16 to 1e-13) is gone.
 */
export const JSON_DIGITS = 12;

function number(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  const text = String(v);
  // Twelve characters hold at most twelve digits: nothing to round, and toPrecision, slow, is skipped for most values.
  return text.length <= JSON_DIGITS ? text : String(roundSignificant(v, JSON_DIGITS));
}

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
