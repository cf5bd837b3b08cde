/**
 * The old archive's history as time-ordered sources for a reshape, and the
 * fold that re-consolidates any time span from them.
 *
 * A source is a run of equal-length rows ending at a known time: an RRA's
 * ring (oldest row first), or a single partial row that the live state
 * holds (an RRA's CDP being built, the PDP being built). For each new RRA
 * the sources are put in order of preference and layered: at any instant
 * the data comes from the first source that covers it. The fold then reads,
 * for a span (a, b], every old row that overlaps it, weighted by the seconds
 * of overlap that are known:
 *   AVERAGE  the time-weighted mean of the known parts;
 *   MIN/MAX  the least/greatest known value of a row that overlaps the span;
 *   LAST     the known value of the latest row that overlaps the span.
 * A single old row that covers the whole span gives its value unchanged, so
 * rows copied between equal resolutions stay bit-exact.
 */
import type { ConsolidationFunction } from './definition.js';

export interface Source {
  /** Start (exclusive) of the first row, Unix seconds. */
  readonly lo: number;
  readonly rowSeconds: number;
  readonly rows: number;
  /** rows × old DS count values, oldest row first; NaN is UNKNOWN. */
  readonly values: Float64Array;
  /** Per value, the fraction of its row's seconds that is known; undefined: a value is known over its whole row unless NaN. */
  readonly known?: Float64Array;
}

export function sourceEnd(s: Source): number {
  return s.lo + s.rows * s.rowSeconds;
}

/** A stretch of time (lo, hi] served by one source. */
export interface Segment {
  readonly lo: number;
  readonly hi: number;
  readonly source: Source;
}

/** The timeline of `sources`, most preferred first: each instant goes to the first source covering it. */
export function layer(sources: readonly Source[]): Segment[] {
  const live = sources.filter((s) => s.rows > 0 && s.rowSeconds > 0);
  const points = [...new Set(live.flatMap((s) => [s.lo, sourceEnd(s)]))].sort((x, y) => x - y);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const lo = points[i];
    const hi = points[i + 1];
    const source = live.find((s) => s.lo <= lo && sourceEnd(s) >= hi);
    if (!source) continue;
    const previous = out[out.length - 1];
    if (previous && previous.source === source && previous.hi === lo) out[out.length - 1] = { lo: previous.lo, hi, source };
    else out.push({ lo, hi, source });
  }
  return out;
}

/** What a fold found for one DS over a span: the consolidated value of its known part, and how many seconds were known. */
export interface Folded {
  /** Per new DS; NaN when nothing was known. */
  readonly values: Float64Array;
  /** Per new DS: known seconds of the span. */
  readonly knownSeconds: Float64Array;
}

/**
 * Folds spans of a timeline. `dsMap[d]` is the old DS index of new DS d and
 * `oldWidth` the old DS count. Spans must be asked for in increasing time
 * (the folder walks the timeline once).
 */
export class SpanFolder {
  private next = 0;
  private readonly sum: Float64Array;
  private readonly pieces: Uint32Array;
  private readonly values: Float64Array;
  private readonly knownSeconds: Float64Array;

  constructor(
    private readonly segments: readonly Segment[],
    private readonly cf: ConsolidationFunction,
    private readonly dsMap: readonly number[],
    private readonly oldWidth: number,
  ) {
    const width = dsMap.length;
    this.sum = new Float64Array(width);
    this.pieces = new Uint32Array(width);
    this.values = new Float64Array(width);
    this.knownSeconds = new Float64Array(width);
  }

  /** Consolidates (a, b]; the result's arrays are reused by the next call. */
  fold(a: number, b: number): Folded {
    const { cf, dsMap, oldWidth, sum, pieces, values, knownSeconds } = this;
    const width = dsMap.length;
    sum.fill(0);
    pieces.fill(0);
    knownSeconds.fill(0);
    values.fill(NaN);
    while (this.next < this.segments.length && this.segments[this.next].hi <= a) this.next++;
    for (let k = this.next; k < this.segments.length && this.segments[k].lo < b; k++) {
      const { lo, hi, source } = this.segments[k];
      const from = Math.max(a, lo);
      const to = Math.min(b, hi);
      if (to <= from) continue;
      const rs = source.rowSeconds;
      const first = Math.floor((from - source.lo) / rs);
      const last = Math.min(Math.ceil((to - source.lo) / rs), source.rows) - 1;
      for (let r = first; r <= last; r++) {
        const rowLo = source.lo + r * rs;
        const overlap = Math.min(to, rowLo + rs) - Math.max(from, rowLo);
        if (overlap <= 0) continue;
        for (let d = 0; d < width; d++) {
          const i = r * oldWidth + dsMap[d];
          const v = source.values[i];
          if (Number.isNaN(v)) continue;
          const weight = overlap * (source.known ? source.known[i] : 1);
          if (!(weight > 0)) continue;
          knownSeconds[d] += weight;
          pieces[d]++;
          values[d] = combine(cf, values[d], v, pieces[d] === 1);
          if (cf === 'AVERAGE') sum[d] += v * weight;
        }
      }
    }
    if (cf === 'AVERAGE') {
      // One piece keeps its value exactly; several are weighted by their known seconds.
      for (let d = 0; d < width; d++) if (pieces[d] > 1) values[d] = sum[d] / knownSeconds[d];
    }
    return { values, knownSeconds };
  }
}

/** The running value of a fold after one more known piece `v` (later in time than the ones before). */
function combine(cf: ConsolidationFunction, sofar: number, v: number, first: boolean): number {
  if (first) return v;
  switch (cf) {
    case 'AVERAGE':
      return sofar; // computed from the weighted sum at the end
    case 'MIN':
      return v < sofar ? v : sofar;
    case 'MAX':
      return v > sofar ? v : sofar;
    case 'LAST':
      return v;
    default: {
      const never: never = cf;
      throw new Error(`unhandled CF ${String(never)}`);
    }
  }
}
