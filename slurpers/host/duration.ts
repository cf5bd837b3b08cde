/**
 * Durations as the config writes them: `30s`, `5m`, `1h`, `1d`, `250ms`,
 * `1.5s`, or a bare number of seconds. Seconds may be fractional, which
 * the scheduler's tests need and nobody else minds.
 */
const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400 };

/** Seconds that `text` stands for, or undefined when it is not a duration. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2] ?? 's'];
}

/** The shortest way to say `seconds`: 0.2 → `200ms`, 90 → `90s`, 300 → `5m`. */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    if (seconds % UNIT_SECONDS[unit] === 0) return `${seconds / UNIT_SECONDS[unit]}${unit}`;
  }
  return `${seconds}s`;
}
