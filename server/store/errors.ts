/** The series store's errors; the HTTP layer maps them to its catalogue. */
export class SeriesStoreError extends Error {
  override name = 'SeriesStoreError';
}

/** ingest() after close() began. */
export class StoreClosedError extends SeriesStoreError {
  override name = 'StoreClosedError';
}

/** fetch() of a series that has no archive and nothing pending. */
export class UnknownSeriesError extends SeriesStoreError {
  override name = 'UnknownSeriesError';
  constructor(readonly series: string) {
    super(`series ${series}: no such series`);
  }
}
