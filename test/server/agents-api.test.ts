/**
 * Agent heartbeats and the agent list on a real server over loopback:
 * roles, last contact, and the registry surviving a restart.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig } from '../../server/config/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { freePort } from '../helpers/free-port.js';
import { apiCall } from '../helpers/api-call.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-agents-api-'));
const configFile = join(dir, 'ringmon.yaml');
let server: RunningServer;
let writer: string;
let viewer: string;

const config = () => loadConfig(configFile, { env: {}, cwd: dir });

beforeAll(async () => {
  writeFileSync(configFile, `listen:\n  port: ${await freePort()}\nlog:\n  level: silent\n`);
  writer = addToken(config().auth.tokensFile, 'agent-bot', 'writer');
  viewer = addToken(config().auth.tokensFile, 'eve', 'viewer');
  server = await startServer(config());
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (method: 'GET' | 'POST', path: string, token: string | undefined, body?: unknown) => apiCall(server.url, method, path, token, body);

const heartbeat = (name: string, spooledSamples = 0) => ({
  name,
  version: '0.1.0',
  hostname: `${name}.example`,
  instances: [{ name: `${name}.http`, slurper: 'http', up: true, lastRun: 1_700_000_000 }, { name: `${name}.disk`, slurper: 'disk', up: null, lastRun: null }],
  spooledSamples,
});

describe('agents API', () => {
  it('takes a heartbeat only with a writer token, and lists agents only with a viewer token', async () => {
    expect((await call('POST', '/api/v1/agents/heartbeat', undefined, heartbeat('web01'))).status).toBe(401);
    expect((await call('POST', '/api/v1/agents/heartbeat', viewer, heartbeat('web01'))).status).toBe(403);
    expect((await call('POST', '/api/v1/agents/heartbeat', writer, heartbeat('web01'))).status).toBe(204);
    expect((await call('GET', '/api/v1/agents', undefined)).status).toBe(401);
    const list = await call('GET', '/api/v1/agents', viewer);
    expect(list.status).toBe(200);
    expect(list.json.agents).toEqual([
      {
        ...heartbeat('web01'),
        lastSeen: expect.any(Number),
        lastSeenAgoSeconds: expect.any(Number),
        principal: 'agent-bot',
      },
    ]);
    expect(list.json.agents[0].lastSeenAgoSeconds).toBeLessThan(5);
  });

  it('refuses a malformed heartbeat, naming the field', async () => {
    const res = await call('POST', '/api/v1/agents/heartbeat', writer, { ...heartbeat('web01'), name: 'bad name!', spooledSamples: -1 });
    expect(res.status).toBe(400);
    const fields = res.json.error.problems.map((p: { field: string }) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['body/name', 'body/spooledSamples']));
  });

  it('updates the last contact with each heartbeat', async () => {
    const before = (await call('GET', '/api/v1/agents', viewer)).json.agents.find((a: { name: string }) => a.name === 'web01');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call('POST', '/api/v1/agents/heartbeat', writer, heartbeat('web01', 42))).status).toBe(204);
    expect((await call('POST', '/api/v1/agents/heartbeat', writer, heartbeat('db01'))).status).toBe(204);
    const agents = (await call('GET', '/api/v1/agents', viewer)).json.agents;
    expect(agents.map((a: { name: string }) => a.name)).toEqual(['db01', 'web01']);
    const after = agents[1];
    expect(after.lastSeen - before.lastSeen).toBeGreaterThanOrEqual(1);
    expect(after.spooledSamples).toBe(42);
  });

  it('keeps the agents across a restart', async () => {
    const listed = (await call('GET', '/api/v1/agents', viewer)).json.agents;
    await server.close();
    const file = join(config().dataDir, 'agents.json');
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).agents).toHaveLength(2);
    server = await startServer(config());
    const again = (await call('GET', '/api/v1/agents', viewer)).json.agents;
    expect(again.map((a: { name: string; lastSeen: number; spooledSamples: number }) => [a.name, a.lastSeen, a.spooledSamples])).toEqual(
      listed.map((a: { name: string; lastSeen: number; spooledSamples: number }) => [a.name, a.lastSeen, a.spooledSamples]),
    );
  });

  it('describes the agent routes in the OpenAPI document', async () => {
    const res = await request(`${server.url}/docs/json`);
    const doc = (await res.body.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/agents', '/api/v1/agents/heartbeat']));
  });
});
