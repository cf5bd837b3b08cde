/**
 * The segment log's write side: records go at the end of the active
 * segment, each write followed by one fdatasync, so a group of records
 * written together stands or falls together. A segment that already holds
 * records is closed before a write would take it past `segmentBytes`, and a
 * new one, named by the first seq the write holds, is begun.
 *
 * A full log is handled by one of two policies:
 *   refuse       a write that finds the disk full (ENOSPC, EDQUOT), or that
 *                would take the log past `maxBytes`, rejects with
 *                LogFullError; nothing of it stays and later writes go on
 *                once there is room (the journal: the caller keeps its data).
 *   drop-oldest  before a write would take the log past `maxBytes`, the
 *                oldest segments are deleted (`beforeDrop` is told first, to
 *                count what is lost); the active segment is never dropped
 *                (the agent spool: new data matters more than old). A full
 *                disk still rejects with LogFullError, as under refuse.
 * A write that fails otherwise (EIO) is cut back; with 'stop' the log then
 * refuses every later write (a disk that failed a sync may have lost what it
 * reported written), with 'go-on' it carries on (in a new segment if the
 * cut itself failed).
 *
 * One write at a time: callers serialize them (GroupCommit does). release()
 * may run while a write waits; it never deletes the segment written to.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { closeFile, isDiskFull, nodeFileIo, openFile, truncateFile, writeFully, type FileIo } from '../durable-file.js';
import { LogClosedError, LogError, LogFullError } from './errors.js';
import type { LogFormat } from './log-format.js';
import { createSegment, type Segment } from './segment-files.js';
import { headerSize } from './segment-header.js';
import { segmentFileName } from './segment-name.js';

/**
 * What a full log does (see above). If `beforeDrop` rejects, the write rejects
 * with its error and that segment stays. A write larger than dropping every
 * closed segment frees still goes.
 */
export type FullPolicy =
  | { readonly kind: 'refuse'; readonly maxBytes?: number }
  | { readonly kind: 'drop-oldest'; readonly maxBytes: number; readonly beforeDrop?: (segment: Segment) => Promise<void> };

/** How a log writes; `dir` must exist (owners make it with makeDirectory). */
export interface SegmentLogOptions {
  readonly dir: string;
  readonly format: LogFormat;
  /** Writes and syncs (default node:fs); tests count syncs and inject failures here. */
  readonly io?: FileIo;
  readonly segmentBytes: number;
  readonly full: FullPolicy;
  readonly afterWriteError: 'stop' | 'go-on';
  /** What the log is called in errors: "the <label> takes no appends until reopened". */
  readonly label: string;
}

export class SegmentLog {
  private active: { segment: Segment; fd: number } | undefined;
  private failure: LogClosedError | undefined;
  private closed = false;
  private readonly io: FileIo;

  private constructor(
    private readonly options: SegmentLogOptions,
    /** Oldest first; the active segment, when there is one, is the last. */
    private readonly list: Segment[],
  ) {
    this.io = options.io ?? nodeFileIo;
  }

  /**
   * A log over the recovered `segments` (oldest first; recover.ts). With
   * `appendToLast` writes go on in the last segment; otherwise the first
   * write begins a new one, and segments without a record are removed now.
   * Rejects with the system's error.
   */
  static async open(options: SegmentLogOptions, segments: Segment[], appendToLast: boolean): Promise<SegmentLog> {
    const log = new SegmentLog(options, [...segments]);
    const last = log.list.at(-1);
    if (appendToLast && last !== undefined) {
      log.active = { segment: last, fd: await openFile(last.path, 'r+') };
    } else {
      const empty = log.list.filter((s) => s.lastSeq < s.firstSeq);
      for (const segment of empty) await rm(segment.path, { force: true });
      log.list.splice(0, log.list.length, ...log.list.filter((s) => !empty.includes(s)));
    }
    return log;
  }

  /** Oldest first. The entries are live: sizes grow as writes commit. */
  get segments(): readonly Segment[] {
    return this.list;
  }

  /** Bytes of segments on disk, headers included. */
  get sizeBytes(): number {
    return this.list.reduce((sum, s) => sum + s.size, 0);
  }

