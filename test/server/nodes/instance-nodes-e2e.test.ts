/**
 * The target of a server-run slurper instance as a node, with real
 * processes: a `ringmon serve` runs the http slurper every second against
 * a web server of the test's (nodes: late after 1 s × 2 without a good
 * run, down after 6 s). While the target answers, GET /api/v1/nodes lists
 * the instance's node `up`, kind `instance`; once the target stops
 * answering (requests held, each run times out) the node is late, then
 * down at its last good run + 6 s; once it answers again, up.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { startHeldTarget } from '../../helpers/held-target.js';
import { ringmonLauncher } from '../../helpers/ringmon-process.js';
import { until } from '../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-instance-nodes-'));
const launcher = ringmonLauncher(dir);
afterAll(() => {
  launcher.killAll();
  rmSync(dir, { recursive: true, force: true });
});

interface NodeOut {
  name: string;
  kind: string;
  state: 'up' | 'late' | 'down';
  since: number;
  lastSeen: number;
}

const DOWN_AFTER = 6;

describe('the target of a server-run instance as a node', () => {
  it('goes late then down when its target stops answering, and up when it answers again', async () => {
    const target = await startHeldTarget();
    const url = target.url;
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const dataDir = join(dir, 'data');
    const viewer = addToken(join(dataDir, 'tokens'), 'eve', 'viewer');
    writeFileSync(
      join(dir, 'ringmon.yaml'),
      [
        `listen: { port: ${port} }`,
        `dataDir: ${dataDir}`,
        `nodes: { heartbeatInterval: 1s, graceFactor: 2, downAfter: ${DOWN_AFTER}s }`,
        'slurpers:',
        '  instances:',
        `    - { slurper: http, name: web01.http, every: 1s, timeout: 1s, options: { url: "${url}" } }`,
        '',
      ].join('\n'),
    );
    const node = async (): Promise<NodeOut | undefined> => {
      const answer = await apiCall(base, 'GET', '/api/v1/nodes', viewer);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      return (answer.json.nodes as NodeOut[]).find((n) => n.name === 'web01.http');
    };
    const server = launcher.run(['serve', '--config', 'ringmon.yaml']);
    try {
      await until(() => server.output().includes('ringmon listening'), 'the server to listen', 60_000);
      await until(async () => (await node())?.state === 'up', 'web01.http up', 30_000);
      expect(await node()).toMatchObject({ kind: 'instance', state: 'up' });

      target.answer(false);
      const stoppedAt = Date.now() / 1000;
      let late: NodeOut | undefined;
      await until(async () => {
        const seen = await node();
        if (seen?.state === 'late') late = seen;
        return late !== undefined || seen?.state === 'down';
      }, 'web01.http late', 30_000);
      expect(late, 'seen late before down').toBeDefined();
      let down: NodeOut | undefined;
      await until(async () => {
        const seen = await node();
        if (seen?.state === 'down') down = seen;
        return down !== undefined;
      }, 'web01.http down', 30_000);
      // lastSeen is its last good run, before the target stopped; down since that + downAfter.
      expect(down!.lastSeen).toBeLessThanOrEqual(stoppedAt);
      expect(down!.since).toBeCloseTo(down!.lastSeen + DOWN_AFTER, 3);
      expect(late!.since).toBeLessThan(down!.since);
      console.log(`target stopped at ${stoppedAt.toFixed(1)}, last good run ${down!.lastSeen.toFixed(1)}, late since ${late!.since.toFixed(1)}, down since ${down!.since.toFixed(1)}`);

      target.answer(true);
      const backAt = Date.now() / 1000;
      await until(async () => (await node())?.state === 'up', 'web01.http up again', 30_000);
      expect((await node())!.since).toBeGreaterThanOrEqual(backAt - 1);
    } finally {
      server.stop();
      expect(await server.exited).toBe(0);
      await target.close();
    }
  }, 180_000);
});
