/**
 * Makes everything written to the data directory's file system durable:
 * syncfs(2) through coreutils `sync -f`, in a child process so the event
 * loop keeps serving while the disk catches up.
 *
 * The store writes archives without fsync and calls this once per flush,
 * before it checkpoints the journal: one flush of the whole file system
 * instead of one per archive, and the journal keeps every sample until the
 * archives holding it are on disk, so a power cut loses nothing acknowledged.
 */
import { execFile } from 'node:child_process';

/** Resolves once the file system holding `path` is synced; rejects with the reason when it is not (EIO, ENOSPC, no `sync`). */
export function syncFilesystem(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sync', ['-f', path], { timeout: 10 * 60_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`sync -f ${path} failed: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}
