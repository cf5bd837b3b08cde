/**
 * The live state of an archive: everything besides the rings that an update
 * changes. Laid out as typed arrays (struct of arrays) because the update
 * loop touches every field for every sample.
 */
import { crc32 } from 'node:zlib';
import type { ArchiveDefinition } from './definition.js';
import {
  CDP_SIZE,
  LAST_DS_BYTES,
  PDP_SIZE,
  ROW_POINTER_SIZE,
  STATE_FIXED_SIZE,
  stateSize,
} from './format.js';

export interface ArchiveState {
  /** Commit number of this state; see format.ts POS 4. */
  seq: number;
  /** Whole seconds of the last update. */
  lastUpdate: number;
  /** Microseconds past `lastUpdate` (rrdtool keeps sub-second times this way). */
  lastUpdateUsec: number;
  /** Per DS: the raw value of the last update as given ("U" when unknown), at most 29 characters. */
  readonly lastDs: string[];
  /** Per DS: seconds of the current PDP that are UNKNOWN. */
  readonly pdpUnknownSeconds: Float64Array;
  /** Per DS: rate x seconds accumulated in the current PDP (NaN: none yet). */
  readonly pdpValue: Float64Array;
  /** Per RRA x DS (index rra * dsCount + ds): the CDP being built. */
  readonly cdpValue: Float64Array;
  readonly cdpUnknownPdps: Float64Array;
  /** Per RRA: slot of the newest row. */
  readonly currentRow: Uint32Array;
}

export function emptyState(dsCount: number, rraCount: number): ArchiveState {
  return {
    seq: 0,
    lastUpdate: 0,
    lastUpdateUsec: 0,
    lastDs: new Array<string>(dsCount).fill('U'),
    pdpUnknownSeconds: new Float64Array(dsCount),
    pdpValue: new Float64Array(dsCount).fill(NaN),
    cdpValue: new Float64Array(dsCount * rraCount).fill(NaN),
    cdpUnknownPdps: new Float64Array(dsCount * rraCount),
    currentRow: new Uint32Array(rraCount),
  };
}

/**
 * The state rrdtool's create gives a new archive whose last update is
 * `start`: the partial PDP and CDPs before `start` count as UNKNOWN.
 */
export function initialState(def: ArchiveDefinition, start: number, rowChooser: (rows: number) => number): ArchiveState {
  const dsCount = def.dataSources.length;
  const state = emptyState(dsCount, def.rras.length);
  state.lastUpdate = start;
  const unknownSeconds = start % def.step;
  state.pdpUnknownSeconds.fill(unknownSeconds);
  def.rras.forEach((rra, r) => {
    const unknownPdps = Math.floor(((start - unknownSeconds) % (def.step * rra.pdpPerRow)) / def.step);
    for (let d = 0; d < dsCount; d++) {
      state.cdpUnknownPdps[r * dsCount + d] = unknownPdps;
    }
    state.currentRow[r] = rowChooser(rra.rows);
  });
  return state;
}

export function cloneState(s: ArchiveState): ArchiveState {
  return {
    seq: s.seq,
    lastUpdate: s.lastUpdate,
    lastUpdateUsec: s.lastUpdateUsec,
    lastDs: s.lastDs.slice(),
    pdpUnknownSeconds: s.pdpUnknownSeconds.slice(),
    pdpValue: s.pdpValue.slice(),
    cdpValue: s.cdpValue.slice(),
    cdpUnknownPdps: s.cdpUnknownPdps.slice(),
    currentRow: s.currentRow.slice(),
  };
}

/** Writes the POS 4 image of `s` into `buf` at `offset`; returns the bytes written. */
export function encodeState(s: ArchiveState, buf: Buffer, offset: number): number {
  const dsCount = s.lastDs.length;
  const rraCount = s.currentRow.length;
  const size = stateSize(dsCount, rraCount);
  buf.fill(0, offset, offset + size);
  buf.writeDoubleLE(s.seq, offset);
  buf.writeDoubleLE(s.lastUpdate, offset + 8);
  buf.writeUInt32LE(s.lastUpdateUsec, offset + 16);
  let p = offset + STATE_FIXED_SIZE;
  for (let d = 0; d < dsCount; d++) {
    buf.write(s.lastDs[d], p, LAST_DS_BYTES - 1, 'latin1');
    buf.writeDoubleLE(s.pdpUnknownSeconds[d], p + 32);
    buf.writeDoubleLE(s.pdpValue[d], p + 40);
    p += PDP_SIZE;
  }
  for (let i = 0; i < dsCount * rraCount; i++) {
    buf.writeDoubleLE(s.cdpValue[i], p);
    buf.writeDoubleLE(s.cdpUnknownPdps[i], p + 8);
    p += CDP_SIZE;
  }
  for (let r = 0; r < rraCount; r++) {
    buf.writeUInt32LE(s.currentRow[r], p);
    p += ROW_POINTER_SIZE;
  }
  buf.writeUInt32LE(crc32(buf.subarray(offset, p)), p);
  return size;
}

/**
 * Reads a POS 4 image. Returns undefined when its checksum does not match
 * (a torn write): the caller then relies on the redo record.
 */
export function decodeState(buf: Buffer, offset: number, dsCount: number, rraCount: number): ArchiveState | undefined {
  const crcAt = offset + STATE_FIXED_SIZE + dsCount * PDP_SIZE + rraCount * dsCount * CDP_SIZE + rraCount * ROW_POINTER_SIZE;
  if (crcAt + 4 > buf.length) return undefined;
  if (crc32(buf.subarray(offset, crcAt)) !== buf.readUInt32LE(crcAt)) return undefined;
  const s = emptyState(dsCount, rraCount);
  s.seq = buf.readDoubleLE(offset);
  s.lastUpdate = buf.readDoubleLE(offset + 8);
  s.lastUpdateUsec = buf.readUInt32LE(offset + 16);
  let p = offset + STATE_FIXED_SIZE;
  for (let d = 0; d < dsCount; d++) {
    const raw = buf.subarray(p, p + LAST_DS_BYTES);
    const end = raw.indexOf(0);
    s.lastDs[d] = raw.toString('latin1', 0, end === -1 ? LAST_DS_BYTES : end);
    s.pdpUnknownSeconds[d] = buf.readDoubleLE(p + 32);
    s.pdpValue[d] = buf.readDoubleLE(p + 40);
    p += PDP_SIZE;
  }
  for (let i = 0; i < dsCount * rraCount; i++) {
    s.cdpValue[i] = buf.readDoubleLE(p);
    s.cdpUnknownPdps[i] = buf.readDoubleLE(p + 8);
    p += CDP_SIZE;
  }
  for (let r = 0; r < rraCount; r++) {
    s.currentRow[r] = buf.readUInt32LE(p);
    p += ROW_POINTER_SIZE;
  }
  return s;
}
