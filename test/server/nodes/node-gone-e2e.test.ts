/**
 * A node that goes away ends its alarm, over real HTTP on a real server
 * with a real SMTP server: an agent heartbeats and sends samples, stops,
 * goes down (one mail, node:<name>; its series NODATA, inhibited by it);
 * DELETE /api/v1/agents/NAME forgets it: within the tracker's next look
 * GET /api/v1/alarms lists no node:<name> any more, its series are held by
 * no node, and the people told of the down hear one recovery saying the
 * node was removed. A server-run instance named as an agent is another
 * node (node:instance:<name>): its target stops answering, it goes down
 * alone while the agent heartbeats; a reload removes it: its alarm ends
 * the same way. GET /api/v1/rules lists the built-in node-down rule with
 * its recipients and reminders from the nodes section.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { loadConfig } from '../../../server/config/index.js';
import { startServer, type RunningServer } from '../../../server/index.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { startHeldTarget } from '../../helpers/held-target.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';
import { sleep, until } from '../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-node-gone-'));
let server: RunningServer | undefined;
let smtp: SmtpSink | undefined;
let ingest: string;
let viewer: string;
let admin: string;

beforeAll(async () => {
  smtp = await SmtpSink.start();
  const configFile = join(dir, 'ringmon.yaml');
  // Late 2 s after the last heartbeat, down after 6 s; the series' nodata (4 s) comes while the node is late.
  writeFileSync(
    configFile,
    `listen: { port: ${await freePort()} }
log: { level: silent }
slurpers: { instances: [] }
nodes: { heartbeatInterval: 1s, graceFactor: 2, downAfter: 6s, notify: [ops], renotify: 1h }
alarms:
  groupWait: 0
  rules:
    - { name: checks, match: 'gone1.**', nodata: 4s, notify: [ops] }
  recipients:
    - { name: ops, email: [ops@test.example] }
notify:
  email: { host: 127.0.0.1, port: ${smtp.port}, starttls: never, from: ringmon@test.example, timeout: 2s }
  retry: { initial: 1s, max: 1s }
`,
  );
  const config = loadConfig(configFile, { env: {}, cwd: dir });
  ingest = addToken(config.auth.tokensFile, 'agents', 'ingest');
  viewer = addToken(config.auth.tokensFile, 'eve', 'viewer');
  admin = addToken(config.auth.tokensFile, 'root', 'admin');
  server = await startServer(config);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface AlarmOut {
  series: string;
  state: string;
  inhibitedBy: string | null;
}

const base = (): string => server!.url;
const alarms = async (): Promise<AlarmOut[]> => {
  const answer = await apiCall(base(), 'GET', '/api/v1/alarms', viewer);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.json.alarms as AlarmOut[];
};

/** One heartbeat of agent `name` to the server at `url`, with one instance `<name>.check`. */
async function heartbeat(url: string, token: string, name: string): Promise<void> {
  const beat = await apiCall(url, 'POST', '/api/v1/agents/heartbeat', token, {
    name,
    version: '0.1.0',
    hostname: `${name}.example`,
    instances: [{ name: `${name}.check`, slurper: 'exec', up: true, lastRun: Date.now() / 1000 }],
    spooledSamples: 0,
  });
  expect(beat.status, JSON.stringify(beat.json)).toBe(204);
}

/** One heartbeat of agent gone1 and one sample of its check. */
async function beatAndSample(): Promise<void> {
  await heartbeat(base(), ingest, 'gone1');
  const sample = await apiCall(base(), 'POST', '/api/v1/samples', ingest, [{ series: 'gone1.check.value', t: Date.now() / 1000, v: 1 }]);
  expect(sample.status, JSON.stringify(sample.json)).toBeLessThan(300);
}

describe('a node that goes away', () => {
  it('forgotten by DELETE /api/v1/agents/NAME while down: its alarm ends, its series are held no more, one recovery mail', async () => {
    await until(async () => {
      await beatAndSample();
      // Paced as an agent's heartbeats, not waiting for anything.
      await sleep(250);
      return (await alarms()).some((a) => a.series === 'gone1.check.value' && a.state === 'OK');
    }, 'the agent heartbeating and its series OK', 30_000);

    // It stops: late, its series NODATA held by it, then down: one mail.
    await until(async () => (await alarms()).some((a) => a.series === 'node:gone1' && a.state === 'CRITICAL'), 'gone1 down', 30_000);
    const [down] = await smtp!.waitFor(1, 30_000);
    expect(down.subject).toContain('node:gone1');
    await until(async () => (await alarms()).some((a) => a.series === 'gone1.check.value' && a.state === 'NODATA'), 'its series NODATA', 30_000);
    expect((await alarms()).find((a) => a.series === 'gone1.check.value')).toMatchObject({ state: 'NODATA', inhibitedBy: 'gone1' });
    expect(smtp!.received).toHaveLength(1);

    const forgotten = await apiCall(base(), 'DELETE', '/api/v1/agents/gone1', admin);
    expect(forgotten.status, JSON.stringify(forgotten.json)).toBe(204);
    await until(async () => !(await alarms()).some((a) => a.series === 'node:gone1'), 'node:gone1 to leave the alarms', 30_000);
    expect((await alarms()).find((a) => a.series === 'gone1.check.value')).toMatchObject({ state: 'NODATA', inhibitedBy: null });
    const [, removed] = await smtp!.waitFor(2, 30_000);
    expect(removed.subject).toContain('node:gone1');
    expect(removed.subject).toMatch(/RECOVERED/);
    expect(removed.text).toContain('node removed');
    const history = await apiCall(base(), 'GET', '/api/v1/alarms/history?series=node:gone1', viewer);
    expect(history.json.transitions.map((t: { from: string; to: string }) => `${t.from}>${t.to}`)).toEqual(['CRITICAL>OK', 'OK>CRITICAL']);
    // Some more seconds: the silence of its series stays untold, the node stays gone.
    const at = Date.now();
    await until(async () => Date.now() - at > 3000 && !(await alarms()).some((a) => a.series === 'node:gone1'), 'three more seconds', 30_000);
    expect(smtp!.received).toHaveLength(2);
  }, 120_000);
});

