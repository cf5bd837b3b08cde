/**
 * An open archive file: its definition, its live state, reading rows and
 * committing updates. All I/O is synchronous positional I/O: an update is a
 * handful of small pwrites, and the batch callers (the server's flusher)
 * run it off their event loop.
 */
import { closeSync, fchmodSync, fdatasyncSync, fstatSync, linkSync, openSync, readSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { endianness } from 'node:os';
import { FILE_MODE, syncDirectorySync, temporaryPath, writeFullySync as writeFully } from '../lib/durable-file.js';
import type { ArchiveDefinition } from './definition.js';
import { ArchiveError, CorruptArchiveError } from './errors.js';
import { crc32 } from 'node:zlib';
import { PREAMBLE_SIZE, REDO_HEADER_SIZE, VALUE_SIZE, computeLayout, type Layout } from './format.js';
import { decodeHeader, encodeHeader, headerBytesNeeded } from './header.js';
import { decodeRedo, decodeRuns, encodeRedo, redoSeq, runsBuffer, trimRuns, type RedoRecord, type RowRun } from './redo.js';
import { cloneState, decodeState, encodeState, type ArchiveState } from './state.js';

export interface OpenOptions {
  /**
   * Open for updates; one writer per archive at a time. A writer completes an
   * update that a crash interrupted. A reader never writes: it sees such an
   * update as completed, in memory.
   */
  readonly write?: boolean;
}

/** The sidecar that holds the rows of a commit too large for the redo area. */
export function sidecarPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.redo`);
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

function readSidecar(path: string, redo: RedoRecord, rowsPerRra: readonly number[]): RowRun[] {
  const external = redo.external!;
  const side = sidecarPath(path);
  let bytes: Buffer;
  try {
    const fd = openSync(side, 'r');
    try {
      bytes = readFully(fd, external.length, 0, side);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if (e instanceof CorruptArchiveError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CorruptArchiveError(path, `an interrupted update's rows are missing from ${side}`);
    }
    throw e;
  }
  const runs = crc32(bytes) === external.crc ? decodeRuns(bytes, 0, bytes.length, redo.state.lastDs.length, rowsPerRra) : undefined;
  if (!runs) throw new CorruptArchiveError(path, `an interrupted update's rows in ${side} fail their checksum`);
  return runs;
}

/** Copies the part of `run` that falls in slots [first, first + count) of a ring into `out`. */
function overlayRun(out: Float64Array, first: number, count: number, rows: number, width: number, run: RowRun): void {
  const n = Math.min(run.count, rows);
  const skip = run.count - n;
  for (let i = 0; i < n; i++) {
    const slot = (run.firstSlot + skip + i) % rows;
    const at = (slot - first + rows) % rows;
    if (at >= count) continue;
    for (let d = 0; d < width; d++) out[at * width + d] = run.fill ? run.values[d] : run.values[(skip + i) * width + d];
  }
}

