/**
 * The write-behind series store: samples acknowledged once in the journal,
 * applied to their archives in batches. This is the whole public surface.
 */
export { SeriesStore, type AcceptedSamplesListener, type FlushResult, type IngestResult, type SeriesStoreOptions } from './series-store.js';
export type { SeriesInfo } from './series-listing.js';
export type { StoreLogger, StoreStats } from './store-stats.js';
export { SeriesStoreError, StoreClosedError, UnknownSeriesError } from './errors.js';
export { archivePath } from './series-paths.js';
export { archiveRoom, describeArchiveRoom, FEW_SERIES_LEFT, type ArchiveRoom } from './archive-room.js';
