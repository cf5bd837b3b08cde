/**
 * A feed's read-only URL token (`feeds[].tokenFile`): the whole file, less
 * trailing line breaks, is the token, guarded as every secret file is
 * (server/notify/secret-file.ts: a regular file owned by the user running
 * ringmon, mode 0600 or stricter). It must be 16 to 256 characters a URL
 * carries as they are (A-Z a-z 0-9 - _ . ~), so a reader's URL needs no
 * escaping; `openssl rand -hex 32` makes one.
 *
 * The file is read at start (a bad one stops the server, the error naming
 * the key) and again whenever it changes (inode, size, mtime or ctime), so
 * a token is rotated by writing a new file. A file that turns bad later
 * makes every check fail (closed), never the stale token pass. Presented
 * tokens are compared by their SHA-256 digests in constant time, and no
 * message ever holds the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { statSync } from 'node:fs';
import { readSecretFile, SecretFileError } from '../notify/secret-file.js';

const TOKEN = /^[A-Za-z0-9._~-]{16,256}$/;
export const FEED_TOKEN_RULE = '16 to 256 of A-Z a-z 0-9 - _ . ~ (openssl rand -hex 32 makes one)';
/** Longest token a request may present; longer is refused at the door. */
export const MAX_PRESENTED_TOKEN = 256;

/** The file cannot serve as a feed token; the message says why, never what it holds. */
export class FeedTokenError extends Error {
  override name = 'FeedTokenError';
}

/** The digest of the token in the file at `path`. Throws FeedTokenError. */
function readDigest(path: string): Buffer {
  let token: string;
  try {
    token = readSecretFile(path);
  } catch (e) {
    if (e instanceof SecretFileError) throw new FeedTokenError(e.message);
    throw e;
  }
  if (!TOKEN.test(token)) throw new FeedTokenError(`${path}: the token must be ${FEED_TOKEN_RULE}`);
  return digest(token);
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

function stampOf(path: string): string {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch (e) {
    return `unreadable:${(e as NodeJS.ErrnoException).code ?? ''}`;
  }
}

/** One feed's token, following its file. */
export class FeedToken {
  private stamp: string;
  private expected: Buffer | undefined;

  /** Reads the file now; throws FeedTokenError when it cannot serve. */
  constructor(
    private readonly path: string,
    private readonly onFault: (message: string) => void,
  ) {
    this.stamp = stampOf(path);
    this.expected = readDigest(path);
  }

  /** Whether `presented` is the token in the file as it is now; false while the file is bad (onFault told once per change). */
  matches(presented: string): boolean {
    const stamp = stampOf(this.path);
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      try {
        this.expected = readDigest(this.path);
      } catch (e) {
        this.expected = undefined;
        if (!(e instanceof FeedTokenError)) throw e;
        this.onFault(e.message);
      }
    }
    const given = digest(presented);
    return this.expected !== undefined && timingSafeEqual(given, this.expected);
  }
}
