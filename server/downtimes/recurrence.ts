/**
 * Recurring downtimes: an iCalendar RRULE (RFC 5545) repeating a first
 * window [start, end) in an IANA time zone.
 *
 * The rule is expanded by the rrule library in wall time (time-zone.ts):
 * DTSTART is the start's local date and time, and each occurrence keeps the
 * local times of the first window, so "Tuesday 06:00–08:00 Europe/Berlin"
 * is 05:00–07:00 UTC in winter and 04:00–06:00 UTC in summer. UNTIL is an
 * instant (RFC 5545 wants it in UTC when DTSTART has a zone). The start must
 * itself be an occurrence of the rule, so "the first window" means one thing.
 *
 * Bounded so that no expansion runs long: the rrule library walks every
 * period from DTSTART (or from an anchor, below) to the range asked, so a
 * rule ends by 2199 at the latest (time-input.ts), COUNT is at most
 * MAX_COUNT, and HOURLY and DAILY rules may not pick days of the month or
 * year (DAILY;BYMONTH=2;BYMONTHDAY=29 walks 1,461 days per window: 11 s for
 * a thousand), which MONTHLY and YEARLY rules do in a few steps.
 */
import rrule from 'rrule';
import type { Options } from 'rrule';
import type { DowntimeProblem } from './errors.js';
import type { Occurrence } from './model.js';
import { LATEST_INSTANT } from './time-input.js';
import { fromWallTime, toWallTime } from './time-zone.js';

const { RRule } = rrule;

/** Finer rules would make thousands of windows a day; a downtime that long is one window. */
const FINEST = RRule.HOURLY;
/** Most occurrences one expansion returns: a year of hourly windows. */
const MAX_EXPANSION = 10_000;
/** Largest COUNT: a counted rule is walked from its first window on every expansion. */
export const MAX_COUNT = 500;
/** BY parts that pick days of the month or year: too sparse for the library to walk hour by hour or day by day. */
const DAY_PICKERS: ReadonlyArray<readonly [keyof Options, string]> = [
  ['bymonth', 'BYMONTH'],
  ['bymonthday', 'BYMONTHDAY'],
  ['byyearday', 'BYYEARDAY'],
  ['byweekno', 'BYWEEKNO'],
];
/** The alarm question caches a week of occurrences at a time, per rule. */
const SLAB = 7 * 86_400;
const SLABS_KEPT = 16;

/** Inclusive bounds of the numeric BY parts; RRule.parseString checks none of them. */
const BY_RANGES: ReadonlyArray<readonly [keyof Options, string, number, number]> = [
  ['bymonth', 'BYMONTH', 1, 12],
  ['bymonthday', 'BYMONTHDAY', -31, 31],
  ['byyearday', 'BYYEARDAY', -366, 366],
  ['byweekno', 'BYWEEKNO', -53, 53],
  ['byhour', 'BYHOUR', 0, 23],
  ['byminute', 'BYMINUTE', 0, 59],
  ['bysecond', 'BYSECOND', 0, 59],
  ['bysetpos', 'BYSETPOS', -366, 366],
];

