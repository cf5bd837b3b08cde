/**
 * The heatmap grid: rows are the series a pattern matches, columns are time
 * buckets of equal length aligned to multiples of the bucket since the Unix
 * epoch (UTC days for `1d`), one value a cell consolidated with the chosen
 * CF from the rows the archive answers for that time (the same fetch as GET
 * /api/v1/fetch, asking rows a 24th of the bucket, or of the bucket's size
 * when those would be too many: planRows). A cell
 * whose time holds no known row is null: nothing was imported then.
 *
 * Consolidation follows rrdtool's: AVERAGE weighs each row by the seconds
 * it shares with the bucket (a row coarser than the bucket counts in every
 * bucket it covers), MIN and MAX take the extreme, LAST the latest row's
 * value; UNKNOWN rows are left out, as rrdtool's xff of 1 would.
 *
 * Its cost is bounded before any row is read: the series count
 * (maxSeries), the bucket count (maxBuckets), and the rows all the archives
 * would answer, counted from their headers (maxRows, limits.fetchMaxRows);
 * past one, HeatmapQueryError names the field to change.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { InvalidQueryError, type ConsolidationFunction, type FetchedValues, type FetchOptions } from '../../archive/index.js';
import type { MetadataSnapshot } from '../metadata/index.js';
import { UnknownSeriesError, type SeriesReader } from '../store/index.js';
import { formatDuration } from '../../lib/duration.js';

export interface HeatmapQuery {
  /** A series glob (series-glob.ts), already checked. */
  readonly match: string;
  /** Unix seconds; the grid starts at `from` rounded down to the bucket, ends at `to` rounded up. */
  readonly from: number;
  readonly to: number;
  /** Seconds a column covers. */
  readonly bucket: number;
  readonly cf: ConsolidationFunction;
  /** The data source read; default each archive's first. */
  readonly ds?: string;
}

export interface HeatmapLimits {
  readonly maxSeries: number;
  readonly maxBuckets: number;
  /** Rows all the archives may answer together (limits.fetchMaxRows). */
  readonly maxRows: number;
}

export interface HeatmapRow {
  readonly series: string;
  /** The id of the series' node (metadata.key), when the metadata knows it. */
  readonly node?: string;
  /** That node's display name. */
  readonly displayName?: string;
  /** One value a bucket, null for no data. */
  readonly values: (number | null)[];
  /** Why the row has no values at all, when its archive could not be read (absent, damaged, lacking the CF or DS). */
  readonly problem?: string;
}

export interface Heatmap {
  /** The first bucket's start and the last one's end, Unix seconds. */
  readonly from: number;
  readonly to: number;
  readonly bucket: number;
  readonly cf: ConsolidationFunction;
  /** Bucket count: every row has this many values. */
  readonly columns: number;
  readonly rows: HeatmapRow[];
}