export class ArchiveFile {
  private closed = false;
  /** How open() completed an interrupted update, if it found one: from the redo area alone, or with its sidecar. */
  recovered: 'redo' | 'sidecar' | undefined;
  /** Rows of an interrupted update that a reader sees without writing them. */
  private pendingRuns: readonly RowRun[] = [];
  private sidecarFd: number | undefined;

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
    const write = options.write === true;
    const fd = openSync(path, write ? 'r+' : 'r');
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
      const seq = redoSeq(head, layout.redoOffset, layout.redoCapacity, dsCount, rraCount);
      if (!state && seq === undefined) throw new CorruptArchiveError(path, 'both the state and the redo record fail their checksums');
      if (state && (seq === undefined || seq <= state.seq)) return new ArchiveFile(path, fd, definition, layout, state, write);
      // An update was interrupted after its redo record was written: complete it.
      const redo = decodeRedo(head, layout.redoOffset, dsCount, rows);
      if (!redo) throw new CorruptArchiveError(path, 'the redo record does not fit the archive');
      const runs = redo.external ? [...redo.runs, ...readSidecar(path, redo, rows)] : redo.runs;
      const file = new ArchiveFile(path, fd, definition, layout, redo.state, write);
      if (write) {
        file.applyRuns(runs);
        file.writeState(redo.state);
        // Whatever sidecar is left is now stale: from this commit or from a process that died before closing.
        rmSync(sidecarPath(path), { force: true });
        file.recovered = redo.external ? 'sidecar' : 'redo';
      } else {
        file.pendingRuns = runs;
      }
      return file;
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /**
   * Writes a complete new archive atomically: to a temporary file in the same
   * directory, then renamed into place, so no reader ever sees half a file.
   * `rings[r]` holds RRA r's rows in slot order; omitted rings are UNKNOWN.
   * The file is owner-only (lib's FILE_MODE, 0600, whatever the umask),
   * wherever it is written: in the server's data dir and from the CLI alike,
   * as an archive's rows are monitoring data. Share one with chmod.
   */
  static write(
    path: string,
    definition: ArchiveDefinition,
    state: ArchiveState,
    rings: readonly (Float64Array | undefined)[] = [],
    options: { overwrite?: boolean; sync?: boolean } = {},
  ): void {
    const sync = options.sync ?? true;
    const layout = computeLayout(definition);
    const tmp = temporaryPath(path);
    const fd = openSync(tmp, 'wx', FILE_MODE);
    try {
      fchmodSync(fd, FILE_MODE);
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
      if (sync) fdatasyncSync(fd);
    } catch (e) {
      closeSync(fd);
      unlinkSync(tmp);
      throw e;
    }
    closeSync(fd);
    try {
      if (options.overwrite) {
        renameSync(tmp, path);
      } else {
        // link() fails if the name exists, so an archive created meanwhile by someone else is never replaced.
        linkSync(tmp, path);
        unlinkSync(tmp);
      }
    } catch (e) {
      rmSync(tmp, { force: true });
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new ArchiveError(`${path}: file exists (use overwrite to replace it)`);
      throw e;
    }
    if (sync) syncDirectorySync(dirname(path));
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
    for (const run of this.pendingRuns) if (run.rra === rra) overlayRun(out, firstSlot % rows, count, rows, width, run);
    return out;
  }

  /** The whole ring of RRA `rra` in slot order. */
  readRing(rra: number): Float64Array {
    return this.readRows(rra, 0, this.definition.rras[rra].rows);
  }

  /**
   * Makes `next` the committed state, writing `runs` into the rings. The
   * writes are ordered so that a crash between any two leaves a file that
   * open() completes: sidecar (only when the rows do not fit the redo area),
   * redo record, rows, state.
   */
  commit(next: ArchiveState, runs: readonly RowRun[], runsBytes: number, options: CommitOptions = {}): void {
    this.assertOpen();
    if (!this.writable) throw new ArchiveError(`${this.path}: opened read-only`);
    const { layout } = this;
    const inlineRoom = layout.redoCapacity - REDO_HEADER_SIZE - layout.stateSize;
    let rows = { runs: runs as RowRun[], bytes: runsBytes };
    if (rows.bytes > inlineRoom) rows = trimRuns(runs, this.definition.rras.map((r) => r.rows), layout.dsCount);
    let record: Buffer;
    if (rows.bytes <= inlineRoom) {
      record = encodeRedo(next, rows.runs, rows.bytes);
    } else {
      const side = runsBuffer(rows.runs, rows.bytes);
      this.sidecarFd ??= openSync(sidecarPath(this.path), 'w', FILE_MODE);
      writeFully(this.sidecarFd, side, 0);
      if (options.durable) fdatasyncSync(this.sidecarFd);
      record = encodeRedo(next, [], 0, { length: side.length, crc: crc32(side) });
    }
    writeFully(this.fd, record, layout.redoOffset);
    if (options.durable) fdatasyncSync(this.fd);
    this.applyRuns(rows.runs);
    this.writeState(next);
    if (options.durable) fdatasyncSync(this.fd);
    this.state = next;
  }

  /** Whether this handle already keeps a sidecar open (so a sidecar commit costs no file creation). */
  get hasSidecar(): boolean {
    return this.sidecarFd !== undefined;
  }

  /** A copy of the committed state for an update to work on. */
  workingState(): ArchiveState {
    return cloneState(this.state);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.sidecarFd !== undefined) {
      // Every commit is complete by now, so nothing refers to the sidecar any more.
      closeSync(this.sidecarFd);
      rmSync(sidecarPath(this.path), { force: true });
    }
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