/** The rule's options, or the problem with its text (without the field name). */
function parseRuleText(text: string): Partial<Options> | string {
  const body = text.trim().replace(/^RRULE:/i, '');
  if (body === '' || /[\r\n]/.test(body)) return 'must be one RRULE line such as FREQ=WEEKLY;BYDAY=TU';
  if (/(^|;)\s*(DTSTART|TZID)\b/i.test(body)) return 'must not hold DTSTART or TZID: the downtime\'s start and timezone set them';
  let options: Partial<Options>;
  try {
    options = RRule.parseString(body);
  } catch (e) {
    return `does not parse: ${(e as Error).message}`;
  }
  if (options.freq === undefined || options.freq === null) return 'needs FREQ (YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY)';
  if (options.freq > FINEST) return 'repeats too often: the finest FREQ for a downtime is HOURLY';
  if (options.interval !== undefined && !(options.interval >= 1)) return 'INTERVAL must be 1 or more';
  if (options.count !== undefined && options.count !== null && !(options.count >= 1 && options.count <= MAX_COUNT)) {
    return `COUNT must be from 1 to ${MAX_COUNT}; for more, give UNTIL`;
  }
  if (options.freq === RRule.HOURLY || options.freq === RRule.DAILY) {
    const picker = DAY_PICKERS.find(([key]) => [options[key] ?? []].flat().length > 0);
    if (picker) return `${picker[1]} picks days of the month or year: use FREQ=MONTHLY or YEARLY for that (HOURLY and DAILY take BYDAY, BYHOUR, BYMINUTE)`;
  }
  const weekdays = [options.byweekday ?? []].flat();
  if (weekdays.some((w) => w === null || w === undefined)) return 'BYDAY must be days such as MO, TU, 1MO or -1FR';
  for (const [key, name, min, max] of BY_RANGES) {
    const values = [options[key] ?? []].flat() as number[];
    if (values.some((v) => !Number.isInteger(v) || v < min || v > max || (min < 0 && v === 0))) return `${name} must be between ${min} and ${max}`;
  }
  return options;
}

/** Wall-time length of one period of the frequencies whose periods are all alike (months and years are not). */
const FIXED_PERIODS: ReadonlyMap<number, number> = new Map([
  [RRule.WEEKLY, 7 * 86_400],
  [RRule.DAILY, 86_400],
  [RRule.HOURLY, 3600],
]);

type Rule = InstanceType<typeof RRule>;

/** A rule compiled for one downtime: its occurrences as Unix-second windows. */
export class Recurrence {
  private readonly rule: Rule;
  private readonly options: Partial<Options>;
  private readonly wallStart: number;
  /** Length of each window in wall-time seconds. */
  private readonly wallLength: number;
  /** Wall seconds after which the rule repeats itself exactly; undefined when it does not (COUNT, months, years). */
  private readonly period: number | undefined;
  private anchor: { readonly k: number; readonly rule: Rule } | undefined;
  private readonly slabs = new Map<number, readonly Occurrence[]>();

  private constructor(options: Partial<Options>, readonly zone: string, readonly start: number, readonly end: number) {
    this.wallStart = toWallTime(zone, start);
    this.wallLength = toWallTime(zone, end) - this.wallStart;
    if (this.wallLength <= 0) this.wallLength = end - start;
    // Every rule ends by the latest time there is, so no walk goes past it.
    const untilAt = Math.min(options.until ? options.until.getTime() / 1000 : Infinity, LATEST_INSTANT);
    const until = new Date(toWallTime(zone, untilAt) * 1000);
    this.options = { ...options, until, tzid: null };
    this.rule = new RRule({ ...this.options, dtstart: new Date(this.wallStart * 1000) });
    const unit = FIXED_PERIODS.get(options.freq as number);
    this.period = unit !== undefined && !options.count ? unit * (options.interval ?? 1) : undefined;
  }

  /**
   * The rule to expand from `wallFrom` on. The rrule library walks from
   * DTSTART on every call, which grows slow years after it; a rule of fixed
   * periods without COUNT yields the same occurrences from any DTSTART
   * moved by whole periods (same time of day, weekday and week phase), so
   * it starts from the last period boundary before `wallFrom` instead.
   */
  private ruleFrom(wallFrom: number): Rule {
    const k = this.period === undefined ? 0 : Math.floor((wallFrom - this.wallStart) / this.period);
    if (k <= 0) return this.rule;
    if (this.anchor?.k !== k) {
      const dtstart = new Date((this.wallStart + k * (this.period as number)) * 1000);
      this.anchor = { k, rule: new RRule({ ...this.options, dtstart }) };
    }
    return this.anchor.rule;
  }

