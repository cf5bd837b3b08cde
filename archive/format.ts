/**
 * The ringmon archive file format, version 1. This file is its specification;
 * docs/archive-format.md explains it for people.
 *
 * Glossary (rrdtool's words, kept so rrdtool users are at home):
 *   DS   data source: one measured quantity (GAUGE, COUNTER, ...).
 *   PDP  primary data point: the rate of a DS over one `step`.
 *   CDP  consolidated data point: `pdpPerRow` PDPs folded by a CF.
 *   RRA  round-robin archive: a ring of `rows` rows of CDPs, one value per DS.
 *   row  one CDP per DS, `8 * dsCount` bytes.
 *
 * All numbers are little-endian. Offsets are in bytes from the start of the
 * file. Persisted enum codes (DS types, CFs) are indices into the
 * append-only lists of definition.ts.
 *
 * POS 1  preamble (48 bytes)
 *   0  magic            4 bytes  "RMAR"
 *   4  version          u32      FORMAT_VERSION
 *   8  float cookie     f64      FLOAT_COOKIE: read back to detect a foreign byte order
 *  16  step             u32      seconds per PDP
 *  20  dsCount          u16
 *  22  rraCount         u16
 *  24  stateOffset      u32      POS 4
 *  28  redoOffset       u32      POS 5
 *  32  redoCapacity     u32      bytes reserved for POS 5
 *  36  dataOffset       u32      POS 6
 *  40  fileSize         f64      total size; the file never grows or shrinks
 * POS 2  one DS definition per DS (48 bytes each)
 *   0  name             20 bytes ASCII, NUL padded (1-19 characters)
 *  20  type             u8
 *  24  heartbeat        u32
 *  32  min              f64      NaN: none
 *  40  max              f64      NaN: none
 * POS 3  one RRA definition per RRA (24 bytes each), then the header checksum
 *   0  cf               u8
 *   4  pdpPerRow        u32
 *   8  rows             u32
 *  16  xff              f64
 *   +  crc32            u32      of POS 1..3; then 4 bytes of padding
 * POS 4  live state (STATE_FIXED + per-DS + per-CDP + per-RRA bytes)
 *   0  seq              f64      commit number; grows by one per commit
 *   8  lastUpdate       f64      whole seconds
 *  16  lastUpdateUsec   u32
 *  24  per DS (48 bytes): lastDs 30 bytes ASCII NUL padded, unknownSeconds f64 @32, value f64 @40
 *   +  per RRA, per DS (16 bytes): value f64, unknownPdps f64
 *      (rrdtool's primary/secondary CDP values are scratch within one update and not kept)
 *   +  per RRA (4 bytes): currentRow u32
 *   +  crc32            u32      of the state bytes before it, then padding to 8
 * POS 5  redo record (see redo.ts): the next state and the row writes that lead to it
 *   0  seq              f64      the state's seq once this record is applied
 *   8  crc32            u32      of bytes 12 .. 24 + payloadLength
 *  12  payloadLength    u32
 *  16  externalLength   u32      bytes of row runs in the sidecar file; 0: none
 *  20  externalCrc      u32      crc32 of those bytes
 *  24  payload          the state image (POS 4 layout) followed by row runs:
 *                       rra u16, reserved u16, firstSlot u32, count u32, fill u32,
 *                       then count * dsCount f64 (or dsCount f64 for a fill run)
 *      The sidecar `.NAME.redo` beside the archive holds row runs of a commit
 *      too large for this area; it is deleted once the commit is complete.
 * POS 6  ring buffers: for each RRA in order, rows * dsCount f64 values
 *
 * Each commit writes the sidecar (if any), then POS 5, then the rows, then POS 4. A reader that
 * finds a valid POS 5 whose seq is newer than POS 4's (or a torn POS 4)
 * applies POS 5 again: rows and state writes are idempotent.
 */
import type { ArchiveDefinition } from './definition.js';

export const MAGIC = 'RMAR';
export const FORMAT_VERSION = 1;
/** Same value as rrdtool's FLOAT_COOKIE: a double that reads back wrongly on a foreign byte order. */
export const FLOAT_COOKIE = 8.642135e130;

export const PREAMBLE_SIZE = 48;
export const DS_DEF_SIZE = 48;
export const DS_NAME_BYTES = 20;
export const RRA_DEF_SIZE = 24;
export const HEADER_CRC_SIZE = 8;

export const STATE_FIXED_SIZE = 24;
export const PDP_SIZE = 48;
export const LAST_DS_BYTES = 30;
export const CDP_SIZE = 16;
export const ROW_POINTER_SIZE = 4;

