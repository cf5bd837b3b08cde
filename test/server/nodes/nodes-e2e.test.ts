/**
 * Node states with real processes: three `ringmon agent` processes
 * heartbeat every second to a real `ringmon serve` (nodes: late after
 * 1 s × 5 without a heartbeat, down after 12 s). One agent is killed with
 * SIGKILL: its node goes late, then down, each at the time its last
 * heartbeat and the settings say (`since`), while the other two stay up
 * throughout; /metrics counts the nodes by state; the agent restarted, its
 * node is up again, since its return.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { writeTestAgentYaml } from '../../helpers/agent-yaml.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { ringmonLauncher, type RingmonProcess } from '../../helpers/ringmon-process.js';
import { until } from '../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-nodes-'));
const launcher = ringmonLauncher(dir);
afterAll(() => {
  launcher.killAll();
  rmSync(dir, { recursive: true, force: true });
});

interface NodeOut {
  name: string;
  state: 'up' | 'late' | 'down';
  since: number;
  lastSeen: number;
  instances: { name: string; up: boolean | null }[];
}

const LATE_AFTER = 5; // generous: the other agents must stay up even on a loaded machine
const DOWN_AFTER = 12;
const NAMES = ['node-a', 'node-b', 'node-c'];

describe('node states from real agents', () => {
  it('a killed agent goes late then down while the others stay up, and up again when restarted', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const dataDir = join(dir, 'data');
    const viewer = addToken(join(dataDir, 'tokens'), 'eve', 'viewer');
    writeFileSync(join(dir, 'agent.token'), `${addToken(join(dataDir, 'tokens'), 'agents', 'ingest')}\n`, { mode: 0o600 });
    writeFileSync(
      join(dir, 'ringmon.yaml'),
      `listen: { port: ${port} }\ndataDir: ${dataDir}\nslurpers:\n  instances: []\nnodes: { heartbeatInterval: 1s, graceFactor: ${LATE_AFTER}, downAfter: ${DOWN_AFTER}s }\n`,
    );
    for (const name of NAMES) writeTestAgentYaml(dir, name);
    const startAgent = (name: string): RingmonProcess =>
      launcher.run(['agent', '--config', `${name}.yaml`], { RINGMON_URL: base, RINGMON_TOKEN_FILE: 'agent.token' });
    const nodes = async (): Promise<Map<string, NodeOut>> => {
      const answer = await apiCall(base, 'GET', '/api/v1/nodes', viewer);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      return new Map((answer.json.nodes as NodeOut[]).map((n) => [n.name, n]));
    };
    const metric = async (state: string): Promise<number> => {
      const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${viewer}` } })).text();
      return Number(new RegExp(`^ringmon_nodes\\{state="${state}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    };
    /** The other two are up at every look. */
    const othersUp = (seen: Map<string, NodeOut>): void => {
      for (const name of ['node-a', 'node-c']) expect(seen.get(name)?.state, `${name} while node-b is away`).toBe('up');
    };

    const server = launcher.run(['serve', '--config', 'ringmon.yaml']);
    await until(() => server.output().includes('ringmon listening'), 'the server to listen', 30_000);
    const agents = new Map(NAMES.map((name) => [name, startAgent(name)]));
    try {
      await until(async () => {
        const seen = await nodes();
        return NAMES.every((n) => seen.get(n)?.state === 'up' && seen.get(n)?.instances[0]?.up === true);
      }, 'three nodes up with their instance up', 60_000);
      expect([await metric('up'), await metric('late'), await metric('down')]).toEqual([3, 0, 0]);

      agents.get('node-b')!.kill('SIGKILL');
      await agents.get('node-b')!.exited;
      const killedAt = Date.now() / 1000;

      let late: NodeOut | undefined;
      await until(async () => {
        const seen = await nodes();
        othersUp(seen);
        if (seen.get('node-b')?.state === 'late') late = seen.get('node-b');
        return late !== undefined || seen.get('node-b')?.state === 'down';
      }, 'node-b late', 30_000);
      expect(late, 'node-b was seen late before down').toBeDefined();
      expect(late!.lastSeen).toBeLessThanOrEqual(killedAt);
      expect(late!.since).toBeCloseTo(late!.lastSeen + LATE_AFTER, 3);
      expect(late!.instances[0].up).toBe(true); // late: what its agent last said still stands

      let down: NodeOut | undefined;
      await until(async () => {
        const seen = await nodes();
        othersUp(seen);
        if (seen.get('node-b')?.state === 'down') down = seen.get('node-b');
        return down !== undefined;
      }, 'node-b down', 30_000);
      const downSeenAt = Date.now() / 1000;
      expect(down!.lastSeen).toBe(late!.lastSeen);
      expect(down!.since).toBeCloseTo(down!.lastSeen + DOWN_AFTER, 3);
      expect(down!.since).toBeLessThanOrEqual(downSeenAt);
      expect(down!.instances[0].up).toBeNull(); // down: its instances' state is not known
      expect([await metric('up'), await metric('late'), await metric('down')]).toEqual([2, 0, 1]);
      console.log(`node-b killed at ${killedAt.toFixed(1)}, last heartbeat ${down!.lastSeen.toFixed(1)}, late since ${late!.since.toFixed(1)}, down since ${down!.since.toFixed(1)}, down seen at ${downSeenAt.toFixed(1)}`);

      const restartedAt = Date.now() / 1000;
      agents.set('node-b', startAgent('node-b'));
      await until(async () => (await nodes()).get('node-b')?.state === 'up', 'node-b up again', 60_000);
      const back = (await nodes()).get('node-b')!;
      expect(back.since).toBeGreaterThanOrEqual(restartedAt);
      othersUp(await nodes());
      expect([await metric('up'), await metric('late'), await metric('down')]).toEqual([3, 0, 0]);
    } finally {
      for (const agent of agents.values()) agent.stop();
      server.stop();
      await Promise.all([...agents.values()].map((a) => a.exited));
      expect(await server.exited).toBe(0);
    }
  }, 240_000);
});
