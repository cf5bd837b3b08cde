/**
 * Turning names from other tools (perfdata labels, Prometheus label values,
 * JSON keys) into ringmon series names (the contract's SERIES_NAME_PATTERN).
 *
 * The rule applied: every character outside A-Z a-z 0-9 _ - becomes `_`, and
 * an empty segment becomes `_`. It is not one-to-one (`a b` and `a_b` meet);
 * slurpers that can produce clashes check for them.
 */

import { HOST_SERIES, isSeriesName, MAX_SERIES_LENGTH } from '../../contract.js';

/** One segment: dots are replaced too, so the text cannot add levels. */
export function seriesSegment(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9_-]/gu, '_');
  return clean === '' ? '_' : clean;
}

/** A dotted path: dots separate segments, each cleaned as `seriesSegment`. */
export function seriesPath(text: string): string {
  return text.split('.').map(seriesSegment).join('.');
}

/**
 * The samples the host will accept, by name. A name the host reserves gets
 * `_` appended (munin's if_ plugin has a field `up`); of several samples
 * with one name the first is kept; a name too long with the instance prefix
 * is left out and reported through `note`, so one odd label costs one
 * series, not the run (the host refuses a whole run for any of these).
 */
export function admitSamples<T extends { readonly series: string }>(samples: readonly T[], instance: string, note: (why: string) => void): T[] {
  const seen = new Set<string>();
  const admitted: T[] = [];
  for (const sample of samples) {
    const series = HOST_SERIES.includes(sample.series) ? `${sample.series}_` : sample.series;
    const why = seen.has(series) ? 'a second series of this name (names from different labels met after cleaning)'
      : instance.length + 1 + series.length > MAX_SERIES_LENGTH ? `longer than ${MAX_SERIES_LENGTH} characters with the instance name`
      : !isSeriesName(series) ? 'not a valid series name'
      : undefined;
    seen.add(series);
    if (why !== undefined) note(`left out series ${series.slice(0, 80)}: ${why}`);
    else admitted.push(series === sample.series ? sample : { ...sample, series });
  }
  return admitted;
}
