/**
 * A recurring downtime's rule in words: `every Monday 02:00–04:00
 * Europe/Berlin`, `every 2 weeks on Tuesday and Friday …`, `every month
 * on the first Monday …`. The window's times are those of its first
 * window, as wall time in the downtime's zone (where the server repeats
 * it, server/downtimes/recurrence.ts). Rule parts this does not word
 * (BYSETPOS, BYHOUR…) are not guessed at: the rule follows in brackets.
 */
import { formatDuration } from './format.js';
import { clockText, wallTime, type WallTime } from './wall-time.js';

/** What the wording needs of a downtime (api-types.ts Downtime has it). */
export interface RecurringWindow {
  readonly rrule: string;
  /** ISO 8601: the first window. */
  readonly start: string;
  readonly end: string | null;
  readonly timezone: string;
}

const DAY_NAMES: Record<string, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };
const BY_GETDAY = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ORDINALS: Record<string, string> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '5': 'fifth', '-1': 'last', '-2': 'second-to-last' };
const PERIODS: Record<string, readonly [string, string]> = { HOURLY: ['hour', 'hours'], DAILY: ['day', 'days'], WEEKLY: ['week', 'weeks'], MONTHLY: ['month', 'months'], YEARLY: ['year', 'years'] };
/** The parts worded here; WKST changes nothing a person reads. */
const WORDED = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'COUNT', 'UNTIL', 'WKST']);

/** `Monday, Tuesday and Friday` */
function listText(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A BYDAY item (`MO`, `1MO`, `-1FR`) in words: `Monday`, `the first Monday`; undefined when it is not one. */
function dayText(item: string): string | undefined {
  const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item.trim().toUpperCase());
  if (!m) return undefined;
  if (m[1] === undefined) return DAY_NAMES[m[2]];
  const ordinal = ORDINALS[String(Number(m[1]))];
  return ordinal ? `the ${ordinal} ${DAY_NAMES[m[2]]}` : undefined;
}

/** The window's time of day: `02:00–04:00`, `22:00–02:00 (next day)`, `:15–:35` hourly, `from 02:00 for 3 d` when a day or longer. */
function windowText(freq: string, first: WallTime, last: WallTime | null, seconds: number | null): string {
  if (last === null || seconds === null) return `from ${clockText(first)}, open`;
  if (freq === 'HOURLY' && seconds < 3600) return `${clockText(first).slice(2)}–${clockText(last).slice(2)}`;
  if (seconds >= 86_400) return `from ${clockText(first)} for ${formatDuration(seconds)}`;
  const nextDay = last.day !== first.day ? ' (next day)' : '';
  return `${clockText(first)}–${clockText(last)}${nextDay}`;
}

/** Every `n`th period, with the days or dates it falls on. */
function periodText(freq: string, interval: number, parts: ReadonlyMap<string, string>, first: WallTime): string | undefined {
  const names = PERIODS[freq];
  if (!names) return undefined;
  const every = interval > 1 ? `every ${interval} ${names[1]}` : `every ${names[0]}`;
  const days = parts.get('BYDAY')?.split(',').map(dayText);
  if (days?.some((d) => d === undefined)) return undefined;
  const dayList = listText((days ?? []) as string[]);
  const monthDays = parts.get('BYMONTHDAY');
  switch (freq) {
    case 'HOURLY':
    case 'DAILY':
      return days ? (interval > 1 ? `${every} on ${dayList}` : `every ${dayList}`) : every;
    case 'WEEKLY': {
      const on = dayList || BY_GETDAY[first.weekday];
      return interval > 1 ? `${every} on ${on}` : `every ${on}`;
    }
    case 'MONTHLY':
      if (days) return `${every} on ${dayList}`;
      return `${every} on day ${monthDays ? listText(monthDays.split(',')) : first.day}`;
    default:
      return monthDays || days ? undefined : `${every} on ${first.day} ${MONTHS[first.month - 1]}`;
  }
}

/** `, 5 times`, `, until 2027-01-31`: where the rule stops. */
function limitText(parts: ReadonlyMap<string, string>): string {
  const count = parts.get('COUNT');
  const until = parts.get('UNTIL');
  if (count) return `, ${count} time${count === '1' ? '' : 's'}`;
  const m = until ? /^(\d{4})(\d{2})(\d{2})/.exec(until) : null;
  return m ? `, until ${m[1]}-${m[2]}-${m[3]}` : '';
}

/** The rule of a recurring downtime in words, with its window's times and zone. */
export function describeRecurrence(d: RecurringWindow): string {
  const raw = d.rrule.trim().replace(/^RRULE:/i, '');
  const parts = new Map(
    raw
      .split(';')
      .filter((p) => p.includes('='))
      .map((p) => {
        const [key, value] = p.split('=');
        return [key.trim().toUpperCase(), value.trim().toUpperCase()] as const;
      }),
  );
  const start = Date.parse(d.start) / 1000;
  const end = d.end === null ? null : Date.parse(d.end) / 1000;
  let first: WallTime;
  try {
    first = wallTime(start, d.timezone);
  } catch {
    return `repeats: ${raw} (${d.timezone})`;
  }
  const freq = parts.get('FREQ') ?? '';
  const interval = Number(parts.get('INTERVAL') ?? '1');
  const period = Number.isInteger(interval) && interval >= 1 ? periodText(freq, interval, parts, first) : undefined;
  const when = windowText(freq, first, end === null ? null : wallTime(end, d.timezone), end === null ? null : end - start);
  const unworded = [...parts.keys()].some((k) => !WORDED.has(k));
  if (period === undefined) return `repeats: ${raw}, ${when} ${d.timezone}`;
  return `${period} ${when} ${d.timezone}${limitText(parts)}${unworded ? ` (${raw})` : ''}`;
}
