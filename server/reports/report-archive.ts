/**
 * The audit copy of a report run: `<dataDir>/reports/<name>-<minute>Z.csv`,
 * written before delivery so it exists even when the mail relay is down.
 *
 * Durable as a journal is: a temporary file in the same folder, fsync, rename
 * over the final name, fsync the folder so the rename itself survives a
 * crash. A reader never sees half a file. A second run in the same minute
 * replaces the first one's copy, as the file name has minute resolution.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { archiveFileName, REPORTS_DIR } from './report-name.js';

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `content` to `path` durably (see above). Throws the file system's error; leaves no temporary file behind. */
export async function writeFileDurably(path: string, content: string): Promise<void> {
  const dir = dirname(path);
  const created = await mkdir(dir, { recursive: true });
  // A new folder's own entry must reach the disk too, or the file could vanish with it. (The data
  // directory exists by the time reports run, so at most `reports/` is new.)
  if (created !== undefined) await syncDirectory(dirname(created));
  const temporary = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o640);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** Archives one run's CSV; resolves with the file's path. Throws the file system's error (full disk, no permission). */
export async function archiveReport(dataDir: string, name: string, at: number, csv: string): Promise<string> {
  const path = join(dataDir, REPORTS_DIR, archiveFileName(name, at));
  await writeFileDurably(path, csv);
  return path;
}
