/**
 * Reading the spool's files (format in spool-format.ts): the check of each
 * record when the segment log scans a segment, reading batches from a
 * position, and the ack cursor. Nothing here keeps state; spool.ts does.
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFile } from '../../lib/durable-file.js';
import type { RecordCheck } from '../../lib/segment-log/index.js';
import { decodePayload, decodeRecord, type SpooledBatch } from './spool-format.js';

/** What the records of one segment above the ack cursor hold. */
export interface PendingCount {
  batches: number;
  samples: number;
  /** Offset of the first batch above the cursor; undefined when there is none. */
  firstOffset?: number;
}

/**
 * The spool's check of a record while its segment is scanned: its payload
 * decodes and its seq follows the one before (gaps allowed); batches above
 * `acked` are counted in `pending`.
 */
export function spoolRecordCheck(acked: number, pending: PendingCount): RecordCheck {
  return (bytes, place, previousSeq) => {
    const batch = decodePayload(bytes.subarray(place.payloadStart, place.end));
    if (typeof batch === 'string') return batch;
    if (batch.seq <= previousSeq) return `seq ${batch.seq} does not follow ${previousSeq}`;
    if (batch.seq > acked) {
      pending.firstOffset ??= place.offset;
      pending.batches++;
      pending.samples += batch.samples.length;
    }
    return batch.seq;
  };
}

/** A batch read back, with the offset just after it. */
export interface ReadBatch {
  readonly batch: SpooledBatch;
  readonly end: number;
}

/** Bytes read per call when records are small; a larger record is read whole. */
const CHUNK_BYTES = 1 << 20;

/**
 * Whole batches of the segment at `path` from `offset` up to `end` (the
 * durable length), in order, until `maxSamples` is reached (at least one
 * batch when there is one). Throws Error for a damaged record: spool.ts
 * only reads what it wrote and checked.
 */
export async function readBatches(path: string, offset: number, end: number, maxSamples: number): Promise<ReadBatch[]> {
  if (offset >= end) return [];
  const handle = await open(path, 'r');
  try {
    let size = Math.min(CHUNK_BYTES, end - offset);
    for (;;) {
      const bytes = Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(bytes, 0, size, offset);
      if (bytesRead === 0) throw new Error(`${path}: ends at byte ${offset}, before the spooled end ${end}`);
      const view = bytes.subarray(0, bytesRead);
      const out: ReadBatch[] = [];
      let at = 0;
      let samples = 0;
      while (at < view.length && (out.length === 0 || samples < maxSamples)) {
        const read = decodeRecord(view, at);
        if (read.kind === 'bad') throw new Error(`${path}: ${read.problem} at byte ${offset + at}`);
        if (read.kind === 'cut') {
          if (out.length > 0) return out;
          if (offset + read.needed > end || size >= read.needed) throw new Error(`${path}: record at byte ${offset} runs past the spooled end ${end}`);
          size = read.needed;
          break;
        }
        if (out.length > 0 && samples + read.batch.samples.length > maxSamples) return out;
        samples += read.batch.samples.length;
        out.push({ batch: read.batch, end: offset + read.end });
        at = read.end;
      }
      if (out.length > 0) return out;
    }
  } finally {
    await handle.close();
  }
}

export const ACK_FILE = 'ack';

/** The ack cursor of `dir`: 0 when there is none, or when it cannot be read (then `problem` says why). */
export async function readAckCursor(dir: string): Promise<{ acked: number; problem?: string }> {
  let text: string;
  try {
    text = await readFile(join(dir, ACK_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { acked: 0 };
    throw e;
  }
  try {
    const { version, acked } = JSON.parse(text) as { version?: unknown; acked?: unknown };
    if (version === 1 && typeof acked === 'number' && Number.isSafeInteger(acked) && acked >= 0) return { acked };
  } catch {
    // Reported below: an unreadable cursor only costs duplicates.
  }
  return { acked: 0, problem: `${join(dir, ACK_FILE)} is not {"version":1,"acked":N}` };
}

/** Replaces the ack cursor atomically and durably (lib/durable-file.ts). */
export async function writeAckCursor(dir: string, acked: number): Promise<void> {
  await replaceFile(join(dir, ACK_FILE), `${JSON.stringify({ version: 1, acked })}\n`);
}
