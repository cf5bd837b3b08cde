/**
 * The token file: who may call the API, and with which role.
 *
 * Format: UTF-8 text, one token per line, fields separated by spaces or tabs;
 * blank lines and lines starting with '#' are ignored.
 *
 *     # NAME  ROLE    SHA256 (64 hex digits)                                            CREATED
 *     alice   writer  3b1f5c0e9d2a7b4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f  2024-05-01T12:00:00.000Z
 *
 *   NAME     1 to 64 of A-Z a-z 0-9 . _ @ -, starting with a letter or digit; unique in the file
 *   ROLE     viewer | ingest | operator | writer | admin; what each may do is in ./roles.ts
 *            (writer is deprecated: ingest and operator together)
 *   SHA256   lowercase hex SHA-256 of the whole token string, prefix included
 *   CREATED  when the token was made: ISO 8601 in UTC, as Date.toISOString writes it
 *
 * Only hashes are stored, so a leaked file leaks no token. A token is 'rmt_'
 * and 32 random bytes in base64url (47 characters in all); the prefix lets
 * secret scanners recognise one pasted where it should not be.
 *
 * The file is guarded like ssh guards a private key, by the check every
 * secret file gets (lib/owner-only.ts): a regular file owned by the user
 * running ringmon, with no permission for group or others (0600 or
 * stricter); otherwise it is refused, with the chmod or chown that fixes it.
 * Changes replace the file atomically with lib/durable-file's
 * replaceFileSync (a 0600 temporary file, synced, renamed over it, the
 * folder synced), so it is never half written nor briefly too open.
 *
 * Error messages quote no field but names: a hash field may hold a pasted
 * token, and messages end up in logs.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirectorySync, replaceFileSync } from '../../lib/durable-file.js';
import { OwnerOnlyError, readOwnerOnlySync, shellQuote } from '../../lib/owner-only.js';
import { TokenError, TokenFileError } from './errors.js';
import { isRole, ROLE_LIST, type Role } from './roles.js';

export { isRole, roleIncludes, ROLES, type Role, type RouteRole } from './roles.js';

/** Every token starts with this, for secret scanners. */
export const TOKEN_PREFIX = 'rmt_';

/** Who made a request: a token's name and role. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
}

/** One line of the token file. */
export interface TokenEntry extends Principal {
  /** Lowercase hex SHA-256 of the token. */
  readonly hash: string;
  /** ISO 8601, UTC. */
  readonly created: string;
}

export const TOKEN_NAME_RULE = '1 to 64 of A-Z a-z 0-9 . _ @ -, starting with a letter or digit';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const HASH = /^[0-9a-f]{64}$/;
const CREATED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const HEADER = "# ringmon tokens: NAME ROLE SHA256-OF-TOKEN CREATED, one per line. Only hashes are stored.\n# Manage with 'ringmon token add|list|revoke'; keep this file mode 0600.\n";

export function isTokenName(value: string): boolean {
  return NAME.test(value);
}

/** The hash stored for `token`: lowercase hex SHA-256 of its UTF-8 bytes. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The entries of the file's `text`, each line checked; `path` is for messages. Throws TokenFileError naming the line. */
export function parseTokenFile(text: string, path: string): TokenEntry[] {
  return parseLines(text, path).map(({ entry }) => entry);
}

function parseLines(text: string, path: string): Array<{ entry: TokenEntry; index: number }> {
  const found: Array<{ entry: TokenEntry; index: number }> = [];
  const lineOfName = new Map<string, number>();
  text.split('\n').forEach((line, index) => {
    const content = line.trim();
    if (content === '' || content.startsWith('#')) return;
    const fault = (detail: string): TokenFileError => new TokenFileError(path, `line ${index + 1}: ${detail}`);
    const fields = content.split(/[ \t]+/);
    if (fields.length !== 4) throw fault(`expected 4 fields, NAME ROLE SHA256 CREATED; found ${fields.length}`);
    const [name, role, hash, created] = fields;
    if (!NAME.test(name)) throw fault(`invalid name: a name is ${TOKEN_NAME_RULE}`);
    if (!isRole(role)) throw fault(`the role must be ${ROLE_LIST}`);
    if (!HASH.test(hash)) throw fault("the third field must be the token's SHA-256 as 64 lowercase hex digits, never the token itself");
    if (!CREATED.test(created) || Number.isNaN(Date.parse(created))) throw fault('CREATED must be a UTC time such as 2024-05-01T12:00:00.000Z');
    const previous = lineOfName.get(name);
    if (previous !== undefined) throw fault(`the name '${name}' is already used on line ${previous}`);
    lineOfName.set(name, index + 1);
    found.push({ entry: { name, role, hash, created }, index });
  });
  return found;
}

/** The text of a token file holding `entries`, with the explanatory header. */
export function formatTokenFile(entries: readonly TokenEntry[]): string {
  return HEADER + entries.map((e) => `${formatLine(e)}\n`).join('');
}

