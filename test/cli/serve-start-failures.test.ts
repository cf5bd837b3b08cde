/**
 * `ringmon serve` failing at start, as a real process: a corrupt database
 * is one line naming the file and what to do; a start refused on a bad
 * secret file leaves the data directory as it was; a second server on a
 * data directory in use is refused, naming the directory and the process
 * holding it, and a kill -9 of the holder does not keep the next start out.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { freePort } from '../helpers/free-port.js';
import { launcherInTempDir, type RingmonProcess } from '../helpers/ringmon-process.js';
import { until } from '../helpers/wait.js';

const { dir, launcher } = launcherInTempDir('ringmon-start-failures-');

/** A config file for a server keeping its data in `dataDir`, plus `extra` YAML lines. */
function configFor(name: string, dataDir: string, extra: string[] = []): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, ['log:', '  level: info', `dataDir: ${dataDir}`, 'slurpers:', '  instances: []', ...extra].join('\n'));
  return file;
}

async function serve(config: string): Promise<RingmonProcess> {
  return launcher.run(['serve', '--config', config], { RINGMON_LISTEN_PORT: String(await freePort()) });
}

async function listening(server: RingmonProcess): Promise<void> {
  await until(() => server.output().includes('ringmon listening on'), `a server listening: ${server.output()}`, 60_000);
}

/** Every path under `root` (relative), or null when root does not exist. */
function tree(root: string): string[] | null {
  if (!existsSync(root)) return null;
  return (readdirSync(root, { recursive: true }) as string[]).sort();
}

/** What a failed start printed: one line on stderr, no stack. */
function oneLine(output: string): string {
  const lines = output.trim().split('\n').filter((l) => !l.startsWith('{')); // pino's JSON log lines go to stdout
  expect(lines, output).toHaveLength(1);
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toContain('internal error');
  return lines[0];
}

describe('ringmon serve at start', () => {
  it('says which database file is corrupt and what to do, in one line, without a stack', async () => {
    const dataDir = join(dir, 'corrupt');
    mkdirSync(dataDir, { mode: 0o700 });
    const database = join(dataDir, 'ringmon.sqlite');
    writeFileSync(database, 'this is not a database\n'.repeat(200), { mode: 0o600 });
    const server = await serve(configFor('corrupt', dataDir));
    expect(await server.exited).toBe(1);
    const line = oneLine(server.output());
    expect(line).toContain(database);
    expect(line).toMatch(/not a SQLite database/);
    expect(line).toMatch(/move it aside|restore/);
  }, 60_000);

  it('says so in one line when the database was made by ringmon and later damaged', async () => {
    const dataDir = join(dir, 'damaged');
    const config = configFor('damaged', dataDir);
    const first = await serve(config);
    await listening(first);
    first.stop();
    expect(await first.exited).toBe(0);
    const database = join(dataDir, 'ringmon.sqlite');
    // Every page after the first (the header and schema) overwritten.
    const fd = openSync(database, 'r+');
    writeSync(fd, Buffer.alloc(statSync(database).size - 4096, 0xde), 0, undefined, 4096);
    closeSync(fd);
    const second = await serve(config);
    expect(await second.exited).toBe(1);
    const line = oneLine(second.output());
    expect(line).toContain(database);
    expect(line).toMatch(/damaged/);
    expect(line).toMatch(/move it aside|restore/);
  }, 120_000);

  it('leaves no new file behind when it fails on a bad secret file: a data directory that did not exist still does not', async () => {
    const dataDir = join(dir, 'fresh');
    const secret = join(dir, 'webhook.token');
    writeFileSync(secret, 's3cret\n');
    chmodSync(secret, 0o644);
    const server = await serve(configFor('fresh', dataDir, ['notify:', '  webhook:', `    tokenFile: ${secret}`]));
    expect(await server.exited).toBe(1);
    expect(oneLine(server.output())).toContain('chmod 600');
    expect(tree(dataDir)).toBeNull();
  }, 60_000);

  it('leaves a data directory holding only its token file as it was when it fails on a bad secret file', async () => {
    const dataDir = join(dir, 'tokens-only');
    addToken(join(dataDir, 'tokens'), 'ops', 'admin');
    const before = tree(dataDir);
    const secret = join(dir, 'webhook2.token');
    writeFileSync(secret, 's3cret\n');
    chmodSync(secret, 0o640);
    const server = await serve(configFor('tokens-only', dataDir, ['notify:', '  webhook:', `    tokenFile: ${secret}`]));
    expect(await server.exited).toBe(1);
    oneLine(server.output());
    expect(tree(dataDir)).toEqual(before);
  }, 60_000);

  it('refuses a second server on the same data directory, naming it and the holder; after a kill -9 of the holder a new one starts', async () => {
    const dataDir = join(dir, 'shared');
    const first = await serve(configFor('first', dataDir));
    await listening(first);
    const held = tree(dataDir);
    const second = await serve(configFor('second', dataDir));
    expect(await second.exited).toBe(1);
    expect(tree(dataDir)).toEqual(held); // the refused start touched nothing of the holder's
    const line = oneLine(second.output());
    expect(line).toContain(dataDir);
    expect(line).toContain(`pid ${first.pid}`);
    expect(second.output()).not.toContain('listening');

    first.kill('SIGKILL');
    await first.exited;
    const third = await serve(configFor('third', dataDir));
    await listening(third);
    third.stop();
    expect(await third.exited).toBe(0);
    // A clean stop lets go of the lock: the next start needs no stale-lock recovery.
    const fourth = await serve(configFor('fourth', dataDir));
    await listening(fourth);
    fourth.stop();
    expect(await fourth.exited).toBe(0);
  }, 120_000);
});
