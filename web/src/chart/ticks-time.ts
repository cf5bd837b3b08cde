/**
 * Where a time axis puts its ticks: on round steps of the clock (1, 2, 5,
 * 10, 15, 30 s; the same in minutes; 1, 2, 3, 6, 12 h; days; months) in the
 * zone the page shows times in, the smallest step that leaves room for the
 * labels. chart.js's own ticks, thinned by its auto-skip, fell on odd times
 * once zoomed (`7:03:20`, `7:03:43`).
 */

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/** Clock steps in seconds, smallest first; months are counted apart (they differ in length). */
export const TIME_STEPS: readonly number[] = [1, 2, 5, 10, 15, 30, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY];
const MONTH_STEPS: readonly number[] = [1, 2, 3, 6, 12];
/** A month's step counts as this many seconds when the steps are compared. */
const MONTH = 30 * DAY;

/** A tick step: seconds, or whole months. */
export type TimeStep = { readonly seconds: number } | { readonly months: number };

/** The smallest round step that puts at most `maxTicks` ticks on a span of `spanSeconds`. */
export function timeStep(spanSeconds: number, maxTicks: number): TimeStep {
  const room = Math.max(1, maxTicks);
  const seconds = TIME_STEPS.find((s) => spanSeconds / s <= room);
  if (seconds !== undefined) return { seconds };
  return { months: MONTH_STEPS.find((m) => spanSeconds / (m * MONTH) <= room) ?? Math.ceil(spanSeconds / MONTH / room / 12) * 12 };
}

/** The step's length in seconds (a month as 30 days): what tick labels go by. */
export function stepSeconds(step: TimeStep): number {
  return 'seconds' in step ? step.seconds : step.months * MONTH;
}

/**
 * The ticks (ms) in [minMs, maxMs] at `step`, aligned on the wall clock of
 * a zone whose offset from UTC at a time is `offsetMinutes(ms)`: hours on
 * the hour, days at midnight, months on the 1st.
 */
export function timeTicks(minMs: number, maxMs: number, step: TimeStep, offsetMinutes: (ms: number) => number): number[] {
  const toWall = (ms: number) => ms + offsetMinutes(ms) * 60_000;
  // The offset at the wall time is near enough the one at the instant, but for the hour summer time shifts.
  const fromWall = (wall: number) => wall - offsetMinutes(wall - offsetMinutes(wall) * 60_000) * 60_000;
  const ticks: number[] = [];
  if ('seconds' in step) {
    const ms = step.seconds * 1000;
    for (let wall = Math.ceil(toWall(minMs) / ms) * ms; ; wall += ms) {
      const t = fromWall(wall);
      if (t > maxMs) break;
      if (t >= minMs) ticks.push(t);
    }
    return ticks;
  }
  const start = new Date(toWall(minMs));
  let month = start.getUTCFullYear() * 12 + start.getUTCMonth();
  month = Math.ceil(month / step.months) * step.months;
  for (; ; month += step.months) {
    const t = fromWall(Date.UTC(Math.floor(month / 12), month % 12, 1));
    if (t > maxMs) break;
    if (t >= minMs) ticks.push(t);
  }
  return ticks;
}
