/**
 * The data directory's lock on real sockets: held once, refused with the
 * holder's pid, free again after release; a lock left by a process killed
 * with SIGKILL is taken over; a data directory whose lock path is longer
 * than a socket address may be still gets its lock.
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../../server/data-dir/index.js';
import { until } from '../../helpers/wait.js';

const root = mkdtempSync(join(tmpdir(), 'ringmon-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fresh(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

describe('the data directory lock', () => {
  it('is held once: a second taker is refused with the holder pid; after release it is free and its file gone', async () => {
    const dir = fresh('once');
    const lock = await lockDataDir(dir);
    expect(lstatSync(join(dir, LOCK_FILE)).mode & 0o777).toBe(0o600);
    const refused = await lockDataDir(dir).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as DataDirLockedError).pid).toBe(process.pid);
    expect((refused as Error).message).toContain(dir);
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    await (await lockDataDir(dir)).release();
  });

  it('takes over a lock left by a process killed with SIGKILL', async () => {
    const dir = fresh('stale');
    const script = `require('net').createServer().listen(${JSON.stringify(join(dir, LOCK_FILE))}, () => console.log('held'))`;
    const holder = spawn(process.execPath, ['-e', script]);
    let said = '';
    holder.stdout.on('data', (d: Buffer) => (said += d.toString()));
    await until(() => said.includes('held'), 'the child to hold the lock');
    expect(await lockDataDir(dir).catch((e: unknown) => e)).toBeInstanceOf(DataDirLockedError);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.on('exit', resolve));
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true); // left behind
    const lock = await lockDataDir(dir);
    expect(await lockDataDir(dir).catch((e: unknown) => (e as DataDirLockedError).pid)).toBe(process.pid);
    await lock.release();
  });

  it('works for a data directory deeper than a socket path may be long', async () => {
    const dir = fresh(['deep', 'x'.repeat(60), 'y'.repeat(60), 'data'].join('/'));
    expect(Buffer.byteLength(join(dir, LOCK_FILE))).toBeGreaterThan(108);
    const lock = await lockDataDir(dir);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    expect(((await lockDataDir(dir).catch((e: unknown) => e)) as DataDirLockedError).pid).toBe(process.pid);
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
