/**
 * Time specifications, the part of rrdtool's at-style syntax that scripts
 * use:
 *
 *   1700000000          Unix seconds (whole)
 *   now, N              the current time
 *   -1d, now-2h         relative to now; several offsets chain: now-1d+2h, -1h30min
 *   end-1d, e-1d        relative to the other end of a fetch (start-/s- likewise)
 *
 * Units are those of lib/duration.ts (s sec second(s); m min minute(s);
 * h hr hour(s); d day(s); w wk week(s); mon month(s); y yr year(s)), but ms
 * (times are whole seconds). Days, weeks, months and years
 * are calendar arithmetic in local time, as rrdtool's mktime-based parser
 * does (a day across a DST change is 23 or 25 hours); s, m and h are fixed.
 * Unlike rrdtool, `m` is always minutes (rrdtool reads -1m to -5m as months).
 * Dates and times of day (`noon yesterday`, `20240101`) are not accepted.
 */
import { scaledDuration } from '../archive/index.js';
import { durationUnit } from '../lib/duration.js';
import { UsageError } from './errors.js';

export type TimeBase = 'now' | 'start' | 'end' | { readonly unix: number };

/** A parsed time: what it is relative to, and the offsets to apply (resolve with resolveTime/resolveStartEnd). */
export interface TimeSpec {
  readonly base: TimeBase;
  /** Calendar offsets; weeks are counted as 7 days. */
  readonly years: number;
  readonly months: number;
  readonly days: number;
  /** Fixed offset in seconds: the s, m and h terms. */
  readonly seconds: number;
}

/** The units of lib/duration.ts that are calendar arithmetic here; the others are fixed seconds. */
const CALENDAR: Readonly<Record<string, readonly [keyof Omit<TimeSpec, 'base'>, number]>> = {
  y: ['years', 1],
  M: ['months', 1],
  w: ['days', 7],
  d: ['days', 1],
};

/** The field and amount one unit of `name` adds, or undefined for a unit a time spec does not take (ms: times are whole seconds). */
function unitOf(name: string): readonly [keyof Omit<TimeSpec, 'base'>, number] | undefined {
  const unit = durationUnit(name);
  if (unit === undefined || unit.seconds < 1) return undefined;
  return CALENDAR[unit.name] ?? ['seconds', unit.seconds];
}

const BASES: Readonly<Record<string, TimeBase>> = { now: 'now', n: 'now', start: 'start', s: 'start', end: 'end', e: 'end' };

/** Parses a time spec; `what` names the argument in the error ("--start"). Throws UsageError. */
export function parseTimeSpec(text: string, what: string): TimeSpec {
  const bad = (problem: string): never => {
    throw new UsageError(`${what}: '${text}' ${problem}`);
  };
  const s = text.replace(/\s+/g, '').toLowerCase();
  const head = /^(\d+|[a-z]+)?(.*)$/.exec(s);
  if (!head) return bad('is not a time');
  const [, baseText, rest] = head;
  let base: TimeBase = 'now';
  if (baseText !== undefined) {
    if (/^\d+$/.test(baseText)) base = { unix: Number(baseText) };
    else if (baseText in BASES) base = BASES[baseText];
    else return bad(`has an unknown word '${baseText}' (expected now, N, start, end or Unix seconds)`);
  } else if (rest === '') {
    return bad('is empty');
  }
  const spec = { base, years: 0, months: 0, days: 0, seconds: 0 };
  const term = /([+-]?)(\d+)([a-z]+)/y;
  let sign = 0;
  let at = 0;
  while (at < rest.length) {
    term.lastIndex = at;
    const m = term.exec(rest);
    if (!m) return bad(`has '${rest.slice(at)}' where an offset such as -1d or +2h was expected`);
    const [, signText, digits, unitText] = m;
    if (signText !== '') sign = signText === '-' ? -1 : 1;
    else if (sign === 0) return bad(`needs a + or - before '${m[0]}'`);
    const unit = unitOf(unitText);
    if (!unit) return bad(`has an unknown unit '${unitText}' (s, m, h, d, w, mon, y)`);
    spec[unit[0]] += sign * Number(digits) * unit[1];
    at = term.lastIndex;
  }
  return spec;
}

/** The Unix time `spec` names, given the time its base stands for. */
export function applyOffsets(spec: TimeSpec, baseSeconds: number): number {
  let t = baseSeconds;
  if (spec.years !== 0 || spec.months !== 0 || spec.days !== 0) {
    const d = new Date(baseSeconds * 1000);
    // Like mktime: all three fields change, then the date is normalised (Jan 31 + 1 month = Mar 3 or 2).
    d.setFullYear(d.getFullYear() + spec.years, d.getMonth() + spec.months, d.getDate() + spec.days);
    t = Math.floor(d.getTime() / 1000);
  }
  return t + spec.seconds;
}

function baseTime(base: TimeBase, now: number): number {
  return typeof base === 'object' ? base.unix : now;
}

/** A time that may not refer to start or end (create --start, update @times). */
export function resolveTime(spec: TimeSpec, now: number, what: string): number {
  if (spec.base === 'start' || spec.base === 'end') throw new UsageError(`${what}: a time relative to start or end makes no sense here`);
  return applyOffsets(spec, baseTime(spec.base, Math.floor(now)));
}

/** Resolves a fetch's start and end, either of which may be relative to the other. */
export function resolveStartEnd(start: TimeSpec, end: TimeSpec, now: number): { start: number; end: number } {
  if (start.base === 'start') throw new UsageError('--start: cannot be relative to itself');
  if (end.base === 'end') throw new UsageError('--end: cannot be relative to itself');
  if (start.base === 'end' && end.base === 'start') throw new UsageError('--start and --end cannot both be relative to each other');
  const whole = Math.floor(now);
  if (start.base === 'end') {
    const e = applyOffsets(end, baseTime(end.base, whole));
    return { start: applyOffsets(start, e), end: e };
  }
  const s = applyOffsets(start, baseTime(start.base, whole));
  return { start: s, end: applyOffsets(end, end.base === 'start' ? s : baseTime(end.base, whole)) };
}

/** A duration option (--step, --resolution): whole seconds, or a duration such as 5m or 1h30m (scaledDuration). Throws UsageError. */
export function parseDurationOption(text: string, what: string): number {
  const result = scaledDuration(text, 1);
  if (typeof result === 'string') throw new UsageError(`${what}: ${result}`);
  return result;
}
