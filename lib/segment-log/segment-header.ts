/**
 * The header every segment file starts with, parameterized by the log's
 * format (its magic, its versions, whether it carries a float cookie).
 * All numbers little-endian; offsets in bytes:
 *
 *   0  magic         4 bytes  HeaderFormat.magic (latin1)
 *   4  version       u32      HeaderFormat.version when written
 *   8  float cookie  f64      FLOAT_COOKIE, only when HeaderFormat.floatCookie
 *   C  firstSeq      f64      the seq in the file name (C = 16 with a cookie, else 8)
 * C+8  reserved      u32      0
 * C+12 crc32         u32      of every byte before it
 *
 * So the header is 32 bytes with a float cookie and 24 without. A header is
 * written and synced before any record goes in, so a crash while creating a
 * segment leaves a short or all-zero header and nothing else.
 */
import { crc32 } from 'node:zlib';

/** rrdtool's FLOAT_COOKIE: a double that reads back wrongly from a file of another byte order. */
export const FLOAT_COOKIE = 8.642135e130;

export interface HeaderFormat {
  /** Four latin1 characters that say whose segment this is. */
  readonly magic: string;
  /** The version written in every new segment. */
  readonly version: number;
  /** The oldest version still read (default: `version`); versions in between are read as `version`. */
  readonly oldestReadable?: number;
  readonly floatCookie: boolean;
  /** What a segment is called in problems: "not a <label> (bad magic)". */
  readonly label: string;
  /** How a version problem reads: "<versionName> format version 3, this <reader> reads 1 to 2". */
  readonly versionName: string;
  readonly reader: string;
}

export function headerSize(format: HeaderFormat): number {
  return format.floatCookie ? 32 : 24;
}

export function encodeSegmentHeader(format: HeaderFormat, firstSeq: number): Buffer {
  const size = headerSize(format);
  const seqAt = size - 16;
  const buf = Buffer.alloc(size);
  buf.write(format.magic, 0, 'latin1');
  buf.writeUInt32LE(format.version, 4);
  if (format.floatCookie) buf.writeDoubleLE(FLOAT_COOKIE, 8);
  buf.writeDoubleLE(firstSeq, seqAt);
  buf.writeUInt32LE(crc32(buf.subarray(0, size - 4)), size - 4);
  return buf;
}

/** What is wrong with the header at the start of `bytes`, or undefined when it is a readable header for `firstSeq`. */
export function segmentHeaderProblem(format: HeaderFormat, bytes: Buffer, firstSeq: number): string | undefined {
  const size = headerSize(format);
  if (bytes.length < size) return `file is ${bytes.length} bytes, shorter than a ${format.label} header`;
  if (bytes.toString('latin1', 0, 4) !== format.magic) return `not a ${format.label} (bad magic)`;
  if (bytes.readUInt32LE(size - 4) !== crc32(bytes.subarray(0, size - 4))) return 'segment header fails its checksum';
  const version = bytes.readUInt32LE(4);
  const oldest = format.oldestReadable ?? format.version;
  if (version < oldest || version > format.version) {
    const reads = oldest === format.version ? `${oldest}` : `${oldest} to ${format.version}`;
    return `${format.versionName} format version ${version}, this ${format.reader} reads ${reads}`;
  }
  if (format.floatCookie && bytes.readDoubleLE(8) !== FLOAT_COOKIE) return 'float cookie does not read back (foreign byte order?)';
  const stored = bytes.readDoubleLE(size - 16);
  if (stored !== firstSeq) return `header says the segment starts at seq ${stored}, the file name says ${firstSeq}`;
  return undefined;
}
