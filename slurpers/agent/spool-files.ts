/**
 * Reading the spool's files (format in spool-format.ts): scanning a segment
 * at start, reading batches from a position, and the ack cursor. Nothing
 * here keeps state; spool.ts does.
 */
import { open, readFile, rename, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeRecord, SEGMENT_HEADER_SIZE, segmentHeaderProblem, type SpooledBatch } from './spool-format.js';

/** What a scan of one segment found. */
export interface SegmentScan {
  /** Bytes of whole, valid records from the start (header included); anything after is damage. */
  readonly validBytes: number;
  /** Highest seq in the segment; startSeq - 1 when it holds no record. */
  readonly lastSeq: number;
  readonly batches: number;
  /** Samples in batches with a seq above `acked`. */
  readonly pendingSamples: number;
  readonly pendingBatches: number;
  /** Offset of the first batch above `acked`, or validBytes when there is none. */
  readonly firstPendingOffset: number;
  /** Why the segment ends before the file does, if it does. */
  readonly damage?: { readonly offset: number; readonly problem: string; readonly bytes: number };
  /** The header is unreadable: the segment holds nothing usable. */
  readonly badHeader?: string;
}

/** Reads the whole segment and checks every record; counts what lies above `acked`. Rejects only for I/O errors. */
export async function scanSegment(path: string, startSeq: number, acked: number): Promise<SegmentScan> {
  const bytes = await readFile(path);
  const headerProblem = segmentHeaderProblem(bytes, startSeq);
  const empty = { validBytes: 0, lastSeq: startSeq - 1, batches: 0, pendingSamples: 0, pendingBatches: 0, firstPendingOffset: 0 };
  if (headerProblem !== undefined) return { ...empty, badHeader: headerProblem };
  let at = SEGMENT_HEADER_SIZE;
  let lastSeq = startSeq - 1;
  let batches = 0;
  let pendingSamples = 0;
  let pendingBatches = 0;
  let firstPendingOffset: number | undefined;
  let damage: SegmentScan['damage'];
  while (at < bytes.length) {
    const read = decodeRecord(bytes, at);
    if (read.kind !== 'record' || read.batch.seq <= lastSeq) {
      const problem = read.kind === 'record' ? `seq ${read.batch.seq} does not follow ${lastSeq}` : read.kind === 'cut' ? 'record cut short by the end of the file' : read.problem;
      damage = { offset: at, problem, bytes: bytes.length - at };
      break;
    }
    lastSeq = read.batch.seq;
    batches++;
    if (read.batch.seq > acked) {
      firstPendingOffset ??= at;
      pendingBatches++;
      pendingSamples += read.batch.samples.length;
    }
    at = read.end;
  }
  return { validBytes: at, lastSeq, batches, pendingSamples, pendingBatches, firstPendingOffset: firstPendingOffset ?? at, ...(damage ? { damage } : {}) };
}

/** Cuts a damaged segment back to its valid records. */
export async function truncateSegment(path: string, validBytes: number): Promise<void> {
  await truncate(path, validBytes);
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

/** Replaces the ack cursor atomically (without fsync: see spool-format.ts). */
export async function writeAckCursor(dir: string, acked: number): Promise<void> {
  const tmp = join(dir, `${ACK_FILE}.tmp`);
  await writeFile(tmp, `${JSON.stringify({ version: 1, acked })}\n`);
  await rename(tmp, join(dir, ACK_FILE));
}
