/**
 * Segment files as files: creating one durably, and reading back the bytes
 * of one up to a length the caller knows to be committed.
 */
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { closeFile, openFile, syncDirectory, writeFully, type FileIo } from '../durable-file.js';
import { CorruptLogError } from './errors.js';
import type { LogFormat } from './log-format.js';
import { encodeSegmentHeader } from './segment-header.js';
import { segmentFileName } from './segment-name.js';

/** A segment of a log: its file, the seqs in it, and how many of its bytes are committed. */
export interface Segment {
  readonly firstSeq: number;
  readonly path: string;
  /** Highest seq of a committed record; firstSeq - 1 while it holds none. */
  lastSeq: number;
  /** Bytes at the start of the file that hold its header and committed records; readers never read past them. */
  size: number;
}

/**
 * Creates the segment named `firstSeq` holding only its header, durably:
 * contents first, then its name in the directory. Resolves with it and a
 * descriptor open for writing; rejects with the system's error, leaving no
 * file behind as far as it can.
 */
export async function createSegment(io: FileIo, format: LogFormat, dir: string, firstSeq: number): Promise<{ segment: Segment; fd: number }> {
  const path = join(dir, segmentFileName(format.naming, firstSeq));
  // 'w': a file of this name can only be what a failed creation left; nothing acknowledged is in it.
  const fd = await openFile(path, 'w');
  try {
    const size = await writeFully(io, fd, [encodeSegmentHeader(format.header, firstSeq)], 0);
    await io.fdatasync(fd);
    await syncDirectory(dir);
    return { segment: { firstSeq, path, lastSeq: firstSeq - 1, size }, fd };
  } catch (e) {
    await closeFile(fd).catch(() => undefined);
    await rm(path, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Bytes [offset, end) of the file at `path`. Rejects with CorruptLogError when the file has shrunk below `end`. */
export async function readSegmentBytes(path: string, offset: number, end: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(end - offset);
    let done = 0;
    while (done < buf.length) {
      const { bytesRead } = await handle.read(buf, done, buf.length - done, offset + done);
      if (bytesRead === 0) throw new CorruptLogError(path, offset + done, `the file shrank to ${offset + done} bytes, below the ${end} committed`);
      done += bytesRead;
    }
    return buf;
  } finally {
    await handle.close();
  }
}
