/**
 * A secret kept in a file of its own (the SMTP password, the webhook
 * token), guarded like ssh guards a private key: a regular file owned by
 * the user running ringmon, with no permission for group or others. The
 * whole file is the secret, less trailing line breaks. Messages never
 * quote the file's content.
 */
import { closeSync, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { checkOwnerOnly, OwnerOnlyError } from '../../lib/owner-only.js';

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

/** The one owner-only check (lib/owner-only.ts), its message made this module's error. */
function checkProtection(path: string, stat: Stats): void {
  try {
    checkOwnerOnly(path, stat);
  } catch (e) {
    if (e instanceof OwnerOnlyError) throw new SecretFileError(e.message);
    throw e;
  }
}