/** A query over a limit, or one that cannot be answered: `field` names the query parameter to change. */
export class HeatmapQueryError extends Error {
  override name = 'HeatmapQueryError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the grid reads: the store's fetch and listing, the metadata for names, a log for archives that cannot be read. */
export interface HeatmapSources {
  readonly store: Pick<SeriesReader, 'list' | 'fetchPlan' | 'fetchValues'>;
  readonly metadata?: () => MetadataSnapshot;
  readonly log?: { warn(fields: object, message: string): void };
}

/** [from, to) widened to whole buckets, and the bucket count; throws HeatmapQueryError past maxBuckets. */
export function bucketSpan(query: Pick<HeatmapQuery, 'from' | 'to' | 'bucket'>, maxBuckets: number): { from: number; to: number; columns: number } {
  const { bucket } = query;
  if (query.to <= query.from) throw new HeatmapQueryError('to', `${query.to} must be after from ${query.from}`);
  const from = Math.floor(query.from / bucket) * bucket;
  const to = Math.ceil(query.to / bucket) * bucket;
  const columns = (to - from) / bucket;
  if (columns > maxBuckets) {
    throw new HeatmapQueryError('bucket', `${formatDuration(to - from)} in buckets of ${formatDuration(bucket)} makes ${columns} columns; at most ${maxBuckets}: ask a larger bucket or a narrower range`);
  }
  return { from, to, columns };
}

/** The grid of `query`; throws HeatmapQueryError for a query over a limit (nothing read then). */
export async function heatmapGrid(sources: HeatmapSources, query: HeatmapQuery, limits: HeatmapLimits): Promise<Heatmap> {
  const span = bucketSpan(query, limits.maxBuckets);
  const listed = await sources.store.list(query.match);
  if (listed.length > limits.maxSeries) {
    throw new HeatmapQueryError('match', `'${query.match}' matches ${listed.length} series; a heatmap shows at most ${limits.maxSeries}: narrow the pattern`);
  }
  // A series whose time lies outside the grid still gets its row: all null.
  // Rows finer than the bucket first: an archive writes a row as coarse as
  // the bucket only once all its time has passed, so with those the bucket
  // of today, and the bucket in which a series stopped, would be UNKNOWN
  // though samples were imported then. Rows of the bucket's own size when
  // the finer ones would be more than the limit allows.
  const fine: FetchOptions = { cf: query.cf, start: span.from, end: span.to, resolution: Math.max(1, Math.floor(query.bucket / FINE_ROWS_PER_BUCKET)) };
  const coarse: FetchOptions = { ...fine, resolution: query.bucket };
  let fetch = fine;
  let planned = await planRows(sources, listed.map((l) => l.series), fine);
  if (rowTotal(planned) > limits.maxRows) {
    fetch = coarse;
    planned = await planRows(sources, listed.map((l) => l.series), coarse);
  }
  const total = rowTotal(planned);
  if (total > limits.maxRows) {
    throw new HeatmapQueryError('from', `the archives would answer ${total} rows for ${planned.length} series; limits.fetchMaxRows is ${limits.maxRows}: ask a narrower range or fewer series`);
  }
  const meta = sources.metadata?.();
  const rows: HeatmapRow[] = [];
  for (const p of planned) {
    // A turn of the event loop between series: a heatmap at its bounds (fetchMaxRows rows) does not hold up /healthz and other requests.
    await nextTurn();
    const node = meta?.nodeOf(p.series);
    const names = node === undefined ? {} : { node: node.id, ...(node.name === undefined ? {} : { displayName: node.name }) };
    let values: (number | null)[] = new Array<null>(span.columns).fill(null);
    let problem = p.problem;
    if (problem === undefined) {
      try {
        const read = await sources.store.fetchValues(p.series, fetch);
        const d = query.ds === undefined ? 0 : read.ds.indexOf(query.ds);
        if (d === -1) problem = `no data source '${query.ds}' (it has ${read.ds.join(', ')})`;
        else values = consolidate(read, d, span, query.bucket, query.cf);
      } catch (e) {
        problem = readProblem(p.series, e, sources.log);
      }
    }
    rows.push({ series: p.series, ...names, values, ...(problem === undefined ? {} : { problem }) });
  }
  return { from: span.from, to: span.to, bucket: query.bucket, cf: query.cf, columns: span.columns, rows };
}

/** Rows wanted per bucket when the limits allow: a day of hourly rows, an hour of 150 s rows. */
const FINE_ROWS_PER_BUCKET = 24;

interface PlannedRows {
  readonly series: string;
  readonly rows: number;
  readonly problem?: string;
}

/** How many rows each series' archive would answer for `fetch` (read from headers only). */
async function planRows(sources: HeatmapSources, series: readonly string[], fetch: FetchOptions): Promise<PlannedRows[]> {
  const planned: PlannedRows[] = [];
  for (const name of series) {
    try {
      planned.push({ series: name, rows: (await sources.store.fetchPlan(name, fetch)).rowCount });
    } catch (e) {
      planned.push({ series: name, rows: 0, problem: readProblem(name, e, sources.log) });
    }
  }
  return planned;
}

const rowTotal = (planned: readonly PlannedRows[]) => planned.reduce((sum, p) => sum + p.rows, 0);

/** Why a series' archive gives no rows; logged when it is a fault rather than a series without an archive. */
function readProblem(series: string, e: unknown, log: HeatmapSources['log']): string {
  if (e instanceof UnknownSeriesError) return e.held ? 'no archive yet: its samples wait while its cadence is learned' : 'no archive';
  if (e instanceof InvalidQueryError) return e.message;
  log?.warn({ err: e, series }, 'heatmap: cannot read the archive');
  return `its archive cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).name}); see the server log`;
}

/** One value a bucket from the rows of `read` (data source `d`), by `cf`. */
export function consolidate(read: FetchedValues, d: number, span: { from: number; to: number; columns: number }, bucket: number, cf: ConsolidationFunction): (number | null)[] {
  const acc = new Float64Array(span.columns).fill(Number.NaN);
  const weight = new Float64Array(span.columns);
  const width = read.ds.length;
  for (let k = 0; k < read.storedRows; k++) {
    const v = read.stored[k * width + d];
    if (!Number.isFinite(v)) continue;
    // Row i of the answer covers (start + i·step, start + (i+1)·step].
    const rowStart = read.start + (read.firstStored + k) * read.step;
    const rowEnd = rowStart + read.step;
    const first = Math.max(0, Math.floor((rowStart - span.from) / bucket));
    const last = Math.min(span.columns - 1, Math.ceil((rowEnd - span.from) / bucket) - 1);
    for (let b = first; b <= last; b++) {
      const shared = Math.min(rowEnd, span.from + (b + 1) * bucket) - Math.max(rowStart, span.from + b * bucket);
      if (shared <= 0) continue;
      const before = acc[b];
      switch (cf) {
        case 'AVERAGE':
          acc[b] = (Number.isNaN(before) ? 0 : before) + v * shared;
          weight[b] += shared;
          break;
        case 'MIN':
          acc[b] = Number.isNaN(before) || v < before ? v : before;
          break;
        case 'MAX':
          acc[b] = Number.isNaN(before) || v > before ? v : before;
          break;
        case 'LAST':
          acc[b] = v; // rows come oldest first
          break;
        default: {
          const never: never = cf;
          throw new Error(`unknown CF ${String(never)}`);
        }
      }
    }
  }
  return Array.from(acc, (a, b) => (Number.isNaN(a) ? null : cf === 'AVERAGE' ? a / weight[b] : a));
}
