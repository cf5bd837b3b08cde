/**
 * How much a new series costs on disk, said at start: an archive is
 * preallocated whole (it never grows), so the default retention decides how
 * many series the data directory can hold, and an operator should learn it
 * before the disk fills rather than after. Under the built-in template the
 * size depends on the series' step: the largest (the finest steps') is
 * counted, so the room said is never more than there is.
 */
import { statfsSync } from 'node:fs';
import { rrdtoolFileSize } from '../../archive/index.js';
import { definitionForSeries, type ArchiveRuleSettings } from './archive-rules.js';
import type { StoreConfig } from './config-section.js';
import { STEP_LADDER } from './step-ladder.js';

export interface ArchiveRoom {
  /** Bytes of one archive of `archives.default` when configured, else the built-in template's largest (at the finest steps). */
  readonly bytesPerSeries: number;
  /** Free bytes on the data directory's file system (for unprivileged users). */
  readonly freeBytes: number;
  /** New default-rule series that fit. */
  readonly seriesThatFit: number;
  /** Whether the size is the built-in template's (no `archives.default` configured). */
  readonly builtIn: boolean;
}

/** Bytes of the largest archive a series gets from `fallback` (archives.default) or, without one, from the built-in template at any step of the ladder. */
export function largestArchiveBytes(fallback: ArchiveRuleSettings | undefined): number {
  const archives = { rules: [], default: fallback };
  return Math.max(...STEP_LADDER.map((step) => rrdtoolFileSize(definitionForSeries({ archives }, 'any', undefined, step))));
}

export function archiveRoom(config: Pick<StoreConfig, 'archives' | 'dataDir'>): ArchiveRoom {
  const bytesPerSeries = largestArchiveBytes(config.archives.default);
  const fs = statfsSync(config.dataDir);
  const freeBytes = fs.bavail * fs.bsize;
  return { bytesPerSeries, freeBytes, seriesThatFit: Math.floor(freeBytes / bytesPerSeries), builtIn: config.archives.default === undefined };
}

/** Fewer series than this fitting is worth a warning at start. */
export const FEW_SERIES_LEFT = 1000;

/** One line for the start log. */
/** Bytes as a person reads them in a log line: `0.26 MB`, `812 MB`. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`;
}

export function describeArchiveRoom(room: ArchiveRoom): string {
  const mb = megabytes;
  const what = !room.builtIn ? `a new series under archives.default takes ${mb(room.bytesPerSeries)}` : `a new series takes at most ${mb(room.bytesPerSeries)} (the built-in archive at its step)`;
  return `${what} on disk at once; the data directory has room for about ${room.seriesThatFit.toLocaleString('en')} more`;
}
