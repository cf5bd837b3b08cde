/**
 * A timestamp as a JSON API gives it, to Unix seconds: ISO 8601 text, or a
 * number (or numeric text) counting seconds or milliseconds since 1970,
 * which the caller says — guessing the unit from the size would misread
 * old or far-future values without a word.
 *
 *     2026-12-07T13:40:11Z   2026-12-07T13:40:11.5+01:00   2026-12-07 13:40
 *     2026-12-07  (midnight)  1796651011 (epoch: seconds)   1796651011000 (milliseconds)
 *
 * Text without an offset is read as UTC, never as the server's local time:
 * the same document must give the same age wherever ringmon runs.
 */

export type EpochUnit = 'seconds' | 'milliseconds';

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/iu;

/** Unix seconds of an ISO 8601 date or date-time, or undefined when the text is not one (or names no real day or time). */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = ISO_8601.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part)));
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`);
  const millis = Date.UTC(year!, month! - 1, day!, hour, minute, second);
  // Date.UTC rolls 2026-02-30 over into March: a field out of range is not a timestamp.
  const back = new Date(millis);
  if (back.getUTCMonth() !== month! - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (m[8] !== undefined && m[8].toUpperCase() !== 'Z') {
    const digits = m[8].slice(1).replace(':', '');
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    if (digits.length === 3 || minutes > 18 * 60) return undefined;
    offset = (m[8].startsWith('-') ? -1 : 1) * minutes * 60;
  }
  return millis / 1000 + fraction - offset;
}

/** Unix seconds of a JSON value read as a timestamp, or undefined when it is none. */
export function timestampOf(value: unknown, epoch: EpochUnit): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/u.test(value) ? Number(value) : NaN;
  if (Number.isFinite(n)) return epoch === 'milliseconds' ? n / 1000 : n;
  return typeof value === 'string' ? parseIsoTimestamp(value) : undefined;
}
