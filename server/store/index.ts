/**
 * The write-behind series store: samples acknowledged once in the journal,
 * applied to their archives in batches. This is the whole public surface:
 * the rest of the server holds a Store (or a SampleSink or SeriesReader);
 * only start-up and tests name the class.
 */
export { SeriesStore, type SeriesStoreOptions } from './series-store.js';
export type { AcceptedSamplesListener, FlushResult, IngestOptions, IngestResult, SampleSink, SeriesReader, Store, StoreSample } from './store.js';
export { ingestOffered, type LabelOffer, type OfferedSample, type OfferedThresholds, type ThresholdOffer, type UnitOffer } from './ingest-offered.js';
export type { HeldSamples, SeriesInfo } from './series-listing.js';
export type { SeriesDrift } from './drift.js';
export type { StoreLogger, StoreStats } from './store-stats.js';
export { SeriesStoreError, StoreClosedError, UnknownSeriesError, type HeldSeries } from './errors.js';
export { archivePath } from './series-paths.js';
export { DEFAULT_MAX_FUTURE_SECONDS, EARLIEST_SAMPLE_TIME, SERVER_SERIES_PREFIX, timeProblem } from './sample-check.js';
export { mayRetry, quarantineFile, readQuarantine, type QuarantinedSample } from './quarantine.js';
export { archiveRoom, describeArchiveRoom, FEW_SERIES_LEFT, type ArchiveRoom } from './archive-room.js';
export type { ArchiveShape, ReshapeOutcome } from './reshape-series.js';
export {
  InvalidReshapeError,
  MAX_MATCH_LENGTH,
  MAX_RESHAPE_BYTES,
  MAX_RESHAPE_RRAS,
  MAX_RESHAPE_SERIES,
  RESHAPE_HEARTBEAT_RANGE,
  RESHAPE_STEP_RANGE,
  type ReshapeRequest,
} from './reshape-target.js';
