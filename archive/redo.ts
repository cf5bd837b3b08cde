/**
 * The redo record (format.ts POS 5): the state an update leads to and the
 * rows it writes. Written whole before anything else of the update, so an
 * update interrupted at any instant can be completed when the file is next
 * opened. Applying a record twice gives the same file as applying it once.
 *
 * Rows that do not fit the redo area go to a sidecar file (see
 * archive-file.ts), and the record then holds their length and checksum.
 */
import { crc32 } from 'node:zlib';
import { REDO_HEADER_SIZE, ROW_RUN_HEADER_SIZE, VALUE_SIZE, stateSize } from './format.js';
import { decodeState, encodeState, type ArchiveState } from './state.js';

/**
 * Consecutive rows of one RRA, starting at `firstSlot` and wrapping at the
 * ring's end. A `fill` run repeats one row (dsCount values) `count` times;
 * otherwise `values` holds count * dsCount values, oldest row first.
 */
export interface RowRun {
  readonly rra: number;
  firstSlot: number;
  count: number;
  readonly fill: boolean;
  values: number[] | Float64Array;
}

export function rowRunSize(run: RowRun, dsCount: number): number {
  return ROW_RUN_HEADER_SIZE + (run.fill ? dsCount : run.count * dsCount) * VALUE_SIZE;
}

/** Where the rows of a record live when they are not in the record itself. */
export interface ExternalRows {
  readonly length: number;
  readonly crc: number;
}

/** Encodes runs into `buf` at `offset` (a multiple of 8 from an 8-aligned buffer); returns the end. */
export function encodeRuns(runs: readonly RowRun[], buf: Buffer, offset: number): number {
  let p = offset;
  for (const run of runs) {
    buf.writeUInt16LE(run.rra, p);
    buf.writeUInt16LE(0, p + 2);
    buf.writeUInt32LE(run.firstSlot, p + 4);
    buf.writeUInt32LE(run.count, p + 8);
    buf.writeUInt32LE(run.fill ? 1 : 0, p + 12);
    p += ROW_RUN_HEADER_SIZE;
    new Float64Array(buf.buffer, buf.byteOffset + p, run.values.length).set(run.values);
    p += run.values.length * VALUE_SIZE;
  }
  return p;
}

/** Decodes runs from `buf[start, end)`; undefined when anything does not fit the archive. */
export function decodeRuns(buf: Buffer, start: number, end: number, dsCount: number, rowsPerRra: readonly number[]): RowRun[] | undefined {
  const runs: RowRun[] = [];
  let p = start;
  while (p < end) {
    if (p + ROW_RUN_HEADER_SIZE > end) return undefined;
    const rra = buf.readUInt16LE(p);
    const firstSlot = buf.readUInt32LE(p + 4);
    const count = buf.readUInt32LE(p + 8);
    const fill = buf.readUInt32LE(p + 12) === 1;
    p += ROW_RUN_HEADER_SIZE;
    if (rra >= rowsPerRra.length || firstSlot >= rowsPerRra[rra] || count === 0) return undefined;
    const n = fill ? dsCount : count * dsCount;
    if (p + n * VALUE_SIZE > end) return undefined;
    const values = new Float64Array(n);
    Buffer.from(values.buffer).set(buf.subarray(p, p + n * VALUE_SIZE));
    p += n * VALUE_SIZE;
    runs.push({ rra, firstSlot, count, fill, values });
  }
  return runs;
}

/** Runs as a standalone buffer (the sidecar's contents). */
export function runsBuffer(runs: readonly RowRun[], bytes: number): Buffer {
  const buf = Buffer.allocUnsafeSlow(bytes);
  encodeRuns(runs, buf, 0);
  return buf;
}

/**
 * The record: header (seq, crc, payload length, external length and crc),
 * then the state image and the inline runs. The crc covers everything after
 * itself, so a record cut short by a crash never decodes.
 */
