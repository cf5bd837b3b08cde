/**
 * Reading the spool's files (format in spool-format.ts): the check of each
 * record when the segment log scans a segment, reading batches from a
 * position, and the ack cursor. Nothing here keeps state; spool.ts does.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFile } from '../../lib/durable-file.js';
import { readRecords, type RecordCheck } from '../../lib/segment-log/index.js';
import { decodePayload, SPOOL_FORMAT, type SpooledBatch } from './spool-format.js';

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

/**
 * Whole batches of the segment at `path` from `offset` up to `end` (the
 * durable length), in order, until `maxSamples` is reached (at least one
 * batch when there is one). Rejects for a damaged record: spool.ts only
 * reads what it wrote and checked.
 */
export async function readBatches(path: string, offset: number, end: number, maxSamples: number): Promise<ReadBatch[]> {
  const decode = (payload: Buffer): SpooledBatch => {
    const batch = decodePayload(payload);
    if (typeof batch === 'string') throw new Error(`${path}: ${batch}`);
    return batch;
  };
  const taken = await readRecords(SPOOL_FORMAT.frame, path, offset, end, { decode, weight: (b) => b.samples.length, budget: maxSamples });
  return taken.map(({ item, end: after }) => ({ batch: item, end: after }));
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
