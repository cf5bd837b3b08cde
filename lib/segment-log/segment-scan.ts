/**
 * Checking a segment's bytes: the header, then every record, up to the
 * first damage. Pure (the bytes are in memory); recover.ts decides what to
 * do with what it finds.
 *
 * Damage is `torn` when it is what a crash in the middle of the last write
 * leaves: a short or all-zero header (a crash while creating the segment),
 * a record the end of the file cuts off, one failing its payload checksum
 * while ending exactly at the end of the file, or bytes that were allocated
 * but never written (zeros to the end). Anything else is not.
 */
import type { LogFormat } from './log-format.js';
import { readFrame } from './record-frame.js';
import { headerSize, segmentHeaderProblem } from './segment-header.js';

/** Where a record is: it starts at `offset`, its payload is [payloadStart, end). */
export interface RecordPlace {
  readonly offset: number;
  readonly payloadStart: number;
  readonly end: number;
}

/**
 * The format's check of one whole record, given the highest seq before it
 * (firstSeq - 1 for the segment's first record): the highest seq the record
 * holds, or a problem when its contents are not what the format writes.
 */
export type RecordCheck = (bytes: Buffer, place: RecordPlace, previousSeq: number) => number | string;

export interface ScanDamage {
  /** Where the damage begins; 0 for a header. */
  readonly offset: number;
  readonly detail: string;
  readonly torn: boolean;
}

export interface SegmentScan {
  /** Bytes at the start holding the header and whole, valid records; 0 when the header is unreadable. */
  readonly validBytes: number;
  /** Highest seq in the valid records; firstSeq - 1 when there is none. */
  readonly lastSeq: number;
  readonly records: number;
  /** Why the valid part ends before the bytes do. */
  readonly damage?: ScanDamage;
}

function zeroFrom(bytes: Buffer, offset: number): boolean {
  for (let i = offset; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

export function scanSegment(format: LogFormat, bytes: Buffer, firstSeq: number, check: RecordCheck): SegmentScan {
  const headerProblem = segmentHeaderProblem(format.header, bytes, firstSeq);
  if (headerProblem !== undefined) {
    const torn = bytes.length < headerSize(format.header) || zeroFrom(bytes, 0);
    return { validBytes: 0, lastSeq: firstSeq - 1, records: 0, damage: { offset: 0, detail: headerProblem, torn } };
  }
  let offset = headerSize(format.header);
  let lastSeq = firstSeq - 1;
  let records = 0;
  while (offset < bytes.length) {
    const read = readFrame(format.frame, bytes, offset);
    let damage: ScanDamage | undefined;
    if (read.kind === 'cut') damage = { offset, detail: 'the file ends inside a record', torn: true };
    else if (read.kind === 'bad') damage = { offset, detail: read.detail, torn: read.end === bytes.length || zeroFrom(bytes, offset) };
    else {
      const checked = check(bytes, { offset, payloadStart: read.payloadStart, end: read.end }, lastSeq);
      if (typeof checked === 'string') damage = { offset, detail: checked, torn: false };
      else {
        lastSeq = checked;
        records++;
        offset = read.end;
        continue;
      }
    }
    return { validBytes: offset, lastSeq, records, damage };
  }
  return { validBytes: offset, lastSeq, records };
}
