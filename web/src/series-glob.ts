/**
 * Series patterns as the API writes them in downtime scopes: `*` within a
 * segment, `**` as a whole segment for one or more segments. Used to tell
 * which series an active downtime covers without asking per series, and by
 * the overview's filter box.
 *
 * The browser's copy of server/config-schema/series-glob.ts (web/ imports
 * only itself), with the same answers: a pattern whose syntax the API
 * refuses is null here. The API's size limits (at most 4 `**`) are checked
 * where patterns come in, not here: a scope filed before them still shows.
 * Matching never backtracks: `*` is matched
 * greedily piece by piece within a segment, `**` by one pass per pattern
 * segment over the name's segments, so a hostile pattern costs at most the
 * name's length times the pattern's segment count.
 */

/** Patterns kept compiled; the filter box makes a new one per keystroke. */
const MAX_CACHED = 1000;

/** A compiled pattern: whether a series name matches it. */
export interface SeriesMatcher {
  test(name: string): boolean;
}

const cache = new Map<string, SeriesMatcher | null>();

function valid(pattern: string): boolean {
  if (!/^[A-Za-z0-9_.*-]+$/.test(pattern)) return false;
  return !pattern.split('.').some((s) => s === '' || (s !== '**' && s.includes('**')));
}

/** Whether one name segment matches one pattern segment split at its stars. */
function segmentMatches(pieces: readonly string[], segment: string): boolean {
  if (pieces.length === 1) return pieces[0] === segment;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (segment.length < first.length + last.length || !segment.startsWith(first) || !segment.endsWith(last)) return false;
  let at = first.length;
  const end = segment.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const found = segment.indexOf(pieces[i], at);
    if (found < 0 || found + pieces[i].length > end) return false;
    at = found + pieces[i].length;
  }
  return true;
}

function compile(pattern: string): SeriesMatcher {
  // null for `**`, else the segment split at its stars.
  const steps = pattern.split('.').map((s) => (s === '**' ? null : s.split('*')));
  const fixed = steps.filter((s) => s !== null).length;
  const open = fixed < steps.length;
  return {
    test(name: string): boolean {
      const segments = name.split('.');
      const n = segments.length;
      if (open ? n < steps.length : n !== fixed) return false;
      // reached[i]: the steps so far cover exactly the first i segments.
      let reached = new Uint8Array(n + 1);
      reached[0] = 1;
      for (const step of steps) {
        const next = new Uint8Array(n + 1);
        let any = false;
        if (step === null) {
          let before = 0;
          for (let i = 0; i <= n; i++) {
            next[i] = before;
            any ||= before === 1;
            before |= reached[i];
          }
        } else {
          for (let i = 0; i < n; i++) {
            if (reached[i] && segmentMatches(step, segments[i])) {
              next[i + 1] = 1;
              any = true;
            }
          }
        }
        if (!any) return false;
        reached = next;
      }
      return reached[n] === 1;
    },
  };
}

/** The pattern's matcher; null for one the API would refuse. */
export function seriesGlob(pattern: string): SeriesMatcher | null {
  let matcher = cache.get(pattern);
  if (matcher !== undefined) return matcher;
  matcher = valid(pattern) ? compile(pattern) : null;
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(pattern, matcher);
  return matcher;
}

export function matchesAny(series: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => seriesGlob(p)?.test(series) ?? false);
}
