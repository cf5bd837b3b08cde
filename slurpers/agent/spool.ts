/**
 * The agent's bounded on-disk buffer of batches (format: spool-format.ts).
 *
 *     const spool = await Spool.open({ dir, maxBytes: 256 * 2 ** 20, log });
 *     await spool.append(samples);          // resolves once fdatasync'd: the batch is spooled
 *     const batches = await spool.peek(5000); // the oldest batches not yet acknowledged, in order
 *     await spool.ack(batches.at(-1).seq);  // the server has them; their segments may go
 *
 * The spool is a record format on the shared segment log (lib/segment-log/).
 * Appends that arrive together share one write and one fdatasync (group
 * commit). A restart resumes after the persisted ack cursor; torn tails are
 * cut off. The bound is the log's drop-oldest policy: when the segments would
 * grow past `maxBytes`, the oldest segment is deleted whether the server has
 * its batches or not; the samples lost are logged and counted
 * (`droppedSamples`). One operation runs at a time (append's write, peek,
 * ack), so none sees another half done.
 */
import { makeDirectory } from '../../lib/durable-file.js';
import { GroupCommit, listSegments, LogFullError, readSegmentBytes, recoverSegments, scanSegment, SegmentLog, type Segment } from '../../lib/segment-log/index.js';
import type { SlurperLogger } from '../contract.js';
import { errorText } from '../host/error-text.js';
import { silentLogger } from '../host/silent-logger.js';
import { readAckCursor, readBatches, spoolRecordCheck, writeAckCursor, type PendingCount } from './spool-files.js';
import { encodeRecord, SEGMENT_HEADER_SIZE, SPOOL_FORMAT, type SpooledBatch, type SpooledSample } from './spool-format.js';

const MiB = 2 ** 20;
export const DEFAULT_SPOOL_MAX_BYTES = 256 * MiB;

export interface SpoolOptions {
  readonly dir: string;
  /** The most bytes the segments may hold; the oldest segment is dropped to stay under it. At least 64 KiB. */
  readonly maxBytes: number;
  /** Size at which a new segment is started; default maxBytes / 8 within [16 KiB, 16 MiB]. At most maxBytes / 4. */
  readonly segmentBytes?: number;
  readonly log?: SlurperLogger;
}

/** The spool's counters, as of now. */
export interface SpoolStats {
  readonly pendingBatches: number;
  readonly pendingSamples: number;
  readonly bytes: number;
  readonly segments: number;
  readonly ackedSeq: number;
  /** Batches and samples deleted unsent because the spool was full (since this start). */
  readonly droppedBatches: number;
  readonly droppedSamples: number;
  /** Bytes of damaged records cut off at start. */
  readonly damagedBytes: number;
}

/** A batch that cannot be spooled at all (larger than half the bound), or a spool used after close(). */
export class SpoolError extends Error {
  override name = 'SpoolError';
}

interface Queued {
  readonly seq: number;
  readonly record: Buffer;
  readonly samples: number;
}

/** Default segment size: maxBytes / 8 within [16 KiB, 16 MiB], and never more than maxBytes / 4. */
function segmentSize(maxBytes: number, asked: number | undefined): number {
  return Math.min(asked ?? Math.max(16 * 1024, Math.min(16 * MiB, Math.floor(maxBytes / 8))), Math.floor(maxBytes / 4));
}

export class Spool {
  private readonly group: GroupCommit<Queued, number>;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly waiters = new Set<() => void>();
  /** Where the first batch after the ack cursor starts. */
  private readAt: { startSeq: number; offset: number };
  /** What the last peek handed out: where each batch ends and its size. */
  private peeked = new Map<number, { startSeq: number; end: number; samples: number }>();
  private counts = { pendingBatches: 0, pendingSamples: 0, droppedBatches: 0, droppedSamples: 0, damagedBytes: 0 };
  private closed = false;
  /** The segments; set by open() right after construction. */
  private segmentLog!: SegmentLog;

