/**
 * An open archive file: its definition, its live state, reading rows and
 * committing updates. All I/O is synchronous positional I/O: an update is a
 * handful of small pwrites, and the batch callers (the server's flusher)
 * run it off their event loop.
 */
import { closeSync, fdatasyncSync, fstatSync, openSync, readSync, renameSync, unlinkSync, writeSync, constants } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { endianness } from 'node:os';
import type { ArchiveDefinition } from './definition.js';
import { ArchiveError, CorruptArchiveError } from './errors.js';
import { PREAMBLE_SIZE, VALUE_SIZE, computeLayout, type Layout } from './format.js';
import { decodeHeader, encodeHeader, headerBytesNeeded } from './header.js';
import { decodeRedo, encodeRedo, type RowRun } from './redo.js';
import { cloneState, decodeState, encodeState, type ArchiveState } from './state.js';

export interface OpenOptions {
  /** Open for updates. Read-only opens still complete an interrupted update, which needs write access. */
  readonly write?: boolean;
}

export interface CommitOptions {
  /** fdatasync after the redo record and after the state: survives power loss, at the cost of two syncs. */
  readonly durable?: boolean;
}

// Rings are read and written through Float64Array views, which use the host's byte order.
if (endianness() !== 'LE') throw new Error('ringmon archives need a little-endian host');

function readFully(fd: number, length: number, position: number, path: string): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new CorruptArchiveError(path, `file ends at byte ${position + done}, expected ${position + length}`);
    done += n;
  }
  return buf;
}

function writeFully(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, position + done);
}

