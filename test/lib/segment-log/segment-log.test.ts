/**
 * The segment log on real files: one write and one fdatasync per group,
 * rotation, release, both full-log policies (refuse, drop-oldest), failed
 * writes undone, both recovery policies, and owner-only modes.
 */
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeFileIo, type FileIo } from '../../../lib/durable-file.js';
import { CorruptLogError, LogClosedError, LogFullError } from '../../../lib/segment-log/errors.js';
import { GroupCommit } from '../../../lib/segment-log/group-commit.js';
import type { Segment } from '../../../lib/segment-log/segment-files.js';
import type { SegmentLog } from '../../../lib/segment-log/segment-log.js';
import { mountTinyFilesystem, unmountTinyFilesystem } from '../../helpers/tiny-filesystem.js';
import { openTestLog, recordOf, seqsIn } from './test-log.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-segment-log-'));
const tinyFs = mountTinyFilesystem('256k');
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  unmountTinyFilesystem(tinyFs);
});
let dirs = 0;
const freshDir = (): string => join(root, `log-${++dirs}`);
const segmentFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.tlog')).sort();
const bytesOnDisk = (dir: string): number => segmentFiles(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Writes records from..to, one write each. */
async function writeRecords(log: SegmentLog, from: number, to: number): Promise<void> {
  for (let k = from; k <= to; k++) await log.write(k, k, [recordOf(k)]);
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/** The real io, counting calls, failing once with `fail` when armed: writes half, then fails (ENOSPC), or fails the sync. */
function testIo(): { io: FileIo; calls: { writev: number; fdatasync: number }; arm: (fail: 'ENOSPC on write' | 'EIO on sync' | 'EIO on every sync' | 'none') => void } {
  const calls = { writev: 0, fdatasync: 0 };
  let fail: string = 'none';
  const io: FileIo = {
    async writev(fd, buffers, position) {
      calls.writev++;
      if (fail !== 'ENOSPC on write') return nodeFileIo.writev(fd, buffers, position);
      fail = 'none';
      await nodeFileIo.writev(fd, [buffers[0].subarray(0, Math.ceil(buffers[0].length / 2))], position);
      throw errno('ENOSPC');
    },
    async fdatasync(fd) {
      calls.fdatasync++;
      if (fail === 'EIO on every sync') throw errno('EIO');
      if (fail === 'EIO on sync') {
        fail = 'none';
        throw errno('EIO');
      }
      return nodeFileIo.fdatasync(fd);
    },
  };
  return { io, calls, arm: (next) => (fail = next) };
}

describe('SegmentLog', () => {
  it('writes a group of appends with one write and one fdatasync, and reads back every record after a restart', async () => {
    const dir = freshDir();
    const { io, calls } = testIo();
    const { log } = await openTestLog(dir, { full: { kind: 'refuse' }, io, segmentBytes: 1 << 20 });
    await log.ensureSegment(1);
    const before = { ...calls };
    let next = 1;
    const group = new GroupCommit<number, number>(
      async (ks) => {
        await log.write(ks[0], ks.at(-1)!, ks.map(recordOf));
        return ks;
      },
      () => 1,
      1000,
    );
    const seqs = await Promise.all(Array.from({ length: 50 }, () => group.submit(next++)));
    expect(seqs).toEqual(range(1, 50));
    expect(calls.writev - before.writev).toBeLessThanOrEqual(2);
    expect(calls.fdatasync - before.fdatasync).toBe(calls.writev - before.writev);
    await log.close();
    const { log: reopened } = await openTestLog(dir, { full: { kind: 'refuse' } });
    expect(await seqsIn(reopened)).toEqual(range(1, 50));
    await reopened.close();
  });

  it('begins a segment named by its first seq before a write would pass segmentBytes, and releases whole segments only', async () => {
    const dir = freshDir();
    const { log } = await openTestLog(dir, { full: { kind: 'refuse' }, segmentBytes: 1000 });
    await writeRecords(log, 1, 40);
    expect(segmentFiles(dir).length).toBeGreaterThan(5);
    expect(segmentFiles(dir)[0]).toBe('test-0000000000000001.tlog');
    for (const segment of log.segments) expect(segment.size <= 1000 || segment.lastSeq === segment.firstSeq).toBe(true);
    expect(log.sizeBytes).toBe(bytesOnDisk(dir));
    await log.release(20);
    expect(log.segments[0].firstSeq).toBeLessThanOrEqual(21);
    expect(log.segments[0].lastSeq).toBeGreaterThan(20);
    expect(log.sizeBytes).toBe(bytesOnDisk(dir));
    await log.release(40);
    // The segment written to is never released.
    expect(segmentFiles(dir)).toHaveLength(1);
    expect(await seqsIn(log)).toEqual(range(log.segments[0].firstSeq, 40));
    await log.close();
  });

  it('makes files 0600 and its folder 0700', async () => {
    const dir = freshDir();
    const { log } = await openTestLog(dir, { full: { kind: 'refuse' } });
    await writeRecords(log, 1, 2);
    await log.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of segmentFiles(dir)) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
  });

  describe("full-log policy 'refuse'", () => {
    it('refuses a write past maxBytes with LogFullError, leaves nothing of it, and goes on once room is made', async () => {
      const dir = freshDir();
      const { log } = await openTestLog(dir, { full: { kind: 'refuse', maxBytes: 4000 }, segmentBytes: 1000 });
      let k = 1;
      let refused: unknown;
      for (; refused === undefined; k++) await log.write(k, k, [recordOf(k)]).catch((e: unknown) => (refused = e));
      expect(refused).toBeInstanceOf(LogFullError);
      expect((refused as Error).message).toMatch(/the test log is full \(maxBytes 4000\)/);
      expect(bytesOnDisk(dir)).toBeLessThanOrEqual(4000);
      const size = bytesOnDisk(dir);
      await expect(log.write(k, k, [recordOf(k)])).rejects.toBeInstanceOf(LogFullError);
      expect(bytesOnDisk(dir)).toBe(size);
      const written = k - 2;
      await log.release(written);
      await log.write(k, k, [recordOf(k)]);
      expect((await seqsIn(log)).at(-1)).toBe(k);
      await log.close();
    });

    it('turns ENOSPC into LogFullError, cuts the partial write off, and the next write goes where it should have', async () => {
      const dir = freshDir();
      const { io, arm } = testIo();
      const { log } = await openTestLog(dir, { full: { kind: 'refuse' }, io, segmentBytes: 1 << 20 });
      await writeRecords(log, 1, 3);
      const size = bytesOnDisk(dir);
      arm('ENOSPC on write');
      const error = await log.write(4, 4, [recordOf(4)]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogFullError);
      expect((error as Error).message).toMatch(/no space left for the test log/);
      expect(bytesOnDisk(dir)).toBe(size);
      await writeRecords(log, 5, 6);
      await log.close();
      const { log: reopened, damagedBytes } = await openTestLog(dir, { full: { kind: 'refuse' } });
      expect(damagedBytes).toBe(0);
      expect(await seqsIn(reopened)).toEqual([1, 2, 3, 5, 6]);
      await reopened.close();
    });
  });

  describe.each(['refuse', 'drop-oldest'] as const)("a real full disk (a 256 KiB tmpfs, root only), policy '%s'", (kind) => {
    it.skipIf(!tinyFs)('rejects the write that finds no room with LogFullError, keeps everything acknowledged, and goes on once there is room', async () => {
      const dir = join(tinyFs!, kind);
      const filler = join(tinyFs!, `filler-${kind}`);
      writeFileSync(filler, Buffer.alloc(96 * 1024, 1));
      const full = kind === 'refuse' ? { kind } : { kind, maxBytes: 1 << 20 };
      const { log } = await openTestLog(dir, { full, segmentBytes: 16 * 1024 });
      let k = 1;
      let error: unknown;
      for (; error === undefined && k < 10_000; k++) await log.write(k, k, [recordOf(k)]).catch((e: unknown) => (error = e));
      expect(error).toBeInstanceOf(LogFullError);
      expect(log.sizeBytes).toBe(bytesOnDisk(dir));
      rmSync(filler);
      await log.write(k, k, [recordOf(k)]);
      await log.close();
      const { log: reopened, damagedBytes } = await openTestLog(dir, { full });
      expect(damagedBytes).toBe(0);
      expect(await seqsIn(reopened)).toEqual([...range(1, k - 2), k]);
      await reopened.close();
      rmSync(dir, { recursive: true });
    });
  });

  describe("full-log policy 'drop-oldest'", () => {
    it('stays within maxBytes, telling beforeDrop of each segment oldest first, and keeps the newest records without holes', async () => {
      const dir = freshDir();
      const dropped: Segment[] = [];
      const full = { kind: 'drop-oldest' as const, maxBytes: 8000, beforeDrop: async (s: Segment) => void dropped.push({ ...s }) };
      const { log } = await openTestLog(dir, { full, segmentBytes: 1500, appendToLast: false });
      for (let k = 1; k <= 300; k++) {
        await log.write(k, k, [recordOf(k)]);
        expect(bytesOnDisk(dir)).toBeLessThanOrEqual(8000);
      }
      expect(dropped.length).toBeGreaterThan(10);
      expect(dropped.map((s) => s.firstSeq)).toEqual([...dropped.map((s) => s.firstSeq)].sort((a, b) => a - b));
      const kept = await seqsIn(log);
      expect(kept.at(-1)).toBe(300);
      expect(kept).toEqual(range(kept[0], 300));
      // What was dropped is exactly what is no longer there.
      expect(dropped.at(-1)!.lastSeq + 1).toBe(kept[0]);
      await log.close();
    });
  });

  describe('a write that fails otherwise', () => {
    it("with 'stop', the log refuses every later write until reopened, and the failed record is gone", async () => {
      const dir = freshDir();
      const { io, arm } = testIo();
      const { log } = await openTestLog(dir, { full: { kind: 'refuse' }, io, segmentBytes: 1 << 20 });
      await writeRecords(log, 1, 2);
      arm('EIO on sync');
      await expect(log.write(3, 3, [recordOf(3)])).rejects.toThrow(/a write failed \(EIO\); the test log takes no appends until reopened/);
      await expect(log.write(4, 4, [recordOf(4)])).rejects.toBeInstanceOf(LogClosedError);
      await log.close();
      const { log: reopened } = await openTestLog(dir, { full: { kind: 'refuse' } });
      expect(await seqsIn(reopened)).toEqual([1, 2]);
      await reopened.close();
    });

    it("with 'go-on', the next write succeeds, in a new segment when the failed one could not even be cut back", async () => {
      const dir = freshDir();
      const { io, arm } = testIo();
      const { log } = await openTestLog(dir, { full: { kind: 'drop-oldest', maxBytes: 1 << 20 }, io, segmentBytes: 1 << 20, afterWriteError: 'go-on' });
      await writeRecords(log, 1, 2);
      arm('EIO on sync');
      await expect(log.write(3, 3, [recordOf(3)])).rejects.toMatchObject({ code: 'EIO' });
      await writeRecords(log, 4, 4);
      expect(segmentFiles(dir)).toHaveLength(1);
      arm('EIO on every sync');
      await expect(log.write(5, 5, [recordOf(5)])).rejects.toMatchObject({ code: 'EIO' });
      arm('none');
      await writeRecords(log, 6, 6);
      expect(segmentFiles(dir)).toEqual(['test-0000000000000001.tlog', 'test-0000000000000006.tlog']);
      expect(await seqsIn(log)).toEqual([1, 2, 4, 6]);
      await log.close();
    });
  });

  describe('recovery', () => {
    async function threeSegments(): Promise<{ dir: string; files: string[] }> {
      const dir = freshDir();
      const { log } = await openTestLog(dir, { full: { kind: 'refuse' }, segmentBytes: 700 });
      await writeRecords(log, 1, 12);
      await log.close();
      const files = segmentFiles(dir).map((f) => join(dir, f));
      expect(files.length).toBeGreaterThanOrEqual(3);
      return { dir, files };
    }

    it("'torn-tail' cuts a torn tail off the last segment and counts it", async () => {
      const { dir, files } = await threeSegments();
      appendFileSync(files.at(-1)!, recordOf(13).subarray(0, 30));
      const { log, damagedBytes } = await openTestLog(dir, { full: { kind: 'refuse' } });
      expect(damagedBytes).toBe(30);
      expect(await seqsIn(log)).toEqual(range(1, 12));
      await log.write(13, 13, [recordOf(13)]);
      expect(await seqsIn(log)).toEqual(range(1, 13));
      await log.close();
    });

    it("'torn-tail' refuses damage in an earlier segment with CorruptLogError naming the file and offset, changing nothing", async () => {
      const { dir, files } = await threeSegments();
      const size = statSync(files[0]).size;
      truncateSync(files[0], size - 3);
      const error = await openTestLog(dir, { full: { kind: 'refuse' } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptLogError);
      expect((error as CorruptLogError).path).toBe(files[0]);
      expect(statSync(files[0]).size).toBe(size - 3);
    });

    it("'truncate' cuts damage anywhere, drops a segment with a foreign header, and tells onDamage", async () => {
      const { dir, files } = await threeSegments();
      truncateSync(files[0], statSync(files[0]).size - 3);
      writeFileSync(files[1], Buffer.concat([Buffer.from('JUNK'), Buffer.alloc(60)]));
      const { log, damagedBytes } = await openTestLog(dir, { full: { kind: 'refuse' }, damage: 'truncate' });
      expect(damagedBytes).toBeGreaterThan(64);
      expect(segmentFiles(dir)).toHaveLength(files.length - 1);
      const seqs = await seqsIn(log);
      expect(seqs.at(-1)).toBe(12);
      expect(seqs.length).toBeLessThan(12);
      await log.close();
    });
  });
});
