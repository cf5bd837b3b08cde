/**
 * The sample journal's on-disk format, version 1. This file is its
 * specification; batch-codec.ts encodes and decodes POS 3.
 *
 * Glossary:
 *   batch       the samples of one append() call; it gets one sequence number (seq)
 *   seq         1, 2, 3, ... without gaps, in the order batches became durable
 *   record      one group commit: the batches written together and made durable by one fdatasync
 *   segment     a file of records; the journal rotates to a new one past a size limit
 *   checkpoint  the highest seq the caller made durable elsewhere; segments wholly at or below it go
 *
 * The directory holds:
 *   segment-<seq>.rmj  segments, <seq> = the seq of their first batch, 16 decimal digits, zero padded
 *   checkpoint         the checkpointed seq (checkpoint.ts), replaced atomically by rename
 *   checkpoint.tmp     a checkpoint being written; ignored and overwritten
 *
 * All numbers are little-endian. Offsets are in bytes from the start of the block.
 *
 * POS 1  segment header (32 bytes)
 *   0  magic            4 bytes  "RMJS"
 *   4  version          u32      SEGMENT_VERSION
 *   8  float cookie     f64      FLOAT_COOKIE: read back to detect a foreign file
 *  16  firstSeq         f64      seq of the segment's first batch; equals the file name
 *  24  reserved         u32      0
 *  28  crc32            u32      of bytes 0..28
 * POS 2  records, back to back until the end of the file (24-byte header + payload)
 *   0  length           u32      payload bytes
 *   4  batchCount       u32      batches in the payload, at least 1
 *   8  seq              f64      seq of the first batch; batch i has seq + i
 *  16  payloadCrc       u32      crc32 of the payload
 *  20  headerCrc        u32      crc32 of bytes 0..20: a damaged length is never trusted
 *  24  payload          batchCount batches (POS 3), back to back
 * POS 3  batch (encoded by batch-codec.ts)
 *   0  byteLength       u32      of the whole batch, these 8 bytes included
 *   4  sampleCount      u32
 *   8  samples, each 19 + n bytes:
 *        0  nameLength  u16      n: bytes of the series name in UTF-8, 1..65535
 *        2  flags       u8       bit 0: value unknown (null); other bits 0
 *        3  name        n bytes  UTF-8
 *      3+n  time        f64      Unix seconds, fractional allowed
 *     11+n  value       f64      0 when unknown
 *
 * A record is one group commit, so the batches acknowledged by one fdatasync
 * stand or fall together. Records are only ever appended, and a segment is
 * only read back whole. At open, only the last record of the last segment may
 * be damaged: one cut off by the end of the file, or failing its payload
 * checksum while ending exactly at the end of the file, or followed by nothing
 * but zero bytes is a torn write (a crash mid-write) and is truncated; so is
 * a last segment whose header is short or all zeros (a crash while it was
 * being created), which is removed. Any other damage is corruption, reported
 * with the file and offset.
 */
import { crc32 } from 'node:zlib';

export const SEGMENT_MAGIC = 'RMJS';
export const SEGMENT_VERSION = 1;
/** rrdtool's FLOAT_COOKIE, as in the archive format: a double that reads back wrongly from a foreign file. */
export const FLOAT_COOKIE = 8.642135e130;
export const SEGMENT_HEADER_SIZE = 32;
export const RECORD_HEADER_SIZE = 24;

const NAME_PATTERN = /^segment-(\d{16})\.rmj$/;

export function segmentName(firstSeq: number): string {
  return `segment-${String(firstSeq).padStart(16, '0')}.rmj`;
}

/** The first seq of a segment file name, or undefined for any other file. */
export function parseSegmentName(name: string): number | undefined {
  const match = NAME_PATTERN.exec(name);
  return match ? Number(match[1]) : undefined;
}