export class ArchiveFile {
  private closed = false;
  /** True when open() found an interrupted update and completed it. */
  recovered = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    readonly definition: ArchiveDefinition,
    readonly layout: Layout,
    /** The committed state. Replaced, never mutated, by commit(). */
    public state: ArchiveState,
    readonly writable: boolean,
  ) {}

  /**
   * Opens an archive, completing an update that a crash interrupted.
   * Throws CorruptArchiveError for anything that is not a whole ringmon archive.
   */
  static open(path: string, options: OpenOptions = {}): ArchiveFile {
    let fd = openSync(path, options.write ? 'r+' : 'r');
    try {
      const size = fstatSync(fd).size;
      const first = readFully(fd, Math.min(size, 4096), 0, path);
      const needed = headerBytesNeeded(first.subarray(0, Math.min(first.length, PREAMBLE_SIZE)), path);
      if (needed > size) throw new CorruptArchiveError(path, `file is ${size} bytes, shorter than its header`);
      const head = needed <= first.length ? first : readFully(fd, needed, 0, path);
      const { definition, layout } = decodeHeader(head, path, size);
      const { dsCount, rraCount } = layout;
      const rows = definition.rras.map((r) => r.rows);
      const state = decodeState(head, layout.stateOffset, dsCount, rraCount);
      const redo = decodeRedo(head, layout.redoOffset, layout.redoCapacity, dsCount, rraCount, rows);
      if (!state && !redo) throw new CorruptArchiveError(path, 'both the state and the redo record fail their checksums');
      if (redo && (!state || redo.seq > state.seq)) {
        if (!options.write) {
          closeSync(fd);
          fd = openSync(path, 'r+');
        }
        const file = new ArchiveFile(path, fd, definition, layout, redo.state, true);
        file.applyRuns(redo.runs);
        file.writeState(redo.state);
        file.recovered = true;
        return file;
      }
      return new ArchiveFile(path, fd, definition, layout, state!, options.write === true);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /**
   * Writes a complete new archive atomically: to a temporary file in the same
   * directory, then renamed into place, so no reader ever sees half a file.
   * `rings[r]` holds RRA r's rows in slot order; omitted rings are UNKNOWN.
   */
  static write(
    path: string,
    definition: ArchiveDefinition,
    state: ArchiveState,
    rings: readonly (Float64Array | undefined)[] = [],
    options: { overwrite?: boolean } = {},
  ): void {
    const layout = computeLayout(definition);
    if (!options.overwrite) {
      try {
        closeSync(openSync(path, constants.O_RDONLY));
        throw new ArchiveError(`${path}: file exists (use overwrite to replace it)`);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      const head = Buffer.alloc(layout.dataOffset);
      encodeHeader(definition, layout, head);
      encodeState(state, head, layout.stateOffset);
      writeFully(fd, head, 0);
      const chunkRows = 8192;
      definition.rras.forEach((rra, r) => {
        const ring = rings[r];
        const width = layout.dsCount;
        for (let row = 0; row < rra.rows; row += chunkRows) {
          const n = Math.min(chunkRows, rra.rows - row);
          const view = new Float64Array(n * width);
          const buf = Buffer.from(view.buffer);
          if (ring) view.set(ring.subarray(row * width, (row + n) * width));
          else view.fill(NaN);
          writeFully(fd, buf, layout.rraOffsets[r] + row * width * VALUE_SIZE);
        }
      });
      fdatasyncSync(fd);
    } catch (e) {
      closeSync(fd);
      unlinkSync(tmp);
      throw e;
    }
    closeSync(fd);
    renameSync(tmp, path);
  }

  /** Reads `count` rows of RRA `rra` starting at `firstSlot`, wrapping at the ring's end. */
  readRows(rra: number, firstSlot: number, count: number): Float64Array {
    this.assertOpen();
    const width = this.layout.dsCount;
    const rows = this.definition.rras[rra].rows;
    const out = new Float64Array(count * width);
    const bytes = Buffer.from(out.buffer);
    let slot = firstSlot % rows;
    let done = 0;
    while (done < count) {
      const n = Math.min(count - done, rows - slot);
      const position = this.layout.rraOffsets[rra] + slot * width * VALUE_SIZE;
      const length = n * width * VALUE_SIZE;
      let got = 0;
      while (got < length) {
        const k = readSync(this.fd, bytes, done * width * VALUE_SIZE + got, length - got, position + got);
        if (k === 0) throw new CorruptArchiveError(this.path, 'file ends inside a ring');
        got += k;
      }
      done += n;
      slot = 0;
    }
    return out;
  }

  /** The whole ring of RRA `rra` in slot order. */
  readRing(rra: number): Float64Array {
    return this.readRows(rra, 0, this.definition.rras[rra].rows);
  }

  /**
   * Makes `next` the committed state, writing `runs` into the rings. The
   * three writes are ordered so that a crash between any two leaves a file
   * that open() completes: redo record, rows, state.
   */
  commit(next: ArchiveState, runs: readonly RowRun[], runsBytes: number, options: CommitOptions = {}): void {
    this.assertOpen();
    if (!this.writable) throw new ArchiveError(`${this.path}: opened read-only`);
    const record = encodeRedo(next, runs, this.layout.dsCount, runsBytes);
    if (record.length > this.layout.redoCapacity) {
      throw new Error(`internal: redo record ${record.length} bytes exceeds capacity ${this.layout.redoCapacity}`);
    }
    writeFully(this.fd, record, this.layout.redoOffset);
    if (options.durable) fdatasyncSync(this.fd);
    this.applyRuns(runs);
    this.writeState(next);
    if (options.durable) fdatasyncSync(this.fd);
    this.state = next;
  }

  /** A copy of the committed state for an update to work on. */
  workingState(): ArchiveState {
    return cloneState(this.state);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private writeState(state: ArchiveState): void {
    const buf = Buffer.allocUnsafe(this.layout.stateSize);
    encodeState(state, buf, 0);
    writeFully(this.fd, buf, this.layout.stateOffset);
  }

  private applyRuns(runs: readonly RowRun[]): void {
    const width = this.layout.dsCount;
    for (const run of runs) {
      const rows = this.definition.rras[run.rra].rows;
      const count = Math.min(run.count, rows);
      // A run longer than the ring only leaves its last `rows` rows.
      const skip = run.count - count;
      let slot = (run.firstSlot + skip) % rows;
      let done = 0;
      while (done < count) {
        const n = Math.min(count - done, rows - slot);
        const view = new Float64Array(n * width);
        const buf = Buffer.from(view.buffer);
        if (run.fill) {
          for (let i = 0; i < n; i++) for (let d = 0; d < width; d++) view[i * width + d] = run.values[d];
        } else {
          const from = (skip + done) * width;
          for (let i = 0; i < n * width; i++) view[i] = run.values[from + i];
        }
        writeFully(this.fd, buf, this.layout.rraOffsets[run.rra] + slot * width * VALUE_SIZE);
        done += n;
        slot = 0;
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new ArchiveError(`${this.path}: archive is closed`);
  }
}
