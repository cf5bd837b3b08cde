/**
 * The audit copy of a report run: `<dataDir>/reports/<name>-<minute>Z.csv`,
 * written before delivery so it exists even when the mail relay is down.
 *
 * Written with lib/durable-file: the folder made owner-only if missing, the
 * file replaced atomically and durably, mode 0600 (a report names what is
 * failing where, which is for the operator alone). A reader never sees half
 * a file. A second run in the same minute replaces the first one's copy, as
 * the file name has minute resolution.
 */
import { dirname, join } from 'node:path';
import { makeDirectory, replaceFile } from '../../lib/durable-file.js';
import { archiveFileName, REPORTS_DIR } from './report-name.js';

/** Archives one run's CSV; resolves with the file's path. Throws the file system's error (full disk, no permission); leaves no temporary file behind. */
export async function archiveReport(dataDir: string, name: string, at: number, csv: string): Promise<string> {
  const path = join(dataDir, REPORTS_DIR, archiveFileName(name, at));
  await makeDirectory(dirname(path));
  await replaceFile(path, csv);
  return path;
}
