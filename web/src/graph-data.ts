/**
 * Turning API answers into what a graph draws: points per series, the
 * downtime windows touching its series as bands, threshold lines and alarm
 * markers of its series. Times go from Unix seconds / ISO to milliseconds.
 */
import type { Alarm, Downtime, SeriesValues, Transition } from './api-types.js';
import type { ChartPoint, ChartSeries } from './chart/chart-config.js';
import { decimate } from './chart/decimate.js';
import type { AlarmMarker, DowntimeBand, ThresholdMark } from './chart/overlay-types.js';
import { matchesAny } from './series-glob.js';

/** Value i of `values` as a point at the end of its span (ms). */
const pointsOf = (f: SeriesValues, values: readonly (number | null)[]): ChartPoint[] => values.map((y, i) => ({ x: (f.start + (i + 1) * f.step) * 1000, y }));

/**
 * Each series as points over [start, end] (ms): with the envelope the server
 * consolidated (a value a column already; a band where it has any width),
 * or, for rows, thinned to min/max per column where there are more than
 * two per column.
 */
export function toChartSeries(fetched: readonly SeriesValues[], start: number, end: number, columns: number): ChartSeries[] {
  return fetched.map((f) => {
    const points = pointsOf(f, f.values);
    const { min, max } = f;
    if (min === undefined || max === undefined) return { label: f.series, unit: f.unit, points: decimate(points, start, end, columns) };
    // A point a row (the rows fit the width) has its envelope on its line: no band to draw.
    if (min.every((low, i) => low === max[i])) return { label: f.series, unit: f.unit, points };
    return { label: f.series, unit: f.unit, points, envelope: { low: pointsOf(f, min), high: pointsOf(f, max) } };
  });
}

/** Every window of the downtimes covering any of `series`, one band each. */
export function downtimeBands(downtimes: readonly Downtime[], series: readonly string[]): DowntimeBand[] {
  const bands: DowntimeBand[] = [];
  for (const d of downtimes) {
    if (!series.some((s) => matchesAny(s, d.scope.series))) continue;
    for (const w of d.windows ?? [{ start: d.start, end: d.end }]) {
      bands.push({ id: d.id, kind: d.kind, start: Date.parse(w.start), end: w.end === null ? null : Date.parse(w.end), reason: d.reason, author: d.author, scope: d.scope.series });
    }
  }
  return bands;
}

/** The threshold lines of `series`, each with its series' unit (`units`, by series). */
export function thresholdMarks(alarms: readonly Alarm[] | null, series: readonly string[], units: ReadonlyMap<string, string | undefined> = new Map()): ThresholdMark[] {
  const marks: ThresholdMark[] = [];
  for (const a of alarms ?? []) {
    if (!series.includes(a.series)) continue;
    for (const level of ['warning', 'critical'] as const) {
      const t = a.thresholds[level];
      if (!t) continue;
      for (const value of [t.low, t.high]) if (value !== null && Number.isFinite(value)) marks.push({ level, value, series: a.series, rule: a.rule, unit: units.get(a.series) });
    }
  }
  return marks;
}

export function alarmMarkers(transitions: readonly Transition[] | null, series: readonly string[]): AlarmMarker[] {
  return (transitions ?? [])
    .filter((t) => series.includes(t.series))
    .map((t) => ({ at: Date.parse(t.at), series: t.series, rule: t.rule, from: t.from, to: t.to, value: t.value, threshold: t.threshold, suppressed: t.suppressed }));
}
