/**
 * Segment file names: `<prefix><seq><extension>`, where <seq> is the first
 * sequence number the segment holds (or was started at), 16 decimal digits
 * zero padded, so that names sort in seq order. Any other file in the log's
 * directory is not a segment and is left alone.
 */
import { readdir } from 'node:fs/promises';

/** How one log names its segments, e.g. `{ prefix: 'segment-', extension: '.rmj' }`. */
export interface SegmentNaming {
  readonly prefix: string;
  readonly extension: string;
}

const DIGITS = 16;

export function segmentFileName(naming: SegmentNaming, seq: number): string {
  return `${naming.prefix}${String(seq).padStart(DIGITS, '0')}${naming.extension}`;
}

/** The seq of a segment file name, or undefined for any other name. */
export function parseSegmentFileName(naming: SegmentNaming, name: string): number | undefined {
  const { prefix, extension } = naming;
  if (name.length !== prefix.length + DIGITS + extension.length || !name.startsWith(prefix) || !name.endsWith(extension)) return undefined;
  const digits = name.slice(prefix.length, prefix.length + DIGITS);
  return /^\d+$/.test(digits) ? Number(digits) : undefined;
}

/** The seqs of the segments in `dir`, ascending. Rejects with the system's error (ENOENT for a missing directory). */
export async function listSegments(naming: SegmentNaming, dir: string): Promise<number[]> {
  return (await readdir(dir))
    .map((name) => parseSegmentFileName(naming, name))
    .filter((seq): seq is number => seq !== undefined)
    .sort((a, b) => a - b);
}
