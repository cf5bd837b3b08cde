/**
 * The agent's bounded on-disk buffer of batches (format: spool-format.ts).
 *
 *     const spool = await Spool.open({ dir, maxBytes: 256 * 2 ** 20, log });
 *     await spool.append(samples);          // resolves once fdatasync'd: the batch is spooled
 *     const batches = await spool.peek(5000); // the oldest batches not yet acknowledged, in order
 *     await spool.ack(batches.at(-1).seq);  // the server has them; their segments may go
 *
 * Appends that arrive together share one write and one fdatasync (group
 * commit). A restart resumes after the persisted ack cursor; torn tails are
 * cut off. The bound: when the segments would grow past `maxBytes`, the
 * oldest segment is deleted whether the server has its batches or not; the
 * samples lost are logged and counted (`droppedSamples`). One operation runs
 * at a time (append's write, peek, ack), so none sees another half done.
 */
import { mkdir, open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { SlurperLogger } from '../contract.js';
import { errorText } from '../host/error-text.js';
import { silentLogger } from '../host/silent-logger.js';
import { readAckCursor, readBatches, scanSegment, truncateSegment, writeAckCursor } from './spool-files.js';
import { encodeRecord, encodeSegmentHeader, parseSegmentName, SEGMENT_HEADER_SIZE, segmentName, type SpooledBatch, type SpooledSample } from './spool-format.js';

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

interface Segment {
  readonly path: string;
  readonly startSeq: number;
  lastSeq: number;
  /** Durable length; readers never read past it. */
  bytes: number;
}

interface Queued {
  readonly seq: number;
  readonly record: Buffer;
  readonly samples: number;
  resolve(seq: number): void;
  reject(error: unknown): void;
}

export class Spool {
  private segments: Segment[] = [];
  private active: { segment: Segment; handle: FileHandle } | undefined;
  private readonly queue: Queued[] = [];
  private writeScheduled = false;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly waiters = new Set<() => void>();
  /** Where the first batch after the ack cursor starts. */
  private readAt: { startSeq: number; offset: number };
  /** What the last peek handed out: where each batch ends and its size. */
  private peeked = new Map<number, { startSeq: number; end: number; samples: number }>();
  private counts = { pendingBatches: 0, pendingSamples: 0, droppedBatches: 0, droppedSamples: 0, damagedBytes: 0 };
  private closed = false;
  /** The highest seq written and synced. */
  private durableSeq = 0;
  private readonly segmentBytes: number;

  private constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    segmentBytes: number | undefined,
    private readonly log: SlurperLogger,
    private acked: number,
    private nextSeq: number,
  ) {
    this.segmentBytes = Math.min(segmentBytes ?? Math.max(16 * 1024, Math.min(16 * MiB, Math.floor(maxBytes / 8))), Math.floor(maxBytes / 4));
    this.readAt = { startSeq: nextSeq, offset: SEGMENT_HEADER_SIZE };
  }

  /**
   * Opens (creating) the spool in `dir`: reads the ack cursor, checks every
   * segment, cuts off damage, deletes what is acknowledged. Rejects with the
   * file system's error when the directory cannot be used.
   */
  static async open(options: SpoolOptions): Promise<Spool> {
    if (!(options.maxBytes >= 64 * 1024)) throw new SpoolError(`spool.maxBytes must be at least 64 KiB, got ${options.maxBytes}`);
    const log = options.log ?? silentLogger;
    await mkdir(options.dir, { recursive: true });
    const cursor = await readAckCursor(options.dir);
    if (cursor.problem) log.warn({ spool: options.dir }, `spool: ${cursor.problem}; sending every spooled batch again (the server counts those it has as duplicates)`);
    const starts = (await readdir(options.dir)).map(parseSegmentName).filter((s): s is number => s !== undefined).sort((a, b) => a - b);
    const spool = new Spool(options.dir, options.maxBytes, options.segmentBytes, log, cursor.acked, 1);
    let readAt: { startSeq: number; offset: number } | undefined;
    let lastSeq = cursor.acked;
    for (const [i, startSeq] of starts.entries()) {
      const path = join(options.dir, segmentName(startSeq));
      const scan = await scanSegment(path, startSeq, cursor.acked);
      const isLast = i === starts.length - 1;
      if (scan.badHeader !== undefined || scan.batches === 0) {
        if (scan.badHeader !== undefined) (isLast ? log.warn : log.error).call(log, { file: path }, `spool: ${path}: ${scan.badHeader}; removed`);
        await unlink(path);
        continue;
      }
      if (scan.damage) {
        const { offset, problem, bytes } = scan.damage;
        const what = isLast ? 'torn write at the end (a crash while spooling); cut off' : 'damaged; the rest of the segment is dropped';
        (isLast ? log.warn : log.error).call(log, { file: path, offset, bytes }, `spool: ${path} at byte ${offset}: ${problem}: ${what}`);
        await truncateSegment(path, scan.validBytes);
        spool.counts.damagedBytes += bytes;
      }
      lastSeq = Math.max(lastSeq, scan.lastSeq);
      if (scan.lastSeq <= cursor.acked) {
        await unlink(path);
        continue;
      }
      spool.segments.push({ path, startSeq, lastSeq: scan.lastSeq, bytes: scan.validBytes });
      spool.counts.pendingBatches += scan.pendingBatches;
      spool.counts.pendingSamples += scan.pendingSamples;
      readAt ??= { startSeq, offset: scan.firstPendingOffset };
    }
    spool.nextSeq = lastSeq + 1;
    spool.durableSeq = lastSeq;
    spool.readAt = readAt ?? { startSeq: spool.nextSeq, offset: SEGMENT_HEADER_SIZE };
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
    return new Promise((resolve, reject) => {
      this.queue.push({ seq, record, samples: samples.length, resolve, reject });
      if (!this.writeScheduled) {
        this.writeScheduled = true;
        void this.exclusive(() => this.writeQueued());
      }
    });
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
        const read = await readBatches(segment.path, this.readAt.offset, segment.bytes, maxSamples);
        const fresh = read.filter(({ batch }) => batch.seq > this.acked);
        // Batches at or below the cursor (freed by a drop meanwhile) are stepped over.
        if (fresh.length === 0 && read.length > 0) this.readAt = { startSeq: segment.startSeq, offset: read.at(-1)!.end };
        if (fresh.length > 0) {
          for (const { batch, end } of fresh) this.peeked.set(batch.seq, { startSeq: segment.startSeq, end, samples: batch.samples.length });
          return fresh.map((r) => r.batch);
        }
        if (read.length > 0) continue;
        const next = this.segments.find((s) => s.startSeq > segment.startSeq);
        if (next === undefined) return [];
        this.readAt = { startSeq: next.startSeq, offset: SEGMENT_HEADER_SIZE };
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
      for (const segment of [...this.segments]) {
        if (segment.lastSeq > this.acked || segment === this.active?.segment) continue;
        await unlink(segment.path);
        this.segments = this.segments.filter((s) => s !== segment);
      }
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
    return { ...this.counts, bytes: this.totalBytes(), segments: this.segments.length, ackedSeq: this.acked };
  }

  /** Writes what is queued, closes the active segment; later appends reject. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.exclusive(async () => {
      await this.writeQueued();
      await this.active?.handle.close();
      this.active = undefined;
    });
    for (const wake of [...this.waiters]) wake();
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The segment `readAt` points into, moved on to the next segment when it has been read to its end. */
  private readSegment(): Segment | undefined {
    let segment = this.segments.find((s) => s.startSeq === this.readAt.startSeq);
    if (segment === undefined) {
      segment = this.segments.find((s) => s.startSeq > this.readAt.startSeq);
      if (segment) this.readAt = { startSeq: segment.startSeq, offset: SEGMENT_HEADER_SIZE };
    }
    return segment;
  }

  /** Writes the queue in groups, one write and one fdatasync per group, starting segments as needed. */
  private async writeQueued(): Promise<void> {
    this.writeScheduled = false;
    while (this.queue.length > 0) {
      let group: Queued[];
      try {
        group = await this.prepareGroup();
      } catch (error) {
        this.log.error({ spool: this.dir, err: error }, `spool: cannot make room for a batch: ${errorText(error)}`);
        for (const q of this.queue.splice(0)) q.reject(error);
        return;
      }
      const { segment, handle } = this.active!;
      const bytes = group.reduce((sum, q) => sum + q.record.length, 0);
      try {
        let written = 0;
        const buffer = group.length === 1 ? group[0].record : Buffer.concat(group.map((q) => q.record));
        while (written < bytes) written += (await handle.write(buffer, written, bytes - written, segment.bytes + written)).bytesWritten;
        await handle.datasync();
      } catch (error) {
        await this.abandonTail(error);
        for (const q of group) q.reject(error);
        continue;
      }
      segment.bytes += bytes;
      segment.lastSeq = group.at(-1)!.seq;
      this.durableSeq = segment.lastSeq;
      this.counts.pendingBatches += group.length;
      this.counts.pendingSamples += group.reduce((sum, q) => sum + q.samples, 0);
      for (const q of group) q.resolve(q.seq);
      for (const wake of [...this.waiters]) wake();
    }
  }

  /** Takes the next group off the queue and makes room for it: a new segment when the active one is full, the oldest dropped past the bound. */
  private async prepareGroup(): Promise<Queued[]> {
    const first = this.queue[0];
    const current = this.active?.segment;
    const rotate = current === undefined || (current.bytes > SEGMENT_HEADER_SIZE && current.bytes + first.record.length > this.segmentBytes);
    if (rotate && this.active) {
      await this.active.handle.close();
      this.active = undefined;
    }
    const used = rotate ? SEGMENT_HEADER_SIZE : (current?.bytes ?? 0);
    const room = Math.max(first.record.length, this.segmentBytes - used);
    let size = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || size + this.queue[count].record.length <= room)) size += this.queue[count++].record.length;
    const needed = size + (rotate ? SEGMENT_HEADER_SIZE : 0);
    while (this.totalBytes() + needed > this.maxBytes) {
      const oldest = this.segments.find((s) => s !== this.active?.segment);
      if (oldest === undefined) break;
      await this.drop(oldest);
    }
    if (rotate) await this.startSegment(first.seq);
    return this.queue.splice(0, count);
  }

  private async startSegment(startSeq: number): Promise<void> {
    const segment: Segment = { path: join(this.dir, segmentName(startSeq)), startSeq, lastSeq: startSeq - 1, bytes: SEGMENT_HEADER_SIZE };
    const handle = await open(segment.path, 'wx');
    try {
      await handle.write(encodeSegmentHeader(startSeq), 0, SEGMENT_HEADER_SIZE, 0);
      await handle.datasync();
      // The new name must survive a power cut too, or the records in it would vanish with it.
      const dir = await open(this.dir, 'r');
      await dir.sync().finally(() => dir.close());
    } catch (error) {
      await handle.close();
      await unlink(segment.path).catch(() => undefined);
      throw error;
    }
    this.segments.push(segment);
    this.active = { segment, handle };
  }

  /** Deletes the oldest segment to stay under the bound; logs and counts what the server never got. */
  private async drop(segment: Segment): Promise<void> {
    const lost = await scanSegment(segment.path, segment.startSeq, this.acked);
    this.acked = Math.max(this.acked, segment.lastSeq);
    await writeAckCursor(this.dir, this.acked);
    await unlink(segment.path);
    this.segments = this.segments.filter((s) => s !== segment);
    this.counts.pendingBatches -= lost.pendingBatches;
    this.counts.pendingSamples -= lost.pendingSamples;
    this.counts.droppedBatches += lost.pendingBatches;
    this.counts.droppedSamples += lost.pendingSamples;
    this.log.error(
      { spool: this.dir, batches: lost.pendingBatches, samples: lost.pendingSamples, droppedSamplesTotal: this.counts.droppedSamples },
      `spool: full (maxBytes ${this.maxBytes}): dropped the oldest segment; ${lost.pendingSamples} samples the server never got are lost`,
    );
  }

  /** After a failed write: cut the segment back to its durable length, or give it up and start a new one next time. */
  private async abandonTail(error: unknown): Promise<void> {
    const active = this.active!;
    this.log.error({ spool: this.dir, err: error }, `spool: cannot write ${active.segment.path}: ${errorText(error)}`);
    try {
      await active.handle.truncate(active.segment.bytes);
    } catch {
      await active.handle.close().catch(() => undefined);
      this.active = undefined;
    }
  }

  private totalBytes(): number {
    return this.segments.reduce((sum, s) => sum + s.bytes, 0);
  }
}
