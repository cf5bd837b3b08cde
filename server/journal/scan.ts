/**
 * Reading the journal's records (format in segment.ts) on the segment log:
 * the check of every record at open, and replay, which decodes the batches
 * above a seq. Both accept nothing but whole, valid records in seq order.
 */
import { scanSegment, type RecordCheck } from '../../lib/segment-log/index.js';
import { decodeBatch, skipBatch, type JournaledSample } from './batch-codec.js';
import { CorruptJournalError } from './errors.js';
import { JOURNAL_FORMAT } from './segment.js';

/**
 * A record's meta holds a seq following the one before and at least one
 * batch, and its payload is exactly its batches. With `onBatch`, the
 * batches above `afterSeq` are decoded and handed to it, in order.
 */
export function journalRecordCheck(afterSeq = Infinity, onBatch?: (seq: number, samples: JournaledSample[]) => void): RecordCheck {
  return (bytes, place, previousSeq) => {
    const batchCount = bytes.readUInt32LE(place.offset + 4);
    const seq = bytes.readDoubleLE(place.offset + 8);
    if (batchCount === 0 || !Number.isSafeInteger(seq) || seq < 1) return `record header holds seq ${seq} and ${batchCount} batches`;
    if (seq !== previousSeq + 1) return `record starts at seq ${seq}, expected ${previousSeq + 1}`;
    let at = place.payloadStart;
    for (let i = 0; i < batchCount; i++) {
      const decoded = onBatch && seq + i > afterSeq ? decodeBatch(bytes, at, place.end) : skipBatch(bytes, at, place.end);
      if (typeof decoded === 'string') return `batch ${seq + i}: ${decoded}`;
      if (typeof decoded === 'number') {
        at = decoded;
      } else {
        at = decoded.end;
        onBatch!(seq + i, decoded.samples);
      }
    }
    return at === place.end ? seq + batchCount - 1 : `record holds ${place.end - at} bytes after its ${batchCount} batches`;
  };
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
  const { damage } = scanSegment(JOURNAL_FORMAT, bytes, firstSeq, journalRecordCheck(afterSeq, onBatch));
  if (damage !== undefined) throw new CorruptJournalError(path, damage.offset, damage.detail);
}
