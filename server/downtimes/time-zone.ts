/**
 * Wall-clock time in an IANA time zone, with nothing but Intl: the offset of
 * a zone at an instant, and the instant a local date and time stands for.
 *
 * "Wall time" here is a local date and time written as if it were UTC:
 * Tuesday 06:00 in Europe/Berlin is Date.UTC(…, 6, 0) whatever the offset.
 * Recurrence rules are expanded in wall time (recurrence.ts) and each
 * occurrence converted here, so the result never depends on the zone of the
 * process running the server.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True for a zone name Intl knows (`Europe/Berlin`, `UTC`); offsets like `+01:00` are not zones. */
export function isTimeZone(zone: string): boolean {
  if (zone === '' || /^[+-]/.test(zone)) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Seconds to add to UTC to get `zone`'s wall time at Unix second `t` (3600 for Berlin in winter). */
export function zoneOffset(zone: string, t: number): number {
  if (zone === 'UTC') return 0;
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(t * 1000))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) / 1000;
  return wall - Math.floor(t);
}

/** The wall time (seconds, as if UTC) in `zone` at Unix second `t`. */
export function toWallTime(zone: string, t: number): number {
  return t + zoneOffset(zone, t);
}

/**
 * The Unix second a wall time stands for in `zone`. A wall time that occurs
 * twice (the hour repeated when clocks go back) is the first of the two; one
 * that does not occur (the hour skipped when clocks go forward) is moved
 * forward by the gap, so 02:30 on that day is 03:30 local.
 */
export function fromWallTime(zone: string, wall: number): number {
  if (zone === 'UTC') return wall;
  // Offsets a day either side: zones change offset at most once in two days.
  const before = zoneOffset(zone, wall - 86_400);
  const after = zoneOffset(zone, wall + 86_400);
  const early = wall - before;
  const late = wall - after;
  const earlyFits = zoneOffset(zone, early) === before;
  const lateFits = zoneOffset(zone, late) === after;
  if (earlyFits && lateFits) return Math.min(early, late);
  if (earlyFits) return early;
  if (lateFits) return late;
  // In the gap: read with the offset before the change, which lands after it.
  return early;
}
