/** How numbers, times and errors read on the page: local time, compact values. */

/** What to show of a thrown value: an Error's message, anything else as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

const zonedFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });

export function formatTime(value: string | number | null): string {
  if (value === null) return 'open';
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(value);
  return Number.isFinite(ms) ? timeFormat.format(ms) : String(value);
}

/**
 * A time (Unix seconds) to the second with its zone: "7 Dec 2026, 15:40:05
 * UTC". Where times of machines are compared (a node's last contact), the
 * zone is said and the seconds count.
 */
export function formatZonedTime(unixSeconds: number): string {
  return zonedFormat.format(unixSeconds * 1000);
}

export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'unknown';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toLocaleString();
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

/** A time as the value of an `<input type="datetime-local">` (local wall time, to the minute). */
export function toLocalInput(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of an `<input type="datetime-local">` as Unix seconds; NaN when empty or invalid. */
export function fromLocalInput(value: string): number {
  return value ? Math.floor(new Date(value).getTime() / 1000) : Number.NaN;
}
