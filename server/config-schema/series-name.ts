/**
 * Series names: dotted paths like Graphite's, `host.web01.cpu.user`. A name
 * is segments of A-Z a-z 0-9 _ - separated by single dots, with no empty
 * segment, each segment at most MAX_SEGMENT_LENGTH characters (a segment is
 * a file or folder name in the store), at most `limits.seriesNameLength`
 * characters in all (255 by default).
 * The characters are safe in file names, URLs and Graphite's line protocol.
 */
import { MAX_SEGMENT_LENGTH } from '../../slurpers/contract.js';

/** `limits.seriesNameLength` by default; the limits section takes its default from here. */
export const DEFAULT_SERIES_NAME_LENGTH = 255;

export const SERIES_NAME_RULE = 'segments of A-Z a-z 0-9 _ - separated by dots';

/** A run of more than MAX_SEGMENT_LENGTH characters without a dot. */
const LONG_SEGMENT = new RegExp(`[^.]{${MAX_SEGMENT_LENGTH + 1}}`);

/** The same rule as a JSON-schema pattern, for request schemas (the length limit is separate): the slurper contract's, so collectors and server agree. */
export { SERIES_NAME_PATTERN } from '../../slurpers/contract.js';

/**
 * The problem with a series name, as the end of a message ("series: <problem>"),
 * or undefined when the name is valid. The name itself is not quoted: it may be
 * long, and the caller knows it.
 */
export function checkSeriesName(name: string, maxLength: number = DEFAULT_SERIES_NAME_LENGTH): string | undefined {
  if (name === '') return `must not be empty; a series name is ${SERIES_NAME_RULE}`;
  if (name.length > maxLength) return `is ${name.length} characters long; the limit is ${maxLength}`;
  const bad = /[^A-Za-z0-9_.-]/u.exec(name);
  if (bad) return `has ${JSON.stringify(bad[0])} at position ${bad.index + 1}; a series name is ${SERIES_NAME_RULE}`;
  if (name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
    return `has an empty segment (a dot at the start or end, or two dots in a row); a series name is ${SERIES_NAME_RULE}`;
  }
  // Graphite lines are checked one by one: a name no longer than a segment may be needs no scan.
  if (name.length > MAX_SEGMENT_LENGTH && LONG_SEGMENT.test(name)) {
    const longest = Math.max(...name.split('.').map((segment) => segment.length));
    return `has a segment of ${longest} characters; the limit is ${MAX_SEGMENT_LENGTH} (each segment is a file or folder name in the store)`;
  }
  return undefined;
}
