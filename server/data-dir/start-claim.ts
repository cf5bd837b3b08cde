/**
 * What a start does to the data directory before anything else, and how a
 * failed start undoes it: the directory is created (owner-only) if missing
 * and locked (lock.ts), and the entries already in it are noted. A start
 * that fails then closes what it opened, in reverse order, and removes
 * what it created, while still holding the lock: each entry of the data
 * directory that was not there before (the journal, the database,
 * archives, agents.json), then the directory itself and the parents made
 * for it, if they did not exist (each only if empty). So a refused start
 * leaves the data directory as it found it. Entries that were there are
 * left whole, even if the start changed them (a new journal segment in an
 * existing journal, a migrated database). A start refused by the lock
 * touches nothing inside: the holder may be filling it.
 */
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { makeDirectorySync } from '../../lib/durable-file.js';
import { lockDataDir, LOCK_FILE } from './lock.js';

export interface StartClaim {
  /** Registers how to close a part just opened, should the start fail later. */
  onFailure(close: () => unknown): void;
  /** The start succeeded: the lock is kept until `release`. */
  release(): Promise<void>;
  /** The start failed with `error`: closes the parts, removes what the start created, lets go of the lock; returns `error`. */
  abandon(error: unknown): Promise<unknown>;
}

/** Creates and locks `dataDir` (DataDirLockedError when another server holds it). */
export async function claimDataDir(dataDir: string): Promise<StartClaim> {
  const created = topmostMissing(resolve(dataDir));
  makeDirectorySync(dataDir); // owner-only (0700), like everything ringmon writes under it
  const before = new Set(created === undefined ? readdirSync(dataDir) : []);
  let lock;
  try {
    lock = await lockDataDir(dataDir);
  } catch (e) {
    // Another server may be filling the folder: nothing in it is touched, only empty folders made here go.
    removeEmptyFolders(dataDir, created);
    throw e;
  }
  const closers: (() => unknown)[] = [];
  return {
    onFailure: (close) => void closers.push(close),
    release: () => lock.release(),
    abandon: async (error) => {
      for (const close of closers.reverse()) {
        try {
          await close();
        } catch {
          // The start already failed with `error`; a part that cannot close cleanly adds nothing the user can act on.
        }
      }
      // Removed while the lock is still held, so that no other server has started on them.
      removeCreated(dataDir, created, before);
      await lock.release();
      return error;
    },
  };
}

/** The outermost of `path` and its parents that does not exist, or undefined when `path` exists. */
function topmostMissing(path: string): string | undefined {
  let missing: string | undefined;
  for (let p = path; !existsSync(p); p = dirname(p)) {
    missing = p;
    if (dirname(p) === p) break;
  }
  return missing;
}

/**
 * Removes the entries of dataDir not in `before` (the lock last, and only
 * with the folder made here, which must be empty to go), then the folders
 * made for it.
 */
function removeCreated(dataDir: string, created: string | undefined, before: ReadonlySet<string>): void {
  for (const name of readdirSync(dataDir)) {
    if (!before.has(name) && name !== LOCK_FILE) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
  if (created === undefined) return;
  rmSync(join(dataDir, LOCK_FILE), { force: true });
  removeEmptyFolders(dataDir, created);
}

/** Removes dataDir and its parents up to `created`, innermost first, each only if empty: what something else put there stays, with its folders. */
function removeEmptyFolders(dataDir: string, created: string | undefined): void {
  if (created === undefined) return;
  for (let folder = resolve(dataDir); ; folder = dirname(folder)) {
    try {
      rmdirSync(folder);
    } catch {
      return; // not empty: kept, and so are its parents
    }
    if (folder === created) return;
  }
}
