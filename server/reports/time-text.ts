/** Times as reports show them: ISO UTC for the record, a short duration for people. */
import { formatInstant } from '../downtimes/time-input.js';

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/** `2026-11-24T00:30:00Z`: whole seconds, as alarm times are. */
export function isoUtc(seconds: number): string {
  return formatInstant(Math.floor(seconds));
}

/**
 * The two largest units that are not zero, rounded down: `3d 4h`, `5h`,
 * `12m 5s`, `0s`. Two are enough to tell a fresh problem from an old one.
 */
export function humanDuration(seconds: number): string {
  let rest = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  for (const [name, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count}${name}`);
    if (parts.length === 2) break;
  }
  const shown = parts.filter((part) => !part.startsWith('0'));
  return shown.length === 0 ? '0s' : shown.join(' ');
}
