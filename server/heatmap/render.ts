/**
 * The heatmap as a PNG picture (lib/png.ts): one rectangle of `cellWidth` ×
 * `cellHeight` pixels a cell, rows top to bottom in the grid's order,
 * buckets left to right, each filled with its class's colour (classes.ts),
 * the no-data colour where the cell is null. No text: a mail or a report
 * puts names, times and the legend beside it (heatmapPng's caller knows
 * them from the grid).
 */
import { encodePng, MAX_PNG_SIDE } from '../../lib/png.js';
import { classOf, rgbOf, type ColourScale } from './classes.js';
import type { Heatmap } from './grid.js';

export interface CellSize {
  readonly cellWidth: number;
  readonly cellHeight: number;
}

/** Largest side of a heatmap picture: well past any mail reader's width, far below what would weigh on the server. */
export const MAX_IMAGE_SIDE = Math.min(MAX_PNG_SIDE, 8192);

/** The picture's width and height for `columns` × `rows` cells. */
export function imageSize(columns: number, rows: number, size: CellSize): { width: number; height: number } {
  return { width: columns * size.cellWidth, height: Math.max(1, rows) * size.cellHeight };
}

/** The PNG of `grid` coloured by `scale`. Throws RangeError past MAX_IMAGE_SIDE (callers check imageSize first). */
export function renderHeatmapPng(grid: Pick<Heatmap, 'columns' | 'rows'>, scale: ColourScale, size: CellSize): Buffer {
  const { width, height } = imageSize(grid.columns, grid.rows.length, size);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) throw new RangeError(`heatmap picture ${width}×${height} is over ${MAX_IMAGE_SIDE} pixels a side`);
  const palette = [rgbOf(scale.noData), ...scale.classes.map((c) => rgbOf(c.colour))];
  const pixels = new Uint8Array(width * height * 3);
  const line = new Uint8Array(width * 3);
  grid.rows.forEach((row, r) => {
    row.values.forEach((value, c) => {
      const rgb = palette[classOf(scale.classes, value) + 1];
      for (let x = c * size.cellWidth; x < (c + 1) * size.cellWidth; x++) line.set(rgb, x * 3);
    });
    for (let y = r * size.cellHeight; y < (r + 1) * size.cellHeight; y++) pixels.set(line, y * width * 3);
  });
  // A grid without series is one row of cells without data.
  if (grid.rows.length === 0) for (let p = 0; p < width * height; p++) pixels.set(palette[0], p * 3);
  return encodePng({ width, height, pixels });
}
