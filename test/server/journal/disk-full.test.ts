/**
 * A full disk: the appends of the group that hits ENOSPC reject with
 * JournalFullError, nothing of them stays on disk, and the journal goes on
 * once there is room. Simulated with an injected io (ENOSPC after a partial
 * write, ENOSPC or EIO from fdatasync) and, when the tests run as root, for
 * real on a tiny tmpfs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JournalClosedError, JournalFullError, SampleJournal, nodeJournalIo, type JournalIo, type JournaledSample } from '../../../server/journal/index.js';
import { replayAll, scratchDirs, testBatch } from './journal-helpers.js';

const newDir = scratchDirs('journal-full');

type Fault = 'none' | 'ENOSPC on write' | 'ENOSPC on sync' | 'EIO on sync' | 'EIO on every sync';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/** The real io, failing on demand: a full disk writes part of a request, then fails the rest. */
function faultyIo(): { io: JournalIo; set: (fault: Fault) => void } {
  let fault: Fault = 'none';
  let wrotePart = false;
  const io: JournalIo = {
    async writev(fd, buffers, position) {
      if (fault !== 'ENOSPC on write') return nodeJournalIo.writev(fd, buffers, position);
      if (wrotePart) throw errno('ENOSPC');
      wrotePart = true;
      return nodeJournalIo.writev(fd, [buffers[0].subarray(0, buffers[0].length - 1)], position);
    },
    async fdatasync(fd) {
      // A failed sync fails once: the truncation that undoes the failed write frees the space it wanted.
      if (fault === 'ENOSPC on sync' || fault === 'EIO on sync') {
        const code = fault.slice(0, fault.indexOf(' '));
        fault = 'none';
        throw errno(code);
      }
      if (fault === 'EIO on every sync') throw errno('EIO');
      return nodeJournalIo.fdatasync(fd);
    },
  };
  return {
    io,
    set: (next) => {
      fault = next;
      wrotePart = false;
    },
  };
}

function segmentBytesOnDisk(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rmj'))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

async function expectOnly(dir: string, expected: [number, JournaledSample[]][]): Promise<void> {
  const journal = await SampleJournal.open(dir);
  expect(journal.truncatedBytesAtOpen).toBe(0);
  expect(await replayAll(journal)).toEqual(expected);
  await journal.close();
}

describe('journal on a full disk (injected faults)', () => {
  for (const fault of ['ENOSPC on write', 'ENOSPC on sync'] as const) {
    it(`${fault}: rejects the whole group, leaves no trace, and goes on once there is room`, async () => {
      const dir = newDir();
      const { io, set } = faultyIo();
      const journal = await SampleJournal.open(dir, { io });
      await journal.append(testBatch(0));
      const size = journal.sizeBytes;
      set(fault);
      const group = await Promise.allSettled([1, 2, 3].map((k) => journal.append(testBatch(k))));
      for (const result of group) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(JournalFullError);
      }
      expect((group[0] as PromiseRejectedResult).reason.message).toMatch(/no space left for the journal/);
      expect(journal.sizeBytes).toBe(size);
      expect(segmentBytesOnDisk(dir)).toBe(size);
      set('none');
      expect(await journal.append(testBatch(4))).toBe(2);
      await journal.close();
      await expectOnly(dir, [
        [1, testBatch(0)],
        [2, testBatch(4)],
      ]);
    });
  }

  it('ENOSPC while starting a new segment: the old one stays in use and no half-made segment is left', async () => {
    const dir = newDir();
    const { io, set } = faultyIo();
    const journal = await SampleJournal.open(dir, { io, segmentBytes: 100 });
    await journal.append(testBatch(0));
    set('ENOSPC on write');
    await expect(journal.append(testBatch(1))).rejects.toBeInstanceOf(JournalFullError);
    expect(readdirSync(dir).filter((f) => f.endsWith('.rmj'))).toEqual(['segment-0000000000000001.rmj']);
    set('none');
    expect(await journal.append(testBatch(2))).toBe(2);
    expect(readdirSync(dir).filter((f) => f.endsWith('.rmj'))).toHaveLength(2);
    await journal.close();
    await expectOnly(dir, [
      [1, testBatch(0)],
      [2, testBatch(2)],
    ]);
  });

  it('ENOSPC while writing a checkpoint: the old checkpoint stays', async () => {
    const dir = newDir();
    const { io, set } = faultyIo();
    const journal = await SampleJournal.open(dir, { io });
    for (let k = 0; k < 3; k++) await journal.append(testBatch(k));
    await journal.checkpoint(1);
    set('ENOSPC on write');
    await expect(journal.checkpoint(2)).rejects.toBeInstanceOf(JournalFullError);
    expect(journal.checkpointSeq).toBe(1);
    set('none');
    await journal.close();
    const reopened = await SampleJournal.open(dir);
    expect(reopened.checkpointSeq).toBe(1);
    await reopened.close();
  });

  it('EIO on sync: the journal stops taking appends until reopened, and the failed group is gone', async () => {
    const dir = newDir();
    const { io, set } = faultyIo();
    const journal = await SampleJournal.open(dir, { io });
    await journal.append(testBatch(0));
    set('EIO on sync');
    await expect(journal.append(testBatch(1))).rejects.toThrow(/a write failed \(EIO\); the journal takes no appends until reopened/);
    set('none');
    await expect(journal.append(testBatch(2))).rejects.toBeInstanceOf(JournalClosedError);
    await journal.close();
    await expectOnly(dir, [[1, testBatch(0)]]);
  });

  it('a failed write that cannot be undone stops the journal too', async () => {
    const dir = newDir();
    const { io, set } = faultyIo();
    const journal = await SampleJournal.open(dir, { io });
    set('EIO on every sync');
    await expect(journal.append(testBatch(0))).rejects.toThrow(/a write failed and could not be undone; reopen the journal/);
    await expect(journal.append(testBatch(1))).rejects.toBeInstanceOf(JournalClosedError);
    set('none');
    await journal.close();
    // What the failed write left is unacknowledged: whether it survives is up to the disk, but it is never torn garbage.
    const reopened = await SampleJournal.open(dir);
    expect((await replayAll(reopened)).map(([, samples]) => samples)).toEqual(reopened.lastSeq === 1 ? [testBatch(0)] : []);
    await reopened.close();
  });
});

