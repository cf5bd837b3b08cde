/**
 * The steps a series' archive may get when ringmon chooses it (from the
 * interval its source declares or the one inferred from its first samples),
 * and how an interval snaps to one of them.
 *
 * Snapping takes the largest step not above the interval plus 10 %: a run
 * that comes a little early (jitter, a declared 9.8 s) still gets its own
 * cadence's step, while an interval between two steps gets the finer one, so
 * every step of the archive holds at least one sample. An interval below the
 * first step gets the first step; above the last, the last.
 */

/**
 * 1s 5s 10s 15s 30s 1m 2m 5m 10m 15m 30m 1h 6h 12h 1d 2d 1w 2w 4w, in
 * seconds: up to a day each divides a day; beyond, whole days for the jobs
 * that run every other day, weekly, fortnightly or monthly. It stops at 4
 * weeks, the longest step an archive may have (sample-check.ts keeps room
 * for it before 1980), and the shortest month: a monthly job's gaps (28 to
 * 31 days) all snap to it, and its heartbeat of 3 steps (default-template.ts)
 * spans any month. A slower source needs an `archives` rule.
 */
export const STEP_LADDER: readonly number[] = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 21600, 43200, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400];

/** How far above a step an interval may fall short of it and still get it (10 %: a run a little early). */
const EARLY_TOLERANCE = 1.1;

/** The ladder step for `intervalSeconds` (> 0; NaN or ≤ 0 gives the first step). */
export function snapToLadder(intervalSeconds: number): number {
  let chosen = STEP_LADDER[0];
  for (const step of STEP_LADDER) if (step <= intervalSeconds * EARLY_TOLERANCE) chosen = step;
  return chosen;
}
