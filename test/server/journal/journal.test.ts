/**
 * The journal's contract: append/replay round trip, checkpoints that survive
 * restarts, segment rotation and deletion, group commit, close.
 */
import { copyFileSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalClosedError, JournalError, SampleJournal } from '../../../server/journal/index.js';
import { countingIo, replayAll, scratchDirs, testBatch } from './journal-helpers.js';

const newDir = scratchDirs('journal');

function segmentFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.rmj')).sort();
}

function bytesOnDisk(dir: string): number {
  return segmentFiles(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

describe('SampleJournal', () => {
  it('replays exactly what was appended, in order, before and after a restart', async () => {
    const dir = newDir();
    const journal = await SampleJournal.open(dir);
    const batches = [testBatch(0), [], testBatch(1, 1), testBatch(2, 300), [{ series: 'x', time: -1.5, value: -0 }]];
    const seqs: number[] = [];
    for (const b of batches) seqs.push(await journal.append(b));
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    expect(journal.lastSeq).toBe(5);
    const expected = batches.map((b, i) => [i + 1, b]);
    expect(await replayAll(journal)).toEqual(expected);
    expect(await replayAll(journal, 3)).toEqual(expected.slice(3));
    await journal.close();

    const reopened = await SampleJournal.open(dir);
    expect(reopened.truncatedBytesAtOpen).toBe(0);
    expect(reopened.lastSeq).toBe(5);
    expect(await replayAll(reopened)).toEqual(expected);
    expect(await reopened.append(testBatch(9))).toBe(6);
    await reopened.close();
  });

  it('rejects a batch it cannot store without writing any of it', async () => {
    const journal = await SampleJournal.open(newDir());
    const bad: unknown[] = [
      [{ series: '', time: 1, value: 1 }],
      [{ series: 'a', time: Number.NaN, value: 1 }],
      [{ series: 'a', time: 1, value: '3' }],
      [{ series: 'ok', time: 1, value: 1 }, { series: 'b'.repeat(70_000), time: 1, value: 1 }],
    ];
    for (const batch of bad) {
      await expect(journal.append(batch as never)).rejects.toBeInstanceOf(JournalError);
    }
    await expect(journal.append([{ series: 'ok', time: 1, value: 1 }, { series: 'b'.repeat(70_000), time: 1, value: 1 }])).rejects.toThrow(/sample 1/);
    expect(journal.lastSeq).toBe(0);
    expect(await journal.append(testBatch(1))).toBe(1);
    await journal.close();
  });

  it('replays from the checkpoint by default, and keeps the checkpoint across a restart', async () => {
    const dir = newDir();
    const journal = await SampleJournal.open(dir);
    for (let k = 0; k < 10; k++) await journal.append(testBatch(k));
    await journal.checkpoint(6);
    await journal.checkpoint(4); // lower: changes nothing
    expect(journal.checkpointSeq).toBe(6);
    expect((await replayAll(journal)).map(([seq]) => seq)).toEqual([7, 8, 9, 10]);
    await expect(journal.checkpoint(11)).rejects.toThrow(/beyond the last durable batch, 10/);
    await journal.close();

    const reopened = await SampleJournal.open(dir);
    expect(reopened.checkpointSeq).toBe(6);
    expect(await replayAll(reopened)).toEqual([7, 8, 9, 10].map((seq) => [seq, testBatch(seq - 1)]));
    // Everything still in the journal is there for whoever asks.
    expect((await replayAll(reopened, 0)).map(([seq]) => seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await reopened.close();
  });

  it('rotates segments past the size limit and deletes those a checkpoint releases', async () => {
    const dir = newDir();
    const journal = await SampleJournal.open(dir, { segmentBytes: 2000 });
    for (let k = 0; k < 40; k++) await journal.append(testBatch(k, 20));
    const before = segmentFiles(dir);
    expect(before.length).toBeGreaterThan(5);
    expect(journal.sizeBytes).toBe(bytesOnDisk(dir));

    await journal.checkpoint(25);
    const after = segmentFiles(dir);
    expect(after.length).toBeLessThan(before.length);
    expect(journal.sizeBytes).toBe(bytesOnDisk(dir));
    // The oldest segment left holds batch 26, the first one not checkpointed, or one before it.
    const firstKept = Number(/\d+/.exec(after[0])![0]);
    expect(firstKept).toBeLessThanOrEqual(26);
    expect(Number(/\d+/.exec(after[1])![0])).toBeGreaterThan(26);
    expect((await replayAll(journal)).map(([seq]) => seq)).toEqual(Array.from({ length: 15 }, (_, i) => 26 + i));

    // Checkpointing everything keeps the active segment, so numbering carries on after a restart.
    await journal.checkpoint(40);
    expect(segmentFiles(dir)).toHaveLength(1);
    await journal.close();
    const reopened = await SampleJournal.open(dir, { segmentBytes: 2000 });
    expect(reopened.lastSeq).toBe(40);
    expect(await replayAll(reopened)).toEqual([]);
    expect(await reopened.append(testBatch(40))).toBe(41);
    await reopened.close();
  });

  it('removes at open the segments of a checkpoint whose deletions a crash interrupted', async () => {
    const dir = newDir();
    const journal = await SampleJournal.open(dir, { segmentBytes: 1000 });
    for (let k = 0; k < 20; k++) await journal.append(testBatch(k, 10));
    const oldest = segmentFiles(dir)[0];
    copyFileSync(join(dir, oldest), join(dir, 'saved'));
    await journal.checkpoint(15);
    await journal.close();
    // The checkpoint reached the disk, the deletion of the oldest segment did not.
    copyFileSync(join(dir, 'saved'), join(dir, oldest));
    const reopened = await SampleJournal.open(dir, { segmentBytes: 1000 });
    expect(existsSync(join(dir, oldest))).toBe(false);
    expect((await replayAll(reopened)).map(([seq]) => seq)).toEqual([16, 17, 18, 19, 20]);
    await reopened.close();
  });

  it('groups 100 concurrent appends into far fewer fdatasyncs, numbered in call order', async () => {
    const { io, syncs } = countingIo();
    const journal = await SampleJournal.open(newDir(), { io });
    const atStart = syncs();
    const seqs = await Promise.all(Array.from({ length: 100 }, (_, k) => journal.append(testBatch(k))));
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, k) => k + 1));
    expect(syncs() - atStart).toBeLessThanOrEqual(2);
    expect(await replayAll(journal)).toEqual(seqs.map((seq) => [seq, testBatch(seq - 1)]));
    await journal.close();
  });

  it('replays a consistent prefix while appends, rotations and a checkpoint go on', async () => {
    const journal = await SampleJournal.open(newDir(), { segmentBytes: 1500 });
    for (let k = 0; k < 30; k++) await journal.append(testBatch(k, 10));
    const more = Array.from({ length: 60 }, (_, k) => journal.append(testBatch(30 + k, 10)));
    const checkpoint = journal.checkpoint(20);
    const seen = await replayAll(journal, 0);
    await Promise.all([...more, checkpoint]);
    // Every append acknowledged before the replay began is in it; how many of the later ones made it depends on timing.
    expect(seen.at(-1)?.[0]).toBeGreaterThanOrEqual(30);
    // The checkpoint ran first (they take turns), so the replay starts in the oldest segment it left.
    const first = seen[0][0];
    expect(first).toBeLessThanOrEqual(21);
    expect(seen).toEqual(seen.map((_, i) => [first + i, testBatch(first + i - 1, 10)]));
    expect((await replayAll(journal)).map(([seq]) => seq)).toEqual(Array.from({ length: 70 }, (_, i) => 21 + i));
    await journal.close();
  });

  it('splits a group at maxGroupBytes', async () => {
    const { io, syncs } = countingIo();
    const journal = await SampleJournal.open(newDir(), { io, maxGroupBytes: 2000 });
    const atStart = syncs();
    // Each batch of 20 samples is about 800 bytes: two per group.
    await Promise.all(Array.from({ length: 10 }, (_, k) => journal.append(testBatch(k, 20))));
    expect(syncs() - atStart).toBe(5);
    await journal.close();
  });

  it('commits pending appends on close and refuses everything after', async () => {
    const dir = newDir();
    const journal = await SampleJournal.open(dir);
    const pending = [journal.append(testBatch(0)), journal.append(testBatch(1))];
    const closed = journal.close();
    expect(journal.close()).toBe(closed);
    await closed;
    expect(await Promise.all(pending)).toEqual([1, 2]);
    await expect(journal.append(testBatch(2))).rejects.toBeInstanceOf(JournalClosedError);
    await expect(journal.checkpoint(1)).rejects.toBeInstanceOf(JournalClosedError);
    await expect(replayAll(journal)).rejects.toBeInstanceOf(JournalClosedError);
    const reopened = await SampleJournal.open(dir);
    expect(reopened.lastSeq).toBe(2);
    await reopened.close();
  });

  it('rejects bad options and an unusable directory with JournalError', async () => {
    await expect(SampleJournal.open(newDir(), { segmentBytes: 0 })).rejects.toBeInstanceOf(JournalError);
    const file = newDir();
    writeFileSync(file, 'not a directory');
    await expect(SampleJournal.open(join(file, 'journal'))).rejects.toThrow(/cannot open the journal: ENOTDIR/);
  });
});
