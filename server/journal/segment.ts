/**
 * The sample journal's on-disk format, version 2 (version 1 is still read:
 * it is version 2 without flag bit 1). This file is its
 * specification; batch-codec.ts encodes and decodes POS 3. The segments,
 * their header (POS 1) and the record framing (POS 2) are the shared
 * segment log's (lib/segment-log/), parameterized here by JOURNAL_FORMAT.
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
 *   .checkpoint.*.tmp  a checkpoint being written when a crash came (lib/durable-file.ts); ignored
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
 *   8  samples, each 19 + n bytes, 27 + n with bit 1:
 *        0  nameLength  u16      n: bytes of the series name in UTF-8, 1..65535
 *        2  flags       u8       bit 0: value unknown (null); bit 1 (version 2): an interval follows; other bits 0
 *        3  name        n bytes  UTF-8
 *      3+n  time        f64      Unix seconds, fractional allowed
 *     11+n  value       f64      0 when unknown
 *     19+n  interval    f64      with bit 1: seconds between the series' samples as declared, > 0
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
import { encodeFrameHeader, frameHeaderSize, headerSize, type LogFormat } from '../../lib/segment-log/index.js';

/** POS 1 and POS 2 as the segment log's parameters: a 32-byte header with a float cookie, a 24-byte record header whose meta is batchCount and seq. */
export const JOURNAL_FORMAT: LogFormat = {
  naming: { prefix: 'segment-', extension: '.rmj' },
  // Version 2 added the interval (flag bit 1); a version-1 segment is read as is. Older code refuses version 2 rather than misread it.
  header: { magic: 'RMJS', version: 2, oldestReadable: 1, floatCookie: true, label: 'ringmon journal segment', versionName: 'segment', reader: 'ringmon' },
  frame: { metaBytes: 12, headerCrc: true },
};
export const SEGMENT_HEADER_SIZE = headerSize(JOURNAL_FORMAT.header);
export const RECORD_HEADER_SIZE = frameHeaderSize(JOURNAL_FORMAT.frame);

/** The header of a record holding `batches` (each already encoded), the first of which gets `seq`. */
export function encodeRecordHeader(seq: number, batches: readonly Buffer[]): Buffer {
  return encodeFrameHeader(JOURNAL_FORMAT.frame, batches, (header) => {
    header.writeUInt32LE(batches.length, 4);
    header.writeDoubleLE(seq, 8);
  });
}
