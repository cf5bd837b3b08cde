/**
 * Series patterns as the API writes them in downtime scopes: `*` within a
 * segment, `**` as a whole segment for one or more segments. Used to tell
 * which series an active downtime covers without asking per series.
 */

const cache = new Map<string, RegExp | null>();

/** The pattern as a regular expression; null for one the API would refuse. */
export function seriesGlob(pattern: string): RegExp | null {
  let re = cache.get(pattern);
  if (re !== undefined) return re;
  if (!/^[A-Za-z0-9_.*-]+$/.test(pattern) || pattern.split('.').some((s) => s === '' || (s !== '**' && s.includes('**')))) {
    re = null;
  } else {
    const segments = pattern.split('.').map((s) => (s === '**' ? '[^.]+(?:\\.[^.]+)*' : s.replaceAll('*', '[^.]*')));
    re = new RegExp(`^${segments.join('\\.')}$`);
  }
  cache.set(pattern, re);
  return re;
}

export function matchesAny(series: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => seriesGlob(p)?.test(series) ?? false);
}
