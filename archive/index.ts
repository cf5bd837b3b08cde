/**
 * ringmon's archive engine: fixed-size round-robin archives with rrdtool
 * 1.7's semantics. This is the whole public surface; nothing here imports
 * from the server, the slurpers or the web client.
 *
 * Path-level functions open, act and close. Callers that update the same
 * archive often keep an `ArchiveFile` open (openArchive) and call
 * updateArchiveFile on it, which skips re-reading the header.
 */
import { ArchiveFile, type OpenOptions } from './archive-file.js';
import { fetchFromFile, planFetch, readFetch, type FetchedValues, type FetchOptions, type FetchPlan, type FetchResult } from './fetch.js';
import { infoFromFile, type ArchiveInfo } from './info.js';
import { updateArchiveFile, type Sample, type UpdateOptions, type UpdateResult } from './update.js';

export { ArchiveFile, sidecarPath, type OpenOptions, type CommitOptions } from './archive-file.js';
export { createArchive, EARLIEST_START, type CreateOptions } from './create.js';
export {
  CONSOLIDATION_FUNCTIONS,
  DS_TYPES,
  validateDefinition,
  type ArchiveDefinition,
  type ConsolidationFunction,
  type DataSourceDefinition,
  type DsType,
  type RraDefinition,
} from './definition.js';
export {
  ArchiveError,
  CorruptArchiveError,
  InvalidDefinitionError,
  InvalidQueryError,
  InvalidUpdateError,
  StaleUpdateError,
} from './errors.js';
export { chooseRra, fetchedRow, LATEST_FETCH_TIME, planFetch, readFetch, type FetchedValues, type FetchOptions, type FetchPlan, type FetchResult } from './fetch.js';
export { rrdtoolFileSize } from './format.js';
export { microsecondKey, parseTimeText, splitTime, type SplitTime } from './sample-time.js';
export { parseDecimal } from './value-text.js';
export type { ArchiveInfo } from './info.js';
export { updateArchiveFile, type Sample, type SampleValue, type UpdateOptions, type UpdateResult } from './update.js';

export function openArchive(path: string, options: OpenOptions = {}): ArchiveFile {
  return ArchiveFile.open(path, options);
}

function withArchive<T>(path: string, write: boolean, action: (file: ArchiveFile) => T): T {
  const file = ArchiveFile.open(path, { write });
  try {
    return action(file);
  } finally {
    file.close();
  }
}

/** Applies samples in time order; refuses the whole call, changing nothing, if any sample is bad. */
export function updateArchive(path: string, samples: readonly Sample[], options: UpdateOptions = {}): UpdateResult {
  return withArchive(path, true, (file) => updateArchiveFile(file, samples, options));
}

export function fetchArchive(path: string, options: FetchOptions): FetchResult {
  return withArchive(path, false, (file) => fetchFromFile(file, options));
}

/** What fetchArchive would answer (its RRA, range and row count), from the header alone. */
export function planFetchArchive(path: string, options: FetchOptions): FetchPlan {
  return withArchive(path, false, (file) => planFetch(file, options));
}

/** fetchArchive's answer as the stored values it covers (fetchedRow builds each row), without building the rows. */
export function readFetchArchive(path: string, options: FetchOptions): FetchedValues {
  return withArchive(path, false, (file) => readFetch(file, planFetch(file, options)));
}

export function archiveInfo(path: string): ArchiveInfo {
  return withArchive(path, false, (file) => infoFromFile(file));
}
export {
  formatArchiveDefinition,
  formatDataSource,
  formatRra,
  parseArchiveDefinition,
  parseDataSource,
  parseRetentions,
  parseRra,
  parseScaledDuration,
  scaledDuration,
  type RetentionOptions,
} from './definition-syntax.js';

export { dumpArchive, dumpArchiveToString } from './dump.js';
export { restoreArchive, type RestoreOptions } from './restore.js';
export { RestoreError } from './errors.js';
export { reshapeArchive, reshapeFromFile, type ReshapeOptions, type ReshapeResult, type ReshapedArchive } from './reshape.js';
export { reshapedDefinition, type ReshapeChanges } from './reshape-definition.js';
