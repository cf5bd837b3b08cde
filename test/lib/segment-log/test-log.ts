/**
 * A small log format for the segment log's own tests: record k holds seq k
 * in its meta and a payload that depends only on k (so a reader can check
 * every byte), and helpers to open a log in a directory the way its owners
 * do: recover, then open for writing.
 */
import { crc32 } from 'node:zlib';
import { makeDirectory, type FileIo } from '../../../lib/durable-file.js';
import type { LogFormat } from '../../../lib/segment-log/log-format.js';
import { encodeFrame, readFrame } from '../../../lib/segment-log/record-frame.js';
import { recoverSegments, type RecoverOptions } from '../../../lib/segment-log/recover.js';
import { readSegmentBytes } from '../../../lib/segment-log/segment-files.js';
import { SegmentLog, type FullPolicy } from '../../../lib/segment-log/segment-log.js';
import { listSegments } from '../../../lib/segment-log/segment-name.js';
import type { RecordCheck } from '../../../lib/segment-log/segment-scan.js';

export const TEST_FORMAT: LogFormat = {
  naming: { prefix: 'test-', extension: '.tlog' },
  header: { magic: 'TLOG', version: 2, oldestReadable: 1, floatCookie: true, label: 'test log segment', versionName: 'test', reader: 'test' },
  frame: { metaBytes: 8, headerCrc: true, minLength: 1 },
};

/** Record k's payload: 1 to 2000 bytes, each a function of k. */
export function payloadOf(k: number): Buffer {
  const length = 1 + ((k * 7919) % 2000);
  return Buffer.from(Array.from({ length }, (_, i) => (k * 31 + i * 17) & 0xff));
}

export function recordOf(k: number): Buffer {
  return encodeFrame(TEST_FORMAT.frame, payloadOf(k), (header) => header.writeDoubleLE(k, 4));
}

/** The format's check: seqs increase, and each payload is the one its seq says. */
export const checkRecord: RecordCheck = (bytes, place, previousSeq) => {
  const seq = bytes.readDoubleLE(place.offset + 4);
  if (!(seq > previousSeq)) return `seq ${seq} does not follow ${previousSeq}`;
  const expected = payloadOf(seq);
  const payload = bytes.subarray(place.payloadStart, place.end);
  return crc32(payload) === crc32(expected) && payload.equals(expected) ? seq : `record ${seq} holds the wrong payload`;
};

export interface OpenedLog {
  readonly log: SegmentLog;
  readonly damagedBytes: number;
}

export async function openTestLog(
  dir: string,
  options: { full: FullPolicy; segmentBytes?: number; io?: FileIo; damage?: RecoverOptions['damage']; afterWriteError?: 'stop' | 'go-on'; appendToLast?: boolean },
): Promise<OpenedLog> {
  await makeDirectory(dir);
  const firstSeqs = await listSegments(TEST_FORMAT.naming, dir);
  const { segments, damagedBytes } = await recoverSegments(TEST_FORMAT, dir, firstSeqs, { damage: options.damage ?? 'torn-tail', check: () => checkRecord });
  const log = await SegmentLog.open(
    { dir, format: TEST_FORMAT, io: options.io, segmentBytes: options.segmentBytes ?? 4096, full: options.full, afterWriteError: options.afterWriteError ?? 'stop', label: 'test log' },
    segments,
    options.appendToLast ?? true,
  );
  return { log, damagedBytes };
}

/** Every seq in the log's committed bytes, oldest first, checking each record whole. */
export async function seqsIn(log: SegmentLog): Promise<number[]> {
  const seqs: number[] = [];
  for (const segment of log.segments) {
    const bytes = await readSegmentBytes(segment.path, 0, segment.size);
    for (let at = 32; at < bytes.length; ) {
      const read = readFrame(TEST_FORMAT.frame, bytes, at);
      if (read.kind !== 'frame') throw new Error(`${segment.path}: ${read.kind} record at ${at}`);
      const checked = checkRecord(bytes, { offset: at, payloadStart: read.payloadStart, end: read.end }, seqs.at(-1) ?? 0);
      if (typeof checked === 'string') throw new Error(`${segment.path}: ${checked}`);
      seqs.push(checked);
      at = read.end;
    }
  }
  return seqs;
}