  /**
   * Compiles `text` for a first window [start, end) in `zone`; returns the
   * problems instead when the rule does not parse or start is not one of its
   * occurrences (fields `rrule` and `start`).
   */
  static compile(text: string, zone: string, start: number, end: number): Recurrence | DowntimeProblem[] {
    const options = parseRuleText(text);
    if (typeof options === 'string') return [{ field: 'rrule', message: options }];
    let recurrence: Recurrence;
    try {
      recurrence = new Recurrence(options, zone, start, end);
      const [first] = recurrence.between(start, start + 1);
      if (first?.start === start) return recurrence;
      const next = recurrence.rule.after(new Date(toWallTime(zone, start) * 1000), true);
      if (!next) return [{ field: 'rrule', message: 'has no occurrence at or after start' }];
      const nextStart = fromWallTime(zone, next.getTime() / 1000);
      return [{ field: 'start', message: `is not an occurrence of the rule; its first at or after start is ${new Date(nextStart * 1000).toISOString()}` }];
    } catch (e) {
      return [{ field: 'rrule', message: `does not parse: ${(e as Error).message}` }];
    }
  }

  /** Whether the rule repeats itself exactly every period, so a long range can be expanded a piece at a time at no extra cost. */
  get periodic(): boolean {
    return this.period !== undefined;
  }

  /** The windows that overlap [from, to), in order of start; at most `limit` of them. */
  between(from: number, to: number, limit = MAX_EXPANSION): Occurrence[] {
    if (to <= from) return [];
    // Wall-time bounds widened by a day: offsets are at most ±14 h; exact filtering follows.
    const wallFrom = toWallTime(this.zone, from) - this.wallLength - 86_400;
    const after = new Date(wallFrom * 1000);
    const before = new Date((toWallTime(this.zone, to) + 86_400) * 1000);
    const out: Occurrence[] = [];
    const cap = Math.min(limit, MAX_EXPANSION);
    // The library hands each date within [after, before] to the iterator, which keeps those in range and stops at the cap.
    this.ruleFrom(wallFrom).between(after, before, true, (d) => {
      const wall = d.getTime() / 1000;
      const start = fromWallTime(this.zone, wall);
      const end = fromWallTime(this.zone, wall + this.wallLength);
      if (start < to && end > from) out.push({ start, end });
      return out.length < cap;
    });
    return out;
  }

  /** The windows that overlap [from, to), from the per-week cache when the range spans a few weeks (graphs of recent days). */
  windows(from: number, to: number): Occurrence[] {
    const first = Math.floor(from / SLAB);
    const last = Math.floor((to - 1) / SLAB);
    if (to <= from || last - first >= SLABS_KEPT / 2) return this.between(from, to);
    const out: Occurrence[] = [];
    let lastStart = -Infinity;
    for (let slab = first; slab <= last; slab++) {
      // A window spanning two weeks is in both; in start order, its second copy starts no later than the last one kept.
      for (const w of this.slab(slab)) {
        if (w.start > lastStart && w.start < to && (w.end as number) > from) out.push(w);
        lastStart = Math.max(lastStart, w.start);
      }
    }
    return out;
  }

  /** The window containing `t` (start ≤ t < end), the one ending last when windows overlap. */
  at(t: number): Occurrence | undefined {
    let found: Occurrence | undefined;
    for (const w of this.slab(Math.floor(t / SLAB))) {
      if (w.start > t) break;
      if (t < (w.end as number) && (!found || (w.end as number) > (found.end as number))) found = w;
    }
    return found;
  }

  /** The windows overlapping week `slab`, by start; the latest SLABS_KEPT weeks asked for are kept. */
  private slab(slab: number): readonly Occurrence[] {
    let windows = this.slabs.get(slab);
    if (!windows) {
      windows = this.between(slab * SLAB, (slab + 1) * SLAB);
      if (this.slabs.size >= SLABS_KEPT) this.slabs.delete(this.slabs.keys().next().value as number);
      this.slabs.set(slab, windows);
    }
    return windows;
  }
}
