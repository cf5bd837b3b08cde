import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunContext, RunTimeoutError } from '../../../slurpers/host/run-context.js';

describe('createRunContext', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // /slow never answers; / answers at once.
    server = createServer((req, res) => {
      if (req.url !== '/slow') res.end('hello');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives the instance, the start time and a working fetch', async () => {
    const { context, dispose } = createRunContext({ instance: 'web01', timeoutSeconds: 5, now: 1_700_000_000 });
    try {
      expect(context).toMatchObject({ instance: 'web01', now: 1_700_000_000 });
      expect(await (await context.fetch(`${url}/`)).text()).toBe('hello');
    } finally {
      dispose();
    }
  });

  it('aborts at the timeout with a reason that says so, and fetch with it', async () => {
    const { context, dispose } = createRunContext({ instance: 'web01', timeoutSeconds: 0.3 });
    try {
      await expect(context.fetch(`${url}/slow`)).rejects.toThrow('timed out after 0.3 s');
      expect(context.signal.reason).toBeInstanceOf(RunTimeoutError);
    } finally {
      dispose();
    }
  });

  it('keeps the deadline when the slurper passes a signal of its own', async () => {
    const { context, dispose } = createRunContext({ instance: 'web01', timeoutSeconds: 0.3 });
    try {
      await expect(context.fetch(`${url}/slow`, { signal: new AbortController().signal })).rejects.toThrow('timed out after 0.3 s');
    } finally {
      dispose();
    }
  });

  it('aborts when the host shuts down, with the host reason', async () => {
    const shutdown = new AbortController();
    const { context, dispose } = createRunContext({ instance: 'web01', timeoutSeconds: 30, signal: shutdown.signal });
    const running = context.runCommand('sleep', ['30']);
    shutdown.abort(new Error('the scheduler is stopping'));
    await expect(running).rejects.toThrow('sleep 30: killed: the scheduler is stopping');
    dispose();
  });

  it('dispose aborts what the slurper left running and stops the timer', async () => {
    const { context, dispose } = createRunContext({ instance: 'web01', timeoutSeconds: 30 });
    const leftover = context.runCommand('sleep', ['30']);
    dispose();
    await expect(leftover).rejects.toThrow('killed: the run has finished');
    expect(context.signal.reason).not.toBeInstanceOf(RunTimeoutError);
  });
});

describe('the run context\'s stateDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'ringmon-state-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is <stateRoot>/<instance>, made (private) only when a run reads it, and the next run finds what the last one left', () => {
    const stateRoot = join(root, 'slurper-state');
    const first = createRunContext({ instance: 'web01.log', timeoutSeconds: 5, stateRoot });
    expect(existsSync(stateRoot)).toBe(false);
    expect(first.context.stateDir).toBe(join(stateRoot, 'web01.log'));
    expect(statSync(first.context.stateDir).mode & 0o777).toBe(0o700);
    writeFileSync(join(first.context.stateDir, 'offset'), '42');
    first.dispose();
    const next = createRunContext({ instance: 'web01.log', timeoutSeconds: 5, stateRoot });
    expect(readFileSync(join(next.context.stateDir, 'offset'), 'utf8')).toBe('42');
    next.dispose();
    const other = createRunContext({ instance: 'web02.log', timeoutSeconds: 5, stateRoot });
    expect(other.context.stateDir).not.toBe(next.context.stateDir);
    other.dispose();
  });

  it('refuses an instance name that would leave the root, and names a folder it cannot make', () => {
    const climbing = createRunContext({ instance: '../etc', timeoutSeconds: 5, stateRoot: join(root, 'a') });
    expect(() => climbing.context.stateDir).toThrow('instance name "../etc" cannot name a state folder');
    climbing.dispose();
    const blocked = join(root, 'not-a-folder');
    writeFileSync(blocked, '');
    const { context, dispose } = createRunContext({ instance: 'x', timeoutSeconds: 5, stateRoot: blocked });
    expect(() => context.stateDir).toThrow(`cannot create the state folder ${join(blocked, 'x')}: `);
    dispose();
  });
});
