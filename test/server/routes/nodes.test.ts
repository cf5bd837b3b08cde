/**
 * GET /api/v1/nodes on a real server over loopback: every agent that sent a
 * heartbeat is a node, up at once, listed a page at a time like the agents;
 * `limit` and `after` are bounded at the door (400 naming the field).
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

const dir = mkdtempSync(join(tmpdir(), 'ringmon-nodes-route-'));
const configFile = join(dir, 'ringmon.yaml');
let server: RunningServer;
let ingest: string;
let viewer: string;

beforeAll(async () => {
  writeFileSync(configFile, `listen:\n  port: ${await freePort()}\nlog:\n  level: silent\nslurpers:\n  instances: []\n`);
  const config = loadConfig(configFile, { env: {}, cwd: dir });
  ingest = addToken(config.auth.tokensFile, 'agents', 'ingest');
  viewer = addToken(config.auth.tokensFile, 'eve', 'viewer');
  server = await startServer(config);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const beat = (name: string) =>
  apiCall(server.url, 'POST', '/api/v1/agents/heartbeat', ingest, {
    name,
    version: '0.1.0',
    hostname: `${name}.example`,
    instances: [{ name: `${name}.http`, slurper: 'http', up: true, lastRun: 1_700_000_000 }],
    spooledSamples: 0,
  });

describe('GET /api/v1/nodes', () => {
  it('lists each agent as a node, up since its heartbeat, a page at a time', async () => {
    const before = Date.now() / 1000;
    for (const name of ['web02', 'web01', 'web03']) expect((await beat(name)).status).toBe(204);
    const first = await apiCall(server.url, 'GET', '/api/v1/nodes?limit=2', viewer);
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json.nodes.map((n: { name: string }) => n.name)).toEqual(['web01', 'web02']);
    expect(first.json.nodes[0]).toMatchObject({ kind: 'agent', state: 'up', hostname: 'web01.example', instances: [{ name: 'web01.http', slurper: 'http', up: true, lastRun: 1_700_000_000 }] });
    expect(first.json.nodes[0].since).toBe(first.json.nodes[0].lastSeen);
    expect(first.json.nodes[0].since).toBeGreaterThanOrEqual(before - 1);
    expect(first.json.next).toBe('web02');
    const second = await apiCall(server.url, 'GET', '/api/v1/nodes?limit=2&after=web02', viewer);
    expect(second.json).toEqual({ nodes: [expect.objectContaining({ name: 'web03', state: 'up' })] });
  });

  it('refuses an unbounded or malformed query with 400 naming the field', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      [`after=${'x'.repeat(201)}`, 'after'], // a node name is at most 200 characters (an instance name)
      ['after=..', 'after'],
      ['sort=name', 'querystring'], // the shared error handler names the part, not the unknown key
    ]) {
      const answer = await apiCall(server.url, 'GET', `/api/v1/nodes?${query}`, viewer);
      expect(answer.status, query).toBe(400);
      expect(JSON.stringify(answer.json), query).toContain(field);
    }
  });

  it('counts the nodes by state in /metrics', async () => {
    const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${viewer}` } })).text();
    expect(text).toMatch(/^ringmon_nodes\{state="up"\} 3$/m);
    expect(text).toMatch(/^ringmon_nodes\{state="late"\} 0$/m);
    expect(text).toMatch(/^ringmon_nodes\{state="down"\} 0$/m);
    expect(text).toContain('# TYPE ringmon_nodes gauge');
  });
});
