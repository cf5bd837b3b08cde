/**
 * Durable files: the one way ringmon replaces a file, syncs a directory and
 * makes an owner-only directory.
 *
 * Replacing a file (`replaceFile`, `replaceFileSync`) follows one policy:
 *   1. create `.<name>.<pid>.<random>.tmp` beside the target with 'wx' (a new
 *      file nobody else has open; two writers or a crash's leftover never
 *      collide) and mode FILE_MODE, fchmod'ed so a umask cannot change it;
 *   2. write the data in full and sync it: replaceFile writes and
 *      fdatasyncs (a new file's size is part of its data) through a FileIo,
 *      node's unless the caller passes the one its other writes go through
 *      (the journal's, where tests inject a full disk); replaceFileSync
 *      fsyncs;
 *   3. rename it over the target (atomic: a reader sees the old file or the
 *      new one, never a mix);
 *   4. fsync the directory, so the rename itself survives a power cut.
 * On failure the temporary file is removed, the old file is left as it was,
 * and the system's error (its `code`: 'ENOSPC', 'EACCES', 'EISDIR', ...) is
 * rethrown. Should only step 4 fail, the new file is in place but its name
 * may not survive a power cut; that error is rethrown too. A process killed
 * mid-replace may leave a `.tmp` file behind, never a damaged target.
 *
 * Everything ringmon writes under its data directory is owner-only:
 * FILE_MODE for files, DIR_MODE for directories. A caller writing what
 * others must read (the web bundle, which a server running as another user
 * serves) passes its own `mode`; the durability steps stay the same. Full writes on an open
 * descriptor are in ./file-io.ts, re-exported here. Nothing here imports
 * the rest of ringmon.
 */
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open as openHandle, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { FILE_MODE, nodeFileIo, writeFully, type FileIo } from './file-io.js';

export { closeFile, FILE_MODE, isDiskFull, nodeFileIo, openFile, truncateFile, writeFully, writeFullySync, type FileIo } from './file-io.js';

/** Folders ringmon makes: the owner only. */
export const DIR_MODE = 0o700;

/** A fresh name beside `path`, hidden, ending in .tmp, that no other writer (this process or another) picks. */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** How a replace may differ from the defaults. */
export interface ReplaceOptions {
  /** The new file's mode; default FILE_MODE (owner only). */
  readonly mode?: number;
}

/**
 * Atomically and durably replaces (or creates) `path` with `data`, writing
 * and syncing through `io` (default node's). See the policy above; an error
 * of `io` fails it like a system error.
 */
export async function replaceFile(path: string, data: string | Uint8Array, options: ReplaceOptions & { readonly io?: FileIo } = {}): Promise<void> {
  const { io = nodeFileIo, mode = FILE_MODE } = options;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const temp = temporaryPath(path);
  const handle = await openHandle(temp, 'wx', mode);
  try {
    try {
      await handle.chmod(mode);
      await writeFully(io, handle.fd, [bytes], 0);
      await io.fdatasync(handle.fd);
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** The synchronous twin of replaceFile, for callers that have no event loop to spare (CLI commands, start-up). */
export function replaceFileSync(path: string, data: string | Uint8Array, options: ReplaceOptions = {}): void {
  const mode = options.mode ?? FILE_MODE;
  const temp = temporaryPath(path);
  const fd = openSync(temp, 'wx', mode);
  try {
    try {
      fchmodSync(fd, mode);
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // The write's own error is the one worth reporting.
    }
    throw error;
  }
  syncDirectorySync(dirname(path));
}

/**
 * Codes with which a platform or file system refuses to fsync a directory
 * (Windows cannot open one, EISDIR, or sync it, EPERM; some network and FUSE
 * file systems answer EINVAL or ENOTSUP).
 * These are swallowed: the platform offers no way to make a name durable, so
 * failing would only make ringmon unusable there, while the rename or create
 * before it did succeed. Every other error (EIO above all, also ENOENT and
 * EACCES) is rethrown: it says the disk may have lost what was just written,
 * and a caller that went on would report as durable what is not.
 */
const DIRECTORY_SYNC_REFUSED = new Set(['EINVAL', 'EISDIR', 'ENOTSUP', 'EOPNOTSUPP', 'EPERM']);

function refused(error: unknown): boolean {
  return DIRECTORY_SYNC_REFUSED.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/** Makes the creation, renaming or removal of names in `dir` survive a power cut. Rejects with the system's error, except a refusal (above). */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await openHandle(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (!refused(error)) throw error;
  }
}

/** The synchronous twin of syncDirectory. */
export function syncDirectorySync(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (!refused(error)) throw error;
  }
}

/** The folders whose entries a `mkdir -p` that created `topmost` (undefined: nothing) down to `path` added: each new folder's parent. */
function parentsToSync(path: string, topmost: string | undefined): string[] {
  if (topmost === undefined) return [];
  const top = resolve(topmost);
  const parents: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    parents.push(dirname(dir));
    if (dir === top || dirname(dir) === dir) return parents;
  }
}

/**
 * `mkdir -p path`, each new folder mode DIR_MODE, then syncs the parent of
 * every folder it made so they survive a power cut. A folder that exists
 * already keeps its mode (an operator may have opened it on purpose).
 * Rejects with the system's error (EEXIST when `path` is a file).
 */
export async function makeDirectory(path: string): Promise<void> {
  const topmost = await mkdir(path, { recursive: true, mode: DIR_MODE });
  for (const parent of parentsToSync(path, topmost)) await syncDirectory(parent);
}

/** The synchronous twin of makeDirectory. */
export function makeDirectorySync(path: string): void {
  const topmost = mkdirSync(path, { recursive: true, mode: DIR_MODE });
  for (const parent of parentsToSync(path, topmost)) syncDirectorySync(parent);
}
