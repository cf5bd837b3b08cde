/**
 * Reading records on from a position: in order across the reader's 1 MiB
 * chunks, a record larger than a chunk read whole, the weight budget, and
 * damage reported as CorruptLogError with the file and offset.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CorruptLogError } from '../../../lib/segment-log/errors.js';
import { encodeFrame } from '../../../lib/segment-log/record-frame.js';
import { encodeSegmentHeader } from '../../../lib/segment-log/segment-header.js';
import { readRecords, type ReadPlan } from '../../../lib/segment-log/segment-reader.js';
import { openTestLog, payloadOf, recordOf, TEST_FORMAT } from './test-log.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-segment-reader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `r${++dirs}`);

/** Items are payload lengths, each weighing 1: a budget of n takes n records. */
const count = (budget: number): ReadPlan<number> => ({ decode: (payload) => payload.length, weight: () => 1, budget });

describe('readRecords', () => {
  it('reads on from where it stopped, budget by budget, across chunk boundaries, every record in order', async () => {
    const dir = freshDir();
    const { log } = await openTestLog(dir, { full: { kind: 'refuse' }, segmentBytes: 64 << 20 });
    await log.write(1, 1500, Array.from({ length: 1500 }, (_, i) => recordOf(i + 1)));
    const [segment] = log.segments;
    expect(segment.size).toBeGreaterThan(1.2 * 2 ** 20);
    const lengths: number[] = [];
    for (let at = 32; ; ) {
      const taken = await readRecords(TEST_FORMAT.frame, segment.path, at, segment.size, count(100));
      if (taken.length === 0) break;
      expect(taken.length).toBeLessThanOrEqual(100);
      lengths.push(...taken.map((t) => t.item));
      at = taken.at(-1)!.end;
    }
    expect(lengths).toEqual(Array.from({ length: 1500 }, (_, i) => payloadOf(i + 1).length));
    await log.close();
  });

  it('takes the first record however heavy, even one larger than a chunk, and stops before one that passes the budget', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const path = join(dir, 'test-0000000000000001.tlog');
    const big = Buffer.alloc(1.5 * 2 ** 20, 7);
    writeFileSync(path, Buffer.concat([encodeSegmentHeader(TEST_FORMAT.header, 1), encodeFrame(TEST_FORMAT.frame, big), encodeFrame(TEST_FORMAT.frame, Buffer.from('small'))]));
    const bySize: ReadPlan<number> = { decode: (payload) => payload.length, weight: (n) => n, budget: 100 };
    const [first, ...rest] = await readRecords(TEST_FORMAT.frame, path, 32, 32 + 20 + big.length + 20 + 5, bySize);
    expect(first.item).toBe(big.length);
    expect(rest).toEqual([]);
    expect(await readRecords(TEST_FORMAT.frame, path, first.end, first.end + 25, bySize)).toEqual([{ item: 5, end: first.end + 25 }]);
  });

  it('reports a damaged record, or a file shorter than its committed end, as CorruptLogError', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const path = join(dir, 'test-0000000000000001.tlog');
    const second = recordOf(2);
    second[second.length - 1] ^= 1;
    const bytes = Buffer.concat([encodeSegmentHeader(TEST_FORMAT.header, 1), recordOf(1), second]);
    writeFileSync(path, bytes);
    const error = await readRecords(TEST_FORMAT.frame, path, 32, bytes.length, count(10)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptLogError);
    expect(error).toMatchObject({ path, offset: 32 + recordOf(1).length, detail: 'record payload fails its checksum' });
    await expect(readRecords(TEST_FORMAT.frame, path, bytes.length, bytes.length + 100, count(10))).rejects.toThrow(/the file ends before the committed end/);
  });
});
