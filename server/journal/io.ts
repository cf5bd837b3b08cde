/**
 * The file operations of the journal's write path, behind a small interface
 * so that tests can count syncs and simulate a full disk. The defaults use
 * Node's callback API: the work runs on libuv's thread pool, so the event
 * loop keeps encoding the next group while a write or fdatasync is under way.
 */
import { close, fdatasync, ftruncate, open, writev } from 'node:fs';
import { open as openPromise } from 'node:fs/promises';

/**
 * Positional writes and data syncs on an open file descriptor. Each method
 * rejects with the system's error (its `code`, e.g. 'ENOSPC', is what the
 * journal inspects). Neither can be cancelled once called.
 */
export interface JournalIo {
  /** Writes `buffers` back to back at `position`; may write fewer bytes than asked, and resolves with how many it wrote. */
  writev(fd: number, buffers: readonly Buffer[], position: number): Promise<number>;
  /** Makes everything written to `fd` durable (fdatasync). */
  fdatasync(fd: number): Promise<void>;
}

export const nodeJournalIo: JournalIo = {
  writev: (fd, buffers, position) =>
    new Promise((resolve, reject) => writev(fd, buffers as Buffer[], position, (err, written) => (err ? reject(err) : resolve(written)))),
  fdatasync: (fd) => new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve()))),
};

/** Writes all of `buffers` at `position`, continuing after short writes; rejects as soon as a write fails. */
export async function writeFully(io: JournalIo, fd: number, buffers: readonly Buffer[], position: number): Promise<number> {
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

export function openFile(path: string, flags: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, 0o644, (err, fd) => (err ? reject(err) : resolve(fd))));
}

export function closeFile(fd: number): Promise<void> {
  return new Promise((resolve, reject) => close(fd, (err) => (err ? reject(err) : resolve())));
}

export function truncateFile(fd: number, length: number): Promise<void> {
  return new Promise((resolve, reject) => ftruncate(fd, length, (err) => (err ? reject(err) : resolve())));
}

/** Makes the creation, renaming or removal of names in `dir` survive a power cut. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await openPromise(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Whether a failed write or sync failed for want of space, which more room cures (unlike EIO). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
