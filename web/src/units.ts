/**
 * Values with their unit, as every part of the page shows them: bytes with
 * IEC prefixes (`1.5 GiB`, `700 B/s`: memory and disks count in powers of
 * two), bits and everything else with SI prefixes (`12.3 kbit/s`, `1.2 k`),
 * seconds as durations (`350 ms`, `2.5 h`), `%` plain; three significant
 * digits and never exponent notation (`8.14e+10` says nothing at a glance).
 * The unit is the one the API gives a series (`B/s` for a byte counter).
 */
import { formatDuration } from './format.js';

/** What a unit is counted in, which decides its prefixes. */
export type UnitKind = 'bytes' | 'seconds' | 'percent' | 'si';

/** A rate's unit ends in `/s`; its base (`B`, `bit`, `req`) decides the prefixes. */
export function unitKind(unit: string | undefined): UnitKind {
  const base = (unit ?? '').replace(/\/s$/, '');
  if (base === 'B') return 'bytes';
  if (unit === 's') return 'seconds';
  if (unit === '%') return 'percent';
  return 'si';
}

const IEC = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const SI = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
const SMALL_SECONDS: readonly [number, string][] = [
  [1e-3, 'ms'],
  [1e-6, 'µs'],
  [1e-9, 'ns'],
];

const threeDigits = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });

/** A number to three significant digits, grouped as the locale groups them, never as an exponent. */
export function significant(value: number): string {
  return threeDigits.format(value);
}

/** `value` divided by the largest power of `base` it holds (at most the last prefix), that prefix and the power. */
export function prefixed(value: number, base: 1000 | 1024): { readonly amount: number; readonly prefix: string; readonly power: number } {
  const prefixes = base === 1024 ? IEC : SI;
  let amount = value;
  let i = 0;
  // Rounded first: 999.7 shows as `1 k`, not `1,000`.
  while (i < prefixes.length - 1 && Math.abs(Number(amount.toPrecision(3))) >= 1000) {
    amount /= base;
    i++;
  }
  return { amount, prefix: prefixes[i], power: i };
}

function joined(amount: string, unit: string): string {
  return unit === '' ? amount : `${amount} ${unit}`;
}

/** How long a number of seconds is: below a second in ms/µs/ns, from there as formatDuration says it. */
function seconds(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0 || abs >= 1) return formatDuration(value);
  const [scale, name] = SMALL_SECONDS.find(([s]) => abs >= s * 0.9995) ?? SMALL_SECONDS[SMALL_SECONDS.length - 1];
  return joined(significant(value / scale), name);
}

/**
 * `value` with `unit` for people: `1.5 GiB`, `12.3 kbit/s`, `350 ms`,
 * `45.3%`, `4.6` (no unit); `unknown` for a missing value.
 */
export function formatUnit(value: number | null | undefined, unit?: string): string {
  if (value === null || value === undefined) return 'unknown';
  if (!Number.isFinite(value)) return String(value);
  const u = unit ?? '';
  switch (unitKind(u)) {
    case 'seconds':
      return seconds(value);
    case 'percent':
      return `${significant(value)}%`;
    case 'bytes':
    case 'si': {
      const { amount, prefix } = prefixed(value, unitKind(u) === 'bytes' ? 1024 : 1000);
      return joined(significant(amount), prefix + u);
    }
  }
}

/** Archive kinds whose stored values are rates: their sample is a reading (a counter), not the per-second value graphed. */
const READING_KINDS: ReadonlySet<string> = new Set(['COUNTER', 'DERIVE', 'ABSOLUTE', 'DCOUNTER', 'DDERIVE']);

/**
 * A series' last value as the listing gives it, with its unit. For a rate
 * kind the listing's last value is the sample as sent, a counter's reading
 * (238,115,000 bytes received since boot), while the unit is the graphed
 * rate's (`B/s`): said as the reading in the unit without `/s`, marked so
 * (`227 MiB (counter)`), never as a rate it is not.
 */
export function formatLastValue(value: number | null | undefined, unit: string | undefined, kind: string | undefined): string {
  if (kind === undefined || !READING_KINDS.has(kind)) return formatUnit(value, unit);
  const reading = unit?.endsWith('/s') ? unit.slice(0, -2) : unit;
  const text = formatUnit(value, reading === 'count' ? undefined : reading);
  return value === null || value === undefined ? text : `${text} (${kind === 'ABSOLUTE' ? 'last reading' : 'counter'})`;
}

/** The title of a y axis for `unit`: the unit itself (`B/s`), or `(no unit)`. */
export function axisTitle(unit: string | undefined): string {
  return unit ? unit : '(no unit)';
}
