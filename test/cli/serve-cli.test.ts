/**
 * `ringmon serve` as a user runs it: a real process, real config files,
 * real HTTP on loopback, and signals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { addToken } from '../../server/auth/token-file.js';
import { freePort } from '../helpers/free-port.js';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ringmon-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function serve(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [join(root, 'bin', 'ringmon.js'), 'serve', ...args], { cwd: dir, env: { ...process.env, ...env } });
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  child.stdout!.on('data', (d: Buffer) => (run.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (run.stderr += d.toString()));
  return run;
}

async function waitFor(run: Run, text: string): Promise<void> {
  for (let i = 0; i < 200 && !run.stdout.includes(text); i++) await new Promise((r) => setTimeout(r, 50));
  if (!run.stdout.includes(text)) throw new Error(`server did not log '${text}': ${run.stdout}${run.stderr}`);
}

describe('ringmon serve', () => {
  it('refuses a bad config with one line naming every key at fault, and does not listen', async () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'listen:\n  prot: 8080\nlimits:\n  bodyBytes: -1\n');
    const run = serve(['--config', config]);
    expect(await run.exited).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('listen.prot: unknown key');
    expect(lines[0]).toContain('limits.bodyBytes');
    expect(run.stdout).not.toContain('listening');
  });

  it('starts on defaults, keeps data under ./data, answers, warns that no token file exists, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const run = serve([], { RINGMON_LISTEN_PORT: String(port) });
    await waitFor(run, 'ringmon listening on http://127.0.0.1:');
    expect(existsSync(join(dir, 'data'))).toBe(true);
    expect(run.stdout).toContain('no token file');
    const health = await request(`http://127.0.0.1:${port}/healthz`);
    expect(health.statusCode).toBe(200);
    expect(((await health.body.json()) as { version: string }).version).toMatch(/^\d+\.\d+\.\d+/);
    const docs = await request(`http://127.0.0.1:${port}/docs/json`);
    expect(docs.statusCode).toBe(200);
    await docs.body.dump();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout).toContain('shut down cleanly');
  });

  it('refuses to start when the token file is readable by others, saying how to fix it', async () => {
    const tokens = join(dir, 'data', 'tokens');
    writeFileSync(tokens, '# no tokens yet\n');
    chmodSync(tokens, 0o644);
    const run = serve([], { RINGMON_LISTEN_PORT: String(await freePort()) });
    expect(await run.exited).toBe(1);
    expect(run.stderr).toContain('chmod 600');
    expect(run.stdout).not.toContain('listening');
    chmodSync(tokens, 0o600);
  });

  it('after a kill -9, says at start how many journaled samples it replayed', async () => {
    const port = await freePort();
    const dataDir = join(dir, 'replay-data');
    const token = addToken(join(dataDir, 'tokens'), 'loader', 'writer');
    const env = { RINGMON_LISTEN_PORT: String(port), RINGMON_DATA_DIR: dataDir };
    // No demo slurpers: a run of theirs before the kill would be replayed too, and the count would depend on timing.
    const config = join(dir, 'replay.yaml');
    writeFileSync(config, 'slurpers:\n  instances: []\n');
    const first = serve(['--config', config], env);
    await waitFor(first, 'ringmon listening on');
    const samples = Array.from({ length: 7 }, (_, k) => ({ series: 'replay.check', t: 1_700_000_000 + 10 * k, v: k }));
    const res = await request(`http://127.0.0.1:${port}/api/v1/samples`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(samples),
    });
    expect(await res.body.json()).toEqual({ accepted: 7, rejected: [] });
    // The default flush interval is a minute: the samples are only in the journal when the process dies.
    first.child.kill('SIGKILL');
    await first.exited;

    const second = serve(['--config', config], env);
    await waitFor(second, 'ringmon listening on');
    const replayed = second.stdout.split('\n').filter((l) => l.includes('replayed the journal')).map((l) => JSON.parse(l) as { samples: number });
    expect(replayed).toHaveLength(1);
    expect(replayed[0].samples).toBe(7);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
