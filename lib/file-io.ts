/**
 * Full writes on an open file descriptor, and the small FileIo interface a
 * write path does them through (so tests can count syncs and simulate a full
 * disk). Files opened here are created owner-only, FILE_MODE. Nothing here
 * imports the rest of ringmon; lib/durable-file.ts re-exports all of it.
 */
import { close, fdatasync, ftruncate, open, writeSync, writev } from 'node:fs';

/** Files ringmon writes: read and write for the owner only. */
export const FILE_MODE = 0o600;

/**
 * Positional writes and data syncs on an open file descriptor, as a write
 * path needs them; behind an interface so tests can count syncs and simulate
 * a full disk. Each method rejects with the system's error (its `code`, e.g.
 * 'ENOSPC'). Neither can be cancelled once called.
 */
export interface FileIo {
  /** Writes `buffers` back to back at `position`; may write fewer bytes than asked, and resolves with how many it wrote. */
  writev(fd: number, buffers: readonly Buffer[], position: number): Promise<number>;
  /** Makes everything written to `fd` durable (fdatasync). */
  fdatasync(fd: number): Promise<void>;
}

/** FileIo on Node's callback API: the work runs on libuv's thread pool, so the event loop goes on meanwhile. */
export const nodeFileIo: FileIo = {
  writev: (fd, buffers, position) =>
    new Promise((resolve, reject) => writev(fd, buffers as Buffer[], position, (err, written) => (err ? reject(err) : resolve(written)))),
  fdatasync: (fd) => new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve()))),
};

/** Writes all of `buffers` at `position`, continuing after short writes; resolves with the bytes written, rejects as soon as a write fails. */
export async function writeFully(io: FileIo, fd: number, buffers: readonly Buffer[], position: number): Promise<number> {
  let pending = buffers.filter((b) => b.length > 0);
  let at = position;
  while (pending.length > 0) {
    const total = pending.reduce((sum, b) => sum + b.length, 0);
    const written = await io.writev(fd, pending, at);
    if (written === total) return at + written - position;
    // A regular file writes at least one byte or fails; guard the loop against an io that does neither.
    if (!(written > 0)) throw Object.assign(new Error(`write at byte ${at} made no progress`), { code: 'EIO' });
    at += written;
    let skip = written;
    while (skip >= pending[0].length) skip -= pending.shift()!.length;
    pending = [pending[0].subarray(skip), ...pending.slice(1)];
  }
  return at - position;
}

/** writeFully's synchronous twin for one buffer, for callers that do their I/O synchronously (the archive engine). */
export function writeFullySync(fd: number, buffer: Uint8Array, position: number): void {
  for (let done = 0; done < buffer.length; ) {
    const written = writeSync(fd, buffer, done, buffer.length - done, position + done);
    if (!(written > 0)) throw Object.assign(new Error(`write at byte ${position + done} made no progress`), { code: 'EIO' });
    done += written;
  }
}

/** Opens `path` with `flags` ('r+', 'wx', ...); a file it creates has mode FILE_MODE (less what the umask removes). */
export function openFile(path: string, flags: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, FILE_MODE, (err, fd) => (err ? reject(err) : resolve(fd))));
}

export function closeFile(fd: number): Promise<void> {
  return new Promise((resolve, reject) => close(fd, (err) => (err ? reject(err) : resolve())));
}

export function truncateFile(fd: number, length: number): Promise<void> {
  return new Promise((resolve, reject) => ftruncate(fd, length, (err) => (err ? reject(err) : resolve())));
}

/** Whether a failed write or sync failed for want of space, which more room cures (unlike EIO). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