function formatLine(entry: TokenEntry): string {
  return [entry.name, entry.role, entry.hash, entry.created].join(' ');
}

/** The entries of the token file at `path`, after checking its owner and mode. Throws TokenFileError. */
export function loadTokenFile(path: string): TokenEntry[] {
  return parseTokenFile(readProtected(path), path);
}

/**
 * Adds a new token for `name` with `role` and returns it: the only time the
 * token exists outside its holder's hands. Creates the file (and its
 * directory, mode 0700) if missing. Throws TokenError for an invalid name or
 * role, TokenFileError for a name already present or a file that is refused.
 * Two concurrent changes to one file may lose one of them (no locking).
 */
export function addToken(path: string, name: string, role: Role, now: Date = new Date()): string {
  if (!NAME.test(name)) throw new TokenError(`invalid token name '${name}': a name is ${TOKEN_NAME_RULE}`);
  if (!isRole(role)) throw new TokenError(`invalid role '${String(role)}': the role must be ${ROLE_LIST}`);
  let text = readProtectedIfExists(path);
  if (text === undefined) {
    makeDirectorySync(dirname(path));
    text = HEADER;
  }
  if (parseTokenFile(text, path).some((e) => e.name === name)) {
    throw new TokenFileError(path, `a token named '${name}' exists already; revoke it first to replace it`);
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const line = formatLine({ name, role, hash: hashToken(token), created: now.toISOString() });
  replaceFileSync(path, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`);
  return token;
}

/** Removes `name`'s token, keeping every other line (comments too); returns what was removed. Throws TokenFileError. */
export function revokeToken(path: string, name: string): TokenEntry {
  const text = readProtected(path);
  const lines = text.split('\n');
  const target = parseLines(text, path).find(({ entry }) => entry.name === name);
  if (!target) throw new TokenFileError(path, `no token named '${name}'`);
  lines.splice(target.index, 1);
  replaceFileSync(path, lines.join('\n'));
  return target.entry;
}

/**
 * Gives `name`'s token the role `role`, keeping its hash (the token goes on
 * working, with the new rights) and every other line as it is; returns the
 * entry as it was. This is how a deprecated writer token is narrowed to
 * ingest or operator without handing out a new token. Throws TokenError for
 * an invalid role, TokenFileError for a missing name or a refused file.
 */
export function setTokenRole(path: string, name: string, role: Role): TokenEntry {
  if (!isRole(role)) throw new TokenError(`invalid role '${String(role)}': the role must be ${ROLE_LIST}`);
  const text = readProtected(path);
  const lines = text.split('\n');
  const target = parseLines(text, path).find(({ entry }) => entry.name === name);
  if (!target) throw new TokenFileError(path, `no token named '${name}'`);
  lines[target.index] = formatLine({ ...target.entry, role });
  replaceFileSync(path, lines.join('\n'));
  return target.entry;
}

/**
 * The principal whose token is `token`, or undefined. Every entry is
 * compared, each in constant time, so the time taken tells nothing about
 * which entry, or whether any, matched.
 */
export function findPrincipal(entries: readonly TokenEntry[], token: string): Principal | undefined {
  const presented = createHash('sha256').update(token, 'utf8').digest();
  let found: TokenEntry | undefined;
  for (const entry of entries) {
    if (timingSafeEqual(presented, Buffer.from(entry.hash, 'hex')) && !found) found = entry;
  }
  return found && { name: found.name, role: found.role };
}

/**
 * A token lookup for the auth plugin that follows the file at `path`: it
 * reads the file now (so a bad file stops the server at start) and again
 * whenever it changes (new inode, size, mtime or ctime; ctime catches a
 * chmod), so a revoked token stops working at the next request. A file that
 * turns bad later makes lookups throw TokenFileError, failing closed rather
 * than serving a stale list.
 */
export function tokenFileResolver(path: string): (token: string) => Principal | undefined {
  let stamp: string | undefined;
  let entries: readonly TokenEntry[] = [];
  const refresh = (): void => {
    const current = stampOf(path);
    if (current === stamp) return;
    stamp = undefined;
    entries = loadTokenFile(path);
    stamp = current;
  };
  refresh();
  return (token) => {
    refresh();
    return findPrincipal(entries, token);
  };
}

function stampOf(path: string): string {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
}

function readProtected(path: string): string {
  const text = readProtectedIfExists(path);
  if (text === undefined) {
    throw new TokenFileError(path, `no such file; create it with: ringmon token add NAME --role admin --file ${shellQuote(path)}`);
  }
  return text;
}

/** The file's text, or undefined if there is none; owner and mode are checked on the open descriptor (lib/owner-only.ts). */
function readProtectedIfExists(path: string): string | undefined {
  try {
    return readOwnerOnlySync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (e instanceof OwnerOnlyError) throw new TokenFileError(path, e.problem);
    throw e;
  }
}
