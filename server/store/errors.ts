/** The series store's errors; the HTTP layer maps them to its catalogue. */
export class SeriesStoreError extends Error {
  override name = 'SeriesStoreError';
}

/** ingest() after close() began. */
export class StoreClosedError extends SeriesStoreError {
  override name = 'StoreClosedError';
}

/** What a series without an archive yet holds: samples waiting while its cadence is learned (cadence.ts). */
export interface HeldSeries {
  readonly samples: number;
  /** When the first of them arrived, ms since the epoch. */
  readonly since: number;
  /** archives.inferWithin, seconds: the longest a series is held for want of samples. */
  readonly inferWithin: number;
}

/** fetch() of a series that has no archive: none at all, or (`held`) one whose samples wait for its cadence to be known. */
export class UnknownSeriesError extends SeriesStoreError {
  override name = 'UnknownSeriesError';
  constructor(
    readonly series: string,
    readonly held?: HeldSeries,
  ) {
    super(held ? `series ${series}: ${held.samples} samples held until its cadence is known` : `series ${series}: no such series`);
  }
}