export function encodeRedo(state: ArchiveState, inlineRuns: readonly RowRun[], inlineBytes: number, external?: ExternalRows): Buffer {
  const dsCount = state.lastDs.length;
  const rraCount = state.currentRow.length;
  const payload = stateSize(dsCount, rraCount) + inlineBytes;
  const buf = Buffer.allocUnsafeSlow(REDO_HEADER_SIZE + payload);
  buf.writeDoubleLE(state.seq, 0);
  buf.writeUInt32LE(payload, 12);
  buf.writeUInt32LE(external?.length ?? 0, 16);
  buf.writeUInt32LE(external?.crc ?? 0, 20);
  const p = REDO_HEADER_SIZE + encodeState(state, buf, REDO_HEADER_SIZE);
  encodeRuns(inlineRuns, buf, p);
  buf.writeUInt32LE(crc32(buf.subarray(12)), 8);
  return buf;
}

export interface RedoRecord {
  readonly seq: number;
  readonly state: ArchiveState;
  readonly runs: RowRun[];
  readonly external: ExternalRows | undefined;
}

/**
 * The commit number of the record at `offset` when it is whole; undefined
 * for an empty, torn or foreign one. Cheap: the full decode is only needed
 * when the record has not been applied yet.
 */
export function redoSeq(buf: Buffer, offset: number, capacity: number, dsCount: number, rraCount: number): number | undefined {
  const payload = buf.readUInt32LE(offset + 12);
  if (payload < stateSize(dsCount, rraCount) || REDO_HEADER_SIZE + payload > capacity) return undefined;
  const end = offset + REDO_HEADER_SIZE + payload;
  if (crc32(buf.subarray(offset + 12, end)) !== buf.readUInt32LE(offset + 8)) return undefined;
  return buf.readDoubleLE(offset);
}

/** Decodes a record that redoSeq accepted; undefined when its contents do not fit the archive. */
export function decodeRedo(buf: Buffer, offset: number, dsCount: number, rowsPerRra: readonly number[]): RedoRecord | undefined {
  const rraCount = rowsPerRra.length;
  const sSize = stateSize(dsCount, rraCount);
  const end = offset + REDO_HEADER_SIZE + buf.readUInt32LE(offset + 12);
  const state = decodeState(buf, offset + REDO_HEADER_SIZE, dsCount, rraCount);
  if (!state || state.seq !== buf.readDoubleLE(offset)) return undefined;
  const runs = decodeRuns(buf, offset + REDO_HEADER_SIZE + sSize, end, dsCount, rowsPerRra);
  if (!runs) return undefined;
  const externalLength = buf.readUInt32LE(offset + 16);
  const external = externalLength > 0 ? { length: externalLength, crc: buf.readUInt32LE(offset + 20) } : undefined;
  return { seq: state.seq, state, runs, external };
}

/**
 * Drops the rows that later rows of the same RRA overwrite, so a batch far
 * longer than a ring writes each slot once.
 */
export function trimRuns(runs: readonly RowRun[], rowsPerRra: readonly number[], dsCount: number): { runs: RowRun[]; bytes: number } {
  const keep = rowsPerRra.map((rows) => rows);
  const kept: RowRun[] = [];
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i];
    const room = keep[run.rra];
    if (room === 0) continue;
    if (run.count <= room) {
      kept.push(run);
      keep[run.rra] -= run.count;
      continue;
    }
    // Only the newest `room` rows of this run survive.
    const skip = run.count - room;
    const rows = rowsPerRra[run.rra];
    kept.push({
      rra: run.rra,
      firstSlot: (run.firstSlot + skip) % rows,
      count: room,
      fill: run.fill,
      values: run.fill ? run.values : run.values.slice(skip * dsCount),
    });
    keep[run.rra] = 0;
  }
  kept.reverse();
  return { runs: kept, bytes: kept.reduce((sum, run) => sum + rowRunSize(run, dsCount), 0) };
}
