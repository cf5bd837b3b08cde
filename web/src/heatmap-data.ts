/**
 * The heatmap view's data: the answers of GET /api/v1/heatmap and
 * /api/v1/heatmaps, which query a page state asks, and what a cell says
 * (its colour from the class the server gave it, its value with the unit,
 * its time range) and where a click on it leads (the graph of its series
 * over its bucket). Pure functions, unit-tested apart from the element.
 */
import type { ConsolidationFunction } from './api-types.js';
import { formatTime } from './format.js';
import { formatUnit } from './units.js';
import { hrefFor } from './navigation.js';
import { DEFAULT_STATE } from './url-state.js';

export interface HeatmapClass {
  readonly max?: number;
  readonly colour: string;
  readonly label: string;
}

export interface HeatmapRow {
  readonly series: string;
  readonly node?: string;
  readonly displayName?: string;
  readonly values: readonly (number | null)[];
  /** Each value's index in `classes`; -1 for no data. */
  readonly cellClasses: readonly number[];
  readonly problem?: string;
}

export interface Heatmap {
  readonly view?: string;
  readonly title?: string;
  readonly match: string;
  readonly from: number;
  readonly to: number;
  readonly bucket: number;
  readonly columns: number;
  readonly cf: ConsolidationFunction;
  readonly unit?: string;
  readonly noData: string;
  readonly classes: readonly HeatmapClass[];
  readonly series: readonly HeatmapRow[];
}

/** A configured view, as GET /api/v1/heatmaps lists it. */
export interface HeatmapViewInfo {
  readonly name: string;
  readonly title?: string;
  readonly match: string;
  readonly bucket: number;
  readonly range: number;
  readonly cf: ConsolidationFunction;
  readonly unit?: string;
}

/** What the page asks: a view, or a pattern (over the view's), the bucket, the range and the CF. */
export interface HeatmapAsk {
  readonly view?: string;
  readonly match?: string;
  /** A duration text (`1d`) or seconds. */
  readonly bucket?: string;
  readonly from: number;
  readonly to: number;
  readonly cf?: ConsolidationFunction;
}

/** The buckets the page offers. */
export const BUCKETS = ['1h', '6h', '1d', '7d'] as const;

/** A bucket for a range when neither the URL nor the view says: about 24 to 60 columns. */
export function autoBucket(seconds: number): string {
  if (seconds <= 2 * 86_400) return '1h';
  if (seconds <= 10 * 86_400) return '6h';
  if (seconds <= 92 * 86_400) return '1d';
  return '7d';
}

/** The colour of cell `col` of `row`. */
export function cellColour(map: Pick<Heatmap, 'classes' | 'noData'>, row: HeatmapRow, col: number): string {
  const c = row.cellClasses[col];
  return c === undefined || c < 0 ? map.noData : (map.classes[c]?.colour ?? map.noData);
}

/** The start and end (Unix seconds) of column `col`. */
export function cellRange(map: Pick<Heatmap, 'from' | 'bucket'>, col: number): { from: number; to: number } {
  const from = map.from + col * map.bucket;
  return { from, to: from + map.bucket };
}

/** A value with the map's unit: "5%", "1.5 GiB", "no data". */
export function valueText(value: number | null, unit: string | undefined): string {
  return value === null ? 'no data' : formatUnit(value, unit);
}

/** A row's name as people read it: the display name with the series, or the series alone. */
export function rowLabel(row: Pick<HeatmapRow, 'series' | 'displayName'>): string {
  return row.displayName === undefined ? row.series : `${row.displayName} (${row.series})`;
}

/** What hovering a cell says: its series, its time range and its value with the unit. */
export function cellText(map: Heatmap, row: HeatmapRow, col: number): string {
  const { from, to } = cellRange(map, col);
  return `${rowLabel(row)} · ${formatTime(from)} – ${formatTime(to)} · ${map.cf} ${valueText(row.values[col] ?? null, map.unit)}`;
}

/** The graph of one series over one cell's bucket. */
export function cellHref(map: Heatmap, series: string, col: number): string {
  return hrefFor({ ...DEFAULT_STATE, view: 'graph', series: [series], range: cellRange(map, col), cf: map.cf });
}

/** The graph of one series over the whole heatmap. */
export function rowHref(map: Heatmap, series: string): string {
  return hrefFor({ ...DEFAULT_STATE, view: 'graph', series: [series], range: { from: map.from, to: map.to }, cf: map.cf });
}

/** The column headers: a time every `every` columns, at most about 40 labels (a month of days is labelled day by day). */
export function columnLabels(map: Pick<Heatmap, 'from' | 'bucket' | 'columns'>): (string | null)[] {
  const every = Math.max(1, Math.ceil(map.columns / 40));
  const day = map.bucket % 86_400 === 0;
  // Day buckets are UTC days (the server aligns them to the epoch): named by their UTC date.
  const dateOnly = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return Array.from({ length: map.columns }, (_, c) => {
    if (c % every !== 0) return null;
    const t = (map.from + c * map.bucket) * 1000;
    return day ? dateOnly.format(t) : formatTime(t / 1000);
  });
}
