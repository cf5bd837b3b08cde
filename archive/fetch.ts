/**
 * Reading an archive back: the same RRA choice, start/end rounding and rows
 * as rrdtool 1.7's rrd_fetch_fn.
 *
 * In three steps, so a caller can bound an answer before it costs anything:
 * planFetch chooses the RRA and counts the rows from the header alone;
 * readFetch reads the stored values those rows cover, and only those (rows
 * outside the RRA's retention are UNKNOWN by rule: rrdtool fills the whole
 * range with them, here they take no memory); fetchedRow builds one answer
 * row from what was read. fetchFromFile does all three for small answers.
 */
import type { ArchiveFile } from './archive-file.js';
import type { DsType } from './definition.js';
import type { ConsolidationFunction } from './definition.js';
import { InvalidQueryError } from './errors.js';

/**
 * The latest time a fetch range may reach: an archive orders times as whole
 * microseconds in one double (microsecondKey), exact up to here (2255-06-05).
 */
export const LATEST_FETCH_TIME = Math.floor(Number.MAX_SAFE_INTEGER / 1e6);

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

/** What a fetch will answer, decided from the header alone: no row is read. */
export interface FetchPlan {
  /** The RRA read (chooseRra). */
  readonly rra: number;
  /** Start as rounded down to the RRA's resolution; the first row is at start + step. */
  readonly start: number;
  /** End as rounded up; the last row is at end. */
  readonly end: number;
  readonly step: number;
  readonly ds: readonly string[];
  /** Each data source's type, as `ds`: a rate kind's rows are per second. */
  readonly dsTypes: readonly DsType[];
  /** How many rows the answer has: (end - start) / step. */
  readonly rowCount: number;
}

/** A plan with the stored values its rows cover: `storedRows` rows from row `firstStored` of the answer. */
export interface FetchedValues extends FetchPlan {
  readonly firstStored: number;
  readonly storedRows: number;
  /** storedRows × ds.length values, row by row; NaN is UNKNOWN. */
  readonly stored: Float64Array;
}

/**
 * The RRA, rounded range and row count rrdtool would answer. Throws
 * InvalidQueryError for times that are not whole seconds, an end before the
 * start, a bad resolution or a CF the archive lacks.
 */
export function planFetch(file: ArchiveFile, options: FetchOptions): FetchPlan {
  const { cf, resolution = 1 } = options;
  let { start, end } = options;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) throw new InvalidQueryError('start and end must be whole seconds');
  if (end < start) throw new InvalidQueryError(`start (${start}) should be less than end (${end})`);
  if (!Number.isSafeInteger(resolution) || resolution < 1) throw new InvalidQueryError(`resolution: must be whole seconds >= 1, got ${resolution}`);
  const rra = chooseRra(file, cf, start, end, resolution);
  if (rra < 0) throw new InvalidQueryError(`the archive has no RRA for CF ${cf}`);
  const step = file.definition.step * file.definition.rras[rra].pdpPerRow;
  start -= start % step;
  end += step - (end % step);
  const { dataSources } = file.definition;
  return { rra, start, end, step, ds: dataSources.map((d) => d.name), dsTypes: dataSources.map((d) => d.type), rowCount: (end - start) / step };
}

/** The stored values of `plan`'s rows that lie within its RRA's retention, read at once (one consistent view of the ring). */
export function readFetch(file: ArchiveFile, plan: FetchPlan): FetchedValues {
  const { rra: r, start, end, step } = plan;
  const rra = file.definition.rras[r];
  const lastUpdate = file.state.lastUpdate;
  const rraEnd = lastUpdate - (lastUpdate % step);
  const rraStart = rraEnd - step * (rra.rows - 1);
  // Both numerators are multiples of step, so these divisions are exact.
  const startOffset = (start + step - rraStart) / step;
  const endOffset = (rraEnd - end) / step;
  // Ring indices of the answer's rows (startOffset .. rra.rows - endOffset) that the ring holds.
  const firstInRing = Math.max(startOffset, 0);
  const lastInRing = Math.min(rra.rows - endOffset, rra.rows); // exclusive
  const storedRows = Math.max(lastInRing - firstInRing, 0);
  const stored = storedRows > 0 ? file.readRows(r, file.state.currentRow[r] + 1 + firstInRing, storedRows) : new Float64Array(0);
  return { ...plan, firstStored: firstInRing - startOffset, storedRows, stored };
}

/** Row `i` (0 ≤ i < rowCount) of a fetch: its time, then a value per DS, null for UNKNOWN. */
export function fetchedRow(values: FetchedValues, i: number): [number, ...(number | null)[]] {
  const row: [number, ...(number | null)[]] = [values.start + (i + 1) * values.step];
  const width = values.ds.length;
  const k = i - values.firstStored;
  if (k >= 0 && k < values.storedRows) {
    for (let d = 0; d < width; d++) {
      const v = values.stored[k * width + d];
      row.push(Number.isNaN(v) ? null : v);
    }
  } else {
    for (let d = 0; d < width; d++) row.push(null);
  }
  return row;
}

/** The whole answer as rows; for answers a caller has bounded (planFetch's rowCount). */
export function fetchFromFile(file: ArchiveFile, options: FetchOptions): FetchResult {
  const values = readFetch(file, planFetch(file, options));
  const rows: FetchResult['rows'] = [];
  for (let i = 0; i < values.rowCount; i++) rows.push(fetchedRow(values, i));
  return { start: values.start, end: values.end, step: values.step, ds: values.ds, rows };
}
