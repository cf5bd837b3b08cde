/**
 * The token file: format round trip, only hashes on disk, ssh-like refusal
 * of files too open or owned by someone else, malformed lines named by
 * number, atomic 0600 writes whatever the umask, constant-time lookup, a
 * resolver that follows `revoke` without a restart, and `setTokenRole`
 * narrowing a deprecated writer token in place (the token keeps working).
 */
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenError, TokenFileError } from '../../../server/auth/errors.js';
import {
  addToken,
  findPrincipal,
  formatTokenFile,
  hashToken,
  loadTokenFile,
  parseTokenFile,
  revokeToken,
  roleIncludes,
  ROLES,
  setTokenRole,
  tokenFileResolver,
  type TokenEntry,
} from '../../../server/auth/token-file.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-tokens-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const fresh = (): string => join(dir, `tokens-${++counter}`);
const NOW = new Date('2024-05-01T12:00:00.000Z');
const HASH = 'a'.repeat(64);

/** Writes `text` as a token file with `mode`. */
function tokenFile(text: string, mode = 0o600): string {
  const path = fresh();
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
  return path;
}

function errorOf(f: () => unknown): TokenError {
  try {
    f();
  } catch (e) {
    if (e instanceof TokenError) return e;
    throw e;
  }
  throw new Error('expected a TokenError');
}

describe('format', () => {
  it('round-trips entries through text', () => {
    const entries: TokenEntry[] = [
      { name: 'alice', role: 'admin', hash: HASH, created: '2024-05-01T12:00:00.000Z' },
      { name: 'collector.eu-1', role: 'writer', hash: 'b'.repeat(64), created: '2024-05-02T00:00:00Z' },
      { name: 'grafana@ops', role: 'viewer', hash: '0123456789abcdef'.repeat(4), created: '2024-05-03T08:09:10.123456Z' },
    ];
    const text = formatTokenFile(entries);
    expect(text.startsWith('#')).toBe(true);
    expect(parseTokenFile(text, 'f')).toEqual(entries);
  });

  it('ignores comments, blank lines, tabs and CRLF', () => {
    const text = `# header\r\n\r\n   # indented comment\nalice\tadmin  ${HASH}\t2024-05-01T12:00:00.000Z\r\n\n`;
    expect(parseTokenFile(text, 'f')).toEqual([{ name: 'alice', role: 'admin', hash: HASH, created: '2024-05-01T12:00:00.000Z' }]);
  });

  it('stores the hash only: the file never contains the token', () => {
    const path = fresh();
    const token = addToken(path, 'alice', 'writer', NOW);
    expect(token).toMatch(/^rmt_[A-Za-z0-9_-]{43}$/);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(4));
    expect(loadTokenFile(path)).toEqual([{ name: 'alice', role: 'writer', hash: hashToken(token), created: NOW.toISOString() }]);
  });

  it('makes a different token each time', () => {
    const path = fresh();
    const tokens = new Set(['a', 'b', 'c', 'd'].map((n) => addToken(path, n, 'viewer', NOW)));
    expect(tokens.size).toBe(4);
  });

  it('grants each role its route roles: ingest alone, operator with viewer, writer as ingest and operator, admin all', () => {
    const granted = Object.fromEntries(ROLES.map((held) => [held, (['viewer', 'ingest', 'operator', 'admin'] as const).filter((needed) => roleIncludes(held, needed))]));
    expect(granted).toEqual({
      viewer: ['viewer'],
      ingest: ['ingest'],
      operator: ['viewer', 'operator'],
      writer: ['viewer', 'ingest', 'operator'],
      admin: ['viewer', 'ingest', 'operator', 'admin'],
    });
  });
});

