/** The store's counters for /metrics, and the logger it writes to. */

/** The part of pino the store uses; a pino logger (or fastify's) fits. */
export interface StoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Counters since open, except the gauges `pending`, `openArchives`, `lastFlushMs` and `seriesDrifting*`. */
export interface StoreStats {
  /** Samples accepted and durable in the journal (replayed ones not included). */
  samplesIngested: number;
  /** Samples refused by ingest(). */
  samplesRejected: number;
  /** Samples written to archives. */
  samplesFlushed: number;
  /** Replayed samples the archive already held (a crash between an archive update and the checkpoint). */
  samplesSkipped: number;
  /** Samples the archive refused for good at flush (e.g. a fraction for a COUNTER); logged. */
  samplesDropped: number;
  /** Acknowledged samples the store can never apply, written to the quarantine file (quarantine.ts); logged once per series. */
  samplesQuarantined: number;
  /** Quarantined samples let go when the quarantine file was rotated past quarantine.maxBytes (quarantine.ts); each rotation is logged. */
  quarantineRotatedSamples: number;
  /** Gauge: bytes of the quarantine files, the current and the previous one (at most 2 × quarantine.maxBytes). */
  quarantineBytes: number;
  /** Samples waiting for their archive. */
  pending: number;
  /** Series updates that failed and were kept pending (a corrupt archive, a full disk); logged. */
  flushFailures: number;
  /** Series archives reshaped to a new definition (admin call or archives.adapt), keeping their history. */
  seriesReshaped: number;
  /** Completed flushes, and how long the last one took. */
  flushes: number;
  lastFlushMs: number;
  openArchives: number;
  /** Series whose recent samples arrive further apart than their archive's heartbeat, and far closer than its step, now (drift.ts). */
  seriesDriftingSlow: number;
  seriesDriftingFast: number;
  /** Drift episodes begun (each logged once). */
  driftDetected: number;
  /** New series refused at the door for want of disk (archives.diskHeadroom), for archives.maxSeries, and for archives.maxNewSeriesPerMinute; once per series per batch (series-admission.ts). */
  seriesRefusedDisk: number;
  seriesRefusedLimit: number;
  seriesRefusedRate: number;
  /** Gauge: free bytes of the data directory's file system, as last read: at open, then for a new series at most once a second (series-admission.ts). */
  diskFreeBytes: number;
}

export function newStoreStats(): Omit<StoreStats, 'openArchives'> {
  return {
    samplesIngested: 0,
    samplesRejected: 0,
    samplesFlushed: 0,
    samplesSkipped: 0,
    samplesDropped: 0,
    samplesQuarantined: 0,
    quarantineRotatedSamples: 0,
    quarantineBytes: 0,
    pending: 0,
    flushFailures: 0,
    seriesReshaped: 0,
    flushes: 0,
    lastFlushMs: 0,
    seriesDriftingSlow: 0,
    seriesDriftingFast: 0,
    driftDetected: 0,
    seriesRefusedDisk: 0,
    seriesRefusedLimit: 0,
    seriesRefusedRate: 0,
    diskFreeBytes: 0,
  };
}
