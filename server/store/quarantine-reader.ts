/**
 * Reads the quarantine newest first, in bounded memory: the current file
 * from its end, then the previous one (quarantine.ts), each in LINE_WINDOW
 * pieces, stopping once `limit` samples matched and one more showed that
 * older ones match too. Memory: one piece, one partial line and the samples
 * returned; a line longer than MAX_LINE_BYTES (no writer makes one: a
 * damaged file) is skipped. A line cut short or not JSON is skipped.
 *
 * The files are opened current first: a rotation between the two opens
 * makes both the same file, which is then read once; a rotation while a
 * file is read leaves the open file whole (a rename), so a listing may miss
 * the newest lines, never show a torn one.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { parseQuarantineLine, previousQuarantineFile, quarantineFile, type QuarantinedSample } from './quarantine.js';

/** Bytes read at once. */
const LINE_WINDOW = 1 << 16;
/** A longer line is not one the quarantine wrote. */
const MAX_LINE_BYTES = 1 << 16;

/** What a listing asks for. */
export interface QuarantineQuery {
  /** Most samples returned. */
  readonly limit: number;
  /** Which series; default every one. */
  readonly matches?: (series: string) => boolean;
}

/** Samples newest first, and whether older ones match too. */
export interface QuarantineListing {
  readonly samples: QuarantinedSample[];
  readonly more: boolean;
  /** Bytes of the current and the previous file, when they were opened. */
  readonly bytes: number;
}

/** The quarantine of `dataDir`, newest first, as `query` asks. Rejects with the system's error when a file exists but cannot be read. */
export async function listQuarantine(dataDir: string, query: QuarantineQuery): Promise<QuarantineListing> {
  const current = quarantineFile(dataDir);
  const files = await openExisting([current, previousQuarantineFile(current)]);
  try {
    const samples: QuarantinedSample[] = [];
    let bytes = 0;
    const seen = new Set<number>();
    for (const { handle, ino, size } of files) {
      if (seen.has(ino)) continue;
      seen.add(ino);
      bytes += size;
      for await (const line of linesFromEnd(handle, size)) {
        const sample = parseQuarantineLine(line);
        if (sample === undefined || (query.matches && !query.matches(sample.series))) continue;
        if (samples.length === query.limit) return { samples, more: true, bytes: bytes + restOf(files, seen) };
        samples.push(sample);
      }
    }
    return { samples, more: false, bytes };
  } finally {
    await Promise.all(files.map(({ handle }) => handle.close()));
  }
}

interface OpenFile {
  readonly handle: FileHandle;
  readonly ino: number;
  readonly size: number;
}

/** The bytes of the files not read yet. */
function restOf(files: readonly OpenFile[], seen: ReadonlySet<number>): number {
  return files.filter(({ ino }) => !seen.has(ino)).reduce((sum, { size }) => sum + size, 0);
}

/** `paths` opened for reading, in order, leaving out those that do not exist. */
async function openExisting(paths: readonly string[]): Promise<OpenFile[]> {
  const opened: OpenFile[] = [];
  try {
    for (const path of paths) {
      let handle: FileHandle;
      try {
        handle = await open(path, 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      opened.push({ handle, ...(await handle.stat().then(({ ino, size }) => ({ ino, size }))) });
    }
    return opened;
  } catch (e) {
    await Promise.all(opened.map(({ handle }) => handle.close()));
    throw e;
  }
}

/** The lines of the first `size` bytes of `handle`, last first; empty lines included. */
async function* linesFromEnd(handle: FileHandle, size: number): AsyncGenerator<string> {
  let position = size;
  /** Bytes after the last newline met, not yet a whole line. */
  let tail = Buffer.alloc(0);
  /** The tail grew past MAX_LINE_BYTES and was dropped: the rest of that line is dropped too. */
  let skipping = false;
  while (position > 0) {
    const length = Math.min(LINE_WINDOW, position);
    position -= length;
    const piece = Buffer.alloc(length);
    for (let done = 0; done < length; ) {
      const { bytesRead } = await handle.read(piece, done, length - done, position + done);
      if (bytesRead === 0) throw new Error(`the quarantine file shrank while it was read`);
      done += bytesRead;
    }
    const buffer = tail.length > 0 ? Buffer.concat([piece, tail]) : piece;
    let end = buffer.length;
    while (end > 0) {
      const newline = buffer.lastIndexOf(0x0a, end - 1);
      if (newline === -1) break;
      if (!skipping) yield buffer.toString('utf8', newline + 1, end);
      skipping = false;
      end = newline;
    }
    tail = buffer.subarray(0, end);
    if (tail.length > MAX_LINE_BYTES) {
      tail = Buffer.alloc(0);
      skipping = true;
    }
  }
  if (!skipping && tail.length > 0) yield tail.toString('utf8');
}