describe('malformed files', () => {
  const line = (fields: string): string => `# c\n\nalice admin ${HASH} 2024-05-01T12:00:00Z\n${fields}\n`;
  const cases: Array<[string, string, RegExp]> = [
    ['too few fields', 'bob writer', /line 4: expected 4 fields.*found 2/],
    ['too many fields', `bob writer ${HASH} 2024-05-01T12:00:00Z extra`, /line 4: expected 4 fields.*found 5/],
    ['a bad name', `-bob writer ${HASH} 2024-05-01T12:00:00Z`, /line 4: invalid name/],
    ['an unknown role', `bob root ${HASH} 2024-05-01T12:00:00Z`, /line 4: the role must be viewer, ingest, operator, writer or admin/],
    ['a short hash', `bob writer abc 2024-05-01T12:00:00Z`, /line 4: .*64 lowercase hex digits/],
    ['an uppercase hash', `bob writer ${'A'.repeat(64)} 2024-05-01T12:00:00Z`, /line 4: .*64 lowercase hex/],
    ['a local time', `bob writer ${HASH} 2024-05-01T12:00:00`, /line 4: CREATED must be/],
    ['an impossible date', `bob writer ${HASH} 2024-13-45T12:00:00Z`, /line 4: CREATED must be/],
    ['a duplicate name', `alice viewer ${HASH} 2024-05-01T12:00:00Z`, /line 4: the name 'alice' is already used on line 3/],
  ];
  for (const [what, fields, message] of cases) {
    it(`refuses ${what}, naming the file and line`, () => {
      const path = tokenFile(line(fields));
      const error = errorOf(() => loadTokenFile(path));
      expect(error).toBeInstanceOf(TokenFileError);
      expect((error as TokenFileError).path).toBe(path);
      expect(error.message).toMatch(message);
      expect(error.message.startsWith(`${path}: `)).toBe(true);
    });
  }

  it('never quotes a token pasted where the hash belongs', () => {
    const token = `rmt_${'x'.repeat(43)}`;
    const error = errorOf(() => parseTokenFile(`bob writer ${token} 2024-05-01T12:00:00Z\n`, 'f'));
    expect(error.message).toMatch(/line 1: .*never the token itself/);
    expect(error.message).not.toContain(token);
  });

  it('refuses a missing file with the command that creates one', () => {
    const error = errorOf(() => loadTokenFile(join(dir, 'absent')));
    expect(error.message).toContain(`${join(dir, 'absent')}: no such file; create it with: ringmon token add NAME --role admin --file`);
  });
});

describe('permissions', () => {
  const valid = `alice admin ${HASH} 2024-05-01T12:00:00Z\n`;

  for (const mode of [0o600, 0o400]) {
    it(`accepts mode ${mode.toString(8)}`, () => {
      expect(loadTokenFile(tokenFile(valid, mode))).toHaveLength(1);
    });
  }

  for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602, 0o610, 0o601, 0o666]) {
    it(`refuses mode ${mode.toString(8)}, saying to chmod 600`, () => {
      const path = tokenFile(valid, mode);
      const error = errorOf(() => loadTokenFile(path));
      expect(error).toBeInstanceOf(TokenFileError);
      expect(error.message).toContain(`permissions 0${mode.toString(8)} are too open`);
      expect(error.message).toContain(`fix with: chmod 600 ${path}`);
    });
  }

  it('quotes a file name with spaces in the fix', () => {
    const path = join(dir, "my token's file");
    writeFileSync(path, valid, { mode: 0o644 });
    chmodSync(path, 0o644);
    expect(errorOf(() => loadTokenFile(path)).message).toContain(`chmod 600 '${dir}/my token'\\''s file'`);
  });

  it('refuses a directory', () => {
    expect(errorOf(() => loadTokenFile(dir)).message).toContain('not a regular file');
  });

  it('refuses to add to or revoke from a file that is too open', () => {
    const path = tokenFile(valid, 0o644);
    expect(errorOf(() => addToken(path, 'bob', 'viewer', NOW)).message).toContain('chmod 600');
    expect(errorOf(() => revokeToken(path, 'alice')).message).toContain('chmod 600');
    expect(readFileSync(path, 'utf8')).toBe(valid);
  });

  // Giving a file away needs root; as any other user there is nobody to give it to.
  it.skipIf(process.getuid?.() !== 0)('refuses a file owned by another user, saying to chown', () => {
    const path = tokenFile(valid);
    chownSync(path, 65534, 65534);
    const error = errorOf(() => loadTokenFile(path));
    expect(error.message).toMatch(new RegExp(`owned by uid 65534, not by \\S+ who runs ringmon; fix with: chown \\S+ ${path}`));
  });
});