export const REDO_HEADER_SIZE = 24;
/** Each run of rows in a redo payload: rra u16, reserved u16, first slot u32, row count u32, fill u32. */
export const ROW_RUN_HEADER_SIZE = 16;
export const VALUE_SIZE = 8;

/** rrdtool 1.7's on-disk struct sizes on 64-bit Linux, for the size promise. */
const RRDTOOL = {
  statHead: 128,
  dsDef: 120,
  rraDef: 120,
  liveHead: 16,
  pdpPrep: 112,
  cdpPrep: 80,
  rraPtr: 8,
} as const;

export function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

export function headerSize(dsCount: number, rraCount: number): number {
  return PREAMBLE_SIZE + dsCount * DS_DEF_SIZE + rraCount * RRA_DEF_SIZE + HEADER_CRC_SIZE;
}

export function stateSize(dsCount: number, rraCount: number): number {
  return align8(
    STATE_FIXED_SIZE + dsCount * PDP_SIZE + rraCount * dsCount * CDP_SIZE + rraCount * ROW_POINTER_SIZE + 4,
  );
}

/** Size of the file rrdtool 1.7 writes for the same definition. */
export function rrdtoolFileSize(def: ArchiveDefinition): number {
  const ds = def.dataSources.length;
  const rra = def.rras.length;
  const header =
    RRDTOOL.statHead +
    ds * RRDTOOL.dsDef +
    rra * RRDTOOL.rraDef +
    RRDTOOL.liveHead +
    ds * RRDTOOL.pdpPrep +
    rra * ds * RRDTOOL.cdpPrep +
    rra * RRDTOOL.rraPtr;
  return header + dataSize(def);
}

export function dataSize(def: ArchiveDefinition): number {
  const ds = def.dataSources.length;
  return def.rras.reduce((sum, rra) => sum + rra.rows * ds * VALUE_SIZE, 0);
}

/** Where everything lives in a file of this definition. */
export interface Layout {
  readonly dsCount: number;
  readonly rraCount: number;
  readonly headerSize: number;
  readonly stateOffset: number;
  readonly stateSize: number;
  readonly redoOffset: number;
  readonly redoCapacity: number;
  readonly dataOffset: number;
  /** Byte offset of each RRA's ring. */
  readonly rraOffsets: readonly number[];
  readonly fileSize: number;
}

/**
 * The redo area takes whatever room the compact header leaves below
 * rrdtool's file size, so a ringmon archive is never larger than rrdtool's.
 * That room always holds at least one state image plus the row runs of the
 * worst-case sample (see worstCaseRunsPerSample).
 */
export function computeLayout(def: ArchiveDefinition): Layout {
  const dsCount = def.dataSources.length;
  const rraCount = def.rras.length;
  const hSize = headerSize(dsCount, rraCount);
  const sSize = stateSize(dsCount, rraCount);
  const stateOffset = hSize;
  const redoOffset = stateOffset + sSize;
  const budget = rrdtoolFileSize(def) - dataSize(def) - redoOffset;
  const redoCapacity = Math.floor(budget / 8) * 8;
  const minimum = minimumRedoCapacity(dsCount, rraCount);
  if (redoCapacity < minimum) {
    // Cannot happen for any definition (the header is always smaller than rrdtool's); guard the arithmetic.
    throw new Error(`internal: redo area ${redoCapacity} < ${minimum}`);
  }
  const dataOffset = redoOffset + redoCapacity;
  const rraOffsets: number[] = [];
  let offset = dataOffset;
  for (const rra of def.rras) {
    rraOffsets.push(offset);
    offset += rra.rows * dsCount * VALUE_SIZE;
  }
  return {
    dsCount,
    rraCount,
    headerSize: hSize,
    stateOffset,
    stateSize: sSize,
    redoOffset,
    redoCapacity,
    dataOffset,
    rraOffsets,
    fileSize: offset,
  };
}

/**
 * Most bytes of row runs one sample can add to a redo record: per RRA a new
 * run holding up to two distinct rows, and a fill run.
 */
export function worstCaseRunsPerSample(dsCount: number, rraCount: number): number {
  return rraCount * (2 * ROW_RUN_HEADER_SIZE + 3 * dsCount * VALUE_SIZE);
}

export function minimumRedoCapacity(dsCount: number, rraCount: number): number {
  return REDO_HEADER_SIZE + stateSize(dsCount, rraCount) + worstCaseRunsPerSample(dsCount, rraCount);
}
