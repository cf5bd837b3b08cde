/**
 * How a graph asks for its series: consolidated on the server to the
 * chart's width with the MIN/MAX envelope (GET /api/v1/fetch?width=N&
 * format=compact), one value a pixel column whatever the range.
 *
 * The rows path the client used before (about `width` rows a series as
 * [time, value] JSON, thinned in the browser: decimate.ts) stays for one
 * reason: `npm run bench -- web` measures both in the same run, and
 * selects it with sessionStorage `ringmon.graphFetch` = `rows`. Nothing in
 * the page sets it.
 */
import type { ConsolidationFunction, FetchedSeries, FetchOutcome, SeriesValues } from './api-types.js';
import { api } from './services.js';

const PATH_KEY = 'ringmon.graphFetch';

export interface GraphAsk {
  readonly start: number;
  readonly end: number;
  /** The chart's plot area's width in CSS pixels (the element's before a chart is laid out). */
  readonly width: number;
  readonly cf: ConsolidationFunction;
}

/** Rows as evenly spaced values (rows of one fetch are one step apart, the first at start + step). */
function rowValues(f: FetchedSeries): SeriesValues {
  return { series: f.series, ...(f.unit === undefined ? {} : { unit: f.unit }), start: f.start, step: f.step, values: f.rows.map(([, v]) => v) };
}

function rowsPath(): boolean {
  try {
    return sessionStorage.getItem(PATH_KEY) === 'rows';
  } catch {
    // Storage can be disabled (privacy modes): the page's own path then.
    return false;
  }
}

/** Each series of `series` over the ask, or why it has none. */
export function fetchGraph(series: readonly string[], ask: GraphAsk, signal: AbortSignal): Promise<FetchOutcome[]> {
  if (rowsPath()) {
    const range = { start: ask.start, end: ask.end, points: ask.width, cf: ask.cf };
    return api.fetchEach(series, async (names) => (await api.fetch(names, range, signal)).map(rowValues));
  }
  return api.fetchEach(series, (names) => api.fetchCompact(names, ask, signal));
}
