/**
 * Values as text, read as rrdtool 1.7 reads them: its own decimal parser
 * (not correctly rounded), its integer checks for COUNTER/DERIVE, and
 * rrd_diff's digit-by-digit subtraction.
 */
import type { DataSourceDefinition } from './definition.js';
import { InvalidUpdateError } from './errors.js';

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
 * Text with no digits at all is read as a NaN or infinity when it starts
 * with "nan", "-nan", "inf" or "-inf" in any case ("+inf" is refused).
 */
export function parseFloatValue(raw: string): number | undefined {
  // Text that starts with nan or inf has no digits for parseDecimal to read.
  return parseDecimal(raw) ?? parseSpecial(raw);
}

/**
 * Reads decimal text as rrdtool 1.7's rrd_strtod does: leading blanks, a
 * sign, digits with an optional point, an optional exponent (its digits
 * optional), and nothing after. Undefined when the text is not all such a
 * number, has no digits before the exponent, or its decimal exponent is
 * out of range.
 *
 * rrdtool's parser is its own and is not correctly rounded: the digits are
 * accumulated as number * 10 + digit and the exponent is applied by
 * repeated squaring of 10, so e.g. "1e-320" is 9.99988867182683e-321 and
 * "1700000291.568" is one ulp below Number()'s reading. Number() would
 * differ in the last bits or, for subnormals, in the fifth digit.
 */
export function parseDecimal(raw: string): number | undefined {
  const body = raw.slice(LEADING_SPACE.exec(raw)![0].length);
  const m = DECIMAL.exec(body);
  if (!m) return undefined;
  const [, sign, intDigits, fracDigits = '', expSign, expDigits = ''] = m;
  if (intDigits.length + fracDigits.length === 0) return undefined;
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
