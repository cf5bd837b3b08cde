/**
 * SeriesStore: the write-behind series store, like rrdcached. ingest()
 * checks each sample against its series' last accepted time, appends the
 * accepted ones to the journal in one append and resolves once they are
 * durable; flush() applies everything pending to the archives, one
 * updateArchiveFile per series, then checkpoints the journal. A timer
 * flushes every `writeBehind.flushIntervalSeconds`, and early once the
 * journal has grown past `writeBehind.maxJournalBytes`. open() replays the
 * journal after its checkpoint, so every acknowledged sample reaches its
 * archive exactly once, however the process ended.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EARLIEST_START, fetchArchive, type DsType, type FetchOptions, type FetchResult } from '../../archive/index.js';
import { checkSeriesName, definitionForSeries, type ServerConfig } from '../config/index.js';
import type { JournaledSample, SampleJournal } from '../journal/index.js';
import { applyToArchive, createArchiveForSamples, type PendingSample } from './apply.js';
import { StoreClosedError, UnknownSeriesError } from './errors.js';
import { HandleCache } from './handle-cache.js';
import { listSeries, type SeriesInfo } from './series-listing.js';
import { archivePath } from './series-paths.js';
import { lastUpdateKey, lastUpdateTime, timeKey } from './sample-time.js';
import { syncFilesystem } from './sync-filesystem.js';
import { newStoreStats, type StoreLogger, type StoreStats } from './store-stats.js';

/** Failing archives named one by one per flush; the rest are counted in one line. */
const FAILURES_LOGGED_PER_FLUSH = 5;

/** What open() needs. The journal stays the caller's: the store never closes it. */
export interface SeriesStoreOptions {
  readonly config: ServerConfig;
  readonly journal: SampleJournal;
  /** pino or anything with its warn/error/info; default: silent. */
  readonly log?: StoreLogger;
  /** Most archives kept open between flushes (default 1,000); the least recently used is closed first. */
  readonly maxOpenArchives?: number;
}

export interface IngestOptions {
  /**
   * DS types the sender knows for its series (a slurper's COUNTER). Used
   * only for a series with no archive yet and no config rule of its own: its
   * archive is then created at once with that type, durably, before the
   * samples are acknowledged, so a journal replay cannot create it as GAUGE.
   */
  readonly kinds?: ReadonlyMap<string, DsType>;
}

