/**
 * `ringmon alarm ack` and `unack` through the real launcher (node
 * bin/ringmon.js) as a child process, against a real server on loopback:
 * acknowledging with a comment and an expiry, read back through the API
 * with the token's name as author, withdrawing; failures as one stderr
 * line naming the option at fault, exit 1 (2 for usage), nothing stored.
 *
 * Failed on the old code: `ringmon alarm` was an unknown command.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig } from '../../server/config/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { apiCall } from '../helpers/api-call.js';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/wait.js';
import { runRingmon, type CommandRun } from '../helpers/ringmon-command.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-alarm-cli-'));
let server: RunningServer;
let operatorFile: string;
let viewerToken: string;

beforeAll(async () => {
  writeFileSync(
    join(dir, 'ringmon.yaml'),
    ['log:', '  level: silent', 'slurpers:', '  instances: []', 'alarms:', '  rules:', '    - { name: disk, match: "host.*.disk", warning: "> 80", critical: "> 90" }', ''].join('\n'),
  );
  const config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  operatorFile = join(dir, 'operator.token');
  writeFileSync(operatorFile, `${addToken(config.auth.tokensFile, 'ops-alice', 'operator')}\n`, { mode: 0o600 });
  viewerToken = addToken(config.auth.tokensFile, 'grafana', 'viewer');
  const ingest = addToken(config.auth.tokensFile, 'loader', 'ingest');
  server = await startServer(config);
  const now = Date.now() / 1000;
  const posted = await apiCall(server.url, 'POST', '/api/v1/samples', ingest, [
    { series: 'host.web01.disk', t: now - 1, v: 95 },
    { series: 'host.web02.disk', t: now - 1, v: 10 },
  ]);
  expect(posted.status).toBe(200);
  await until(async () => (await alarm('host.web01.disk'))?.state === 'CRITICAL', 'host.web01.disk CRITICAL', 20_000);
}, 60_000);
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

type Run = CommandRun;

async function alarm(series: string): Promise<Record<string, any> | undefined> {
  return (await apiCall(server.url, 'GET', `/api/v1/alarms?series=${series}`, viewerToken)).json.alarms[0];
}

/** Runs `ringmon alarm ARGS` with RINGMON_URL pointing at the server; `env` adds or overrides variables. */
function run(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return runRingmon(['alarm', ...args], { cwd: dir, env: { RINGMON_URL: server.url, RINGMON_TOKEN: undefined, ...env } });
}

const asOperator = (args: readonly string[]): Promise<Run> => run([...args, '--token-file', operatorFile]);

function expectFailure(r: Run, code: number, message: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toMatch(/^ringmon alarm \w+: [^\n]+\n$/);
  expect(r.stderr).toMatch(message);
}

describe('ringmon alarm', () => {
  it('refuses, naming what is at fault, and stores nothing', async () => {
    expectFailure(await asOperator(['ack', 'host.web01.disk']), 2, /missing --comment/);
    expectFailure(await asOperator(['ack', 'host.web01.disk', '--comment', 'x', '--expires', 'soon']), 2, /--expires: 'soon' is not a duration/);
    expectFailure(await asOperator(['ack', 'host.web02.disk', '--comment', 'x']), 1, /SERIES: 'host\.web02\.disk' is OK/);
    expectFailure(await asOperator(['ack', 'host.none.disk', '--comment', 'x']), 1, /SERIES: no alarm for 'host\.none\.disk'/);
    expectFailure(await asOperator(['ack', 'host.web01.disk', '--comment', 'x'.repeat(1001)]), 1, /--comment/);
    expectFailure(await run(['ack', 'host.web01.disk', '--comment', 'x'], { RINGMON_TOKEN: viewerToken }), 1, /operator/);
    expectFailure(await asOperator(['unack', 'host.web01.disk']), 1, /SERIES: 'host\.web01\.disk' is not acknowledged/);
    expect((await alarm('host.web01.disk'))?.acknowledgement).toBeUndefined();
  }, 180_000);

  it('acknowledges with a comment and an expiry, then withdraws it', async () => {
    const before = Date.now() / 1000;
    const acked = await asOperator(['ack', 'host.web01.disk', '--comment', 'disk swap booked for Tuesday', '--expires', '2h']);
    expect(acked.code, acked.stderr).toBe(0);
    expect(acked.stderr).toMatch(/^Acknowledged host\.web01\.disk \(CRITICAL\) until \S+Z or its next change of state\n$/);
    const ack = (await alarm('host.web01.disk'))?.acknowledgement;
    expect(ack).toMatchObject({ author: 'ops-alice', comment: 'disk swap booked for Tuesday', state: 'CRITICAL' });
    const until = Date.parse(ack.until) / 1000;
    expect(until).toBeGreaterThanOrEqual(Math.floor(before + 7200));
    expect(until).toBeLessThan(before + 7200 + 60);

    const withdrawn = await asOperator(['unack', 'host.web01.disk', '--comment', 'postponed']);
    expect(withdrawn.code, withdrawn.stderr).toBe(0);
    expect(withdrawn.stderr).toBe('Withdrew the acknowledgement of host.web01.disk (CRITICAL)\n');
    expect((await alarm('host.web01.disk'))?.acknowledgement).toBeUndefined();
    const history = await apiCall(server.url, 'GET', '/api/v1/alarms/history?series=host.web01.disk', viewerToken);
    expect(history.json.acknowledgements.map((e: { action: string; author: string; comment: string }) => [e.action, e.author, e.comment])).toEqual([
      ['unack', 'ops-alice', 'postponed'],
      ['ack', 'ops-alice', 'disk swap booked for Tuesday'],
    ]);
  }, 60_000);

  it('acknowledges a node item the same way (404 while no node is down)', async () => {
    expectFailure(await asOperator(['ack', 'node:web03', '--comment', 'power cut']), 1, /SERIES: no alarm for 'node:web03'/);
  }, 30_000);
});
