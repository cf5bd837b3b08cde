/**
 * SampleJournal: the durable, append-only journal that lets the server
 * acknowledge samples before they reach their archives (as rrdcached's
 * journal does). Appends are encoded at once, then written and fdatasynced
 * in groups, one record per group (format in segment.ts), on the shared
 * segment log (lib/segment-log/) with its 'refuse' policy for a full disk.
 *
 * One process at a time may open a journal directory; this is not enforced.
 */
import { CorruptLogError, GroupCommit, LogClosedError, LogFullError, readSegmentBytes, type SegmentLog } from '../../lib/segment-log/index.js';
import { encodeBatch, type JournaledSample } from './batch-codec.js';
import { checkpointPath, writeCheckpoint } from './checkpoint.js';
import { CorruptJournalError, JournalClosedError, JournalError, JournalFullError, asJournalError } from './errors.js';
import { isDiskFull, nodeJournalIo, type JournalIo } from './io.js';
import { recoverJournal, type RecoveredJournal } from './recover.js';
import { replaySegment } from './scan.js';
import { encodeRecordHeader } from './segment.js';

/** How to open a journal. Every field is optional; open() rejects values that make no sense with JournalError. */
export interface JournalOptions {
  /** A segment holding records is closed before a group would take it past this many bytes (default 64 MiB); a larger group gets a segment of its own. */
  readonly segmentBytes?: number;
  /** Most bytes of batches written by one group commit (default 16 MiB); the rest wait for the next group. */
  readonly maxGroupBytes?: number;
  /** The write path's file operations (default: node:fs); tests count syncs and inject failures here. */
  readonly io?: JournalIo;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new JournalError(`${name} must be a positive integer, got ${value}`);
  return value;
}