export function encodeSegmentHeader(firstSeq: number): Buffer {
  const buf = Buffer.alloc(SEGMENT_HEADER_SIZE);
  buf.write(SEGMENT_MAGIC, 0, 'latin1');
  buf.writeUInt32LE(SEGMENT_VERSION, 4);
  buf.writeDoubleLE(FLOAT_COOKIE, 8);
  buf.writeDoubleLE(firstSeq, 16);
  buf.writeUInt32LE(crc32(buf.subarray(0, 28)), 28);
  return buf;
}

/** What is wrong with a segment's header, or undefined when it is a version-1 header for `firstSeq`. */
export function segmentHeaderProblem(bytes: Buffer, firstSeq: number): string | undefined {
  if (bytes.length < SEGMENT_HEADER_SIZE) return `file is ${bytes.length} bytes, shorter than a segment header`;
  if (bytes.toString('latin1', 0, 4) !== SEGMENT_MAGIC) return 'not a ringmon journal segment (bad magic)';
  if (bytes.readUInt32LE(28) !== crc32(bytes.subarray(0, 28))) return 'segment header fails its checksum';
  const version = bytes.readUInt32LE(4);
  if (version !== SEGMENT_VERSION) return `segment format version ${version}, this ringmon reads ${SEGMENT_VERSION}`;
  if (bytes.readDoubleLE(8) !== FLOAT_COOKIE) return 'float cookie does not read back (foreign byte order?)';
  const stored = bytes.readDoubleLE(16);
  if (stored !== firstSeq) return `header says the first seq is ${stored}, the file name says ${firstSeq}`;
  return undefined;
}

/** The header of a record holding `batches` (each already encoded), the first of which gets `seq`. */
export function encodeRecordHeader(seq: number, batches: readonly Buffer[]): Buffer {
  let length = 0;
  let payloadCrc = 0;
  for (const batch of batches) {
    length += batch.length;
    payloadCrc = crc32(batch, payloadCrc);
  }
  const buf = Buffer.allocUnsafe(RECORD_HEADER_SIZE);
  buf.writeUInt32LE(length, 0);
  buf.writeUInt32LE(batches.length, 4);
  buf.writeDoubleLE(seq, 8);
  buf.writeUInt32LE(payloadCrc, 16);
  buf.writeUInt32LE(crc32(buf.subarray(0, 20)), 20);
  return buf;
}

/**
 * A record read at some offset:
 * - `record`: whole and valid; its payload is bytes [payloadStart, end).
 * - `cut`: the file ends inside it (fewer header bytes than a header, or a valid header whose payload runs past the end).
 * - `bad`: damaged; `end` is where it ends when its header is still valid.
 */
export type RecordRead =
  | { readonly kind: 'record'; readonly seq: number; readonly batchCount: number; readonly payloadStart: number; readonly end: number }
  | { readonly kind: 'cut' }
  | { readonly kind: 'bad'; readonly detail: string; readonly end?: number };

export function readRecord(bytes: Buffer, offset: number): RecordRead {
  if (bytes.length - offset < RECORD_HEADER_SIZE) return { kind: 'cut' };
  if (bytes.readUInt32LE(offset + 20) !== crc32(bytes.subarray(offset, offset + 20))) {
    return { kind: 'bad', detail: 'record header fails its checksum' };
  }
  const length = bytes.readUInt32LE(offset);
  const batchCount = bytes.readUInt32LE(offset + 4);
  const seq = bytes.readDoubleLE(offset + 8);
  const payloadStart = offset + RECORD_HEADER_SIZE;
  const end = payloadStart + length;
  if (end > bytes.length) return { kind: 'cut' };
  if (batchCount === 0 || !Number.isSafeInteger(seq) || seq < 1) {
    return { kind: 'bad', detail: `record header holds seq ${seq} and ${batchCount} batches`, end };
  }
  if (crc32(bytes.subarray(payloadStart, end)) !== bytes.readUInt32LE(offset + 16)) {
    return { kind: 'bad', detail: 'record payload fails its checksum', end };
  }
  return { kind: 'record', seq, batchCount, payloadStart, end };
}
