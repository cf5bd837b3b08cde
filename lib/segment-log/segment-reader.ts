/**
 * Reading a segment's records from a position onwards, a chunk at a time:
 * for a consumer that goes through the log in order and remembers where it
 * is (the agent spool's uploader), rather than replaying whole segments.
 */
import { open } from 'node:fs/promises';
import { CorruptLogError } from './errors.js';
import { readFrame, type FrameFormat } from './record-frame.js';

/** Bytes read per call when records are small; a larger record is read whole. */
const CHUNK_BYTES = 1 << 20;

/** A record taken, and the file offset just after it (where reading goes on). */
export interface TakenRecord<T> {
  readonly item: T;
  readonly end: number;
}

/** What to read: each payload decoded into an item, and items taken while their weights add up to at most `budget`. */
export interface ReadPlan<T> {
  readonly decode: (payload: Buffer) => T;
  readonly weight: (item: T) => number;
  readonly budget: number;
}

/**
 * Whole records of the segment at `path` from `offset` up to `end` (its
 * committed length), in order, within the plan's budget; the first record
 * is always taken when there is one, however heavy. Rejects with
 * CorruptLogError for a record that does not read (these bytes were checked
 * when the log was opened, so that is damage since), and with whatever
 * `decode` throws.
 */
export async function readRecords<T>(format: FrameFormat, path: string, offset: number, end: number, plan: ReadPlan<T>): Promise<TakenRecord<T>[]> {
  if (offset >= end) return [];
  const handle = await open(path, 'r');
  try {
    let size = Math.min(CHUNK_BYTES, end - offset);
    for (;;) {
      const bytes = Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(bytes, 0, size, offset);
      if (bytesRead === 0) throw new CorruptLogError(path, offset, `the file ends before the committed end ${end}`);
      const view = bytes.subarray(0, bytesRead);
      const out: TakenRecord<T>[] = [];
      let weight = 0;
      for (let at = 0; at < view.length && (out.length === 0 || weight < plan.budget); ) {
        const read = readFrame(format, view, at);
        if (read.kind === 'bad') throw new CorruptLogError(path, offset + at, read.detail);
        if (read.kind === 'cut') {
          if (out.length > 0) return out;
          if (offset + read.needed > end || size >= read.needed) throw new CorruptLogError(path, offset, `the record runs past the committed end ${end}`);
          // The first record is larger than the chunk: read again, all of it.
          size = read.needed;
          break;
        }
        const item = plan.decode(view.subarray(read.payloadStart, read.end));
        if (out.length > 0 && weight + plan.weight(item) > plan.budget) return out;
        weight += plan.weight(item);
        out.push({ item, end: offset + read.end });
        at = read.end;
      }
      if (out.length > 0) return out;
    }
  } finally {
    await handle.close();
  }
}
