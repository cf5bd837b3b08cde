/**
 * Each instance's state folder (ctx.stateDir): `<root>/<instance name>`,
 * made when a run first asks for it. The server's root is
 * `<dataDir>/slurper-state`, an agent's `<spool.dir>/slurper-state`; a host
 * that names none (a test's runOnce) gets one under the temp dir, which
 * lasts across runs but not necessarily across reboots.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirectorySync } from '../../lib/durable-file.js';
import { isSeriesName } from '../contract.js';
import { errorText } from './error-text.js';

/** The folder, under the server's dataDir or the agent's spool.dir, that is the state root. */
export const SLURPER_STATE_FOLDER = 'slurper-state';

/** The root used when the host gives none; per user (by uid, which every process has), as one user's folder is not another's to write. */
export function defaultStateRoot(): string {
  return join(tmpdir(), `ringmon-${SLURPER_STATE_FOLDER}-${process.getuid?.() ?? 'user'}`);
}

/**
 * `<root>/<instance>`, created (the root too; mode 0700, lib's DIR_MODE:
 * state may hold what a log line said) and synced if it is not there.
 * Throws an Error naming the folder when it cannot be made.
 */
export function makeStateDir(root: string, instance: string): string {
  // Instance names are dotted segments, so one cannot climb out of the root; a caller of runOnce might pass anything.
  if (!isSeriesName(instance)) throw new Error(`instance name ${JSON.stringify(instance)} cannot name a state folder (dotted segments of A-Z a-z 0-9 _ -)`);
  const dir = join(root, instance);
  try {
    makeDirectorySync(dir);
  } catch (error) {
    throw new Error(`cannot create the state folder ${dir}: ${errorText(error)}`);
  }
  return dir;
}