  private constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    segmentBytes: number,
    private readonly log: SlurperLogger,
    private acked: number,
    private nextSeq: number,
    /** The highest seq written and synced. */
    private durableSeq: number,
  ) {
    this.readAt = { startSeq: nextSeq, offset: SEGMENT_HEADER_SIZE };
    // A group never holds more than a fresh segment takes, so that segments stay within segmentBytes.
    this.group = new GroupCommit((group) => this.exclusive(() => this.writeGroup(group)), (q) => q.record.length, segmentBytes - SEGMENT_HEADER_SIZE);
  }

  /**
   * Opens (creating) the spool in `dir`: reads the ack cursor, checks every
   * segment, cuts off damage, deletes what is acknowledged. Rejects with the
   * file system's error when the directory cannot be used.
   */
  static async open(options: SpoolOptions): Promise<Spool> {
    if (!(options.maxBytes >= 64 * 1024)) throw new SpoolError(`spool.maxBytes must be at least 64 KiB, got ${options.maxBytes}`);
    const { dir, maxBytes } = options;
    const log = options.log ?? silentLogger;
    await makeDirectory(dir);
    const cursor = await readAckCursor(dir);
    if (cursor.problem) log.warn({ spool: dir }, `spool: ${cursor.problem}; sending every spooled batch again (the server counts those it has as duplicates)`);
    const pending = new Map<number, PendingCount>();
    let damagedBytes = 0;
    const { segments } = await recoverSegments(SPOOL_FORMAT, dir, await listSegments(SPOOL_FORMAT.naming, dir), {
      damage: 'truncate',
      check: (firstSeq) => spoolRecordCheck(cursor.acked, pending.set(firstSeq, { batches: 0, samples: 0 }).get(firstSeq)!),
      onDamage: (file, { offset, detail, bytes, last }) => {
        if (offset === 0) return (last ? log.warn : log.error).call(log, { file }, `spool: ${file}: ${detail}; removed`);
        damagedBytes += bytes;
        const what = last ? 'torn write at the end (a crash while spooling); cut off' : 'damaged; the rest of the segment is dropped';
        (last ? log.warn : log.error).call(log, { file, offset, bytes }, `spool: ${file} at byte ${offset}: ${detail}: ${what}`);
      },
    });
    const lastSeq = Math.max(cursor.acked, ...segments.map((s) => s.lastSeq));
    const segmentBytes = segmentSize(maxBytes, options.segmentBytes);
    const spool = new Spool(dir, maxBytes, segmentBytes, log, cursor.acked, lastSeq + 1, lastSeq);
    spool.segmentLog = await SegmentLog.open(
      {
        dir,
        format: SPOOL_FORMAT,
        segmentBytes,
        full: { kind: 'drop-oldest', maxBytes, beforeDrop: (segment) => spool.beforeDrop(segment) },
        afterWriteError: 'go-on',
        label: 'spool',
      },
      segments,
      false,
    );
    // Every new start writes a new segment, so these are all closed: the acknowledged ones go now.
    await spool.segmentLog.release(cursor.acked);
    spool.counts.damagedBytes = damagedBytes;
    for (const segment of spool.segmentLog.segments) {
      const counted = pending.get(segment.firstSeq)!;
      spool.counts.pendingBatches += counted.batches;
      spool.counts.pendingSamples += counted.samples;
    }
    const first = spool.segmentLog.segments.find((s) => pending.get(s.firstSeq)!.firstOffset !== undefined);
    if (first) spool.readAt = { startSeq: first.firstSeq, offset: pending.get(first.firstSeq)!.firstOffset! };
    if (spool.counts.pendingBatches > 0) log.info({ batches: spool.counts.pendingBatches, samples: spool.counts.pendingSamples }, 'spool: resuming with batches the server has not acknowledged');
    return spool;
  }

  /**
   * Spools `samples` as one batch; resolves with its seq once durable.
   * Rejects with SpoolError (closed, or a batch larger than half of
   * maxBytes) or the file system's error (ENOSPC...), then nothing is spooled.
   */
  append(samples: readonly SpooledSample[]): Promise<number> {
    if (this.closed) return Promise.reject(new SpoolError('the spool is closed'));
    const seq = this.nextSeq++;
    const record = encodeRecord({ seq, samples });
    if (record.length + SEGMENT_HEADER_SIZE > this.maxBytes / 2) {
      return Promise.reject(new SpoolError(`a batch of ${record.length} bytes does not fit a spool of ${this.maxBytes} bytes; raise spool.maxBytes`));
    }
    return this.group.submit({ seq, record, samples: samples.length });
  }

  /**
   * The oldest batches not acknowledged, in spool order: whole batches up to
   * `maxSamples` samples (one batch even when it alone has more), from one
   * segment. Empty when everything is acknowledged. Rejects with the file
   * system's error.
   */
  peek(maxSamples: number): Promise<SpooledBatch[]> {
    return this.exclusive(async () => {
      this.peeked = new Map();
      for (;;) {
        const segment = this.readSegment();
        if (segment === undefined) return [];
        const read = await readBatches(segment.path, this.readAt.offset, segment.size, maxSamples);
        const fresh = read.filter(({ batch }) => batch.seq > this.acked);
        // Batches at or below the cursor (freed by a drop meanwhile) are stepped over.
        if (fresh.length === 0 && read.length > 0) this.readAt = { startSeq: segment.firstSeq, offset: read.at(-1)!.end };
        if (fresh.length > 0) {
          for (const { batch, end } of fresh) this.peeked.set(batch.seq, { startSeq: segment.firstSeq, end, samples: batch.samples.length });
          return fresh.map((r) => r.batch);
        }
        if (read.length > 0) continue;
        const next = this.segmentLog.segments.find((s) => s.firstSeq > segment.firstSeq);
        if (next === undefined) return [];
        this.readAt = { startSeq: next.firstSeq, offset: SEGMENT_HEADER_SIZE };
      }
    });
  }

  /**
   * Marks every batch up to `seq` as acknowledged: persists the cursor, then
   * deletes the segments it frees. A seq at or below the cursor changes
   * nothing. Rejects with the file system's error.
   */
  ack(seq: number): Promise<void> {
    return this.exclusive(async () => {
      if (seq <= this.acked) return;
      for (const [s, info] of this.peeked) {
        if (s <= this.acked || s > seq) continue;
        this.counts.pendingBatches--;
        this.counts.pendingSamples -= info.samples;
        this.readAt = { startSeq: info.startSeq, offset: info.end };
      }
      this.acked = seq;
      await writeAckCursor(this.dir, this.acked);
      await this.segmentLog.release(this.acked);
    });
  }

  /**
   * Resolves when a batch after the ack cursor is durable (at once if one
   * is), or when `signal` aborts or the spool closes.
   */
  waitForData(signal?: AbortSignal): Promise<void> {
    if (this.durableSeq > this.acked || this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  stats(): SpoolStats {
    return { ...this.counts, bytes: this.segmentLog.sizeBytes, segments: this.segmentLog.segments.length, ackedSeq: this.acked };
  }

  /** Writes what is queued, closes the active segment; later appends reject. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.group.drain();
    await this.exclusive(() => this.segmentLog.close());
    for (const wake of [...this.waiters]) wake();
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The segment `readAt` points into, moved on to the next segment when it has been read to its end. */
  private readSegment(): Segment | undefined {
    const segments = this.segmentLog.segments;
    let segment = segments.find((s) => s.firstSeq === this.readAt.startSeq);
    if (segment === undefined) {
      segment = segments.find((s) => s.firstSeq > this.readAt.startSeq);
      if (segment) this.readAt = { startSeq: segment.firstSeq, offset: SEGMENT_HEADER_SIZE };
    }
    return segment;
  }

  /** Writes one group with one write and one fdatasync (the log makes room first); called by GroupCommit, inside `exclusive`. */
  private async writeGroup(group: readonly Queued[]): Promise<number[]> {
    const last = group[group.length - 1].seq;
    try {
      await this.segmentLog.write(group[0].seq, last, group.map((q) => q.record));
    } catch (error) {
      // Disk full comes as the log's LogFullError; the spool's callers get the system's error, as always.
      const cause = error instanceof LogFullError && error.cause !== undefined ? error.cause : error;
      this.log.error({ spool: this.dir, err: cause }, `spool: cannot write a batch: ${errorText(cause)}`);
      throw cause;
    }
    this.durableSeq = last;
    this.counts.pendingBatches += group.length;
    this.counts.pendingSamples += group.reduce((sum, q) => sum + q.samples, 0);
    for (const wake of [...this.waiters]) wake();
    return group.map((q) => q.seq);
  }

  /** The full log is about to delete `segment`: moves the cursor past it, and logs and counts what the server never got. */
  private async beforeDrop(segment: Segment): Promise<void> {
    const lost: PendingCount = { batches: 0, samples: 0 };
    scanSegment(SPOOL_FORMAT, await readSegmentBytes(segment.path, 0, segment.size), segment.firstSeq, spoolRecordCheck(this.acked, lost));
    this.acked = Math.max(this.acked, segment.lastSeq);
    await writeAckCursor(this.dir, this.acked);
    this.counts.pendingBatches -= lost.batches;
    this.counts.pendingSamples -= lost.samples;
    this.counts.droppedBatches += lost.batches;
    this.counts.droppedSamples += lost.samples;
    this.log.error(
      { spool: this.dir, batches: lost.batches, samples: lost.samples, droppedSamplesTotal: this.counts.droppedSamples },
      `spool: full (maxBytes ${this.maxBytes}): dropped the oldest segment; ${lost.samples} samples the server never got are lost`,
    );
  }
}
