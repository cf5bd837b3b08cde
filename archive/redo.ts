/**
 * The redo record (format.ts POS 5): the state an update leads to and the
 * rows it writes. Written whole before anything else of the update, so an
 * update interrupted at any instant can be completed when the file is next
 * opened. Applying a record twice gives the same file as applying it once.
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
  readonly values: number[];
}

export function rowRunSize(run: RowRun, dsCount: number): number {
  return ROW_RUN_HEADER_SIZE + (run.fill ? dsCount : run.count * dsCount) * VALUE_SIZE;
}

/** Bytes the redo record for `state` and `runs` takes. */
export function redoSize(dsCount: number, rraCount: number, runsBytes: number): number {
  return REDO_HEADER_SIZE + stateSize(dsCount, rraCount) + runsBytes;
}

export function encodeRedo(state: ArchiveState, runs: readonly RowRun[], dsCount: number, runsBytes: number): Buffer {
  const rraCount = state.currentRow.length;
  const total = redoSize(dsCount, rraCount, runsBytes);
  const buf = Buffer.allocUnsafe(total);
  let p = REDO_HEADER_SIZE;
  p += encodeState(state, buf, p);
  for (const run of runs) {
    buf.writeUInt16LE(run.rra, p);
    buf.writeUInt16LE(0, p + 2);
    buf.writeUInt32LE(run.firstSlot, p + 4);
    buf.writeUInt32LE(run.count, p + 8);
    buf.writeUInt32LE(run.fill ? 1 : 0, p + 12);
    p += ROW_RUN_HEADER_SIZE;
    const values = run.values;
    for (let i = 0; i < values.length; i++, p += VALUE_SIZE) buf.writeDoubleLE(values[i], p);
  }
  buf.writeDoubleLE(state.seq, 0);
  buf.writeUInt32LE(total - REDO_HEADER_SIZE, 8);
  buf.writeUInt32LE(crc32(buf.subarray(REDO_HEADER_SIZE, total)), 12);
  return buf;
}

export interface RedoRecord {
  readonly seq: number;
  readonly state: ArchiveState;
  readonly runs: RowRun[];
}

/** Returns undefined for an empty, torn or foreign record. */
export function decodeRedo(
  buf: Buffer,
  offset: number,
  capacity: number,
  dsCount: number,
  rraCount: number,
  rowsPerRra: readonly number[],
): RedoRecord | undefined {
  const length = buf.readUInt32LE(offset + 8);
  const sSize = stateSize(dsCount, rraCount);
  if (length < sSize || REDO_HEADER_SIZE + length > capacity) return undefined;
  const start = offset + REDO_HEADER_SIZE;
  const end = start + length;
  if (crc32(buf.subarray(start, end)) !== buf.readUInt32LE(offset + 12)) return undefined;
  const state = decodeState(buf, start, dsCount, rraCount);
  if (!state || state.seq !== buf.readDoubleLE(offset)) return undefined;
  const runs: RowRun[] = [];
  let p = start + sSize;
  while (p < end) {
    if (p + ROW_RUN_HEADER_SIZE > end) return undefined;
    const rra = buf.readUInt16LE(p);
    const firstSlot = buf.readUInt32LE(p + 4);
    const count = buf.readUInt32LE(p + 8);
    const fill = buf.readUInt32LE(p + 12) === 1;
    p += ROW_RUN_HEADER_SIZE;
    if (rra >= rraCount || firstSlot >= rowsPerRra[rra] || count === 0) return undefined;
    const n = fill ? dsCount : count * dsCount;
    if (p + n * VALUE_SIZE > end) return undefined;
    const values = new Array<number>(n);
    for (let i = 0; i < n; i++, p += VALUE_SIZE) values[i] = buf.readDoubleLE(p);
    runs.push({ rra, firstSlot, count, fill, values });
  }
  return { seq: state.seq, state, runs };
}
