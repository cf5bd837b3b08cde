/**
 * Times as clients write them: Unix seconds, or ISO 8601 with or without an
 * offset. Shared by the API and the CLI (which adds `now` and relative
 * forms on top, cli/downtime/time-input.ts).
 *
 *   1796112000                       Unix seconds (a number, or digits in a string)
 *   2026-12-01T08:00Z                ISO 8601 in UTC; seconds and fractions optional
 *   2026-12-01T09:00:00+01:00        ISO 8601 with an offset
 *   2026-12-01T09:00                 no offset: wall time in the given zone (default UTC)
 *
 * Fractions of a second are dropped: downtimes are kept in whole seconds.
 */
import { fromWallTime } from './time-zone.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Latest time accepted, 2199-12-31T23:59:59Z; the earliest is 0, 1970-01-01.
 * A time beyond is a typo (0001 for 2026), and recurring downtimes are
 * expanded no further (recurrence.ts), which bounds every expansion.
 */
export const LATEST_INSTANT = 7_258_118_399;
const RANGE = `times are from 1970-01-01 to 2199-12-31 (Unix seconds 0 to ${LATEST_INSTANT})`;

/** The Unix second `value` names, or the problem with it (to follow the field name). `zone` reads times without an offset. */
export function parseInstant(value: number | string, zone = 'UTC'): number | string {
  if (typeof value === 'number' || /^\d+$/.test(value)) {
    const t = Math.floor(Number(value));
    return Number.isFinite(t) && t >= 0 && t <= LATEST_INSTANT ? t : `${value} is out of range: ${RANGE}`;
  }
  const m = ISO.exec(value.trim());
  if (!m) return `'${value}' is not a time: use ISO 8601 (2026-12-01T08:00Z) or Unix seconds`;
  const [, y, mo, d, h, mi, s = '0', offset] = m;
  // Checked before Date.UTC, which reads years 0–99 as 1900–1999 (0001 became 1901).
  if (Number(y) < 1970 || Number(y) > 2199) return `'${value}' is out of range: ${RANGE}`;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
  // Date.UTC rolls 2026-02-30 over into March; a date that does not round-trip does not exist.
  const back = new Date(wall * 1000);
  if (back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return `'${value}' is not a valid date and time`;
  }
  let t: number;
  if (offset === undefined) t = fromWallTime(zone, wall);
  else if (offset.toUpperCase() === 'Z') t = wall;
  else {
    const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
    if (!om) return `'${value}' has a malformed offset`;
    t = wall - (Number(om[2]) * 3600 + Number(om[3] ?? 0) * 60) * (om[1] === '-' ? -1 : 1);
  }
  // 1970-01-01T00:30+01:00 is still 1969 in UTC.
  return t >= 0 && t <= LATEST_INSTANT ? t : `'${value}' is out of range: ${RANGE}`;
}

/** A Unix second as ISO 8601 in UTC, without fractions: 2026-12-01T08:00:00Z. */
export function formatInstant(t: number): string {
  return new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
