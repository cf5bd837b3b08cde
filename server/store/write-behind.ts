/**
 * The write-behind half of the store, like rrdcached: samples already
 * durable in the journal are applied to their archives in batches, one
 * updateArchiveFile per series, then the file system is synced and the
 * journal checkpointed. A flush runs on a timer, early once the journal has
 * grown past `writeBehind.maxJournalBytes`, on demand, and for a read of a
 * series with samples pending. Archives are created here: at the flush from
 * the config, or at once for a new series whose sender declared its kind.
 * Everything that touches archives runs one at a time (`exclusive`).
 */
import { existsSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DsType } from '../../archive/index.js';
import { definitionForSeries } from './archive-rules.js';
import type { StoreConfig } from './config-section.js';
import type { JournaledSample, SampleJournal } from '../journal/index.js';
import { applyToArchive, createArchiveForSamples, type PendingSample } from './apply.js';
import { readyToApply, stepFromTimes } from './cadence.js';
import { driftBasis, watchDrift } from './drift.js';
import { FailureLog } from './failure-log.js';
import { mayRetry, type Quarantine } from './quarantine.js';
import type { FlushResult } from './store.js';
import type { SeriesEntry, SeriesTable } from './series-table.js';
import type { StoreLogger } from './store-stats.js';
import { snapToLadder } from './step-ladder.js';
import { syncFilesystem } from './sync-filesystem.js';

