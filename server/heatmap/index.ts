/**
 * Heatmaps: series × time buckets, one consolidated value a cell
 * (grid.ts), coloured by classes (classes.ts), as JSON for the web view
 * (server/routes/heatmap.ts) or as a PNG for mail (render.ts, lib/png.ts).
 *
 * For a report that embeds a heatmap: `heatmapPng(sources, view, { to })`
 * gives the PNG bytes of a configured view (config `heatmaps.views`) ending
 * at `to`, with the grid it drew (names and times for the text around it);
 * attach it to the mail as an inline image (`cid:`). It throws
 * HeatmapQueryError when the view is over the limits, as the API refuses.
 */
import type { ConsolidationFunction } from '../../archive/index.js';
import type { ColourScale } from './classes.js';
import type { HeatmapView } from './config-section.js';
import { heatmapGrid, type Heatmap, type HeatmapLimits, type HeatmapSources } from './grid.js';
import { MAX_IMAGE_SIDE, renderHeatmapPng, type CellSize } from './render.js';

export { classLabels, classOf, DEFAULT_SCALE, readClassText, type ColourClass, type ColourScale } from './classes.js';
export { BUCKET_RANGE, DEFAULT_HEATMAPS, heatmapsSection, MAX_RANGE, type HeatmapsSettings, type HeatmapView } from './config-section.js';
export { bucketSpan, consolidate, heatmapGrid, HeatmapQueryError, type Heatmap, type HeatmapLimits, type HeatmapQuery, type HeatmapRow, type HeatmapSources } from './grid.js';
export { imageSize, MAX_IMAGE_SIDE, renderHeatmapPng, type CellSize } from './render.js';

/** The colour scale of a view. */
export function viewScale(view: Pick<HeatmapView, 'classes' | 'noData'>): ColourScale {
  return { noData: view.noData, classes: view.classes };
}

export interface HeatmapPngOptions {
  /** End of the heatmap, Unix seconds (rounded up to the bucket). */
  readonly to: number;
  /** Start; default `to` minus the view's range. */
  readonly from?: number;
  readonly cf?: ConsolidationFunction;
  /** Default 16 × 12 pixels a cell; smaller where the picture would pass MAX_IMAGE_SIDE. */
  readonly cell?: CellSize;
  /** Default: the `heatmaps` section's maxSeries and maxBuckets, and limits.fetchMaxRows. */
  readonly limits: HeatmapLimits;
}

export const DEFAULT_CELL: CellSize = { cellWidth: 16, cellHeight: 12 };

/** A configured view as a PNG and the grid it shows (see the header for how a report uses it). */
export async function heatmapPng(sources: HeatmapSources, view: HeatmapView, options: HeatmapPngOptions): Promise<{ png: Buffer; grid: Heatmap }> {
  const query = { match: view.match, from: options.from ?? options.to - view.range, to: options.to, bucket: view.bucket, cf: options.cf ?? view.cf, ...(view.ds === undefined ? {} : { ds: view.ds }) };
  const grid = await heatmapGrid(sources, query, options.limits);
  const want = options.cell ?? DEFAULT_CELL;
  const fit = (count: number, pixels: number) => Math.max(1, Math.min(pixels, Math.floor(MAX_IMAGE_SIDE / Math.max(1, count))));
  const cell = { cellWidth: fit(grid.columns, want.cellWidth), cellHeight: fit(grid.rows.length, want.cellHeight) };
  return { png: renderHeatmapPng(grid, viewScale(view), cell), grid };
}
