/**
 * How much a new series costs on disk, said at start: an archive is
 * preallocated whole (it never grows), so the default retention decides how
 * many series the data directory can hold, and an operator should learn it
 * before the disk fills rather than after.
 */
import { statfsSync } from 'node:fs';
import { rrdtoolFileSize } from '../../archive/index.js';
import { definitionForSeries } from './archive-rules.js';
import type { StoreConfig } from './config-section.js';

export interface ArchiveRoom {
  /** Bytes of one archive of `archives.default`. */
  readonly bytesPerSeries: number;
  /** Free bytes on the data directory's file system (for unprivileged users). */
  readonly freeBytes: number;
  /** New default-rule series that fit. */
  readonly seriesThatFit: number;
}

export function archiveRoom(config: Pick<StoreConfig, 'archives' | 'dataDir'>): ArchiveRoom {
  const bytesPerSeries = rrdtoolFileSize(definitionForSeries({ archives: { rules: [], default: config.archives.default } }, 'any'));
  const fs = statfsSync(config.dataDir);
  const freeBytes = fs.bavail * fs.bsize;
  return { bytesPerSeries, freeBytes, seriesThatFit: Math.floor(freeBytes / bytesPerSeries) };
}

/** Fewer series than this fitting is worth a warning at start. */
export const FEW_SERIES_LEFT = 1000;

/** One line for the start log. */
export function describeArchiveRoom(room: ArchiveRoom): string {
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`;
  return `a new series under archives.default takes ${mb(room.bytesPerSeries)} on disk at once; the data directory has room for about ${room.seriesThatFit.toLocaleString('en')} more`;
}
