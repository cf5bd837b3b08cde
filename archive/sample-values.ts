/**
 * Sample values, from what callers give to what the PDP step consumes.
 *
 * rrdtool works on the text of each value: it parses GAUGE values, subtracts
 * COUNTER values digit by digit, and keeps the last text as `last_ds`.
 * ringmon gets numbers far more often than text, so each value is classified
 * once per batch: a plain number (exact for every integer up to 2^53), the
 * exact text of a larger integer, or UNKNOWN. The text form is only made
 * when the state is committed. The results are rrdtool's: integer
 * differences are exact either way, and text is parsed as rrdtool parses it.
 */
import type { DataSourceDefinition } from './definition.js';
import { InvalidUpdateError } from './errors.js';
import { LAST_DS_BYTES } from './format.js';
import { UNKNOWN, checkRawValue, parseFloatValue } from './value-text.js';

/** A value as callers give it: a number, an exact integer, rrdtool's text form, or null for UNKNOWN. */
export type SampleValue = number | bigint | string | null | undefined;

export const KIND_UNKNOWN = 0;
/** The value is `numbers[i]` (for COUNTER/DERIVE: a safe integer). */
export const KIND_NUMBER = 1;
/** A COUNTER/DERIVE integer beyond 2^53: only its text (`given[i]`) is exact. */
export const KIND_TEXT = 2;

/** rrdtool keeps at most LAST_DS_LEN - 1 characters of the last value. */
const LAST_DS_CHARS = LAST_DS_BYTES - 1;
const SHORT_INTEGER = /^-?\d{1,15}$/;

/** Classified values, one slot per value (sample * dsCount + ds). */
export interface ValueColumns {
  readonly kinds: Uint8Array;
  readonly numbers: Float64Array;
  /** As given, for the last_ds text and for exact arithmetic on KIND_TEXT. */
  readonly given: SampleValue[];
}

export function valueColumns(size: number): ValueColumns {
  return { kinds: new Uint8Array(size), numbers: new Float64Array(size), given: new Array<SampleValue>(size) };
}

function isCounting(ds: DataSourceDefinition): boolean {
  return ds.type === 'COUNTER' || ds.type === 'DERIVE';
}

/**
 * Classifies value `v` for `ds` into slot `i`. Throws InvalidUpdateError for
 * a value rrdtool would refuse for this DS type.
 */
export function classifyValue(ds: DataSourceDefinition, v: unknown, out: ValueColumns, i: number): void {
  out.given[i] = v as SampleValue;
  if (v === null || v === undefined || v === UNKNOWN || (typeof v === 'number' && Number.isNaN(v))) {
    out.kinds[i] = KIND_UNKNOWN;
    return;
  }
  if (typeof v === 'number') {
    if (ds.type === 'COUNTER' && !(Number.isSafeInteger(v) && v >= 0)) {
      throw new InvalidUpdateError(`DS '${ds.name}': ${v} is not an unsigned integer (COUNTER); give counters above 2^53 as text or bigint`);
    }
    if (ds.type === 'DERIVE' && !Number.isSafeInteger(v)) {
      throw new InvalidUpdateError(`DS '${ds.name}': ${v} is not a signed integer (DERIVE); give values beyond 2^53 as text or bigint`);
    }
    out.kinds[i] = KIND_NUMBER;
    // A number is taken as it is: it is what the caller means. (Text is read
    // as rrdtool reads it; its parser is not correctly rounded, which only
    // shows in the last bits, or on subnormals.) -0 reads "0".
    out.numbers[i] = v + 0;
    return;
  }
  if (typeof v === 'bigint') {
    if (ds.type === 'COUNTER' && v < 0n) throw new InvalidUpdateError(`DS '${ds.name}': ${v} is not an unsigned integer (COUNTER)`);
    const safe = v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER);
    out.kinds[i] = isCounting(ds) && !safe ? KIND_TEXT : KIND_NUMBER;
    out.numbers[i] = safe ? Number(v) : isCounting(ds) ? NaN : parseFloatValue(v.toString())!;
    return;
  }
  if (typeof v !== 'string') {
    throw new InvalidUpdateError(`DS '${ds.name}': a value must be a number, bigint, string or null, got ${typeof v}`);
  }
  checkRawValue(ds, v);
  if (isCounting(ds)) {
    const short = SHORT_INTEGER.test(v);
    out.kinds[i] = short ? KIND_NUMBER : KIND_TEXT;
    out.numbers[i] = short ? Number(v) : NaN;
  } else {
    out.kinds[i] = KIND_NUMBER;
    out.numbers[i] = parseFloatValue(v)!;
  }
}

/** The text rrdtool would keep as last_ds for a classified value. */
export function lastDsText(kind: number, given: SampleValue): string {
  if (kind === KIND_UNKNOWN) return UNKNOWN;
  let text: string;
  if (typeof given === 'string') text = given;
  else if (typeof given === 'bigint') text = given.toString();
  else if (given === Infinity) text = 'inf';
  else if (given === -Infinity) text = '-inf';
  else text = String(given === 0 ? 0 : given);
  return text.length > LAST_DS_CHARS ? text.slice(0, LAST_DS_CHARS) : text;
}

/**
 * Per DS, the last value an update leaves behind, in the classified form
 * (slot d of the columns). Built from and written back to the state's
 * last_ds texts, so nothing but text is ever stored.
 */
export function lastValuesFromText(dataSources: readonly DataSourceDefinition[], texts: readonly string[]): ValueColumns {
  const last = valueColumns(dataSources.length);
  dataSources.forEach((ds, d) => rememberText(ds, texts[d], last, d));
  return last;
}

function rememberText(ds: DataSourceDefinition, text: string, last: ValueColumns, d: number): void {
  last.given[d] = text;
  if (text === UNKNOWN) {
    last.kinds[d] = KIND_UNKNOWN;
  } else if (isCounting(ds)) {
    const short = SHORT_INTEGER.test(text);
    last.kinds[d] = short ? KIND_NUMBER : KIND_TEXT;
    last.numbers[d] = short ? Number(text) : NaN;
  } else {
    last.kinds[d] = KIND_NUMBER;
    last.numbers[d] = parseFloatValue(text) ?? NaN;
  }
}

/** Makes value i of `values` the last value of DS d, as rrdtool's strncpy into last_ds would. */
export function rememberValue(ds: DataSourceDefinition, values: ValueColumns, i: number, last: ValueColumns, d: number): void {
  const given = values.given[i];
  if ((typeof given === 'string' || typeof given === 'bigint') && String(given).length > LAST_DS_CHARS) {
    // rrdtool reads the cut text next time, not the value given.
    rememberText(ds, String(given).slice(0, LAST_DS_CHARS), last, d);
    return;
  }
  last.kinds[d] = values.kinds[i];
  last.numbers[d] = values.numbers[i];
  last.given[d] = given;
}
