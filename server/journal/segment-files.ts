/**
 * Segment files as files: creating one durably and reading back the part of
 * one that holds committed records. The bytes inside are segment.ts's.
 */
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptJournalError } from './errors.js';
import { closeFile, openFile, syncDirectory, writeFully, type JournalIo } from './io.js';
import { encodeSegmentHeader, segmentName } from './segment.js';

/** A segment the journal holds. */
export interface Segment {
  readonly firstSeq: number;
  readonly path: string;
  /** Bytes at the start of the file that hold its header and committed records; the active segment's grows. */
  size: number;
}

/**
 * Creates the segment whose first batch will be `firstSeq`, holding only its
 * header, durably: file contents, then its name in the directory. Returns it
 * with a descriptor open for writing. Rejects with the system's error,
 * leaving no file behind as far as it can.
 */
export async function createSegment(io: JournalIo, dir: string, firstSeq: number): Promise<{ segment: Segment; fd: number }> {
  const path = join(dir, segmentName(firstSeq));
  // 'w': a file of this name can only be the remains of a creation that failed: nothing acknowledged is in it.
  const fd = await openFile(path, 'w');
  try {
    const size = await writeFully(io, fd, [encodeSegmentHeader(firstSeq)], 0);
    await io.fdatasync(fd);
    await syncDirectory(dir);
    return { segment: { firstSeq, path, size }, fd };
  } catch (e) {
    await closeFile(fd).catch(() => undefined);
    await rm(path, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** The committed bytes of a segment. Throws CorruptJournalError if the file has shrunk below them. */
export async function readCommitted(segment: Segment): Promise<Buffer> {
  const handle = await open(segment.path, 'r');
  try {
    const buf = Buffer.allocUnsafe(segment.size);
    let done = 0;
    while (done < segment.size) {
      const { bytesRead } = await handle.read(buf, done, segment.size - done, done);
      if (bytesRead === 0) throw new CorruptJournalError(segment.path, done, `the file shrank to ${done} bytes, below the ${segment.size} committed`);
      done += bytesRead;
    }
    return buf;
  } finally {
    await handle.close();
  }
}
