/**
 * SeriesStore: the write-behind series store, like rrdcached, put together
 * from its three parts over one table of series (series-table.ts):
 *
 *   intake.ts        ingest: check, claim times, journal, roll back
 *   write-behind.ts  flush: create archives, apply, sync, checkpoint; the timer
 *   series-reads.ts  fetch and list
 *   reshaper.ts      reshape archives keeping their history: on request,
 *                    and on its own with archives.adapt (cadence-adapter.ts)
 *
 * open() replays the journal after its checkpoint into the pending set, so
 * every acknowledged sample reaches its archive exactly once, however the
 * process ended. The rest of the server sees it as a Store (store.ts).
 */
import { join } from 'node:path';
import type { FetchedValues, FetchOptions, FetchPlan, FetchResult } from '../../archive/index.js';
import type { StoreConfig } from './config-section.js';
import type { SampleJournal } from '../journal/index.js';
import { CadenceAdapter } from './cadence-adapter.js';
import { StoreClosedError } from './errors.js';
import { HandleCache } from './handle-cache.js';
import { Intake } from './intake.js';
import { Quarantine } from './quarantine.js';
import type { ReshapeOutcome } from './reshape-series.js';
import type { ReshapeRequest } from './reshape-target.js';
import { Reshaper } from './reshaper.js';
import { sampleProblem, type SampleLimits } from './sample-check.js';
import { SeriesAdmission, type AdmissionOptions } from './series-admission.js';
import type { SeriesInfo } from './series-listing.js';
import { SeriesReads } from './series-reads.js';
import { SeriesTable } from './series-table.js';
import type { AcceptedSamplesListener, FlushResult, IngestOptions, IngestResult, Store, StoreSample } from './store.js';
import { newStoreStats, type StoreLogger, type StoreStats } from './store-stats.js';
import { WriteBehind } from './write-behind.js';

/** What open() needs. The journal stays the caller's: the store never closes it. */
export interface SeriesStoreOptions {
  readonly config: StoreConfig;
  readonly journal: SampleJournal;
  /** pino or anything with its warn/error/info; default: silent. */
  readonly log?: StoreLogger;
  /** Most archives kept open between flushes (default 1,000); the least recently used is closed first. */
  readonly maxOpenArchives?: number;
  /** The server clock, Unix seconds (default: the system's); samples more than limits.maxFutureSeconds ahead of it are refused. */
  readonly now?: () => number;
  /** How new series are admitted: the clock and the free-space reading, for tests (series-admission.ts). */
  readonly admission?: AdmissionOptions;
}

const silent: StoreLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export class SeriesStore implements Store {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly table: SeriesTable,
    private readonly intake: Intake,
    private readonly writeBehind: WriteBehind,
    private readonly reads: SeriesReads,
    private readonly reshaper: Reshaper,
    private readonly adapter: CadenceAdapter,
  ) {}

  /**
   * Replays the journal after its checkpoint into the pending set and starts
   * the flush timer. Archives are not scanned; each is read when its series
   * is first ingested, flushed or listed. Rejects with what the replay
   * rejects with (CorruptJournalError, JournalError).
   */
  static async open(options: SeriesStoreOptions): Promise<SeriesStore> {
    const { config, journal } = options;
    const log = options.log ?? silent;
    const now = options.now ?? (() => Date.now() / 1000);
    const table = new SeriesTable(join(config.dataDir, 'archives'), new HandleCache(options.maxOpenArchives ?? 1000), newStoreStats(), log);
    const quarantine = new Quarantine(config.dataDir, log, table.counters, now, config.quarantine?.maxBytes);
    await replay(table, journal, config.limits, now(), quarantine, log);
    const writeBehind = new WriteBehind(table, config, journal, log, quarantine);
    const reshaper = new Reshaper(table, writeBehind, config, log, now);
    const adapter = new CadenceAdapter(table, config, (series, target) => reshaper.reshapeOne(series, target, false), log, now);
    const admission = await SeriesAdmission.open(table, config, log, options.admission);
    const intake = new Intake(table, journal, writeBehind, config.limits, admission, now);
    const store = new SeriesStore(table, intake, writeBehind, new SeriesReads(table, writeBehind, config, log), reshaper, adapter);
    writeBehind.start();
    adapter.start();
    return store;
  }

  ingest(samples: readonly StoreSample[], options: IngestOptions = {}): Promise<IngestResult> {
    if (this.closing) return Promise.reject(new StoreClosedError('the series store is closed'));
    return this.intake.ingest(samples, options);
  }

  /** Replayed samples are not told again: the alarm states were kept, and the next sample re-evaluates a series. */
  onAccepted(listener: AcceptedSamplesListener): void {
    this.intake.onAccepted(listener);
  }

  /** Waits for a flush under way; samples ingested meanwhile wait for the next. */
  flush(): Promise<FlushResult> {
    return this.writeBehind.flush();
  }

  fetch(series: string, options: FetchOptions): Promise<FetchResult> {
    return this.reads.fetch(series, options);
  }

  fetchPlan(series: string, options: FetchOptions): Promise<FetchPlan> {
    return this.reads.fetchPlan(series, options);
  }

  fetchValues(series: string, options: FetchOptions): Promise<FetchedValues> {
    return this.reads.fetchValues(series, options);
  }

  list(glob?: string): Promise<SeriesInfo[]> {
    return this.reads.list(glob);
  }

  reshape(request: ReshapeRequest): Promise<ReshapeOutcome[]> {
    if (this.closing) return Promise.reject(new StoreClosedError('the series store is closed'));
    return this.reshaper.reshape(request);
  }

  lastMessage(series: string): string | undefined {
    return this.reads.lastMessage(series);
  }

  stats(): StoreStats {
    return { ...this.table.counters, openArchives: this.table.handles.size };
  }

  close(): Promise<void> {
    this.adapter.stop();
    this.closing ??= this.writeBehind.stop();
    return this.closing;
  }
}

/**
 * Records the journal's batches after its checkpoint as pending; a sample no
 * series can take (a bad name or time) is quarantined, and counted as dropped.
 */
async function replay(table: SeriesTable, journal: SampleJournal, limits: SampleLimits, now: number, quarantine: Quarantine, log: StoreLogger): Promise<void> {
  let replayed = 0;
  let unusable = 0;
  await journal.replay((seq, samples) => {
    for (const s of samples) {
      // ingest() never journals such a sample; one written by something else (or before the door knew better) must not keep the store from opening.
      // As at ingest, a name is checked once: a series already in the table passed the check when its first sample was replayed.
      // own: the door let through the server's own series (SERVER_SERIES_PREFIX) when they were journaled.
      const problem = sampleProblem(s, typeof s.series === 'string' && table.get(s.series) !== undefined, limits, now, true);
      // The journal keeps no arrival time: a held series' wait runs from its sample's time (a live collector's is its arrival), so a restart does not restart it.
      if (problem === undefined) table.record(table.entry(s.series, false), seq, s, Math.min(now, s.time) * 1000);
      else {
        unusable++;
        quarantine.stage(String(s.series), [{ seq, time: s.time, value: s.value }], problem);
      }
    }
    table.recordedSeq = seq;
    replayed += samples.length;
  });
  table.counters.samplesDropped += unusable;
  if (unusable > 0) log.error({ samples: unusable, file: quarantine.file }, 'series store: the journal holds samples no series can take; dropped from their series and quarantined');
  table.recordedSeq = Math.max(table.recordedSeq, journal.checkpointSeq);
  if (replayed > 0) log.info({ samples: replayed, afterSeq: journal.checkpointSeq }, 'series store: replayed the journal');
}
