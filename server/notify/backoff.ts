/**
 * How long a pending message waits before its next attempt: doubling from
 * `initial` up to `max`, then up to 20% less at random, so messages that
 * failed together (a relay restarting) do not all come back in the same
 * instant, and the wait never exceeds `max`.
 */
export interface RetrySettings {
  readonly initialSeconds: number;
  readonly maxSeconds: number;
}

/** The wait after the `attempt`-th failed attempt (1 for the first); `random` is in [0, 1). */
export function backoffSeconds(attempt: number, retry: RetrySettings, random: () => number = Math.random): number {
  const doublings = Math.min(Math.max(attempt - 1, 0), 52);
  const base = Math.min(retry.maxSeconds, retry.initialSeconds * 2 ** doublings);
  return base * (1 - 0.2 * random());
}