describe('GET /api/v1/rules', () => {
  it('lists the built-in node-down rule after the config rules and the offered one, with nodes.notify and nodes.renotify', async () => {
    const answer = await apiCall(base(), 'GET', '/api/v1/rules', viewer);
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json.rules.map((r: { name: string }) => r.name)).toEqual(['checks', 'offered', 'node-down']);
    expect(answer.json.rules[2]).toEqual({ name: 'node-down', match: ['node:**'], for: 0, hysteresis: 0, nodata: null, notify: ['ops'], renotify: 3600, builtIn: true });
    expect(answer.json.rules[0].builtIn).toBeUndefined();
  });
});

describe('a server-run instance named as an agent', () => {
  it('is another node, down alone while the agent heartbeats; removed by a reload, its alarm ends', async () => {
    const target = await startHeldTarget();
    const sub = mkdtempSync(join(dir, 'instance-'));
    const configFile = join(sub, 'ringmon.yaml');
    const instance = `{ slurper: http, name: web1, every: 1s, timeout: 1s, options: { url: "${target.url}" } }`;
    const configText = (instances: string): string => `listen: { port: ${port} }
log: { level: silent }
slurpers: { instances: [${instances}] }
nodes: { heartbeatInterval: 1s, graceFactor: 2, downAfter: 4s, notify: [ops] }
alarms:
  groupWait: 0
  recipients:
    - { name: ops, email: [ops@test.example] }
notify:
  email: { host: 127.0.0.1, port: ${smtp!.port}, starttls: never, from: ringmon@test.example, timeout: 2s }
  retry: { initial: 1s, max: 1s }
`;
    const port = await freePort();
    writeFileSync(configFile, configText(instance));
    const config = loadConfig(configFile, { env: {}, cwd: sub });
    const tokens = { ingest: addToken(config.auth.tokensFile, 'agents', 'ingest'), admin: addToken(config.auth.tokensFile, 'root', 'admin') };
    const own = await startServer(config, { reloadFrom: { file: configFile } });
    const url = own.url;
    const mailsBefore = smtp!.received.length;
    const nodeAlarms = async (): Promise<AlarmOut[]> => {
      const answer = await apiCall(url, 'GET', '/api/v1/alarms', tokens.admin);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      return (answer.json.alarms as AlarmOut[]).filter((a) => a.series.startsWith('node:'));
    };
    // The agent web1 heartbeats all along, as an agent does.
    let beating = true;
    const beats = (async () => {
      while (beating) {
        await heartbeat(url, tokens.ingest, 'web1');
        await sleep(300);
      }
    })();
    try {
      await until(async () => {
        const nodes = (await apiCall(url, 'GET', '/api/v1/nodes', tokens.admin)).json.nodes as { kind: string; name: string; state: string }[];
        return nodes.filter((n) => n.name === 'web1' && n.state === 'up').length === 2;
      }, 'the agent and the instance web1 both up', 30_000);

      target.answer(false);
      await until(async () => (await nodeAlarms()).some((a) => a.series === 'node:instance:web1' && a.state === 'CRITICAL'), 'the instance web1 down', 30_000);
      const [down] = (await smtp!.waitFor(mailsBefore + 1, 30_000)).slice(mailsBefore);
      expect(down.subject).toContain('node:instance:web1');
      expect((await nodeAlarms()).map((a) => `${a.series} ${a.state}`)).toEqual(['node:instance:web1 CRITICAL']);

      writeFileSync(configFile, configText(''));
      const reload = await apiCall(url, 'POST', '/api/v1/admin/reload', tokens.admin);
      expect(reload.status, JSON.stringify(reload.json)).toBe(200);
      await until(async () => (await nodeAlarms()).length === 0, 'node:instance:web1 to leave the alarms', 30_000);
      const [removed] = (await smtp!.waitFor(mailsBefore + 2, 30_000)).slice(mailsBefore + 1);
      expect(removed.subject).toContain('node:instance:web1');
      expect(removed.subject).toMatch(/RECOVERED/);
      expect(removed.text).toContain('node removed');
    } finally {
      beating = false;
      await beats;
      await own.close();
      await target.close();
    }
  }, 120_000);
});
