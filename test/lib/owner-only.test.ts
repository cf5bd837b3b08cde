/**
 * The one owner-only check: a regular file of this user with no group or
 * other permission passes; anything else is refused with the file's name
 * and the command that fixes it, by the sync and the async reader alike.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OwnerOnlyError, readOwnerOnly, readOwnerOnlySync, shellQuote } from '../../lib/owner-only.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-owner-only-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function file(mode: number, text = 'secret-text\n'): string {
  const path = join(dir, `f${++counter}`);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

/** The error both readers throw for `path`. */
async function refusals(path: string): Promise<[unknown, unknown]> {
  let sync: unknown;
  try {
    readOwnerOnlySync(path);
  } catch (e) {
    sync = e;
  }
  return [sync, await readOwnerOnly(path).catch((e: unknown) => e)];
}

describe('owner-only files', () => {
  it('reads a 0600 or 0400 file', async () => {
    for (const mode of [0o600, 0o400]) {
      const path = file(mode);
      expect(readOwnerOnlySync(path)).toBe('secret-text\n');
      expect(await readOwnerOnly(path)).toBe('secret-text\n');
    }
  });

  for (const mode of [0o644, 0o640, 0o604, 0o660, 0o610, 0o601]) {
    it(`refuses mode ${mode.toString(8)} with the chmod that fixes it, never quoting the content`, async () => {
      const path = file(mode);
      for (const error of await refusals(path)) {
        expect(error).toBeInstanceOf(OwnerOnlyError);
        expect((error as Error).message).toBe(`${path}: permissions 0${mode.toString(8)} are too open: group and others must have no access to a secret file; fix with: chmod 600 ${path}`);
        expect((error as OwnerOnlyError).problem).toMatch(/^permissions/);
      }
    });
  }

  it('quotes an awkward name in the fix, so it can be pasted', async () => {
    const path = join(dir, "it's here");
    writeFileSync(path, 'x', { mode: 0o644 });
    chmodSync(path, 0o644);
    const [error] = await refusals(path);
    expect((error as Error).message).toMatch(new RegExp(`chmod 600 ${shellQuote(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    expect(shellQuote(path)).toBe(`'${dir}/it'\\''s here'`);
  });

  it('refuses a directory', async () => {
    const path = join(dir, 'a-dir');
    mkdirSync(path, { mode: 0o700 });
    for (const error of await refusals(path)) expect((error as Error).message).toBe(`${path}: not a regular file`);
  });

  it('passes the system error through when the file cannot be opened', async () => {
    const path = join(dir, 'missing');
    for (const error of await refusals(path)) expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a file owned by another user, saying to chown', async () => {
    const path = file(0o600);
    chownSync(path, 65534, 65534);
    for (const error of await refusals(path)) expect((error as Error).message).toMatch(new RegExp(`^${path}: owned by uid 65534, not by \\S+ who runs ringmon; fix with: chown \\S+ ${path}$`));
  });
});
