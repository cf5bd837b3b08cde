/**
 * The agent spool on a real directory: order, restart, torn tails, the bound.
 */
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeRecord, type SpooledBatch, type SpooledSample } from '../../../slurpers/agent/spool-format.js';
import { Spool } from '../../../slurpers/agent/spool.js';
import { recordingLogger } from '../host/helpers.js';
import { drainSpool, spoolThenRestart } from './spool-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-spool-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `spool-${++dirs}`);

/** Batch k: `size` samples of series s<i>, each with value k, so every sample says which batch it came from. */
const batch = (k: number, size = 3): SpooledSample[] => Array.from({ length: size }, (_, i) => ({ series: `test.s${i}`, t: 1_700_000_000 + k, v: k }));

/** Reads and acknowledges everything pending, returning the batches in the order peek gave them. */
const drain = (spool: Spool, maxSamples = 7): Promise<SpooledBatch[]> => drainSpool(spool, maxSamples);

const segmentFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.rms')).sort();

describe('Spool', () => {
  it('gives back batches in the order they were spooled, across segments, and deletes acknowledged segments', async () => {
    const dir = freshDir();
    const spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 2048 });
    const seqs = await Promise.all(Array.from({ length: 60 }, (_, k) => spool.append(batch(k))));
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, k) => k + 1));
    expect(segmentFiles(dir).length).toBeGreaterThan(3);
    expect(spool.stats()).toMatchObject({ pendingBatches: 60, pendingSamples: 180 });
    const first = await spool.peek(7);
    expect(first.map((b) => b.seq)).toEqual([1, 2]);
    // Not acknowledged: the same batches again.
    expect((await spool.peek(7)).map((b) => b.seq)).toEqual([1, 2]);
    const all = await drain(spool);
    expect(all.map((b) => b.seq)).toEqual(seqs);
    expect(all.map((b) => b.samples[0].v)).toEqual(Array.from({ length: 60 }, (_, k) => k));
    expect(all[5].samples).toEqual(batch(5));
    expect(spool.stats()).toMatchObject({ pendingBatches: 0, pendingSamples: 0 });
    // Only the active segment is left.
    expect(segmentFiles(dir)).toHaveLength(1);
    await spool.close();
  });

  it('keeps a declared kind with its sample, across a restart', async () => {
    const dir = freshDir();
    const samples: SpooledSample[] = [
      { series: 'web.eth0.rx_bytes', t: 1_700_000_010, v: 123_456, kind: 'COUNTER' },
      { series: 'web.load', t: 1_700_000_010, v: 0.5 },
    ];
    expect(await spoolThenRestart(dir, samples)).toEqual(samples);
  });

  it('peeks one batch even when it alone is larger than maxSamples', async () => {
    const spool = await Spool.open({ dir: freshDir(), maxBytes: 1 << 20 });
    await spool.append(batch(1, 50));
    await spool.append(batch(2, 1));
    expect((await spool.peek(10)).map((b) => b.samples.length)).toEqual([50]);
    await spool.close();
  });

  it('resumes after a restart where the ack cursor was: acknowledged batches are not given again, unacknowledged ones are', async () => {
    const dir = freshDir();
    const first = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1024 });
    for (let k = 1; k <= 30; k++) await first.append(batch(k));
    let acked = 0;
    while (acked < 12) {
      const peeked = await first.peek(3);
      acked = peeked.at(-1)!.seq;
      await first.ack(acked);
    }
    // Peeked (sent) but not acknowledged: must come again after the restart.
    expect((await first.peek(6)).map((b) => b.seq)).toEqual([13, 14]);
    await first.close();

    const log = recordingLogger();
    const second = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1024, log });
    expect(second.stats()).toMatchObject({ pendingBatches: 18, pendingSamples: 54, ackedSeq: 12 });
    expect(log.lines.some((l) => l.message.includes('resuming'))).toBe(true);
    const newSeq = await second.append(batch(31));
    expect(newSeq).toBe(31);
    const rest = await drain(second);
    expect(rest.map((b) => b.seq)).toEqual(Array.from({ length: 19 }, (_, i) => 13 + i));
    await second.close();

    // Everything acknowledged and the segments gone: numbering still goes on after the cursor.
    const third = await Spool.open({ dir, maxBytes: 1 << 20 });
    expect(third.stats()).toMatchObject({ pendingBatches: 0, ackedSeq: 31 });
    expect(await third.append(batch(32))).toBe(32);
    expect((await third.peek(10)).map((b) => b.seq)).toEqual([32]);
    await third.close();
  });

  it.each([
    ['cut short', (path: string) => appendFileSync(path, encodeRecord({ seq: 99, samples: batch(99) }).subarray(0, 20))],
    ['failing its checksum', (path: string) => {
      const record = encodeRecord({ seq: 99, samples: batch(99) });
      record[record.length - 3] ^= 0xff;
      appendFileSync(path, record);
    }],
    ['zero bytes', (path: string) => appendFileSync(path, Buffer.alloc(4096))],
  ])('cuts off a torn tail record (%s) at start and keeps every whole batch', async (_what, tear) => {
    const dir = freshDir();
    const first = await Spool.open({ dir, maxBytes: 1 << 20 });
    for (let k = 1; k <= 5; k++) await first.append(batch(k));
    await first.close();
    const [file] = segmentFiles(dir);
    const goodSize = statSync(join(dir, file)).size;
    tear(join(dir, file));

    const log = recordingLogger();
    const second = await Spool.open({ dir, maxBytes: 1 << 20, log });
    expect(statSync(join(dir, file)).size).toBe(goodSize);
    expect(log.lines.find((l) => l.level === 'warn')?.message).toMatch(/torn write/);
    expect(second.stats().damagedBytes).toBeGreaterThan(0);
    await second.append(batch(6));
    expect((await drain(second)).map((b) => b.samples[0].v)).toEqual([1, 2, 3, 4, 5, 6]);
    await second.close();
  });

  it('removes a last segment whose header was never written (a crash while creating it)', async () => {
    const dir = freshDir();
    const first = await Spool.open({ dir, maxBytes: 1 << 20 });
    await first.append(batch(1));
    await first.close();
    writeFileSync(join(dir, 'spool-0000000000000002.rms'), '');
    const second = await Spool.open({ dir, maxBytes: 1 << 20 });
    expect(segmentFiles(dir)).toEqual(['spool-0000000000000001.rms']);
    expect((await drain(second)).map((b) => b.seq)).toEqual([1]);
    await second.close();
  });

  it('when full, drops the oldest segment, stays within maxBytes, and logs and counts every sample lost', async () => {
    const dir = freshDir();
    const log = recordingLogger();
    const maxBytes = 64 * 1024;
    const spool = await Spool.open({ dir, maxBytes, segmentBytes: 8 * 1024, log });
    // The server acknowledges the first 10 batches, then goes away.
    for (let k = 1; k <= 10; k++) await spool.append(batch(k, 10));
    await drain(spool, 1000);
    let appended = 0;
    for (let k = 11; k <= 400; k++) {
      await spool.append(batch(k, 10));
      appended += 10;
      const onDisk = segmentFiles(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
      expect(onDisk).toBeLessThanOrEqual(maxBytes);
    }
    const stats = spool.stats();
    expect(stats.droppedSamples).toBeGreaterThan(0);
    // Nothing vanishes uncounted: every sample spooled is either still there or counted as dropped.
    expect(stats.pendingSamples + stats.droppedSamples).toBe(appended);
    const errors = log.lines.filter((l) => l.level === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.reduce((sum, l) => sum + (l.fields as { samples: number }).samples, 0)).toBe(stats.droppedSamples);
    expect(errors[0].message).toMatch(/full.*dropped the oldest segment.*samples the server never got are lost/);
    const left = await drain(spool, 1000);
    // What is left is the newest, in order, without holes.
    const values = left.map((b) => b.samples[0].v as number);
    expect(values.at(-1)).toBe(400);
    expect(values).toEqual(Array.from({ length: values.length }, (_, i) => 401 - values.length + i));
    expect(values.length * 10).toBe(stats.pendingSamples);
    await spool.close();
  });

  it('refuses a batch larger than half the bound, and appends after close', async () => {
    const spool = await Spool.open({ dir: freshDir(), maxBytes: 64 * 1024 });
    await expect(spool.append(batch(1, 5000))).rejects.toThrow(/raise spool.maxBytes/);
    await spool.close();
    await expect(spool.append(batch(2))).rejects.toThrow(/closed/);
  });

  it('sends everything again when the ack cursor is unreadable', async () => {
    const dir = freshDir();
    const first = await Spool.open({ dir, maxBytes: 1 << 20 });
    for (let k = 1; k <= 3; k++) await first.append(batch(k));
    await first.ack((await first.peek(3)).at(-1)!.seq - 1);
    await first.close();
    writeFileSync(join(dir, 'ack'), 'garbage');
    const log = recordingLogger();
    const second = await Spool.open({ dir, maxBytes: 1 << 20, log });
    expect((await drain(second)).map((b) => b.seq)).toEqual([1, 2, 3]);
    expect(log.lines[0].message).toMatch(/duplicates/);
    await second.close();
  });

  it('wakes a waiter when a batch is spooled', async () => {
    const spool = await Spool.open({ dir: freshDir(), maxBytes: 1 << 20 });
    let woken = false;
    const waiting = spool.waitForData().then(() => (woken = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(woken).toBe(false);
    await spool.append(batch(1));
    await waiting;
    expect(woken).toBe(true);
    await spool.close();
  });
});