export class WriteBehind {
  private flushTail: Promise<unknown> = Promise.resolve();
  private flushRunning = false;
  private readonly failures: FailureLog;
  private sizeAfterFlush: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly table: SeriesTable,
    private readonly config: StoreConfig,
    private readonly journal: SampleJournal,
    private readonly log: StoreLogger,
    /** Where samples that can never be applied go, so they do not hold the checkpoint back (quarantine.ts). */
    private readonly quarantine: Quarantine,
  ) {
    this.sizeAfterFlush = journal.sizeBytes;
    this.failures = new FailureLog(log);
  }

  /** Starts the flush timer (`writeBehind.flushIntervalSeconds`). */
  start(): void {
    this.timer = setInterval(() => this.flushOnTimer(), this.config.writeBehind.flushIntervalSeconds * 1000);
    this.timer.unref();
  }

  /** Applies everything pending, then checkpoints (see Store.flush). Never rejects. */
  flush(): Promise<FlushResult> {
    return this.exclusive(() => this.flushAll());
  }

  /** Stops the timer and early flushes, flushes what is pending, then closes the archives. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.flush();
    await this.exclusive(async () => this.table.handles.closeAll());
  }

  /**
   * Applies `entry`'s pending samples now, after a flush under way (which may
   * hold some of them); for a read. Throws what the archive throws when it
   * may pass (mayRetry: the samples then stay pending); samples that can
   * never be applied are quarantined instead, and the read goes on.
   */
  async settle(entry: SeriesEntry): Promise<void> {
    if (entry.pending.length + entry.flushing.length === 0) return;
    // A series held for its cadence (cadence.ts) has no archive to read yet: its samples stay held.
    await this.exclusive(async () => readyToApply(this.config, entry, Date.now()) && this.applyEntry(entry, this.take(entry), true));
  }

  /**
   * Told after each ingest's append: flushes early once the journal is past
   * maxJournalBytes and has grown by half that since the last flush (so a
   * journal that cannot shrink below the bound, whose active segment is
   * large, is not flushed on every ingest).
   */
  journalGrew(): void {
    const max = this.config.writeBehind.maxJournalBytes;
    const size = this.journal.sizeBytes;
    if (this.flushRunning || this.stopped || size <= max || size - this.sizeAfterFlush < max / 2) return;
    this.flushRunning = true;
    void this.flush();
  }

  /**
   * Creates, durably and before the samples are acknowledged, the archives of
   * series new in this batch (`fresh`: no archive, nothing pending) whose
   * sender declared a kind other than GAUGE (IngestOptions.kinds); each
   * starts at its first sample. A failure is logged: the flush then creates
   * the archive from the config, so only the declared kind is lost.
   */
  createDeclared(accepted: readonly JournaledSample[], acceptedEntries: readonly SeriesEntry[], fresh: ReadonlySet<SeriesEntry>, kinds: ReadonlyMap<string, DsType>): void {
    // Per entry: whether it is new (one existsSync per series, not per sample), and the times of a new declared one's samples.
    const isNewEntry = new Map<SeriesEntry, boolean>();
    const declaredTimes = new Map<SeriesEntry, number[]>();
    for (let i = 0; i < accepted.length; i++) {
      const s = accepted[i];
      const entry = acceptedEntries[i];
      const kind = kinds.get(s.series);
      let isNew = isNewEntry.get(entry);
      if (isNew === undefined) isNewEntry.set(entry, (isNew = fresh.has(entry) && entry.pending.length === 0 && !existsSync(entry.path)));
      if (kind !== undefined && kind !== 'GAUGE' && isNew) {
        const times = declaredTimes.get(entry);
        if (times === undefined) declaredTimes.set(entry, [s.time]);
        else times.push(s.time);
      }
      // Created at once, so not held for its cadence: a declared interval gives the step.
      if (isNew && s.interval !== undefined) entry.step ??= snapToLadder(s.interval);
    }
    for (const [entry, times] of declaredTimes) {
      // Else the gaps of its samples in this batch, else the template's UNKNOWN_CADENCE_STEP.
      if (entry.step === undefined && times.length >= 2) entry.step = stepFromTimes(times);
      const definition = definitionForSeries(this.config, entry.name, kinds.get(entry.name), entry.step);
      try {
        createArchiveForSamples(entry.path, definition, times[0], { sync: true });
        entry.hasArchive = true;
      } catch (e) {
        this.log.warn({ err: e, series: entry.name }, 'series store: cannot create the archive of a new series with its declared kind');
      }
    }
  }

  /**
   * Runs `task` with the archives to itself: after every flush, settle and
   * task queued before it, and before any queued after. A task that swaps an
   * archive file (a reshape) runs here so no flush writes the old file meanwhile.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.flushTail.then(task);
    this.flushTail = run.catch(() => undefined);
    return run;
  }

  private async flushAll(): Promise<FlushResult> {
    const started = performance.now();
    const counters = this.table.counters;
    this.flushRunning = true;
    this.failures.beginFlush();
    try {
      const upTo = this.table.recordedSeq;
      // What is pending now is this flush's; what arrives meanwhile waits for the next.
      const now = Date.now();
      // A new series held for its cadence (cadence.ts) keeps its samples pending, and so in the journal.
      const work = [...this.table.all()].filter((e) => e.pending.length > 0 && readyToApply(this.config, e, now)).map((entry) => ({ entry, taken: this.take(entry) }));
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
      Object.assign(counters, { lastFlushMs: ms, flushes: counters.flushes + 1 });
      this.sizeAfterFlush = this.journal.sizeBytes;
      return { series, samples, ms };
    } finally {
      this.flushRunning = false;
      this.failures.endFlush();
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
   * Applies `taken`, samples taken from `entry`; the number applied, or
   * undefined when the archive failed: after an error that may pass the
   * samples stay pending (with `rethrow` the error is thrown too), after any
   * other they are quarantined.
   */
  private applyEntry(entry: SeriesEntry, taken: readonly PendingSample[], rethrow: boolean): number | undefined {
    if (taken.length === 0) return 0;
    const counters = this.table.counters;
    try {
      const result = applyToArchive(this.table.handles, entry.path, () => definitionForSeries(this.config, entry.name, undefined, entry.step), taken);
      entry.hasArchive = true;
      counters.pending -= taken.length;
      counters.samplesFlushed += result.applied;
      counters.samplesSkipped += result.skipped;
      counters.samplesDropped += result.dropped.length;
      for (const { sample, reason } of result.dropped) this.quarantine.stage(entry.name, [sample], `the archive refuses it: ${reason}`);
      // Do these samples still fit the archive? Judged per series per flush; logged once per drift (drift.ts).
      watchDrift(entry, taken, driftBasis(this.table.handles.get(entry.path).definition), Math.floor(Date.now() / 1000), counters, this.log);
      return result.applied;
    } catch (e) {
      this.table.handles.discard(entry.path);
      if (!mayRetry(e)) {
        // Never going to succeed (a damaged archive, a folder in its place, a name the file system refuses): report, do not retry for ever.
        counters.pending -= taken.length;
        this.quarantine.stage(entry.name, taken, e instanceof Error ? e.message : String(e));
        return undefined;
      }
      entry.pending = [...taken, ...entry.pending];
      counters.flushFailures++;
      this.failures.failed({ err: e, series: entry.name, samples: taken.length }, 'series store: cannot update the archive; the samples stay pending');
      if (rethrow) throw e;
      return undefined;
    } finally {
      entry.flushing = [];
    }
  }

  /**
   * Checkpoints the journal at `upTo`, or just below the oldest batch that
   * still has a sample pending or a quarantined sample not yet written.
   */
  private async checkpoint(upTo: number): Promise<void> {
    try {
      this.quarantine.commit();
    } catch (e) {
      this.log.warn({ err: e, file: this.quarantine.file, samples: this.quarantine.size }, 'series store: cannot write the quarantine file; the journal keeps its samples');
    }
    let target = Math.min(upTo, this.quarantine.oldestSeq() - 1);
    for (const entry of this.table.all()) if (entry.pending.length > 0) target = Math.min(target, entry.pending[0].seq - 1);
    if (target <= this.journal.checkpointSeq) return;
    try {
      // Archives are written without fsync: only once they are on disk may the journal let their samples go.
      await syncFilesystem(existsSync(this.table.root) ? this.table.root : this.config.dataDir);
      await this.journal.checkpoint(target);
    } catch (e) {
      // The journal keeps the samples; a replay of those the archives already hold is skipped as already applied.
      this.log.warn({ err: e, seq: target }, 'series store: cannot checkpoint the journal');
    }
  }

  private flushOnTimer(): void {
    if (this.flushRunning || this.stopped) return;
    void this.flush();
  }
}
