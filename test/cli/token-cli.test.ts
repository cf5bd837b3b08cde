/**
 * `ringmon token` through the real launcher (node bin/ringmon.js) as a child
 * process: add prints the token once on stdout and a hint on stderr, list
 * never shows hashes, revoke, the default ./data/tokens, help, and failures
 * as one stderr line with a non-zero exit and the file left as it was.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPrincipal, hashToken, loadTokenFile } from '../../server/auth/token-file.js';
import { runRingmon, type CommandRun } from '../helpers/ringmon-command.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-token-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
/** A new empty working directory, so tests can run concurrently. */
function workdir(): string {
  const dir = join(root, `w${++counter}`);
  mkdirSync(dir);
  return dir;
}

type Run = CommandRun;

function ringmon(cwd: string, args: readonly string[]): Promise<Run> {
  return runRingmon(['token', ...args], { cwd });
}

/** Expects one error line on stderr, nothing on stdout, and the exit code. */
function expectFailure(run: Run, code: number, message: RegExp): void {
  expect(run.stdout).toBe('');
  expect(run.code).toBe(code);
  expect(run.stderr).toMatch(/^ringmon token [\w-]+: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
}

// Each test has its own working directory, so they run concurrently (each start-up costs ~0.4 s).
describe.concurrent('ringmon token', { timeout: 180_000 }, () => {
  it('adds, lists and revokes tokens in ./data/tokens by default', async () => {
    const cwd = workdir();
    const file = join(cwd, 'data', 'tokens');

    const added = await ringmon(cwd, ['add', 'collector-eu', '--role', 'ingest']);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^rmt_[A-Za-z0-9_-]{43}\n$/);
    expect(added.stderr).toBe("Added ingest token 'collector-eu' to data/tokens. It is not shown again: store it now.\n");
    const token = added.stdout.trim();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(findPrincipal(loadTokenFile(file), token)).toEqual({ name: 'collector-eu', role: 'ingest' });

    const second = await ringmon(cwd, ['add', 'ops', '-r', 'admin']);
    expect(second.code).toBe(0);

    const listed = await ringmon(cwd, ['list']);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe('');
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME +ROLE +CREATED$/);
    expect(lines.slice(1).map((l) => l.split(/ +/).slice(0, 2))).toEqual([['collector-eu', 'ingest'], ['ops', 'admin']]);
    expect(lines[1]).toMatch(/ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(listed.stdout).not.toContain(hashToken(token));
    expect(listed.stdout).not.toMatch(/[0-9a-f]{64}/);

    const revoked = await ringmon(cwd, ['revoke', 'collector-eu']);
    expect(revoked).toEqual({ code: 0, stdout: '', stderr: "Revoked ingest token 'collector-eu' from data/tokens.\n" });
    expect(findPrincipal(loadTokenFile(file), token)).toBeUndefined();
    expect((await ringmon(cwd, ['list'])).stdout.trimEnd().split('\n').slice(1).map((l) => l.split(' ')[0])).toEqual(['ops']);
  });

  it('uses --file / -f when given', async () => {
    const cwd = workdir();
    const file = join(cwd, 'elsewhere', 'tokens');
    expect((await ringmon(cwd, ['add', 'a', '--role', 'viewer', '--file', file])).code).toBe(0);
    expect((await ringmon(cwd, ['list', '-f', file])).stdout).toContain('a     viewer');
    expect((await ringmon(cwd, ['revoke', 'a', '--file', file])).code).toBe(0);
    expect(loadTokenFile(file)).toEqual([]);
  });

  it('refuses a duplicate name, an unknown name, and bad arguments, in one line each', async () => {
    const cwd = workdir();
    expect((await ringmon(cwd, ['add', 'a', '--role', 'viewer'])).code).toBe(0);
    const before = readFileSync(join(cwd, 'data/tokens'), 'utf8');
    const runs = await Promise.all([
      ringmon(cwd, ['add', 'a', '--role', 'admin']),
      ringmon(cwd, ['revoke', 'nobody']),
      ringmon(cwd, ['add', 'b']),
      ringmon(cwd, ['add', 'b', '--role', 'root']),
      ringmon(cwd, ['add', 'has space', '--role', 'viewer']),
      ringmon(cwd, ['add', '--role', 'viewer']),
      ringmon(cwd, ['list', 'extra']),
      ringmon(cwd, ['list', '--bogus']),
      ringmon(cwd, ['rotate']),
    ]);
    expectFailure(runs[0], 1, /data\/tokens: a token named 'a' exists already; revoke it first/);
    expectFailure(runs[1], 1, /data\/tokens: no token named 'nobody'/);
    expectFailure(runs[2], 2, /missing --role \(viewer, ingest, operator, writer or admin\)/);
    expectFailure(runs[3], 2, /invalid --role 'root': one of viewer, ingest, operator, writer or admin/);
    expectFailure(runs[4], 2, /invalid name 'has space'/);
    expectFailure(runs[5], 2, /missing NAME/);
    expectFailure(runs[6], 2, /unexpected argument 'extra'/);
    expectFailure(runs[7], 2, /unknown option '--bogus'/);
    expect(runs[8].code).toBe(2);
    expect(runs[8].stderr).toBe("ringmon token: unknown command 'rotate'; one of add, list, set-role, revoke (see ringmon token --help)\n");
    expect(readFileSync(join(cwd, 'data/tokens'), 'utf8')).toBe(before);
  });

  it('refuses a file readable by others, saying how to fix it', async () => {
    const cwd = workdir();
    expect((await ringmon(cwd, ['add', 'a', '--role', 'viewer'])).code).toBe(0);
    chmodSync(join(cwd, 'data/tokens'), 0o644);
    const runs = await Promise.all([ringmon(cwd, ['list']), ringmon(cwd, ['add', 'b', '--role', 'viewer']), ringmon(cwd, ['revoke', 'a'])]);
    for (const run of runs) expectFailure(run, 1, /data\/tokens: permissions 0644 are too open: .*; fix with: chmod 600 data\/tokens\n$/);
    chmodSync(join(cwd, 'data/tokens'), 0o600);
    expect((await ringmon(cwd, ['list'])).code).toBe(0);
  });

  it('still makes a (deprecated) writer token, and says so when adding and listing', async () => {
    const cwd = workdir();
    const added = await ringmon(cwd, ['add', 'legacy', '--role', 'writer']);
    expect(added.code).toBe(0);
    expect(added.stderr).toBe(
      "Added writer token 'legacy' to data/tokens. It is not shown again: store it now.\n" +
        'note: the writer role is deprecated (it is ingest and operator together); give agents and loaders ingest, people operator: ringmon token set-role NAME --role ingest|operator\n',
    );
    const listed = await ringmon(cwd, ['list']);
    expect(listed.stdout).toMatch(/^legacy +writer /m);
    expect(listed.stderr).toMatch(/^note: the writer role is deprecated .*set-role/);
  });

  it('set-role narrows a token in place: the same token works on, with the new role', async () => {
    const cwd = workdir();
    const file = join(cwd, 'data', 'tokens');
    const token = (await ringmon(cwd, ['add', 'collector', '--role', 'writer'])).stdout.trim();
    expect((await ringmon(cwd, ['add', 'ops', '--role', 'admin'])).code).toBe(0);
    const changed = await ringmon(cwd, ['set-role', 'collector', '--role', 'ingest']);
    expect(changed).toEqual({ code: 0, stdout: '', stderr: "Token 'collector' in data/tokens: writer -> ingest.\n" });
    expect(findPrincipal(loadTokenFile(file), token)).toEqual({ name: 'collector', role: 'ingest' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const listed = await ringmon(cwd, ['list']);
    expect(listed.stderr).toBe('');
    const before = readFileSync(file, 'utf8');
    const runs = await Promise.all([
      ringmon(cwd, ['set-role', 'nobody', '--role', 'viewer']),
      ringmon(cwd, ['set-role', 'collector']),
      ringmon(cwd, ['set-role', 'collector', '-r', 'root']),
    ]);
    expectFailure(runs[0], 1, /data\/tokens: no token named 'nobody'/);
    expectFailure(runs[1], 2, /missing --role/);
    expectFailure(runs[2], 2, /invalid --role 'root'/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('says how to create a missing file', async () => {
    expectFailure(await ringmon(workdir(), ['list']), 1, /data\/tokens: no such file; create it with: ringmon token add NAME --role admin --file data\/tokens/);
  });

  it('has --help for the group and each command', async () => {
    const cwd = workdir();
    const [group, add, list, revoke] = await Promise.all([
      ringmon(cwd, ['--help']),
      ringmon(cwd, ['add', '--help']),
      ringmon(cwd, ['list', '-h']),
      ringmon(cwd, ['revoke', '--help']),
    ]);
    expect(group.stdout).toMatch(/^Usage: ringmon token COMMAND/);
    expect(group.stdout).toMatch(/add +create a token/);
    expect(add.stdout).toMatch(/^Usage: ringmon token add NAME --role viewer\|ingest\|operator\|admin \[--file FILE\]/);
    expect(add.stdout).toMatch(/^ +ingest +writes samples and agent heartbeats, nothing else/m);
    expect(list.stdout).toMatch(/^Usage: ringmon token list \[--file FILE\]/);
    expect(revoke.stdout).toMatch(/^Usage: ringmon token revoke NAME \[--file FILE\]/);
    for (const run of [group, add, list, revoke]) {
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
    }
    expect(add.stdout).toContain('./data/tokens');
  });
});