export interface IngestResult {
  /** Samples now durable in the journal. */
  readonly accepted: number;
  /** Samples refused, by index in the batch given, with why; none of them is stored. */
  readonly rejected: { index: number; series: string; reason: string }[];
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
export type AcceptedSamplesListener = (samples: readonly JournaledSample[]) => void;

/** What the store knows of one series. */
interface SeriesEntry {
  readonly name: string;
  readonly path: string;
  /** timeKey of the last accepted sample or of the archive's last update; -Infinity for none. */
  lastKey: number;
  lastTime: number;
  /** Whether the archive's header has been read (or found missing) into lastKey. */
  headerLoaded: boolean;
  /** Durable samples not yet in the archive, in journal order (so in time order). */
  pending: PendingSample[];
  /** The number of the last ingest batch that claimed a time of this series. */
  claimBatch: number;
  /** The samples a flush is applying right now. */
  flushing: readonly PendingSample[];
}

const silent: StoreLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export class SeriesStore {
  private readonly entries = new Map<string, SeriesEntry>();
  private readonly handles: HandleCache;
  private readonly root: string;
  private readonly counters = newStoreStats();
  /** The highest seq whose samples are recorded in `pending` (or already flushed). */
  private recordedSeq = 0;
  private flushTail: Promise<unknown> = Promise.resolve();
  private flushRunning = false;
  /** Archive failures still logged one by one in this flush (Infinity outside flushes). */
  private failureLogBudget = Infinity;
  private failuresNotLogged = 0;
  private sizeAfterFlush = 0;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private listener: AcceptedSamplesListener | undefined;
  private batchNumber = 0;

  private constructor(
    private readonly config: ServerConfig,
    private readonly journal: SampleJournal,
    private readonly log: StoreLogger,
    maxOpenArchives: number,
  ) {
    this.root = join(config.dataDir, 'archives');
    this.handles = new HandleCache(maxOpenArchives);
  }

  /**
   * Replays the journal after its checkpoint into the pending set and starts
   * the flush timer. Archives are not scanned; each is read when its series
   * is first ingested, flushed or listed. Rejects with what the replay
   * rejects with (CorruptJournalError, JournalError).
   */
  static async open(options: SeriesStoreOptions): Promise<SeriesStore> {
    const { config, journal } = options;
    const store = new SeriesStore(config, journal, options.log ?? silent, options.maxOpenArchives ?? 1000);
    let replayed = 0;
    let unusable = 0;
    await journal.replay((seq, samples) => {
      for (const s of samples) {
        // ingest() never journals such a sample; one written by something else must not keep the store from opening.
        if (store.problemOf(s, false) !== undefined) unusable++;
        else store.record(store.entry(s.series, false), seq, s);
      }
      store.recordedSeq = seq;
      replayed += samples.length;
    });
    store.counters.samplesDropped += unusable;
    if (unusable > 0) store.log.error({ samples: unusable }, 'series store: the journal holds samples no series can take; dropped');
    store.recordedSeq = Math.max(store.recordedSeq, journal.checkpointSeq);
    store.sizeAfterFlush = journal.sizeBytes;
    if (replayed > 0) store.log.info({ samples: replayed, afterSeq: journal.checkpointSeq }, 'series store: replayed the journal');
    store.timer = setInterval(() => store.flushOnTimer(), config.writeBehind.flushIntervalSeconds * 1000);
    store.timer.unref();
    return store;
  }

  /**
   * Accepts every sample whose time is after its series' last accepted time
   * (archive or earlier samples, this batch included) and resolves once
   * those are durable. Rejects with StoreClosedError after close(), and with
   * the journal's error (JournalFullError, ...) when the append fails: then
   * none of the batch is stored. Not cancellable.
   */
  async ingest(samples: readonly JournaledSample[], options: IngestOptions = {}): Promise<IngestResult> {
    if (this.closing) throw new StoreClosedError('the series store is closed');
    const rejected: IngestResult['rejected'] = [];
    const accepted: JournaledSample[] = [];
    const acceptedEntries: SeriesEntry[] = [];
    // The entries this batch claims times of, with their times before; an entry is marked with the batch's number rather than kept in a Map.
    const claims: { entry: SeriesEntry; key: number; time: number; after: number }[] = [];
    const batch = ++this.batchNumber;
    for (let index = 0; index < samples.length; index++) {
      const s = samples[index];
      // A known series' name was checked when it was first seen: only new names are checked again.
      const known = typeof s.series === 'string' ? this.entries.get(s.series) : undefined;
      const reason = this.problemOf(s, known !== undefined);
      if (reason !== undefined) {
        rejected.push({ index, series: String(s.series), reason });
        continue;
      }
      const entry = known?.headerLoaded ? known : this.entry(s.series, true);
      const key = timeKey(s.time);
      if (key <= entry.lastKey) {
        rejected.push({ index, series: s.series, reason: `time ${s.time} is not after the last update ${entry.lastTime}` });
        continue;
      }
      if (entry.claimBatch !== batch) {
        entry.claimBatch = batch;
        claims.push({ entry, key: entry.lastKey, time: entry.lastTime, after: key });
      }
      entry.lastKey = key;
      entry.lastTime = s.time;
      accepted.push(s);
      acceptedEntries.push(entry);
    }
    this.counters.samplesRejected += rejected.length;
    if (accepted.length === 0) return { accepted: 0, rejected };
    for (const claim of claims) claim.after = claim.entry.lastKey;
    if (options.kinds) this.createHintedArchives(accepted, acceptedEntries, claims, options.kinds);
    let seq: number;
    try {
      seq = await this.journal.append(accepted);
    } catch (e) {
      // Give back the times this batch claimed, unless a later batch has claimed past them.
      for (const { entry, key, time, after } of claims) {
        if (entry.lastKey === after) Object.assign(entry, { lastKey: key, lastTime: time });
      }
      throw e;
    }
    // Entries are never removed from the map, so those found before the append are still the series' own.
    for (let i = 0; i < accepted.length; i++) this.record(acceptedEntries[i], seq, accepted[i]);
    this.recordedSeq = Math.max(this.recordedSeq, seq);
    this.counters.samplesIngested += accepted.length;
    this.flushIfJournalFull();
    this.listener?.(accepted);
    return { accepted: accepted.length, rejected };
  }

  /** Sets the one listener told of accepted samples. Replayed samples are not told again: the alarm states were kept, and the next sample re-evaluates a series. */
  onAccepted(listener: AcceptedSamplesListener): void {
    this.listener = listener;
  }

  /**
   * Applies every pending sample to its archive, then checkpoints the journal
   * up to the last batch wholly applied. Waits for a flush under way; samples
   * ingested meanwhile wait for the next. Never rejects: a series that fails
   * (corrupt archive, full disk) keeps its samples pending, and is logged and
   * counted in `flushFailures`.
   */
  flush(): Promise<FlushResult> {
    return this.exclusive(() => this.flushAll());
  }

  /**
   * Rows of a series' archive (fetchArchive), with its pending samples
   * applied first. Throws UnknownSeriesError for a series with neither,
   * and what applying or reading throws (CorruptArchiveError, InvalidQueryError).
   */
  async fetch(series: string, options: FetchOptions): Promise<FetchResult> {
    if (checkSeriesName(series, this.config.limits.seriesNameLength) !== undefined) throw new UnknownSeriesError(series);
    const entry = this.entries.get(series);
    // A flush under way may hold this series' samples (`flushing`): wait for it rather than read around it.
    if (entry && entry.pending.length + entry.flushing.length > 0) await this.exclusive(async () => this.applyEntry(entry, this.take(entry), true));
    const path = entry?.path ?? archivePath(this.root, series);
    if (!existsSync(path)) throw new UnknownSeriesError(series);
    return fetchArchive(path, options);
  }

  /** Known series (archives on disk and pending ones) matching `glob` (series-glob.ts; default all), sorted by name. Throws Error for a bad pattern. */
  list(glob?: string): Promise<SeriesInfo[]> {
    return listSeries(this.root, glob, this.handles, this.log, (name) => {
      const entry = this.entries.get(name);
      const last = entry?.pending.at(-1) ?? entry?.flushing.at(-1);
      return { last, definition: () => definitionForSeries(this.config, name) };
    }, [...this.entries.values()].filter((e) => e.pending.length + e.flushing.length > 0).map((e) => e.name));
  }

  /** The counters for /metrics, as of now. */
  stats(): StoreStats {
    return { ...this.counters, openArchives: this.handles.size };
  }

  /** Stops the timer, flushes, closes the archives. Later ingests reject with StoreClosedError. The same promise on every call. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.timer);
      await this.flush();
      await this.exclusive(async () => this.handles.closeAll());
    })();
    return this.closing;
  }

  /** Why `s` cannot be stored, or undefined. Names and times only; values are the archive's to judge. */
  private problemOf(s: JournaledSample, knownSeries: boolean): string | undefined {
    if (typeof s.series !== 'string') return 'series must be a string';
    const nameProblem = knownSeries ? undefined : checkSeriesName(s.series, this.config.limits.seriesNameLength);
    if (nameProblem !== undefined) return `series ${nameProblem}`;
    if (typeof s.time !== 'number' || !Number.isFinite(s.time)) return `time must be a finite number of seconds, got ${String(s.time)}`;
    if (s.time <= EARLIEST_START) return `time ${s.time} is before 1980`;
    if (s.value !== null && typeof s.value !== 'number') return `value must be a number or null, got ${typeof s.value}`;
    return undefined;
  }

  /** The entry of `name`, created on first sight; with `load`, reads the archive's last update if not done yet. */
  private entry(name: string, load: boolean): SeriesEntry {
    let entry = this.entries.get(name);
    if (!entry) {
      entry = { name, path: archivePath(this.root, name), lastKey: -Infinity, lastTime: -Infinity, headerLoaded: false, pending: [], flushing: [], claimBatch: 0 };
      this.entries.set(name, entry);
    }
    if (load && !entry.headerLoaded) this.loadHeader(entry);
    return entry;
  }

  /** Creates the archives of new series whose kind the sender gave (see IngestOptions.kinds). */
  private createHintedArchives(
    accepted: readonly JournaledSample[],
    acceptedEntries: readonly SeriesEntry[],
    claims: readonly { entry: SeriesEntry; key: number }[],
    kinds: ReadonlyMap<string, DsType>,
  ): void {
    const unseen = new Set(claims.filter((c) => c.key === -Infinity).map((c) => c.entry));
    // Senders repeat their kinds with every batch: once their series are known there is nothing to create.
    if (unseen.size === 0) return;
    const firstTime = new Map<SeriesEntry, number>();
    for (let i = 0; i < accepted.length; i++) {
      const s = accepted[i];
      const entry = acceptedEntries[i];
      const kind = kinds.get(s.series);
      const isNew = unseen.has(entry) && entry.pending.length === 0 && !existsSync(entry.path);
      if (kind !== undefined && kind !== 'GAUGE' && isNew && !firstTime.has(entry)) firstTime.set(entry, s.time);
    }
    for (const [entry, time] of firstTime) {
      const definition = definitionForSeries(this.config, entry.name, kinds.get(entry.name));
      try {
        createArchiveForSamples(entry.path, definition, time, { sync: true });
      } catch (e) {
        // The flush creates it from the config instead; the series is kept, only the hint is lost.
        this.log.warn({ err: e, series: entry.name }, 'series store: cannot create the archive of a new series with its declared kind');
      }
    }
  }

  private loadHeader(entry: SeriesEntry): void {
    if (!existsSync(entry.path)) {
      entry.headerLoaded = true;
      return;
    }
    try {
      const state = this.handles.get(entry.path).state;
      if (lastUpdateKey(state) > entry.lastKey) Object.assign(entry, { lastKey: lastUpdateKey(state), lastTime: lastUpdateTime(state) });
      entry.headerLoaded = true;
    } catch (e) {
      // Accepted against the pending samples alone; the flush will report the archive, and the next ingest tries again.
      this.log.warn({ err: e, series: entry.name }, 'series store: cannot read the archive header');
    }
  }

  private record(entry: SeriesEntry, seq: number, s: JournaledSample): void {
    entry.pending.push({ seq, time: s.time, value: s.value });
    const key = timeKey(s.time);
    if (key > entry.lastKey) Object.assign(entry, { lastKey: key, lastTime: s.time });
    this.counters.pending++;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.flushTail.then(task);
    this.flushTail = run.catch(() => undefined);
    return run;
  }

  private async flushAll(): Promise<FlushResult> {
    const started = performance.now();
    this.flushRunning = true;
    // A full disk fails every archive of a flush: a few named, then one line with the count, not 100,000 lines.
    this.failureLogBudget = FAILURES_LOGGED_PER_FLUSH;
    this.failuresNotLogged = 0;
    try {
      const upTo = this.recordedSeq;
      // What is pending now is this flush's; what arrives meanwhile waits for the next.
      const work = [...this.entries.values()].filter((e) => e.pending.length > 0).map((entry) => ({ entry, taken: this.take(entry) }));
      let series = 0;
      let samples = 0;
      let turn = performance.now();
      for (const { entry, taken } of work) {
        const applied = this.applyEntry(entry, taken, false);
        if (applied !== undefined) {
          series++;
          samples += applied;
        }
        // Archive I/O is synchronous: let ingests and requests in now and then.
        if (performance.now() - turn > 20) {
          await nextTurn();
          turn = performance.now();
        }
      }
      await this.checkpoint(upTo);
      const ms = performance.now() - started;
      Object.assign(this.counters, { lastFlushMs: ms, flushes: this.counters.flushes + 1 });
      this.sizeAfterFlush = this.journal.sizeBytes;
      return { series, samples, ms };
    } finally {
      this.flushRunning = false;
      if (this.failuresNotLogged > 0) {
        this.log.error({ archives: this.failuresNotLogged }, `series store: ${this.failuresNotLogged} more archives could not be updated in this flush; their samples stay pending`);
      }
      this.failureLogBudget = Infinity;
    }
  }

  /** Moves `entry`'s pending samples to `flushing`, for a flush to apply. */
  private take(entry: SeriesEntry): readonly PendingSample[] {
    const taken = entry.pending;
    entry.pending = [];
    entry.flushing = taken;
    return taken;
  }

  /**
   * Applies `taken`, samples taken from `entry`; the number applied, or undefined when
   * the archive failed (the samples stay pending; with `rethrow` the error
   * is thrown too).
   */
  private applyEntry(entry: SeriesEntry, taken: readonly PendingSample[], rethrow: boolean): number | undefined {
    if (taken.length === 0) return 0;
    try {
      const result = applyToArchive(this.handles, entry.path, () => definitionForSeries(this.config, entry.name), taken);
      this.counters.pending -= taken.length;
      this.counters.samplesFlushed += result.applied;
      this.counters.samplesSkipped += result.skipped;
      this.counters.samplesDropped += result.dropped.length;
      for (const { sample, reason } of result.dropped) {
        this.log.error({ series: entry.name, time: sample.time, value: sample.value, reason }, 'series store: the archive refuses a sample; dropped');
      }
      return result.applied;
    } catch (e) {
      entry.pending = [...taken, ...entry.pending];
      this.handles.discard(entry.path);
      this.counters.flushFailures++;
      if (this.failureLogBudget > 0) {
        this.failureLogBudget--;
        this.log.error({ err: e, series: entry.name, samples: taken.length }, 'series store: cannot update the archive; the samples stay pending');
      } else this.failuresNotLogged++;
      if (rethrow) throw e;
      return undefined;
    } finally {
      entry.flushing = [];
    }
  }

  /** Checkpoints the journal at `upTo`, or just below the oldest batch that still has a sample pending. */
  private async checkpoint(upTo: number): Promise<void> {
    let target = upTo;
    for (const entry of this.entries.values()) if (entry.pending.length > 0) target = Math.min(target, entry.pending[0].seq - 1);
    if (target <= this.journal.checkpointSeq) return;
    try {
      // Archives are written without fsync: only once they are on disk may the journal let their samples go.
      await syncFilesystem(existsSync(this.root) ? this.root : this.config.dataDir);
      await this.journal.checkpoint(target);
    } catch (e) {
      // The journal keeps the samples; a replay of those the archives already hold is skipped as already applied.
      this.log.warn({ err: e, seq: target }, 'series store: cannot checkpoint the journal');
    }
  }

  private flushOnTimer(): void {
    if (this.flushRunning || this.closing) return;
    void this.flush();
  }

  /**
   * Flushes early once the journal is past maxJournalBytes and has grown by
   * half that since the last flush (so a journal that cannot shrink below the
   * bound, whose active segment is large, is not flushed on every ingest).
   */
  private flushIfJournalFull(): void {
    const max = this.config.writeBehind.maxJournalBytes;
    const size = this.journal.sizeBytes;
    if (this.flushRunning || this.closing || size <= max || size - this.sizeAfterFlush < max / 2) return;
    this.flushRunning = true;
    void this.flush();
  }
}
