/**
 * Reading segments back (format in segment.ts): the check at open, which
 * finds where the valid journal ends and whether its tail is torn, and the
 * strict walk of replay, which accepts nothing but whole, valid records.
 */
import { decodeBatch, skipBatch, type JournaledSample } from './batch-codec.js';
import { CorruptJournalError } from './errors.js';
import { SEGMENT_HEADER_SIZE, readRecord, segmentHeaderProblem, type RecordRead } from './segment.js';

export interface SegmentScan {
  /** Bytes at the start of the file that hold its header and whole, valid records; 0 when the header itself is torn. */
  readonly validBytes: number;
  /** The seq the segment's next batch gets. */
  readonly nextSeq: number;
  /** Bytes after `validBytes`: a torn tail to truncate. Never more than 0 unless the segment is the last. */
  readonly tornBytes: number;
}

function zeroFrom(bytes: Buffer, offset: number): boolean {
  for (let i = offset; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Whether a damaged record at `offset` is what a crash in the middle of the
 * last write leaves: a record the file's end cuts off, one that ends exactly
 * at the end of the file, or bytes that were allocated but never written.
 */
function isTornTail(bytes: Buffer, offset: number, read: RecordRead): boolean {
  if (read.kind === 'cut') return true;
  if (read.kind === 'bad' && read.end === bytes.length) return true;
  return zeroFrom(bytes, offset);
}

/** Checks that a valid record's payload is exactly its batches; returns what is wrong, if anything. */
function batchesProblem(bytes: Buffer, payloadStart: number, end: number, batchCount: number): string | undefined {
  let at = payloadStart;
  for (let i = 0; i < batchCount; i++) {
    const next = skipBatch(bytes, at, end);
    if (typeof next === 'string') return `batch ${i}: ${next}`;
    at = next;
  }
  return at === end ? undefined : `record holds ${end - at} bytes after its ${batchCount} batches`;
}

/**
 * Checks a whole segment file at open. In the last segment (`last`), a torn
 * tail is reported in `tornBytes` for the caller to truncate; any other damage,
 * and any damage at all in an earlier segment, throws CorruptJournalError.
 */
export function scanSegment(path: string, bytes: Buffer, firstSeq: number, last: boolean): SegmentScan {
  const headerProblem = segmentHeaderProblem(bytes, firstSeq);
  if (headerProblem !== undefined) {
    // A new segment's header is written and synced before any record goes in: a crash
    // in between leaves a short or unwritten header and nothing else.
    if (last && (bytes.length < SEGMENT_HEADER_SIZE || zeroFrom(bytes, 0))) return { validBytes: 0, nextSeq: firstSeq, tornBytes: bytes.length };
    throw new CorruptJournalError(path, 0, headerProblem);
  }
  let offset = SEGMENT_HEADER_SIZE;
  let seq = firstSeq;
  while (offset < bytes.length) {
    const read = readRecord(bytes, offset);
    if (read.kind === 'record') {
      if (read.seq !== seq) throw new CorruptJournalError(path, offset, `record starts at seq ${read.seq}, expected ${seq}`);
      const problem = batchesProblem(bytes, read.payloadStart, read.end, read.batchCount);
      if (problem !== undefined) throw new CorruptJournalError(path, offset, problem);
      offset = read.end;
      seq += read.batchCount;
      continue;
    }
    if (last && isTornTail(bytes, offset, read)) return { validBytes: offset, nextSeq: seq, tornBytes: bytes.length - offset };
    throw new CorruptJournalError(path, offset, read.kind === 'cut' ? 'the file ends inside a record that is not the last' : read.detail);
  }
  return { validBytes: offset, nextSeq: seq, tornBytes: 0 };
}

/**
 * Calls `onBatch` for every batch of a segment with a seq above `afterSeq`,
 * in order. `bytes` must end at a record boundary (what open kept, plus what
 * was committed since). Throws CorruptJournalError for any damage; whatever
 * `onBatch` throws stops the walk and propagates unchanged.
 */
export function replaySegment(
  path: string,
  bytes: Buffer,
  firstSeq: number,
  afterSeq: number,
  onBatch: (seq: number, samples: JournaledSample[]) => void,
): void {
  const headerProblem = segmentHeaderProblem(bytes, firstSeq);
  if (headerProblem !== undefined) throw new CorruptJournalError(path, 0, headerProblem);
  let offset = SEGMENT_HEADER_SIZE;
  let seq = firstSeq;
  while (offset < bytes.length) {
    const read = readRecord(bytes, offset);
    if (read.kind !== 'record') throw new CorruptJournalError(path, offset, read.kind === 'cut' ? 'the file ends inside a record' : read.detail);
    if (read.seq !== seq) throw new CorruptJournalError(path, offset, `record starts at seq ${read.seq}, expected ${seq}`);
    let at = read.payloadStart;
    for (let i = 0; i < read.batchCount; i++, seq++) {
      const decoded = seq > afterSeq ? decodeBatch(bytes, at, read.end) : skipBatch(bytes, at, read.end);
      if (typeof decoded === 'string') throw new CorruptJournalError(path, offset, `batch ${seq}: ${decoded}`);
      if (typeof decoded === 'number') {
        at = decoded;
      } else {
        at = decoded.end;
        onBatch(seq, decoded.samples);
      }
    }
    if (at !== read.end) throw new CorruptJournalError(path, offset, `record holds ${read.end - at} bytes after its batches`);
    offset = read.end;
  }
}
