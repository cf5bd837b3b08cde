/**
 * Turning API answers into what a graph draws: points per series, the
 * downtime windows touching its series as bands, threshold lines and alarm
 * markers of its series. Times go from Unix seconds / ISO to milliseconds.
 */
import type { Alarm, Downtime, FetchedSeries, Transition } from './api-types.js';
import type { ChartSeries } from './chart/chart-config.js';
import { decimate } from './chart/decimate.js';
import type { AlarmMarker, DowntimeBand, ThresholdMark } from './chart/overlay-types.js';
import { matchesAny } from './series-glob.js';

/** Each series as points over [start, end] (ms), thinned to min/max per column where it has more than two per column. */
export function toChartSeries(fetched: readonly FetchedSeries[], start: number, end: number, columns: number): ChartSeries[] {
  return fetched.map((f) => ({ label: f.series, unit: f.unit, points: decimate(f.rows.map(([t, v]) => ({ x: t * 1000, y: v })), start, end, columns) }));
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
