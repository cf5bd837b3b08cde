import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import processSlurper from '../../../slurpers/builtin/process.js';
import { runOnce } from '../../../slurpers/host/run-once.js';

const run = (options: object) => runOnce(processSlurper, { name: 'daemons', timeoutSeconds: 10, options });
const count = async (options: object) => (await run(options)).samples.find((s) => s.series === 'daemons.count')?.value;

describe('process', () => {
  // An odd duration makes these sleeps recognisable among whatever else runs on the machine.
  const marker = '4321.5';
  const children: ChildProcess[] = [];
  beforeAll(() => {
    for (let i = 0; i < 2; i++) children.push(spawn('sleep', [marker], { stdio: 'ignore' }));
  });
  afterAll(() => children.forEach((child) => child.kill('SIGKILL')));

  it('counts the processes whose command line matches', async () => {
    expect(await count({ pattern: `^sleep ${marker.replace('.', '\\.')}$` })).toBe(2);
  });

  it('matches the program name together with a pattern', async () => {
    expect(await count({ name: 'sleep', pattern: marker.replace('.', '\\.') })).toBe(2);
    expect(await count({ name: 'sleepy', pattern: marker.replace('.', '\\.') })).toBe(0);
  });

  it('is OK within [min, max], CRITICAL outside, with the range offered as threshold', async () => {
    const pattern = `^sleep ${marker.replace('.', '\\.')}$`;
    expect((await run({ pattern, min: 2, max: 2 })).state).toEqual({ status: 'OK', message: `2 processes matching /${pattern}/` });
    const tooFew = await run({ pattern, min: 3 });
    expect(tooFew).toMatchObject({ ok: true, state: { status: 'CRITICAL', message: `2 processes matching /${pattern}/; expected at least 3` } });
    expect(tooFew.samples[0].thresholds).toEqual({ critical: '3:' });
  });

  it('notices a daemon that died', async () => {
    const lone = spawn('sleep', ['8765.25'], { stdio: 'ignore' });
    expect(await count({ pattern: '^sleep 8765\\.25$' })).toBe(1);
    lone.kill('SIGKILL');
    await new Promise((resolve) => lone.once('exit', resolve));
    expect((await run({ pattern: '^sleep 8765\\.25$' })).state?.status).toBe('CRITICAL');
  });

  it('finds long-running system processes by name (pid 1 has one)', async () => {
    const { readFile } = await import('node:fs/promises');
    const init = (await readFile('/proc/1/comm', 'utf8')).trim();
    expect(await count({ name: init })).toBeGreaterThanOrEqual(1);
  });

  it('needs a name or a pattern', async () => {
    expect((await run({})).error).toBe('options: give name, pattern, or both');
  });
});
