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
 */

/** The problem with a pattern, as a message; undefined when it is a valid pattern. */
export function checkSeriesGlob(pattern: string): string | undefined {
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

/** The regular expression for a pattern; throws Error for a pattern checkSeriesGlob refuses. */
export function seriesGlob(pattern: string): RegExp {
  const problem = checkSeriesGlob(pattern);
  if (problem !== undefined) throw new Error(`series pattern '${pattern}': ${problem}`);
  // The pattern holds no regex metacharacter but * and ., which are rewritten here.
  const segments = pattern.split('.').map((segment) => (segment === '**' ? '[^.]+(?:\\.[^.]+)*' : segment.replaceAll('*', '[^.]*')));
  return new RegExp(`^${segments.join('\\.')}$`);
}
