/**
 * Wall time in a named IANA zone (a downtime's `timezone`), which is not
 * the browser's: what a clock in Europe/Berlin reads at an instant. Built
 * on Intl, so the zone rules are the browser's own.
 */

export interface WallTime {
  readonly year: number;
  /** 1 to 12. */
  readonly month: number;
  readonly day: number;
  /** 0 to 23. */
  readonly hour: number;
  readonly minute: number;
  /** 0 for Sunday to 6 for Saturday, as Date.getDay counts. */
  readonly weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    // en-US with h23: numeric parts and short weekday names that do not depend on the page's locale.
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    formats.set(zone, format);
  }
  return format;
}

/** The wall time at `unixSeconds` in `zone`; throws RangeError for a zone the browser does not know. */
export function wallTime(unixSeconds: number, zone: string): WallTime {
  const parts = Object.fromEntries(formatIn(zone).formatToParts(unixSeconds * 1000).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `02:00`: the wall clock's hours and minutes, 24 h. */
export function clockText(w: WallTime): string {
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** The value of an `<input type="datetime-local">` showing `unixSeconds` as wall time in `zone`. */
export function zonedInput(unixSeconds: number, zone: string): string {
  const w = wallTime(unixSeconds, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${clockText(w)}`;
}
