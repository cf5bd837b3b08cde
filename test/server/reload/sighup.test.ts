/**
 * Reloading a real `ringmon serve`. SIGHUP no longer kills it: a bad file
 * is refused with one log line naming the key, and the server keeps
 * answering on its old config; a changed alarm threshold is in force at
 * once (a new crossing alarms under it, a series still alarmed keeps its
 * state and since); a changed listen port is reported as needing a
 * restart. POST /api/v1/admin/reload does the same and answers with it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { ringmonLauncher, type RingmonProcess } from '../../helpers/ringmon-process.js';
import { until } from '../../helpers/wait.js';
import { WebhookSink } from '../../helpers/webhook-sink.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-reload-'));
const launcher = ringmonLauncher(dir);
const file = join(dir, 'ringmon.yaml');
const tokensFile = join(dir, 'tokens');
let token: string;
let port: number;
let base: string;
let server: RingmonProcess;
let exitCode: number | null | undefined;

/** The config: a port, a data folder, no slurpers, one alarm rule warning above `warning`, told to `hook` when given. */
function writeConfig(warning: string, listenPort = port, hook?: string): void {
  const lines = [
    'log: { level: info }',
    `listen: { host: 127.0.0.1, port: ${listenPort} }`,
    `dataDir: ${join(dir, 'data')}`,
    `auth: { tokensFile: ${tokensFile} }`,
    'slurpers: { instances: [] }',
    'alarms:',
    '  rules:',
    `    - { name: load-high, match: "h.*.load", warning: "> ${warning}"${hook ? ', notify: [hooks]' : ''} }`,
    ...(hook ? ['  recipients:', `    - { name: hooks, webhook: ["${hook}"] }`] : []),
  ];
  writeFileSync(file, lines.join('\n'));
}

const now = (): number => Math.floor(Date.now() / 1000);
let t = now() - 100;

async function sample(series: string, v: number): Promise<void> {
  expect((await apiCall(base, 'POST', '/api/v1/samples', token, [{ series, t: ++t, v }])).status).toBe(200);
}

async function alarmOf(series: string): Promise<{ state: string; since: number } | undefined> {
  const answer = await apiCall(base, 'GET', '/api/v1/alarms', token);
  return (answer.json.alarms as { series: string; state: string; since: number }[]).find((a) => a.series === series);
}

/** Sends SIGHUP and waits for the log line `marker` (its n-th appearance). */
async function hangUp(marker: string): Promise<void> {
  const before = server.output().split(marker).length;
  server.kill('SIGHUP');
  await until(() => server.output().split(marker).length > before || exitCode !== undefined, `'${marker}' in the log`, 30_000);
  expect(exitCode).toBeUndefined();
}

beforeAll(async () => {
  token = addToken(tokensFile, 'admin', 'admin');
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  writeConfig('10');
  server = launcher.run(['serve', '--config', file]);
  void server.exited.then((c) => (exitCode = c));
  await until(() => server.output().includes('ringmon listening on'), 'the server listens', 60_000);
}, 90_000);

afterAll(() => {
  launcher.killAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('reloading the config', () => {
  it('SIGHUP with a bad file keeps the server on its old config and logs the key', async () => {
    writeConfig('lots');
    await hangUp('reload refused');
    expect(server.output()).toMatch(/reload refused, the running config is kept: alarms\.rules\[0\]\.warning/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // Still the old rule: 12 crosses > 10.
    await sample('h.old.load', 12);
    await until(async () => (await alarmOf('h.old.load'))?.state === 'WARNING', 'the old rule alarms', 10_000);
  }, 60_000);

  it('SIGHUP with a changed threshold alarms a new crossing under it, and keeps the states of alarmed series', async () => {
    await sample('h.kept.load', 20);
    await until(async () => (await alarmOf('h.kept.load'))?.state === 'WARNING', 'h.kept.load warns', 10_000);
    const kept = await alarmOf('h.kept.load');
    await sample('h.a.load', 7);
    expect((await alarmOf('h.a.load'))?.state ?? 'OK').toBe('OK');

    writeConfig('5');
    await hangUp('reload: applied');
    expect(server.output()).toMatch(/reload: applied alarms\.rules/);
    await sample('h.a.load', 8);
    await until(async () => (await alarmOf('h.a.load'))?.state === 'WARNING', 'the new threshold alarms', 10_000);
    expect(await alarmOf('h.kept.load')).toMatchObject({ state: 'WARNING', since: kept?.since });
  }, 60_000);

  it('POST /api/v1/admin/reload answers what it applied, what needs a restart, and a bad file as a 400 naming the key', async () => {
    writeConfig('3', port + 1);
    const valid = await apiCall(base, 'POST', '/api/v1/admin/reload', token);
    expect(valid.status).toBe(200);
    expect(valid.json).toEqual({ applied: ['alarms.rules'], restartNeeded: ['listen'] });

    writeConfig('-', port);
    const refused = await apiCall(base, 'POST', '/api/v1/admin/reload', token);
    expect(refused.status).toBe(400);
    expect(refused.json.error.problems[0].field).toBe('config/alarms.rules[0].warning');
    // The rule of the last good reload (> 3) is still in force.
    await sample('h.b.load', 4);
    await until(async () => (await alarmOf('h.b.load'))?.state === 'WARNING', 'the last good rule alarms', 10_000);
  }, 60_000);

  it('SIGHUP with a new recipient tells it of the next alarm', async () => {
    const sink = await WebhookSink.start();
    try {
      writeConfig('3', port, sink.url());
      await hangUp('reload: applied');
      expect(server.output()).toMatch(/reload: applied alarms\.recipients, alarms\.rules/);
      await sample('h.c.load', 9);
      await until(() => JSON.stringify(sink.delivered()).includes('h.c.load'), 'the new recipient is told', 30_000);
    } finally {
      await sink.stop();
    }
  }, 60_000);

  it('stops cleanly afterwards', async () => {
    server.stop();
    expect(await server.exited).toBe(0);
  }, 60_000);
});
