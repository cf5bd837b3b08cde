/**
 * Graph time ranges: a preset slides with the clock (the last hour, day...),
 * a custom range (typed in, or zoomed to) is fixed. A preset's name is a
 * duration of lib/duration.ts and lasts what the server reads it as (a month
 * 31 days, a year 366, as rrdtool's); the client imports only its own files,
 * so test/web/time-range.test.ts checks that the two agree.
 */

export const RANGE_PRESETS = ['1h', '6h', '1d', '1w', '1M', '1y'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export type TimeRange = { readonly preset: RangePreset } | { readonly from: number; readonly to: number };

const DAY = 86_400;
const PRESET_SECONDS: Record<RangePreset, number> = { '1h': 3600, '6h': 6 * 3600, '1d': DAY, '1w': 7 * DAY, '1M': 31 * DAY, '1y': 366 * DAY };

export const PRESET_LABELS: Record<RangePreset, string> = { '1h': '1 hour', '6h': '6 hours', '1d': '1 day', '1w': '1 week', '1M': '1 month', '1y': '1 year' };

export function isPreset(value: string): value is RangePreset {
  return (RANGE_PRESETS as readonly string[]).includes(value);
}

/** [start, end] in Unix seconds, as of `now` (seconds). */
export function resolveRange(range: TimeRange, now: number): { start: number; end: number } {
  if ('preset' in range) {
    const end = Math.floor(now);
    return { start: end - PRESET_SECONDS[range.preset], end };
  }
  return { start: range.from, end: range.to };
}

export function sameRange(a: TimeRange, b: TimeRange): boolean {
  if ('preset' in a || 'preset' in b) return 'preset' in a && 'preset' in b && a.preset === b.preset;
  return a.from === b.from && a.to === b.to;
}

/** The range a graph opens with: long enough to see a trend, short enough that a new install's minutes of data fill it. */
export const DEFAULT_PRESET: RangePreset = '6h';
export const DEFAULT_RANGE: TimeRange = { preset: DEFAULT_PRESET };

/** How far into the range the first value must be before the default range is cut to it. */
const FIT_SHARE = 0.05;

/**
 * Where a graph over the default range starts (ms): where its values begin
 * (`firstValue`, ms; null for none), a step (`stepMs`) before, when that is
 * well into the range — series younger than the range fill the chart, not
 * its last minutes; otherwise the range's own `start`. Any other range is
 * shown as asked.
 */
export function fittedStart(range: TimeRange, start: number, end: number, firstValue: number | null, stepMs: number): number {
  if (!('preset' in range) || range.preset !== DEFAULT_PRESET || firstValue === null) return start;
  return firstValue - start > (end - start) * FIT_SHARE ? Math.max(start, firstValue - stepMs) : start;
}
