/**
 * The door of the store: why a sample cannot be stored, or undefined. Names
 * and times only; values are the archive's to judge. Used by ingest, by the
 * HTTP and Graphite doors (timeProblem, for their own messages) and by the
 * journal replay (a sample something else wrote must not stop the open).
 *
 * A time is refused when no archive could ever take it, so that nothing
 * acknowledged poisons its series:
 *   - before EARLIEST_SAMPLE_TIME: an archive starts one step before its
 *     first sample and cannot start before 1980 (archive/create.ts);
 *   - more than `limits.maxFutureSeconds` ahead of the server clock: an
 *     archive takes only times after its last update, so one sample from
 *     the year 5138 would lock its series for good.
 */
import { EARLIEST_START } from '../../archive/index.js';
import { formatElapsed } from '../../lib/duration.js';
import { checkSeriesName } from '../config-schema/index.js';
import type { JournaledSample } from '../journal/index.js';

/** The longest step an archive definition may have (archives.*.step's maximum, 4 weeks). */
const LONGEST_STEP = 28 * 86400;

/** The earliest time the store takes: 1980 plus room for the longest step before it (1980-01-27). */
export const EARLIEST_SAMPLE_TIME = EARLIEST_START + LONGEST_STEP;

/** `limits.maxFutureSeconds` by default: clocks a few minutes apart still agree. */
export const DEFAULT_MAX_FUTURE_SECONDS = 300;

/** What the door needs to know: the limits and the server clock (Unix seconds). */
export interface SampleLimits {
  readonly seriesNameLength: number;
  readonly maxFutureSeconds: number;
}

const YEAR = 365.25 * 86400;

/** Units a client may have sent instead of seconds, largest first. */
const WRONG_UNITS: readonly [factor: number, name: string][] = [
  [1e9, 'nanoseconds'],
  [1e6, 'microseconds'],
  [1e3, 'milliseconds'],
];

/**
 * Why `time` cannot be a sample's time at `now` (the end of a message:
 * "t: <problem>"), or undefined. A time far ahead that would be about now
 * in another unit says so ("looks like milliseconds").
 */
export function timeProblem(time: unknown, now: number, maxFutureSeconds: number): string | undefined {
  if (typeof time !== 'number' || !Number.isFinite(time)) return `must be a finite number of Unix seconds, got ${String(time)}`;
  if (time < EARLIEST_SAMPLE_TIME) {
    return `${time} is before ${EARLIEST_SAMPLE_TIME} (${new Date(EARLIEST_SAMPLE_TIME * 1000).toISOString().slice(0, 10)}), the earliest time an archive can hold`;
  }
  const ahead = time - now;
  if (ahead <= maxFutureSeconds) return undefined;
  const years = ahead / YEAR;
  const howFar = years < 10 ? formatElapsed(ahead) : years < 1e9 ? `${Math.round(years)} years` : `${years.toPrecision(3)} years`;
  const unit = WRONG_UNITS.find(([factor]) => time / factor > now / 2 && time / factor < now * 2);
  const hint = unit ? `; looks like ${unit[1]} (${time} / ${unit[0]} = ${time / unit[0]})` : '';
  return `${time} is ${howFar} ahead of the server clock (${Math.floor(now)}); limits.maxFutureSeconds is ${maxFutureSeconds}${hint}`;
}

/**
 * The server's own series (node states, server/nodes/node-series.ts) live
 * under this prefix: only the server writes there, so a client cannot skew
 * a count of nodes up by posting `ringmon.nodes.x.up` itself.
 */
export const SERVER_SERIES_PREFIX = 'ringmon.';

/**
 * Why `s` cannot be stored at `now`, or undefined. With `knownSeries` the
 * name is not checked again (it was when the series was first seen);
 * without `own`, a name under SERVER_SERIES_PREFIX is refused whether known
 * or not (one startsWith a sample).
 */
export function sampleProblem(s: JournaledSample, knownSeries: boolean, limits: SampleLimits, now: number, own = false): string | undefined {
  if (typeof s.series !== 'string') return 'series must be a string';
  if (!own && s.series.startsWith(SERVER_SERIES_PREFIX)) return `series '${s.series}': names under '${SERVER_SERIES_PREFIX}' are the server's own series`;
  const nameProblem = knownSeries ? undefined : checkSeriesName(s.series, limits.seriesNameLength);
  if (nameProblem !== undefined) return `series ${nameProblem}`;
  const badTime = timeProblem(s.time, now, limits.maxFutureSeconds);
  if (badTime !== undefined) return `time ${badTime}`;
  if (s.value !== null && typeof s.value !== 'number') return `value must be a number or null, got ${typeof s.value}`;
  return undefined;
}
