/**
 * Computed series with real processes: a real `ringmon serve` computes,
 * every second, a count (members >= 1) and a sum over `tb.*.web.success`,
 * whose members are pushed over real HTTP each second (their archive rule
 * gives them a 3 s heartbeat). One member goes silent: once its heartbeat
 * passes it stops counting; it comes back with a new member that appears:
 * both count from their next sample. The server also writes its nodes'
 * states as `ringmon.nodes.<node>.up`, and a computed count of them follows
 * two real `ringmon agent` processes as one is killed (late after 3 s
 * without a heartbeat) and restarted. Every value is read back through
 * GET /api/v1/fetch, as a graph would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { writeTestAgentYaml } from '../../helpers/agent-yaml.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { ringmonLauncher, type RingmonProcess } from '../../helpers/ringmon-process.js';
import { until } from '../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-computed-'));
const launcher = ringmonLauncher(dir);
let base = '';
let viewer = '';
let ingest = '';
let server: RingmonProcess;
const startedAt = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const dataDir = join(dir, 'data');
  viewer = addToken(join(dataDir, 'tokens'), 'eve', 'viewer');
  ingest = addToken(join(dataDir, 'tokens'), 'pusher', 'ingest');
  writeFileSync(join(dir, 'agent.token'), `${addToken(join(dataDir, 'tokens'), 'agents', 'ingest')}\n`, { mode: 0o600 });
  writeFileSync(
    join(dir, 'ringmon.yaml'),
    [
      `listen: { port: ${port} }`,
      `dataDir: ${dataDir}`,
      'slurpers: { instances: [] }',
      'nodes: { heartbeatInterval: 1s, graceFactor: 3, downAfter: 20s }',
      'archives:',
      "  rules: [{ match: 'tb.*.web.success', step: 1, heartbeat: 3, retentions: '1s:1h' }]",
      'computed:',
      "  - { name: tb.web.ok, op: count, match: 'tb.*.web.success', where: '>= 1', step: 1s }",
      "  - { name: tb.web.total, op: sum, match: 'tb.*.web.success', step: 1s }",
      "  - { name: tb.nodes_up, op: count, match: 'ringmon.nodes.*.up', where: '>= 1', step: 1s }",
      '',
    ].join('\n'),
  );
  server = launcher.run(['serve', '--config', 'ringmon.yaml']);
  let exited = false;
  void server.exited.then(() => (exited = true));
  await until(() => {
    if (exited) throw new Error(`ringmon serve exited: ${server.output()}`);
    return server.output().includes('ringmon listening') && server.output().includes('computed series running');
  }, 'the server to listen and compute', 30_000);
}, 60_000);

afterAll(async () => {
  server?.stop();
  const code = await server?.exited;
  launcher.killAll();
  rmSync(dir, { recursive: true, force: true });
  expect(code).toBe(0);
}, 30_000);

const lastValue = async (series: string): Promise<number | null | undefined> => (await apiCall(base, 'GET', `/api/v1/series?match=${series}`, viewer)).json.series[0]?.lastValue;

/** The values of `series` through /api/v1/fetch since the test began, unknown rows and repeats dropped: the sequence a graph shows. */
async function fetched(series: string): Promise<number[]> {
  const answer = await apiCall(base, 'GET', `/api/v1/fetch?series=${series}&start=${startedAt}&end=${Math.floor(Date.now() / 1000)}`, viewer);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  const values = (answer.json.series[0].rows as [number, number | null][]).map((r) => r[1]).filter((v): v is number => v !== null);
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

/** Whether `sequence` appears in `values` in order (other values between allowed). */
const inOrder = (values: number[], sequence: number[]): boolean => sequence.every(((at) => (v: number) => (at = values.indexOf(v, at)) !== -1 && ++at > 0)(0));

describe('computed series from real processes', () => {
  it('a count and a sum follow members as they go silent, come back and appear', async () => {
    const values: Record<string, number> = { 'tb.n1.web.success': 1, 'tb.n2.web.success': 2, 'tb.n3.web.success': 4 };
    const silent = new Set<string>();
    const push = async () => {
      const samples = Object.entries(values).filter(([s]) => !silent.has(s)).map(([series, v]) => ({ series, v }));
      const answer = await apiCall(base, 'POST', '/api/v1/samples', ingest, samples);
      expect(answer.json.rejected, JSON.stringify(answer.json)).toEqual([]);
    };
    const pusher = setInterval(() => void push(), 1000);
    const both = async (ok: number, total: number) => (await lastValue('tb.web.ok')) === ok && (await lastValue('tb.web.total')) === total;
    try {
      await push();
      await until(() => both(3, 7), 'count 3, sum 7', 30_000);
      silent.add('tb.n2.web.success');
      await until(() => both(2, 5), 'count 2, sum 5 once n2 is silent past its heartbeat', 30_000);
      silent.delete('tb.n2.web.success');
      values['tb.n4.web.success'] = 8;
      await until(() => both(4, 15), 'count 4, sum 15 with n2 back and n4 new', 30_000);
    } finally {
      clearInterval(pusher);
    }
    const ok = await fetched('tb.web.ok');
    const total = await fetched('tb.web.total');
    expect(inOrder(ok, [3, 2, 4]), `tb.web.ok fetched ${ok.join(' ')}`).toBe(true);
    expect(inOrder(total, [7, 5, 15]), `tb.web.total fetched ${total.join(' ')}`).toBe(true);
  }, 180_000);

  it('a count of the nodes up follows a real agent killed and restarted', async () => {
    const names = ['node-a', 'node-b'];
    for (const name of names) writeTestAgentYaml(dir, name);
    const startAgent = (name: string): RingmonProcess => launcher.run(['agent', '--config', `${name}.yaml`], { RINGMON_URL: base, RINGMON_TOKEN_FILE: 'agent.token' });
    const agents = new Map(names.map((name) => [name, startAgent(name)]));
    try {
      await until(async () => (await lastValue('tb.nodes_up')) === 2, 'two nodes up', 60_000);
      expect(await lastValue('ringmon.nodes.node-b.up')).toBe(1);
      agents.get('node-b')!.kill('SIGKILL');
      await agents.get('node-b')!.exited;
      await until(async () => (await lastValue('tb.nodes_up')) === 1, 'one node up once node-b is late', 30_000);
      expect(await lastValue('ringmon.nodes.node-b.up')).toBe(0);
      agents.set('node-b', startAgent('node-b'));
      await until(async () => (await lastValue('tb.nodes_up')) === 2, 'two nodes up again', 60_000);
    } finally {
      for (const agent of agents.values()) agent.stop();
      await Promise.all([...agents.values()].map((a) => a.exited));
    }
    const up = await fetched('tb.nodes_up');
    expect(inOrder(up, [2, 1, 2]), `tb.nodes_up fetched ${up.join(' ')}`).toBe(true);
  }, 240_000);
});