export class SampleJournal {
  private readonly group: GroupCommit<Buffer, number>;
  private closing: Promise<void> | undefined;
  /** Set when a write failed in a way the journal cannot undo or should not trust; every later append rejects with it. */
  private failure: JournalError | undefined;
  /** Replay and checkpoint run one at a time, so a replay never reads a segment a checkpoint is deleting. */
  private exclusiveTail: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly log: SegmentLog,
    private nextSeq: number,
    private checkpointed: number,
    /** Bytes of a torn tail that open() truncated (a crash in the middle of a write); 0 after a clean shutdown. */
    readonly truncatedBytesAtOpen: number,
    private readonly io: JournalIo,
    maxGroupBytes: number,
  ) {
    this.group = new GroupCommit((batches) => this.commitGroup(batches), (b) => b.length, maxGroupBytes);
  }

  /**
   * Opens (creating if needed) the journal in `dir`: checks every segment,
   * truncates a torn tail (counted in `truncatedBytesAtOpen`), removes
   * segments a checkpoint released, and makes sure there is a segment to
   * append to. Throws CorruptJournalError for damage anywhere but the tail,
   * JournalError for bad options or a directory it cannot use.
   */
  static async open(dir: string, options: JournalOptions = {}): Promise<SampleJournal> {
    const segmentBytes = positiveInteger(options.segmentBytes, 64 << 20, 'segmentBytes');
    const maxGroupBytes = positiveInteger(options.maxGroupBytes, 16 << 20, 'maxGroupBytes');
    const io = options.io ?? nodeJournalIo;
    let recovered: RecoveredJournal;
    try {
      recovered = await recoverJournal(dir, io, segmentBytes);
    } catch (e) {
      throw asJournalError(e, `${dir}: cannot open the journal`);
    }
    const { log, nextSeq, checkpointed, truncatedBytes } = recovered;
    return new SampleJournal(dir, log, nextSeq, checkpointed, truncatedBytes, io, maxGroupBytes);
  }

  /** Bytes of segments currently on disk (for /metrics). */
  get sizeBytes(): number {
    return this.log.sizeBytes;
  }

  /** The seq of the last durable batch; 0 before the first. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The checkpointed seq that survives restarts; 0 before the first checkpoint. */
  get checkpointSeq(): number {
    return this.checkpointed;
  }

  /**
   * Appends a batch. Resolves with its seq once it is durable (fdatasync),
   * never before. Concurrent appends share one write and one fdatasync.
   * Rejects with JournalError for a sample that cannot be stored (nothing
   * of the batch is written), JournalFullError when the disk is full (the
   * journal stays usable), JournalClosedError after close() began or after a
   * write failure that left the journal unusable. Not cancellable: once
   * called, the batch is written unless its group fails.
   */
  append(samples: readonly JournaledSample[]): Promise<number> {
    if (this.closing) return Promise.reject(new JournalClosedError(`${this.dir}: the journal is closed`));
    if (this.failure) return Promise.reject(this.failure);
    let batch: Buffer;
    try {
      batch = encodeBatch(samples);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.group.submit(batch);
  }

  /**
   * Calls `onBatch` for every durable batch with a seq above `afterSeq`
   * (default: the checkpoint), in seq order, each exactly once. Batches at
   * or below the checkpoint may already be gone. Batches appended while the
   * replay runs are not included. Rejects with CorruptJournalError for
   * damage found on the way, JournalError when a segment cannot be read;
   * whatever `onBatch` throws stops the replay and is rejected with as it is
   * (that is how a replay is cancelled).
   */
  replay(onBatch: (seq: number, samples: JournaledSample[]) => void, afterSeq: number = this.checkpointed): Promise<void> {
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) return Promise.reject(new JournalError(`replay: ${afterSeq} is not a sequence number`));
    if (this.closing) return Promise.reject(new JournalClosedError(`${this.dir}: the journal is closed`));
    return this.exclusive(async () => {
      // Sizes as of now: what commits while the replay runs is not read.
      const snapshot = this.log.segments.map((s) => ({ ...s }));
      for (let i = 0; i < snapshot.length; i++) {
        const segment = snapshot[i];
        if (i + 1 < snapshot.length && snapshot[i + 1].firstSeq - 1 <= afterSeq) continue;
        let bytes: Buffer;
        try {
          bytes = await readSegmentBytes(segment.path, 0, segment.size);
        } catch (e) {
          throw this.journalError(e, `${segment.path}: cannot read the journal segment`);
        }
        replaySegment(segment.path, bytes, segment.firstSeq, afterSeq, onBatch);
      }
    });
  }

  /**
   * Records that the caller has made everything up to and including `seq`
   * durable elsewhere: persists it (atomically; it survives restarts and
   * becomes replay's default start), then deletes the segments wholly at or
   * below it. A `seq` at or below the current checkpoint changes nothing.
   * Rejects with JournalError for a seq beyond `lastSeq`, JournalFullError
   * when the checkpoint cannot be written for want of space (the old one
   * stays), JournalClosedError after close() began. Not cancellable.
   */
  checkpoint(seq: number): Promise<void> {
    if (!Number.isSafeInteger(seq) || seq < 0) return Promise.reject(new JournalError(`checkpoint: ${seq} is not a sequence number`));
    if (this.closing) return Promise.reject(new JournalClosedError(`${this.dir}: the journal is closed`));
    return this.exclusive(async () => {
      if (seq > this.lastSeq) throw new JournalError(`checkpoint: ${seq} is beyond the last durable batch, ${this.lastSeq}`);
      if (seq <= this.checkpointed) return;
      try {
        await writeCheckpoint(this.io, this.dir, seq);
      } catch (e) {
        throw isDiskFull(e) ? new JournalFullError(checkpointPath(this.dir), { cause: e }) : asJournalError(e, `${checkpointPath(this.dir)}: cannot write the checkpoint`);
      }
      this.checkpointed = seq;
      await this.log.release(seq).catch((e: unknown) => {
        throw asJournalError(e, `${this.dir}: cannot delete a released segment`);
      });
    });
  }

  /**
   * Commits every append already made, then closes. Later appends, replays
   * and checkpoints reject with JournalClosedError. Calling it again returns
   * the same promise. Rejects only if closing the file fails.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.group.drain();
      await this.exclusive(async () => undefined);
      await this.log.close();
    })();
    return this.closing;
  }

  private exclusive(task: () => Promise<void>): Promise<void> {
    const run = this.exclusiveTail.then(task);
    this.exclusiveTail = run.catch(() => undefined);
    return run;
  }

  /** Writes one group as one record and syncs it; called by GroupCommit, one group at a time. */
  private async commitGroup(batches: readonly Buffer[]): Promise<number[]> {
    if (this.failure) throw this.failure;
    const seq = this.nextSeq;
    const last = seq + batches.length - 1;
    try {
      await this.log.write(seq, last, [encodeRecordHeader(seq, batches), ...batches]);
    } catch (e) {
      throw this.journalError(e, `${this.dir}: cannot write the journal`);
    }
    this.nextSeq = last + 1;
    return batches.map((_, i) => seq + i);
  }

  /**
   * The segment log's error as the journal's: a full disk is JournalFullError
   * (the journal goes on); a write failure that stopped the log stops the
   * journal too, because a disk that fails to write or sync (EIO) may have
   * lost what it reported as written.
   */
  private journalError(error: unknown, what: string): JournalError {
    if (error instanceof LogFullError) return new JournalFullError(error.path, { cause: error.cause });
    if (error instanceof CorruptLogError) return new CorruptJournalError(error.path, error.offset, error.detail);
    if (error instanceof LogClosedError) {
      this.failure ??= new JournalClosedError(error.message, { cause: error.cause });
      return this.failure;
    }
    return asJournalError(error, what);
  }
}
