/**
 * Record framing: how one record sits in a segment, after the header, back
 * to back with the others. Parameterized by the log's format. All numbers
 * little-endian; offsets in bytes from the start of the record:
 *
 *   0    length      u32            payload bytes, minLength..maxLength
 *   4    meta        metaBytes      the format's own fields (e.g. a seq and a count)
 *   4+M  payloadCrc  u32            crc32 of the payload
 *   8+M  headerCrc   u32            crc32 of bytes 0..8+M, only when FrameFormat.headerCrc
 *   ...  payload     length bytes
 *
 * A header checksum means a damaged length is never trusted. Reading a
 * record tells a whole one from one the end of the bytes cuts off and from
 * a damaged one; what the payload means is the format's business.
 */
import { crc32 } from 'node:zlib';

export interface FrameFormat {
  /** Bytes of format-owned fields between the length and the payload checksum. */
  readonly metaBytes: number;
  /** Whether the header ends with a checksum of itself. */
  readonly headerCrc: boolean;
  /** Smallest payload length that is not damage (default 0). */
  readonly minLength?: number;
  /** Largest payload length that is not damage (default 2^32 - 1). */
  readonly maxLength?: number;
}

export function frameHeaderSize(format: FrameFormat): number {
  return 8 + format.metaBytes + (format.headerCrc ? 4 : 0);
}

/**
 * The header of a record whose payload is `payloads` back to back; `writeMeta`
 * fills the meta bytes (at offset 4 of the header it is given).
 */
export function encodeFrameHeader(format: FrameFormat, payloads: readonly Buffer[], writeMeta?: (header: Buffer) => void): Buffer {
  let length = 0;
  let payloadCrc = 0;
  for (const payload of payloads) {
    length += payload.length;
    payloadCrc = crc32(payload, payloadCrc);
  }
  const header = Buffer.alloc(frameHeaderSize(format));
  header.writeUInt32LE(length, 0);
  writeMeta?.(header);
  header.writeUInt32LE(payloadCrc, 4 + format.metaBytes);
  if (format.headerCrc) header.writeUInt32LE(crc32(header.subarray(0, 8 + format.metaBytes)), 8 + format.metaBytes);
  return header;
}

/** A whole record, header and payload, in one buffer. */
export function encodeFrame(format: FrameFormat, payload: Buffer, writeMeta?: (header: Buffer) => void): Buffer {
  const header = encodeFrameHeader(format, [payload], writeMeta);
  const out = Buffer.allocUnsafe(header.length + payload.length);
  header.copy(out, 0);
  payload.copy(out, header.length);
  return out;
}

/**
 * A record read at some offset:
 * - `frame`: whole, both checksums hold; its meta starts at `offset + 4`, its payload is [payloadStart, end);
 * - `cut`: the bytes end inside it; `needed` is its whole size when the header could be read, else the header's;
 * - `bad`: damaged, with why; `end` is where it ends when its header is still trusted.
 */
export type FrameRead =
  | { readonly kind: 'frame'; readonly payloadStart: number; readonly end: number }
  | { readonly kind: 'cut'; readonly needed: number }
  | { readonly kind: 'bad'; readonly detail: string; readonly end?: number };

export function readFrame(format: FrameFormat, bytes: Buffer, offset: number): FrameRead {
  const headerBytes = frameHeaderSize(format);
  if (bytes.length - offset < headerBytes) return { kind: 'cut', needed: headerBytes };
  const crcAt = offset + 4 + format.metaBytes;
  if (format.headerCrc && bytes.readUInt32LE(crcAt + 4) !== crc32(bytes.subarray(offset, crcAt + 4))) {
    return { kind: 'bad', detail: 'record header fails its checksum' };
  }
  const length = bytes.readUInt32LE(offset);
  if (length < (format.minLength ?? 0) || length > (format.maxLength ?? 0xffffffff)) return { kind: 'bad', detail: `record length ${length} is out of range` };
  const payloadStart = offset + headerBytes;
  const end = payloadStart + length;
  if (end > bytes.length) return { kind: 'cut', needed: headerBytes + length };
  if (crc32(bytes.subarray(payloadStart, end)) !== bytes.readUInt32LE(crcAt)) return { kind: 'bad', detail: 'record payload fails its checksum', end };
  return { kind: 'frame', payloadStart, end };
}
