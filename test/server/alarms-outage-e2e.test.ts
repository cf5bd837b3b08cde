/**
 * The alarm engine's database refusing writes, in a real server
 * (startServer) read over HTTP: `alarms.maxPendingTransitions: 10` from the
 * config file is the bound in force, and /metrics shows the failed commits
 * and the transitions folded away as they happen, then the queue emptied
 * once writes work again. The refusal is SQLite's own: another process adds
 * a trigger that aborts every insert of a transition (as a full disk would
 * abort the commit), and drops it later.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig } from '../../server/config/index.js';
import { DATABASE_FILE } from '../../server/database/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { apiCall } from '../helpers/api-call.js';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/wait.js';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ringmon-alarm-outage-e2e-'));
let server: RunningServer;
let writer: string;
let viewer: string;
let databaseFile: string;

beforeAll(async () => {
  writeFileSync(
    join(dir, 'ringmon.yaml'),
    ['log: { level: silent }', 'slurpers: { instances: [] }', 'alarms:', '  maxPendingTransitions: 10', '  rules:', '    - { name: cpu, match: "host.*.cpu", critical: "> 90" }', ''].join('\n'),
  );
  const config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  databaseFile = join(config.dataDir, DATABASE_FILE);
  writer = addToken(config.auth.tokensFile, 'bot', 'writer');
  viewer = addToken(config.auth.tokensFile, 'eve', 'viewer');
  server = await startServer(config);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `statement` on the server's database from another process (better-sqlite3), waiting for its lock as a second writer would. */
async function fromAnotherProcess(statement: string): Promise<void> {
  const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.pragma('busy_timeout = 5000'); db.exec(process.argv[2]); db.close();`;
  await promisify(execFile)(process.execPath, ['-e', script, databaseFile, statement], { cwd: root });
}

async function metrics(): Promise<string> {
  const answer = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${viewer}` } });
  expect(answer.status).toBe(200);
  return answer.text();
}
const valueIn = (text: string, name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
const metric = async (name: string): Promise<number> => valueIn(await metrics(), name);

let clock = Math.floor(Date.now() / 1000) - 600;
async function post(series: string, ...values: number[]): Promise<void> {
  const answer = await apiCall(server.url, 'POST', '/api/v1/samples', writer, values.map((v) => ({ series, t: ++clock, v })));
  expect(answer.json).toEqual({ accepted: values.length, rejected: [] });
}
const stateOf = async (series: string): Promise<string | undefined> => (await apiCall(server.url, 'GET', `/api/v1/alarms?series=${series}`, viewer)).json.alarms[0]?.state;

describe('/metrics while the alarm database refuses writes', () => {
  it('shows the alarm counters from the start, typed', async () => {
    const text = await metrics();
    for (const [name, type] of [
      ['ringmon_alarm_commit_failures_total', 'counter'],
      ['ringmon_alarm_transitions_dropped_total', 'counter'],
      ['ringmon_alarm_transitions_pending', 'gauge'],
    ]) {
      expect(text).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
      expect(text).toContain(`# TYPE ${name} ${type}\n${name} 0\n`);
    }
    expect(text).toContain('# TYPE ringmon_alarm_transitions_pending_limit gauge\nringmon_alarm_transitions_pending_limit 10\n');
  });

  it('counts the failed commits and the transitions folded past the limit, and empties once writes work', async () => {
    await post('host.web01.cpu', 40, 95);
    await until(async () => (await stateOf('host.web01.cpu')) === 'CRITICAL', 'the first alarm');
    await until(async () => (await metric('ringmon_alarm_transitions_pending')) === 0, 'its commit');

    await fromAnotherProcess(`CREATE TRIGGER refuse_transitions BEFORE INSERT ON alarm_transitions BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`);
    await post('host.web01.cpu', 10);
    await until(async () => (await metric('ringmon_alarm_commit_failures_total')) >= 2, 'commits to fail and be retried');
    let text = await metrics();
    expect(valueIn(text, 'ringmon_alarm_transitions_pending')).toBe(1);
    expect(valueIn(text, 'ringmon_alarm_transitions_dropped_total')).toBe(0);

    // 30 flaps of three series in one request: more than 10 wait, so each series' fold into one.
    for (const series of ['host.a.cpu', 'host.b.cpu', 'host.c.cpu']) await post(series, ...Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 95 : 10)));
    await post('host.a.cpu', 95);
    text = await metrics();
    expect(valueIn(text, 'ringmon_alarm_transitions_dropped_total')).toBeGreaterThanOrEqual(91 - 10);
    expect(valueIn(text, 'ringmon_alarm_transitions_pending')).toBeLessThanOrEqual(10);
    const failures = valueIn(text, 'ringmon_alarm_commit_failures_total');
    await until(async () => (await metric('ringmon_alarm_commit_failures_total')) > failures, 'the next tick to fail too');

    await fromAnotherProcess('DROP TRIGGER refuse_transitions;');
    await until(async () => (await metric('ringmon_alarm_transitions_pending')) === 0, 'the waiting transitions to be recorded');
    for (const [series, state] of [['host.web01.cpu', 'OK'], ['host.a.cpu', 'CRITICAL'], ['host.b.cpu', 'OK'], ['host.c.cpu', 'OK']]) {
      expect(await stateOf(series), series).toBe(state);
    }
    const history = await apiCall(server.url, 'GET', '/api/v1/alarms/history?series=host.web01.cpu', viewer);
    expect(history.json.transitions.map((t: { from: string; to: string }) => `${t.from} > ${t.to}`)).toEqual(['CRITICAL > OK', 'OK > CRITICAL']);
  }, 30_000);
});
