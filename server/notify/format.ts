/** How values, times and alarm events are written for people, in subjects and bodies alike; how long, by lib/duration.ts formatElapsed, as reports do. */
import type { AlarmNotice } from './model.js';

/** A sample value: up to 6 significant digits, no exponent for everyday sizes (97.2, 0.0031, 1234567). */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e15 || abs < 1e-6)) return value.toPrecision(6);
  return String(Number(value.toPrecision(abs >= 1e6 ? 15 : 6)));
}

/** `2026-11-24 20:15:03 UTC`: unambiguous for readers in any zone. */
export function formatTime(unixSeconds: number): string {
  const iso = new Date(Math.floor(unixSeconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
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
 * led by the node's display name when metadata gives one: `Broker one: broker.age.b01 = 40 (> 36)`.
 */
export function describeEvent(notice: AlarmNotice): string {
  const value = notice.value === null ? '' : ` = ${formatValue(notice.value)}`;
  const why = notice.kind === 'recovery' ? `was ${notice.previous}` : notice.threshold;
  const node = notice.displayName === undefined ? '' : `${notice.displayName}: `;
  return `${node}${notice.series}${value}${why === null || why === '' ? '' : ` (${why})`}`;
}

/** Text safe inside HTML elements and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One line: control characters (a CR or LF could end a mail header) become spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}
