/**
 * The proper dotted prefixes of a series name, longest first:
 * `web01.http.status` → `web01.http`, `web01`. Instance names prefix their
 * series this way, so the instance (and its agent or node) of a series is
 * the first prefix that names one.
 */
export function* dottedPrefixes(series: string): Generator<string> {
  for (let end = series.lastIndexOf('.'); end > 0; end = series.lastIndexOf('.', end - 1)) yield series.slice(0, end);
}
