/** How values, times and alarm events are written for people, in subjects, bodies and templates alike; how long, by lib/duration.ts formatElapsed, as reports do. */
import { formatElapsed } from '../../lib/duration.js';
import type { AlarmNotice } from './model.js';

/**
 * A sample value for people: three significant digits, the integer part
 * never cut. An integer is written whole (5, 1234567); a fraction to three
 * significant digits, trailing zeros kept to show it was rounded
 * (30.0004 → 30.0, 97.25 → 97.3, 0.00031 → 0.000310); from 100 on, to the
 * nearest integer (1234.56 → 1235); below 1e-6, with an exponent (1.00e-9).
 */
export function formatValue(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  // toPrecision(3) would write 999.6 as 1.00e+3.
  if (abs >= 99.95) return String(Math.round(value));
  return value.toPrecision(3);
}

/** A value with its unit when it has one: `30.0 hours`, `97.3 %`; the unit is one line. */
export function formatQuantity(value: number, unit: string | undefined): string {
  const u = unit === undefined ? '' : oneLine(unit);
  return u === '' ? formatValue(value) : `${formatValue(value)} ${u}`;
}

/** `2026-11-24 20:15:03 UTC`: unambiguous for readers in any zone. */
export function formatTime(unixSeconds: number): string {
  const iso = new Date(Math.floor(unixSeconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** `2026-12-01 07:55:00 UTC (for 5m)`: when the status began, and how long it had lasted at the event (nothing for a status that began with it). */
export function sinceText(notice: AlarmNotice): string {
  const lasted = notice.at - notice.since;
  return lasted < 1 ? formatTime(notice.since) : `${formatTime(notice.since)} (for ${formatElapsed(lasted)})`;
}

/** `2026-12-01 06:10:00 UTC (1h 50m before)`: the last sample, against the event's time; the time alone when it was not before it. */
export function lastSampleText(lastSampleAt: number, at: number): string {
  return lastSampleAt < at ? `${formatTime(lastSampleAt)} (${formatElapsed(at - lastSampleAt)} before)` : formatTime(lastSampleAt);
}

/** What the notice says in a word or two: `CRITICAL`, `RECOVERED`, `still CRITICAL`. */
export function headline(notice: AlarmNotice): string {
  switch (notice.kind) {
    case 'problem':
      return notice.status;
    case 'recovery':
      return 'RECOVERED';
    case 'reminder':
      return `still ${notice.status}`;
    case 'downtime-over':
      return `${notice.status} after downtime`;
    default: {
      const unknown: never = notice.kind;
      throw new Error(`unknown notice kind ${String(unknown)}`);
    }
  }
}

/**
 * `host.web01.cpu.user = 97.2 (> 95)`, `host.web01.cpu.user = 42 (was CRITICAL)`, `host.db.up (no data for 10m)`;
 * led by the node's display name when metadata gives one, the value with the rule's unit: `Broker one: broker.age.b01 = 40.5 hours (> 36)`.
 */
export function describeEvent(notice: AlarmNotice): string {
  const value = notice.value === null ? '' : ` = ${formatQuantity(notice.value, notice.unit)}`;
  const why = notice.kind === 'recovery' ? `was ${notice.previous}` : notice.threshold;
  const node = notice.displayName === undefined ? '' : `${notice.displayName}: `;
  return `${node}${notice.series}${value}${why === null || why === '' ? '' : ` (${why})`}`;
}

/** Whether the notice's previous status is worth telling: a problem from OK says nothing by it, and a new series has no previous status at all (it starts as OK). */
export function tellsPrevious(notice: AlarmNotice): boolean {
  return !(notice.kind === 'problem' && notice.previous === 'OK');
}

/** Text safe inside HTML elements and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One line: control characters (a CR or LF could end a mail header) become spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}
