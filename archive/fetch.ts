/**
 * Reading an archive back: the same RRA choice, start/end rounding and rows
 * as rrdtool 1.7's rrd_fetch_fn.
 */
import type { ArchiveFile } from './archive-file.js';
import type { ConsolidationFunction } from './definition.js';
import { InvalidQueryError } from './errors.js';

export interface FetchOptions {
  readonly cf: ConsolidationFunction;
  /** Unix seconds. */
  readonly start: number;
  readonly end: number;
  /** Wanted seconds per row; the RRA whose resolution is nearest wins. rrdtool's default is 1 (the finest). */
  readonly resolution?: number;
}

export interface FetchResult {
  /** Start as rounded down to the chosen resolution; the first row is at start + step. */
  readonly start: number;
  /** End as rounded up; the last row is at end. */
  readonly end: number;
  readonly step: number;
  readonly ds: readonly string[];
  /** One row per step from start + step to end: [time, value per DS]; null is UNKNOWN. */
  readonly rows: Array<[number, ...(number | null)[]]>;
}

/** Which RRA rrdtool would read for this query; -1 when none has a usable CF. */
export function chooseRra(file: ArchiveFile, cf: ConsolidationFunction, start: number, end: number, resolution: number): number {
  const { step, rras } = file.definition;
  const lastUpdate = file.state.lastUpdate;
  let bestFull = -1;
  let bestFullDiff = 0;
  let bestPart = -1;
  let bestPartDiff = 0;
  let bestMatch = 0;
  rras.forEach((rra, i) => {
    // A one-PDP-per-row RRA serves every CF: each row is a single PDP.
    if (!(rra.cf === cf || rra.pdpPerRow === 1)) return;
    const rowSeconds = rra.pdpPerRow * step;
    const calEnd = lastUpdate - (lastUpdate % rowSeconds);
    const calStart = calEnd - rowSeconds * rra.rows;
    const stepDiff = Math.abs(resolution - rowSeconds);
    if (calStart <= start) {
      if (bestFull < 0 || stepDiff < bestFullDiff) {
        bestFull = i;
        bestFullDiff = stepDiff;
      }
    } else {
      const match = end - start - (calStart - start);
      if (bestPart < 0 || bestMatch < match || (bestMatch === match && stepDiff < bestPartDiff)) {
        bestPart = i;
        bestMatch = match;
        bestPartDiff = stepDiff;
      }
    }
  });
  return bestFull >= 0 ? bestFull : bestPart;
}

export function fetchFromFile(file: ArchiveFile, options: FetchOptions): FetchResult {
  const { cf, resolution = 1 } = options;
  let { start, end } = options;
  if (!Number.isInteger(start) || !Number.isInteger(end)) throw new InvalidQueryError('start and end must be whole seconds');
  if (end < start) throw new InvalidQueryError(`start (${start}) should be less than end (${end})`);
  if (!Number.isInteger(resolution) || resolution < 1) throw new InvalidQueryError(`resolution: must be whole seconds >= 1, got ${resolution}`);
  const r = chooseRra(file, cf, start, end, resolution);
  if (r < 0) throw new InvalidQueryError(`the archive has no RRA for CF ${cf}`);
  const rra = file.definition.rras[r];
  const step = file.definition.step * rra.pdpPerRow;
  start -= start % step;
  end += step - (end % step);
  const lastUpdate = file.state.lastUpdate;
  const rraEnd = lastUpdate - (lastUpdate % step);
  const rraStart = rraEnd - step * (rra.rows - 1);
  // Both numerators are multiples of step, so these divisions are exact.
  const startOffset = (start + step - rraStart) / step;
  const endOffset = (rraEnd - end) / step;
  const width = file.definition.dataSources.length;
  const firstInRing = Math.max(startOffset, 0);
  const lastInRing = Math.min(rra.rows - endOffset, rra.rows); // exclusive
  const current = file.state.currentRow[r];
  const stored = lastInRing > firstInRing ? file.readRows(r, current + 1 + firstInRing, lastInRing - firstInRing) : new Float64Array(0);
  const rows: FetchResult['rows'] = [];
  let t = start + step;
  for (let i = startOffset; i < rra.rows - endOffset; i++, t += step) {
    const row: [number, ...(number | null)[]] = [t];
    if (i >= firstInRing && i < lastInRing) {
      const base = (i - firstInRing) * width;
      for (let d = 0; d < width; d++) {
        const v = stored[base + d];
        row.push(Number.isNaN(v) ? null : v);
      }
    } else {
      for (let d = 0; d < width; d++) row.push(null);
    }
    rows.push(row);
  }
  return { start, end, step, ds: file.definition.dataSources.map((d) => d.name), rows };
}