describe('add and revoke', () => {
  it('creates the file and its directory private, whatever the umask', () => {
    const path = join(dir, 'new-dir', 'tokens');
    const old = process.umask(0);
    try {
      addToken(path, 'alice', 'admin', NOW);
    } finally {
      process.umask(old);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'new-dir')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'new-dir'))).toEqual(['tokens']); // no temporary file left behind
  });

  it('keeps the mode 0600 after a change, even under a umask that removes owner bits', () => {
    const path = fresh();
    addToken(path, 'alice', 'admin', NOW);
    const old = process.umask(0o277);
    try {
      addToken(path, 'bob', 'viewer', NOW);
    } finally {
      process.umask(old);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('replaces the file by rename, never rewriting it in place', () => {
    const path = fresh();
    addToken(path, 'alice', 'admin', NOW);
    const before = statSync(path).ino;
    addToken(path, 'bob', 'viewer', NOW);
    expect(statSync(path).ino).not.toBe(before);
  });

  it('refuses a duplicate name and leaves the file as it was', () => {
    const path = fresh();
    addToken(path, 'alice', 'admin', NOW);
    const before = readFileSync(path, 'utf8');
    const error = errorOf(() => addToken(path, 'alice', 'viewer', NOW));
    expect(error).toBeInstanceOf(TokenFileError);
    expect(error.message).toContain("a token named 'alice' exists already");
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('refuses an invalid name or role before touching the file', () => {
    const path = fresh();
    expect(errorOf(() => addToken(path, 'has space', 'viewer', NOW)).message).toContain("invalid token name 'has space'");
    // @ts-expect-error: a role from outside the type, as an untyped caller might pass
    expect(errorOf(() => addToken(path, 'bob', 'root', NOW)).message).toContain("invalid role 'root'");
    expect(() => statSync(path)).toThrow();
  });

  it('revokes one token and keeps every other line, comments included', () => {
    const path = tokenFile(`# mine\nalice admin ${HASH} 2024-05-01T12:00:00Z\n# the collectors\nbob writer ${'b'.repeat(64)} 2024-05-01T12:00:00Z\n`);
    expect(revokeToken(path, 'alice')).toMatchObject({ name: 'alice', role: 'admin' });
    expect(readFileSync(path, 'utf8')).toBe(`# mine\n# the collectors\nbob writer ${'b'.repeat(64)} 2024-05-01T12:00:00Z\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(errorOf(() => revokeToken(path, 'alice')).message).toBe(`${path}: no token named 'alice'`);
  });

  it('changes a role in place: same line, same hash and time, other lines untouched', () => {
    const before = `# mine\nalice admin ${HASH} 2024-05-01T12:00:00Z\n# the collectors\nbob\twriter ${'b'.repeat(64)} 2024-05-01T12:00:00Z\n`;
    const path = tokenFile(before);
    expect(setTokenRole(path, 'bob', 'ingest')).toMatchObject({ name: 'bob', role: 'writer' });
    expect(readFileSync(path, 'utf8')).toBe(`# mine\nalice admin ${HASH} 2024-05-01T12:00:00Z\n# the collectors\nbob ingest ${'b'.repeat(64)} 2024-05-01T12:00:00Z\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(errorOf(() => setTokenRole(path, 'carol', 'viewer')).message).toBe(`${path}: no token named 'carol'`);
    // @ts-expect-error: a role from outside the type, as an untyped caller might pass
    expect(errorOf(() => setTokenRole(path, 'bob', 'root')).message).toContain("invalid role 'root'");
  });

  it('a re-roled token goes on working, with the new role, at the next lookup', () => {
    const path = fresh();
    const token = addToken(path, 'collector', 'writer', NOW);
    const resolve = tokenFileResolver(path);
    expect(resolve(token)).toEqual({ name: 'collector', role: 'writer' });
    setTokenRole(path, 'collector', 'ingest');
    expect(resolve(token)).toEqual({ name: 'collector', role: 'ingest' });
  });

  it('appends after a last line without a newline', () => {
    const path = tokenFile(`alice admin ${HASH} 2024-05-01T12:00:00Z`);
    addToken(path, 'bob', 'viewer', NOW);
    expect(loadTokenFile(path).map((e) => e.name)).toEqual(['alice', 'bob']);
  });
});

describe('lookup', () => {
  it('finds the principal of a token and nobody for any other string', () => {
    const path = fresh();
    const alice = addToken(path, 'alice', 'admin', NOW);
    const bob = addToken(path, 'bob', 'viewer', NOW);
    const entries = loadTokenFile(path);
    expect(findPrincipal(entries, alice)).toEqual({ name: 'alice', role: 'admin' });
    expect(findPrincipal(entries, bob)).toEqual({ name: 'bob', role: 'viewer' });
    for (const other of ['', 'rmt_', `${alice}x`, alice.slice(0, -1), hashToken(alice), 'alice']) {
      expect(findPrincipal(entries, other)).toBeUndefined();
    }
    expect(findPrincipal([], alice)).toBeUndefined();
  });

  it('follows the file: a revoked token fails at the next lookup, a new one works', () => {
    const path = fresh();
    const alice = addToken(path, 'alice', 'admin', NOW);
    const resolve = tokenFileResolver(path);
    expect(resolve(alice)?.name).toBe('alice');
    const bob = addToken(path, 'bob', 'writer', NOW);
    revokeToken(path, 'alice');
    expect(resolve(alice)).toBeUndefined();
    expect(resolve(bob)).toEqual({ name: 'bob', role: 'writer' });
  });

  it('fails closed when the file turns bad, and recovers when fixed', () => {
    const path = fresh();
    const alice = addToken(path, 'alice', 'admin', NOW);
    const resolve = tokenFileResolver(path);
    chmodSync(path, 0o644);
    expect(() => resolve(alice)).toThrow(TokenFileError);
    expect(() => resolve(alice)).toThrow(/chmod 600/);
    chmodSync(path, 0o600);
    expect(resolve(alice)?.name).toBe('alice');
    rmSync(path);
    expect(() => resolve(alice)).toThrow(/no such file/);
  });

  it('refuses at once to follow a file that is bad from the start', () => {
    expect(() => tokenFileResolver(join(dir, 'absent'))).toThrow(TokenFileError);
  });
});
