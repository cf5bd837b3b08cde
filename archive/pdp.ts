/**
 * Primary data points: turning one update's raw values into rate x seconds
 * (`pdpNew`) and folding them into the PDP being built, exactly as rrdtool
 * 1.7's rrd_update.c does (update_pdp_prep, simple_update, process_pdp_st).
 */
import type { DataSourceDefinition } from './definition.js';
import { InvalidUpdateError } from './errors.js';
import {
  KIND_NUMBER,
  KIND_UNKNOWN,
  lastDsText,
  rememberValue,
  type ValueColumns,
} from './sample-values.js';
import type { ArchiveState } from './state.js';

/** The raw form of an UNKNOWN value, as in rrdtool. */
export const UNKNOWN = 'U';

/** C's isspace in the "C" locale. */
const LEADING_SPACE = /^[ \t\n\v\f\r]*/;
/** What rrd_strtod consumes after the blanks: sign, digits with an optional point, optional exponent (digits optional). */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?)(\d*))?$/;
/** rrd_strtod refuses decimal exponents outside DBL_MIN_EXP .. DBL_MAX_EXP. */
const MIN_EXPONENT = -1021;
const MAX_EXPONENT = 1024;

/**
 * Parses a GAUGE/ABSOLUTE/DCOUNTER/DDERIVE value (and min, max, xff) as
 * rrdtool 1.7's rrd_strtodbl does; undefined when rrdtool refuses it.
 *
 * rrdtool's parser is its own and is not correctly rounded: the digits are
 * accumulated as number * 10 + digit and the exponent is applied by
 * repeated squaring of 10, so e.g. "1e-320" is 9.99988867182683e-321.
 * Number() would differ in the last bits or, for subnormals, in the fifth
 * digit. Text with no digits at all is read as a NaN or infinity when it
 * starts with "nan", "-nan", "inf" or "-inf" in any case ("+inf" is refused).
 */
export function parseFloatValue(raw: string): number | undefined {
  const body = raw.slice(LEADING_SPACE.exec(raw)![0].length);
  const m = DECIMAL.exec(body);
  if (!m || m[2].length + (m[3] ?? '').length === 0) return parseSpecial(raw);
  const [, sign, intDigits, fracDigits = '', expSign, expDigits = ''] = m;
  const expValue = expDigits.replace(/^0+/, '');
  if (expValue.length > 9) return undefined; // far beyond the range below
  const exponent = (expSign === '-' ? -1 : 1) * Number(expValue || '0') - fracDigits.length;
  if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) return undefined;
  let n = accumulateDigits(intDigits + fracDigits);
  if (sign === '-') n = -n;
  let p10 = 10;
  for (let e = Math.abs(exponent); e > 0; e >>= 1, p10 *= p10) {
    if (e & 1) n = exponent < 0 ? n / p10 : n * p10;
  }
  return n;
}

function parseSpecial(raw: string): number | undefined {
  const s = raw.toLowerCase();
  if (s.startsWith('-nan') || s.startsWith('nan')) return NaN;
  if (s.startsWith('inf')) return Infinity;
  if (s.startsWith('-inf')) return -Infinity;
  return undefined;
}

/** rrd_strtod's integer part: number * 10 + digit, rounding at every step. */
function accumulateDigits(digits: string): number {
  let n = 0;
  for (let i = 0; i < digits.length; i++) n = n * 10 + (digits.charCodeAt(i) - 48);
  return n;
}

const UNSIGNED_INTEGER = /^\d+$/;
const SIGNED_INTEGER = /^-?\d+$/;

/**
 * Checks one raw value against its DS type before anything is applied.
 * Throws InvalidUpdateError naming the DS and the value.
 */
export function checkRawValue(ds: DataSourceDefinition, raw: string): void {
  if (raw === UNKNOWN) return;
  switch (ds.type) {
    case 'COUNTER':
      if (!UNSIGNED_INTEGER.test(raw)) throw new InvalidUpdateError(`DS '${ds.name}': '${raw}' is not an unsigned integer (COUNTER)`);
      return;
    case 'DERIVE':
      if (!SIGNED_INTEGER.test(raw)) throw new InvalidUpdateError(`DS '${ds.name}': '${raw}' is not a signed integer (DERIVE)`);
      return;
    case 'GAUGE':
    case 'ABSOLUTE':
    case 'DCOUNTER':
    case 'DDERIVE':
      if (parseFloatValue(raw) === undefined) throw new InvalidUpdateError(`DS '${ds.name}': '${raw}' is not a number`);
      return;
    default: {
      const never: never = ds.type;
      throw new Error(`unhandled DS type ${String(never)}`);
    }
  }
}


/**
 * a - b for decimal integer strings, as rrdtool's rrd_diff: digits after any
 * leading sign, NaN when either has none, when their signs differ, or when
 * either is longer than 30 digits.
 */
export function decimalDifference(a: string, b: string): number {
  const pa = digitsOf(a);
  const pb = digitsOf(b);
  if (!pa || !pb) return NaN;
  if (pa.negative !== pb.negative) return NaN;
  if (Math.max(pa.digits.length, pb.digits.length) > 30) return NaN;
  // rrd_diff subtracts the digit strings exactly, then reads the difference with rrd_strtod.
  const diff = BigInt(pa.digits) - BigInt(pb.digits);
  const magnitude = accumulateDigits((diff < 0n ? -diff : diff).toString());
  const value = diff < 0n ? -magnitude : magnitude;
  return pa.negative ? -value : value;
}

