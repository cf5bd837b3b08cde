/**
 * Series patterns, as in `archives.rules[].match`. A pattern is dotted
 * segments like a series name, where
 *
 *   *    within a segment matches any run of characters except the dot,
 *        including none: `web*` matches `web` and `web01`; `host.*.cpu` matches
 *        `host.web01.cpu` but not `host.web01.disk.cpu`
 *   **   as a whole segment matches one or more whole segments:
 *        `host.**` matches `host.a` and `host.a.b.c` but not `host`;
 *        `**.cpu.user` matches any series ending in `.cpu.user` after at least one segment;
 *        `**` alone matches every series
 *
 * Everything else matches itself; matching is case-sensitive and covers the
 * whole name. Only series-name characters (A-Z a-z 0-9 _ -), dots and stars
 * may appear, so a pattern meant for another syntax (a regex, `{a,b}`,
 * `[0-9]`) is refused rather than silently matching nothing.
 *
 * Matching never backtracks: a name is split into segments once, `*` within
 * a segment is matched greedily piece by piece (leftmost is always right for
 * a glob of `*` alone), and `**` by one pass per pattern segment over the
 * name's segments, keeping the set of name positions reached. The time is
 * at most the name's length times the pattern's segment count, whatever
 * the pattern (a RegExp took 49 s for `**.**.**.**.**.**.zz` against a
 * 126-segment name). The limits below keep that product small; they are
 * checked at every door by checkSeriesGlob. seriesGlob itself compiles any
 * pattern of the right syntax, so a stored downtime filed before a limit
 * existed still loads.
 *
 * web/src/series-glob.ts is a copy for the browser (web/ imports only
 * itself); test/server/config-schema/series-glob.test.ts runs one table
 * against both.
 */

/** Most `**` segments in one pattern. */
export const MAX_GLOB_DOUBLE_STARS = 4;
/** Most segments in one pattern: a 255-character series name has at most 128. */
export const MAX_GLOB_SEGMENTS = 128;
/** Longest pattern, in characters. */
export const MAX_GLOB_LENGTH = 1024;

/** A compiled pattern: whether a series name matches it. */
export interface SeriesMatcher {
  test(name: string): boolean;
}

/** The problem with the pattern's characters and segments, or undefined. */
function syntaxProblem(pattern: string): string | undefined {
  if (pattern === '') return 'must not be empty';
  const bad = /[^A-Za-z0-9_.*-]/.exec(pattern);
  if (bad) {
    return `'${bad[0]}' is not allowed in a pattern; use A-Z a-z 0-9 _ - in dotted segments, * within a segment and ** for whole segments`;
  }
  for (const segment of pattern.split('.')) {
    if (segment === '') return `'${pattern}' has an empty segment (a dot at the start or end, or two dots in a row)`;
    if (segment !== '**' && segment.includes('**')) return `'${segment}': ** must be a whole segment, as in host.**.cpu`;
  }
  return undefined;
}

/** The problem with a pattern, as a message; undefined when it is a valid pattern within the limits. */
export function checkSeriesGlob(pattern: string): string | undefined {
  if (pattern.length > MAX_GLOB_LENGTH) return `is ${pattern.length} characters long; the limit is ${MAX_GLOB_LENGTH}`;
  const problem = syntaxProblem(pattern);
  if (problem !== undefined) return problem;
  const segments = pattern.split('.');
  if (segments.length > MAX_GLOB_SEGMENTS) return `has ${segments.length} segments; the limit is ${MAX_GLOB_SEGMENTS}`;
  const doubleStars = segments.filter((s) => s === '**').length;
  if (doubleStars > MAX_GLOB_DOUBLE_STARS) return `has ${doubleStars} ** segments; the limit is ${MAX_GLOB_DOUBLE_STARS}`;
  return undefined;
}

/** Whether one name segment matches one pattern segment of literals and `*`s (no dots in either). */
function segmentMatches(pieces: readonly string[], segment: string): boolean {
  if (pieces.length === 1) return pieces[0] === segment;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (segment.length < first.length + last.length || !segment.startsWith(first) || !segment.endsWith(last)) return false;
  // Each middle piece at its leftmost place after the one before: any later place only leaves less room.
  let at = first.length;
  const end = segment.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const found = segment.indexOf(pieces[i], at);
    if (found < 0 || found + pieces[i].length > end) return false;
    at = found + pieces[i].length;
  }
  return true;
}

/** The matcher for a pattern; throws Error for a pattern whose syntax checkSeriesGlob refuses (its limits are the doors' to check). */
export function seriesGlob(pattern: string): SeriesMatcher {
  const problem = syntaxProblem(pattern);
  if (problem !== undefined) throw new Error(`series pattern '${pattern}': ${problem}`);
  return new SegmentMatcher(pattern);
}

/**
 * A pattern matched segment by segment: one pass per pattern segment over
 * the name's segments, so at most (name segments × pattern segments) steps,
 * never backtracking. A class, so every pattern shares one `test` (and a
 * test can count the matching done: rule-set.test.ts).
 */
export class SegmentMatcher implements SeriesMatcher {
  /** Per pattern segment: null for `**`, otherwise the segment split at its stars (one piece when it has none). */
  private readonly steps: readonly (readonly string[] | null)[];
  /** How many segments are not `**`. */
  private readonly fixed: number;
  /** Whether any segment is `**` (the name may then have more segments than the pattern). */
  private readonly open: boolean;

  constructor(pattern: string) {
    this.steps = pattern.split('.').map((s) => (s === '**' ? null : s.split('*')));
    this.fixed = this.steps.filter((s) => s !== null).length;
    this.open = this.fixed < this.steps.length;
  }

  test(name: string): boolean {
    const { steps, fixed, open } = this;
    const segments = name.split('.');
    const n = segments.length;
    if (open ? n < steps.length : n !== fixed) return false;
    // reached[i]: the steps so far can cover exactly the first i segments.
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
  }
}
