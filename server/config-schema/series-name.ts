/**
 * Series names: dotted paths like Graphite's, `host.web01.cpu.user`. A name
 * is segments of A-Z a-z 0-9 _ - separated by single dots, with no empty
 * segment, each segment at most MAX_SEGMENT_LENGTH characters (a segment is
 * a file or folder name in the store), at most `limits.seriesNameLength`
 * characters in all (255 by default).
 * The characters are safe in file names, URLs and Graphite's line protocol.
 */
import { MAX_SERIES_LENGTH } from '../../slurpers/contract.js';

/** `limits.seriesNameLength` by default; the limits section takes its default from here. */
export const DEFAULT_SERIES_NAME_LENGTH = MAX_SERIES_LENGTH;

/** The rule itself is the slurper contract's, so collectors, agents and the server agree on every name. */
export { checkSeriesName, SERIES_NAME_PATTERN, SERIES_NAME_RULE } from '../../slurpers/contract.js';