function digitsOf(s: string): { digits: string; negative: boolean } | undefined {
  let i = 0;
  let negative = false;
  while (i < s.length && !(s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57)) {
    if (s[i] === '-') negative = true;
    i++;
  }
  let j = i;
  while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
  if (j === i) return undefined;
  return { digits: s.slice(i, j), negative };
}

/**
 * update_pdp_prep: fills `pdpNew` (rate x seconds over `interval`, NaN when
 * unknown) from sample `k` of `values` and makes its values the last ones.
 */
export function computePdpNew(
  dataSources: readonly DataSourceDefinition[],
  last: ValueColumns,
  values: ValueColumns,
  k: number,
  interval: number,
  pdpNew: Float64Array,
): void {
  const width = dataSources.length;
  for (let d = 0; d < width; d++) {
    const ds = dataSources[d];
    // rrdtool never builds a difference with a value older than the heartbeat.
    if (ds.heartbeat < interval) last.kinds[d] = KIND_UNKNOWN;
    const i = k * width + d;
    const kind = values.kinds[i];
    let next = NaN;
    if (kind !== KIND_UNKNOWN && ds.heartbeat >= interval) {
      let rate = NaN;
      const v = values.numbers[i];
      switch (ds.type) {
        case 'COUNTER':
        case 'DERIVE':
          if (last.kinds[d] !== KIND_UNKNOWN) {
            next = integerDifference(values, i, last, d);
            if (ds.type === 'COUNTER') {
              // rrdtool's overflow catcher: adds 2^32-1 (sic), then 2^64-2^32.
              if (next < 0) next += 4294967295.0;
              if (next < 0) next += 18446744069414584320.0;
            }
            rate = next / interval;
          }
          break;
        case 'ABSOLUTE':
          next = v;
          rate = next / interval;
          break;
        case 'GAUGE':
          next = v * interval;
          rate = v;
          break;
        case 'DCOUNTER':
        case 'DDERIVE':
          if (last.kinds[d] !== KIND_UNKNOWN) {
            const old = last.numbers[d];
            const reset = ds.type === 'DCOUNTER' && ((v > 0 && old > v) || (v < 0 && v > old));
            if (!reset) {
              next = v - old;
              rate = next / interval;
            }
          }
          break;
        default: {
          const never: never = ds.type;
          throw new Error(`unhandled DS type ${String(never)}`);
        }
      }
      if (!Number.isNaN(rate) && ((!Number.isNaN(ds.max) && rate > ds.max) || (!Number.isNaN(ds.min) && rate < ds.min))) {
        next = NaN;
      }
    }
    pdpNew[d] = next;
    rememberValue(ds, values, i, last, d);
  }
}

/** rrd_diff's sign: the text had a minus, which "-0" has too. */
function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/** New minus last of a COUNTER/DERIVE, as rrd_diff computes it: NaN when the signs differ. */
function integerDifference(values: ValueColumns, i: number, last: ValueColumns, d: number): number {
  if (values.kinds[i] === KIND_NUMBER && last.kinds[d] === KIND_NUMBER) {
    const a = values.numbers[i];
    const b = last.numbers[d];
    // Safe integers: the difference is exact, as rrd_diff's digit-by-digit one is.
    return isNegative(a) !== isNegative(b) ? NaN : a - b;
  }
  return decimalDifference(lastDsText(values.kinds[i], values.given[i]), lastDsText(last.kinds[d], last.given[d]));
}

/** simple_update: an update that stays inside the current PDP. */
export function accumulatePdp(state: ArchiveState, interval: number, pdpNew: Float64Array): void {
  for (let d = 0; d < pdpNew.length; d++) {
    const v = pdpNew[d];
    if (Number.isNaN(v)) {
      state.pdpUnknownSeconds[d] += Math.floor(interval);
    } else if (Number.isNaN(state.pdpValue[d])) {
      state.pdpValue[d] = v;
    } else {
      state.pdpValue[d] += v;
    }
  }
}

/**
 * process_pdp_st: closes the PDP(s) that `elapsedSteps` step boundaries
 * ended, writing each DS's rate for them into `pdpTemp`, and starts the next
 * PDP with the part of the update after the last boundary.
 */
export function closePdps(
  dataSources: readonly DataSourceDefinition[],
  state: ArchiveState,
  step: number,
  interval: number,
  preInterval: number,
  postInterval: number,
  elapsedSteps: number,
  pdpNew: Float64Array,
  pdpTemp: Float64Array,
): void {
  const elapsedSeconds = elapsedSteps * step;
  for (let d = 0; d < dataSources.length; d++) {
    const heartbeat = dataSources[d].heartbeat;
    const v = pdpNew[d];
    let preUnknown = 0;
    if (Number.isNaN(v)) {
      preUnknown = preInterval;
    } else {
      if (Number.isNaN(state.pdpValue[d])) state.pdpValue[d] = 0;
      state.pdpValue[d] += (v / interval) * preInterval;
    }
    const unknownSeconds = state.pdpUnknownSeconds[d];
    if (interval > heartbeat || step / 2 < unknownSeconds) {
      pdpTemp[d] = NaN;
    } else {
      pdpTemp[d] = state.pdpValue[d] / (elapsedSeconds - unknownSeconds - preUnknown);
    }
    if (Number.isNaN(v)) {
      state.pdpUnknownSeconds[d] = Math.floor(postInterval);
      state.pdpValue[d] = NaN;
    } else {
      state.pdpUnknownSeconds[d] = 0;
      state.pdpValue[d] = (v / interval) * postInterval;
    }
  }
}
