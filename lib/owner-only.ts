/**
 * Owner-only files: the one check ringmon makes before it trusts a file with
 * a secret in it (the server's token file, an agent's or a slurper's token,
 * the SMTP password, a webhook token). Like ssh with a private key, the file
 * must be a regular file owned by the user running ringmon, with no
 * permission at all for group or others (0600 or stricter). Otherwise it is
 * refused with an OwnerOnlyError whose message names the file and the
 * command that fixes it:
 *
 *     /etc/ringmon/agent.token: permissions 0644 are too open: group and others must have no access to a secret file; fix with: chmod 600 /etc/ringmon/agent.token
 *
 * The readers check the open descriptor (fstat), so the file cannot be
 * swapped between the check and the read. A file that cannot be opened at
 * all rejects with the system's error unchanged (its `code`: 'ENOENT',
 * 'EACCES'), for the caller to word. Windows has no POSIX owner or mode (and
 * no process.getuid): there only "a regular file" is checked. Messages never
 * quote the content. Nothing here imports the rest of ringmon.
 */
import { closeSync, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { userInfo } from 'node:os';

/** The file at `path` may not hold a secret as it is; the message says why and how to fix it. */
export class OwnerOnlyError extends Error {
  override name = 'OwnerOnlyError';
  constructor(
    readonly path: string,
    /** What is wrong, without the path: "permissions 0644 are too open: ...". */
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** Throws OwnerOnlyError unless `stat` (of `path`) is a regular file owned by this process's user with no group or other permission. */
export function checkOwnerOnly(path: string, stat: Stats): void {
  if (!stat.isFile()) throw new OwnerOnlyError(path, 'not a regular file');
  if (process.getuid === undefined) return;
  const uid = process.getuid();
  if (stat.uid !== uid) {
    const user = userName(uid);
    throw new OwnerOnlyError(path, `owned by uid ${stat.uid}, not by ${user} who runs ringmon; fix with: chown ${user} ${shellQuote(path)}`);
  }
  if ((stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    throw new OwnerOnlyError(path, `permissions ${mode} are too open: group and others must have no access to a secret file; fix with: chmod 600 ${shellQuote(path)}`);
  }
}

/** The text of the owner-only file at `path`. Throws OwnerOnlyError, or the system's error when it cannot be opened. */
export function readOwnerOnlySync(path: string): string {
  const fd = openSync(path, 'r');
  try {
    checkOwnerOnly(path, fstatSync(fd));
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** readOwnerOnlySync off the event loop; `signal` aborts the read. */
export async function readOwnerOnly(path: string, signal?: AbortSignal): Promise<string> {
  const handle = await open(path, 'r');
  try {
    checkOwnerOnly(path, await handle.stat());
    return await handle.readFile({ encoding: 'utf8', signal });
  } finally {
    await handle.close();
  }
}

/** `s` as one word for a POSIX shell, so the fix in a message can be pasted as it is. */
export function shellQuote(s: string): string {
  return /^[\w./+@:-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

function userName(uid: number): string {
  try {
    return userInfo().username;
  } catch {
    return String(uid); // a uid with no passwd entry (containers)
  }
}
