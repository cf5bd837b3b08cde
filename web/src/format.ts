/** How numbers, times and errors read on the page: times in the chosen clock and zone, compact values. */
import { loadTimeSettings, saveTimeSettings, type TimeSettings } from './time-settings.js';

/** What to show of a thrown value: an Error's message, anything else as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Every time on the page is written by the formatters below, built from the
 * time settings (time-settings.ts): one clock (the locale's or 24 h) and one
 * zone (the browser's or UTC) everywhere, in tables, hover cards and chart
 * ticks alike.
 */
interface TimeFormats {
  readonly settings: TimeSettings;
  /** Date and time to the minute: tables. */
  readonly minute: Intl.DateTimeFormat;
  /** To the second with the zone: hover cards, last contacts. */
  readonly zoned: Intl.DateTimeFormat;
  /** Clock time only, to the minute or the second: chart ticks. */
  readonly clockMinute: Intl.DateTimeFormat;
  readonly clockSecond: Intl.DateTimeFormat;
  /** Day and month: ticks a day or more apart, and the day under the first tick of each day. */
  readonly day: Intl.DateTimeFormat;
  /** The zone's short name (`UTC`, `CET`). */
  readonly zone: Intl.DateTimeFormat;
}

function buildFormats(settings: TimeSettings): TimeFormats {
  const base: Intl.DateTimeFormatOptions = { ...(settings.utc ? { timeZone: 'UTC' } : {}), ...(settings.clock === '24h' ? { hourCycle: 'h23' } : {}) };
  const make = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(undefined, { ...base, ...options });
  return {
    settings,
    minute: make({ year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
    zoned: make({ year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' }),
    clockMinute: make({ hour: '2-digit', minute: '2-digit' }),
    clockSecond: make({ hour: '2-digit', minute: '2-digit', second: '2-digit' }),
    day: make({ month: 'short', day: 'numeric' }),
    zone: make({ timeZoneName: 'short' }),
  };
}

let formats = buildFormats(loadTimeSettings());

/** The time settings in force. */
export function timeSettings(): TimeSettings {
  return formats.settings;
}

/** Makes `settings` the way every later formatted time reads (and keeps it for the next visit). */
export function applyTimeSettings(settings: TimeSettings): void {
  saveTimeSettings(settings);
  formats = buildFormats(settings);
}

/** The short name of the zone times are shown in, at `ms` (it changes with summer time): `UTC`, `CET`, `GMT+2`. */
export function zoneName(ms = Date.now()): string {
  return formats.zone.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/** Minutes to add to UTC for the shown zone's wall time at `ms`: chart ticks fall on its round hours and midnights. */
export function zoneOffsetMinutes(ms: number): number {
  return formats.settings.utc ? 0 : -new Date(ms).getTimezoneOffset();
}

export function formatTime(value: string | number | null): string {
  if (value === null) return 'open';
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(value);
  return Number.isFinite(ms) ? formats.minute.format(ms) : String(value);
}

/**
 * A time (Unix seconds) to the second with its zone: "7 Dec 2026, 15:40:05
 * UTC". Where times of machines are compared (a node's last contact), the
 * zone is said and the seconds count.
 */
export function formatZonedTime(unixSeconds: number): string {
  return formats.zoned.format(unixSeconds * 1000);
}

/**
 * A chart tick at `ms`, on ticks `stepSeconds` apart: the clock time (to the
 * second when the step is under a minute), the day for steps of a day or
 * more, and the day under the clock on the first tick of each day (`newDay`).
 */
export function formatTick(ms: number, stepSeconds: number, newDay: boolean): string | string[] {
  if (stepSeconds >= 86_400) return formats.day.format(ms);
  const clock = (stepSeconds < 60 ? formats.clockSecond : formats.clockMinute).format(ms);
  return newDay ? [clock, formats.day.format(ms)] : clock;
}

/** The day `ms` falls on in the shown zone, as a number that changes at its midnights. */
export function dayNumber(ms: number): number {
  return Math.floor((ms + zoneOffsetMinutes(ms) * 60_000) / 86_400_000);
}

/**
 * A length of time in seconds with its unit: "45 s", "2.5 min", "1 h",
 * "3 d" (one decimal below ten, whole numbers above). Every duration the
 * page shows goes through here, so units read the same everywhere.
 */
export function formatDuration(seconds: number): string {
  const s = Math.abs(seconds);
  const [amount, unit] = s < 120 ? [s, 's'] : s < 3600 ? [s / 60, 'min'] : s < 172_800 ? [s / 3600, 'h'] : [s / 86_400, 'd'];
  const shown = amount < 10 ? Math.round(amount * 10) / 10 : Math.round(amount);
  return `${seconds < 0 ? '-' : ''}${shown.toLocaleString()} ${unit}`;
}

/** "42 s ago", "3 h ago": how old a time (Unix seconds) is at `now`. */
export function formatAge(unixSeconds: number, now: number): string {
  return `${formatDuration(Math.max(0, Math.round(now - unixSeconds)))} ago`;
}

/** A time as the value of an `<input type="datetime-local">` (wall time in the shown zone, to the minute). */
export function toLocalInput(unixSeconds: number): string {
  const ms = unixSeconds * 1000;
  const d = new Date(ms + zoneOffsetMinutes(ms) * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** The value of an `<input type="datetime-local">` (wall time in the shown zone) as Unix seconds; NaN when empty or invalid. */
export function fromLocalInput(value: string): number {
  const wall = value ? Date.parse(`${value}Z`) : Number.NaN;
  return Number.isFinite(wall) ? Math.floor((wall - zoneOffsetMinutes(wall) * 60_000) / 1000) : Number.NaN;
}
