/**
 * The store as the rest of the server sees it. Routes, the slurpers the
 * server runs, the Graphite listener and the start-up code hold one of these
 * interfaces, never the class that implements them (SeriesStore), so the
 * store's insides (intake, write-behind, reads) can change freely.
 *
 *   SampleSink    ingest: the HTTP ingest route, slurpers, Graphite
 *   SeriesReader  fetch, list: the query routes, the alarms' nodata seeding
 *   Store         both, plus the write-behind's control: admin routes, start.ts
 */
import type { DsType, FetchedValues, FetchOptions, FetchPlan, FetchResult } from '../../archive/index.js';
import type { JournaledSample } from '../journal/index.js';
import type { ReshapeOutcome } from './reshape-series.js';
import type { ReshapeRequest } from './reshape-target.js';
import type { SeriesInfo } from './series-listing.js';
import type { StoreStats } from './store-stats.js';

/** A sample offered to the store: what the journal keeps, plus what only memory keeps. */
export interface StoreSample extends JournaledSample {
  /**
   * A line about the sample (a check's state message). Kept as the series'
   * last message once the sample is accepted; in memory only, so it is
   * gone after a restart until the series' next sample brings it again.
   */
  readonly message?: string;
}

export interface IngestOptions {
  /**
   * DS types the sender knows for its series (a slurper's COUNTER). Used
   * only for a series with no archive yet and no config rule of its own: its
   * archive is then created at once with that type, durably, before the
   * samples are acknowledged, so a journal replay cannot create it as GAUGE.
   */
  readonly kinds?: ReadonlyMap<string, DsType>;
  /** Who sends the batch (its token's name), for archives.maxNewSeriesPerMinute; left out, the batch's new series are not rated (the server's own slurpers, Graphite). */
  readonly writer?: string;
  /** The server's own samples (computed series, node states): the only ones that may write names under SERVER_SERIES_PREFIX. */
  readonly own?: boolean;
}

export interface IngestResult {
  /** Samples now durable in the journal. */
  readonly accepted: number;
  /** Samples refused, by index in the batch given, with why; none of them is stored. */
  readonly rejected: { index: number; series: string; reason: string }[];
  /**
   * Why new series of the batch were refused for want of room (disk or
   * archives.maxSeries: series-admission.ts), when any was; their samples
   * are among `rejected`. The HTTP door answers 507 when nothing was accepted.
   */
  readonly noRoom?: string;
  /** Why new series of the batch were refused for its writer's rate (archives.maxNewSeriesPerMinute), when any was; the HTTP door answers 429 when nothing was accepted. */
  readonly overRate?: string;
}

export interface FlushResult {
  /** Series whose archives took their samples. */
  readonly series: number;
  /** Samples written to archives. */
  readonly samples: number;
  readonly ms: number;
}

/**
 * Told of the samples of each ingest once they are durable, in journal
 * order (so in time order per series): the alarm evaluator. Called
 * synchronously; it must not throw and must be quick.
 */
export type AcceptedSamplesListener = (samples: readonly StoreSample[]) => void;

/** Where samples go. */
export interface SampleSink {
  /**
   * Accepts every sample whose time is after its series' last accepted time
   * (archive or earlier samples, this batch included) and resolves once
   * those are durable. Refused samples are listed in the result, not thrown.
   * Rejects with StoreClosedError after close(), and with the journal's
   * error (JournalFullError, ...) when the append fails: then none of the
   * batch is stored. Not cancellable.
   */
  ingest(samples: readonly StoreSample[], options?: IngestOptions): Promise<IngestResult>;
}

/** Where series are read from. */
export interface SeriesReader {
  /**
   * Rows of a series' archive (fetchArchive), its pending samples applied
   * first. Throws UnknownSeriesError for a series with neither, and what
   * applying or reading throws (CorruptArchiveError, InvalidQueryError).
   */
  fetch(series: string, options: FetchOptions): Promise<FetchResult>;
  /** What fetch would answer (RRA, range, row count) from the archive's header alone, no row read; throws as fetch. */
  fetchPlan(series: string, options: FetchOptions): Promise<FetchPlan>;
  /** fetch's answer as the stored values its rows cover (fetchedRow builds each row), in memory of 8 bytes a value; throws as fetch. */
  fetchValues(series: string, options: FetchOptions): Promise<FetchedValues>;
  /**
   * Known series (archives on disk and pending ones) matching `glob`
   * (series-glob.ts; default all), sorted by name, each with its last
   * update, value and message. Throws Error for a bad pattern.
   */
  list(glob?: string): Promise<SeriesInfo[]>;
  /** The last message a sample of `series` carried since the store opened (StoreSample.message); undefined for none. */
  lastMessage(series: string): string | undefined;
}

/** The whole store: samples in, series out, and the write-behind's control. */
export interface Store extends SampleSink, SeriesReader {
  /** Sets the one listener told of accepted samples; replayed samples are not told again. */
  onAccepted(listener: AcceptedSamplesListener): void;
  /**
   * Applies every pending sample to its archive, then checkpoints the
   * journal. Never rejects: a series that fails keeps its samples pending,
   * and is logged and counted in `flushFailures`.
   */
  flush(): Promise<FlushResult>;
  /**
   * Gives the archive of a series, or of every series matching a pattern, a
   * new definition keeping its history (reshape-target.ts, reshape-series.ts),
   * one series at a time with the archives to itself, letting other work in
   * between. Rejects with InvalidReshapeError (naming the field) before
   * anything changes for a request over a bound, including a pattern that
   * matches more than MAX_RESHAPE_SERIES series; with StoreClosedError after
   * close(). A series that is missing, held or fails is reported in its
   * outcome, not thrown. Not cancellable.
   */
  reshape(request: ReshapeRequest): Promise<ReshapeOutcome[]>;
  /** The counters for /metrics, as of now. */
  stats(): StoreStats;
  /** Stops the timer, flushes, closes the archives; later ingests reject with StoreClosedError. The same promise on every call. */
  close(): Promise<void>;
}