/** Mounts a 512 KiB tmpfs when running as root; undefined when mounting is not possible here. */
function mountTinyFilesystem(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const mountPoint = mkdtempSync(join(tmpdir(), 'ringmon-tiny-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return mountPoint;
  } catch {
    rmSync(mountPoint, { recursive: true, force: true });
    return undefined;
  }
}

const tinyFs = mountTinyFilesystem();
afterAll(() => {
  if (!tinyFs) return;
  execFileSync('umount', [tinyFs]);
  rmSync(tinyFs, { recursive: true, force: true });
});

describe('journal on a full disk (a real 512 KiB tmpfs, root only)', () => {
  it.skipIf(!tinyFs)('rejects appends with JournalFullError when the filesystem fills, then goes on after room is made', async () => {
    const dir = join(tinyFs!, 'journal');
    mkdirSync(dir);
    const filler = join(tinyFs!, 'filler');
    writeFileSync(filler, Buffer.alloc(128 * 1024, 1));
    const journal = await SampleJournal.open(dir);
    const acknowledged: [number, JournaledSample[]][] = [];
    let full: unknown;
    for (let k = 0; full === undefined && k < 1000; k++) {
      // Four concurrent appends of about 8 KiB each: the group that overflows fails together.
      const batches = [0, 1, 2, 3].map((i) => testBatch(4 * k + i, 150));
      const results = await Promise.allSettled(batches.map((b) => journal.append(b)));
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') acknowledged.push([r.value, batches[i]]);
        else full = r.reason;
      });
    }
    expect(full).toBeInstanceOf(JournalFullError);
    expect(journal.sizeBytes).toBe(segmentBytesOnDisk(dir));
    rmSync(filler);
    const after = testBatch(99_999);
    acknowledged.push([await journal.append(after), after]);
    await journal.close();
    expect(acknowledged.map(([seq]) => seq)).toEqual(acknowledged.map((_, i) => i + 1));
    await expectOnly(dir, acknowledged);
  });
});
