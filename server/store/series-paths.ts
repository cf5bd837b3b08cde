/**
 * Where a series' archive lives: its dotted segments become directories, as
 * in Graphite's whisper, `host.web01.cpu` → `<root>/host/web01/cpu.rma`.
 * Series names are checked at the door (checkSeriesName); this module still
 * refuses a name that could leave the root.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export const ARCHIVE_EXTENSION = '.rma';

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** The archive file of `series` under `root`. Throws Error for a name that is not dotted [A-Za-z0-9_-] segments. */
export function archivePath(root: string, series: string): string {
  const segments = series.split('.');
  if (!segments.every((s) => SEGMENT.test(s))) throw new Error(`series '${series}': not dotted segments of A-Z a-z 0-9 _ -; refusing to map it to a file`);
  const last = segments.pop()!;
  return join(root, ...segments, `${last}${ARCHIVE_EXTENSION}`);
}

/** The series whose archive is `path`, or undefined for a file that no series maps to (a temp file, a stray name). */
export function seriesOfPath(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  if (!rel.endsWith(ARCHIVE_EXTENSION)) return undefined;
  const segments = rel.slice(0, -ARCHIVE_EXTENSION.length).split(sep);
  return segments.every((s) => SEGMENT.test(s)) ? segments.join('.') : undefined;
}

/** Every series with an archive under `root`, in no particular order; none when `root` does not exist. */
export async function scanArchives(root: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const found: string[] = [];
  for (const entry of entries) {
    const series = seriesOfPath(root, join(root, entry));
    if (series !== undefined) found.push(series);
  }
  return found;
}
