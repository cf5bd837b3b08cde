/**
 * A secret kept in a file of its own (the SMTP password, the webhook
 * token), guarded like ssh guards a private key: a regular file owned by
 * the user running ringmon, with no permission for group or others. The
 * whole file is the secret, less trailing line breaks. Messages never
 * quote the file's content.
 */
import { closeSync, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';

/** The file cannot serve as a secret; `message` says why and how to fix it. */
export class SecretFileError extends Error {
  override name = 'SecretFileError';
}

export function readSecretFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SecretFileError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
  try {
    // Checked on the open descriptor, so the file cannot be swapped between the check and the read.
    checkProtection(path, fstatSync(fd));
    const secret = readFileSync(fd, 'utf8').replace(/[\r\n]+$/, '');
    if (secret === '') throw new SecretFileError(`${path}: the file is empty`);
    return secret;
  } finally {
    closeSync(fd);
  }
}

function checkProtection(path: string, stat: Stats): void {
  if (!stat.isFile()) throw new SecretFileError(`${path}: not a regular file`);
  // Windows has no POSIX owner or mode to check, and no process.getuid.
  if (process.getuid === undefined) return;
  if (stat.uid !== process.getuid()) {
    throw new SecretFileError(`${path}: owned by uid ${stat.uid}, not by uid ${process.getuid()} who runs ringmon; fix with: chown ${process.getuid()} ${quote(path)}`);
  }
  if ((stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    throw new SecretFileError(`${path}: permissions ${mode} are too open: group and others must have no access to a secret; fix with: chmod 600 ${quote(path)}`);
  }
}

function quote(s: string): string {
  return /^[\w./+@:-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}
