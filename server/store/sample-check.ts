/**
 * The door of the store: why a sample cannot be stored, or undefined. Names
 * and times only; values are the archive's to judge. Used by ingest and by
 * the journal replay (a sample something else wrote must not stop the open).
 */
import { EARLIEST_START } from '../../archive/index.js';
import { checkSeriesName } from '../config-schema/index.js';
import type { JournaledSample } from '../journal/index.js';

/**
 * Why `s` cannot be stored, or undefined. With `knownSeries` the name is not
 * checked again (it was when the series was first seen).
 */
export function sampleProblem(s: JournaledSample, knownSeries: boolean, seriesNameLength: number): string | undefined {
  if (typeof s.series !== 'string') return 'series must be a string';
  const nameProblem = knownSeries ? undefined : checkSeriesName(s.series, seriesNameLength);
  if (nameProblem !== undefined) return `series ${nameProblem}`;
  if (typeof s.time !== 'number' || !Number.isFinite(s.time)) return `time must be a finite number of seconds, got ${String(s.time)}`;
  if (s.time <= EARLIEST_START) return `time ${s.time} is before 1980`;
  if (s.value !== null && typeof s.value !== 'number') return `value must be a number or null, got ${typeof s.value}`;
  return undefined;
}