  /** Begins a segment named `firstSeq` unless one is open for writing. Rejects as write() does. */
  async ensureSegment(firstSeq: number): Promise<Segment> {
    this.usable();
    if (this.active) return this.active.segment;
    let created: { segment: Segment; fd: number };
    try {
      created = await createSegment(this.io, this.options.format, this.options.dir, firstSeq);
    } catch (e) {
      const path = join(this.options.dir, segmentFileName(this.options.format.naming, firstSeq));
      if (isDiskFull(e)) throw new LogFullError(path, `no space left for the ${this.options.label}`, { cause: e });
      throw new LogError(`${path}: cannot create a ${this.options.label} segment: ${(e as Error).message}`, { cause: e });
    }
    this.list.push(created.segment);
    this.active = created;
    return created.segment;
  }

  /**
   * Writes `buffers` as one record group at the end of the log, holding
   * seqs up to `lastSeq` (`firstSeq` names a segment begun for it), with one
   * write and one fdatasync. Resolves once durable. Rejects with
   * LogFullError (nothing stays; the log goes on), LogClosedError, or, with
   * 'go-on', the system's error.
   */
  async write(firstSeq: number, lastSeq: number, buffers: readonly Buffer[]): Promise<void> {
    this.usable();
    const bytes = buffers.reduce((sum, b) => sum + b.length, 0);
    const current = this.active?.segment;
    const begin = current === undefined || (current.size > headerSize(this.options.format.header) && current.size + bytes > this.options.segmentBytes);
    if (begin && this.active) {
      // Everything in it is synced already: a failure to close loses nothing.
      await closeFile(this.active.fd).catch(() => undefined);
      this.active = undefined;
    }
    await this.makeRoom(bytes + (begin ? headerSize(this.options.format.header) : 0), firstSeq);
    const segment = await this.ensureSegment(firstSeq);
    const { fd } = this.active!;
    const start = segment.size;
    try {
      const written = await writeFully(this.io, fd, buffers, start);
      await this.io.fdatasync(fd);
      segment.size = start + written;
    } catch (e) {
      throw await this.undo(segment, start, e);
    }
    segment.lastSeq = lastSeq;
  }

  /** Deletes, oldest first, every segment but the active one whose records are all at or below `seq`. Rejects with the system's error. */
  async release(seq: number): Promise<void> {
    let n = 0;
    while (n < this.list.length && this.list[n].lastSeq <= seq && this.list[n] !== this.active?.segment) n++;
    // Oldest first, so that a crash in between leaves a contiguous run of segments.
    for (const segment of this.list.splice(0, n)) await rm(segment.path, { force: true });
  }

  /** Closes the active segment; later writes reject with LogClosedError. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const active = this.active;
    this.active = undefined;
    if (active) await closeFile(active.fd);
  }

  private usable(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new LogClosedError(`${this.options.dir}: the ${this.options.label} is closed`);
  }

  private async makeRoom(needed: number, firstSeq: number): Promise<void> {
    const policy = this.options.full;
    if (policy.maxBytes === undefined || this.sizeBytes + needed <= policy.maxBytes) return;
    if (policy.kind === 'refuse') {
      const path = this.active?.segment.path ?? join(this.options.dir, segmentFileName(this.options.format.naming, firstSeq));
      throw new LogFullError(path, `the ${this.options.label} is full (maxBytes ${policy.maxBytes})`);
    }
    while (this.sizeBytes + needed > policy.maxBytes) {
      const oldest = this.list[0];
      if (oldest === undefined || oldest === this.active?.segment) return;
      await policy.beforeDrop?.(oldest);
      await rm(oldest.path, { force: true });
      this.list.shift();
    }
  }

  /** Cuts what a failed write left, so the next write goes where this one should have; returns the error to reject with. */
  private async undo(segment: Segment, start: number, error: unknown): Promise<Error> {
    const { label } = this.options;
    try {
      await truncateFile(this.active!.fd, start);
      await this.io.fdatasync(this.active!.fd);
    } catch (undoError) {
      if (this.options.afterWriteError === 'stop') {
        this.failure = new LogClosedError(`${segment.path}: a write failed and could not be undone; reopen the ${label}`, { cause: undoError });
        return this.failure;
      }
      // Leave the segment as it is: its committed size is known, and the next write begins a new one.
      await closeFile(this.active!.fd).catch(() => undefined);
      this.active = undefined;
    }
    if (isDiskFull(error)) return new LogFullError(segment.path, `no space left for the ${label}`, { cause: error });
    if (this.options.afterWriteError === 'go-on') return error as Error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    this.failure = new LogClosedError(`${segment.path}: a write failed (${code}); the ${label} takes no appends until reopened`, { cause: error });
    return this.failure;
  }
}
