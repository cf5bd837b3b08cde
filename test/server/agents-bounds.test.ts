/**
 * Issue 14: "Agent heartbeats listing 10,000 instances, 30 times, made a
 * 110 MB agents.json, +376 MB of memory and a 110 MB GET /api/v1/agents."
 * On a real server over loopback: a heartbeat is bounded field by field (400
 * naming the field, nothing recorded), the registry by agents.maxAgents and
 * agents.maxInstances (507 naming the setting; known agents go on), the list
 * comes a page at a time, and an admin removes an agent from the list and
 * from agents.json before the answer, for good across a restart.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig } from '../../server/config/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { apiCall } from '../helpers/api-call.js';
import { freePort } from '../helpers/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-agents-bounds-'));
const configFile = join(dir, 'ringmon.yaml');
const config = () => loadConfig(configFile, { env: {}, cwd: dir });
let server: RunningServer;
let agent: string;
let viewer: string;
let admin: string;

beforeAll(async () => {
  writeFileSync(configFile, `listen:\n  port: ${await freePort()}\nlog:\n  level: silent\nslurpers:\n  instances: []\nagents:\n  maxAgents: 4\n  maxInstances: 10\n`);
  agent = addToken(config().auth.tokensFile, 'agent-bot', 'ingest');
  viewer = addToken(config().auth.tokensFile, 'eve', 'viewer');
  admin = addToken(config().auth.tokensFile, 'ops', 'admin');
  server = await startServer(config());
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (method: 'GET' | 'POST' | 'DELETE', path: string, token: string, body?: unknown) => apiCall(server.url, method, path, token, body);
const heartbeat = (name: string, instances = 1) => ({
  name,
  version: '0.1.0',
  hostname: `${name}.example`,
  instances: Array.from({ length: instances }, (_, i) => ({ name: `${name}.i${i}`, slurper: 'http', up: true, lastRun: 1_700_000_000 })),
  spooledSamples: 0,
});
const names = async (query = ''): Promise<string[]> => (await call('GET', `/api/v1/agents${query}`, viewer)).json.agents.map((a: { name: string }) => a.name);
const agentsFile = (): string[] => JSON.parse(readFileSync(join(config().dataDir, 'agents.json'), 'utf8')).agents.map((a: { name: string }) => a.name);

describe('agent heartbeats and the registry, bounded', () => {
  it('refuses a heartbeat over a field bound with 400 naming the field, and records nothing of it', async () => {
    const cases: [unknown, string][] = [
      [heartbeat('many', 1001), 'body/instances'],
      [{ ...heartbeat('long'), instances: [{ ...heartbeat('long').instances[0], name: 'x'.repeat(256) }] }, 'body/instances/0/name'],
      [{ ...heartbeat('long'), instances: [{ ...heartbeat('long').instances[0], slurper: 'y'.repeat(65) }] }, 'body/instances/0/slurper'],
      [{ ...heartbeat('long'), hostname: 'h'.repeat(256) }, 'body/hostname'],
      [{ ...heartbeat('long'), version: 'v'.repeat(65) }, 'body/version'],
      [{ ...heartbeat('long'), extra: 1 }, 'body'],
      [{ ...heartbeat('long'), name: 'a'.repeat(65) }, 'body/name'],
    ];
    for (const [body, field] of cases) {
      const res = await call('POST', '/api/v1/agents/heartbeat', agent, body);
      expect(res.status, field).toBe(400);
      expect(res.json.error.problems.map((p: { field: string }) => p.field)).toContain(field);
    }
    expect(await names()).toEqual([]);
  });

  it('refuses new agents past agents.maxAgents and instances past agents.maxInstances with 507; known agents go on', async () => {
    for (const name of ['a1', 'a2', 'a3']) expect((await call('POST', '/api/v1/agents/heartbeat', agent, heartbeat(name, 2))).status).toBe(204);
    // 6 instances known: 5 more would be 11.
    const tooMany = await call('POST', '/api/v1/agents/heartbeat', agent, heartbeat('a4', 5));
    expect(tooMany.status).toBe(507);
    expect(tooMany.json.error).toEqual({ code: 'insufficient_storage', message: expect.stringContaining('agents.maxInstances is 10') });
    expect((await call('POST', '/api/v1/agents/heartbeat', agent, heartbeat('a4', 4))).status).toBe(204);
    const full = await call('POST', '/api/v1/agents/heartbeat', agent, heartbeat('a5', 0));
    expect(full.status).toBe(507);
    expect(full.json.error.message).toMatch(/knows 4 agents, agents\.maxAgents is 4; remove retired ones with DELETE \/api\/v1\/agents\/<name>/);
    // A known agent may report again, and change its instances within the bound.
    expect((await call('POST', '/api/v1/agents/heartbeat', agent, heartbeat('a1', 1))).status).toBe(204);
    expect((await call('POST', '/api/v1/agents/heartbeat', agent, heartbeat('a1', 2))).status).toBe(204);
    expect((await call('POST', '/api/v1/agents/heartbeat', agent, heartbeat('a1', 3))).status).toBe(507);
    expect(await names()).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('lists a page at a time, with the name to continue after', async () => {
    const first = await call('GET', '/api/v1/agents?limit=3', viewer);
    expect(first.json.agents.map((a: { name: string }) => a.name)).toEqual(['a1', 'a2', 'a3']);
    expect(first.json.next).toBe('a3');
    const second = await call('GET', `/api/v1/agents?limit=3&after=${first.json.next}`, viewer);
    expect(second.json.agents.map((a: { name: string }) => a.name)).toEqual(['a4']);
    expect(second.json).not.toHaveProperty('next');
    for (const [query, field] of [
      ['limit=1001', 'querystring/limit'],
      ['limit=0', 'querystring/limit'],
      ['after=bad%20name', 'querystring/after'],
      ['offset=3', 'querystring'],
    ]) {
      const res = await call('GET', `/api/v1/agents?${query}`, viewer);
      expect(res.status, query).toBe(400);
      expect(res.json.error.problems.map((p: { field: string }) => p.field), query).toContain(field);
    }
  });

  it('removes an agent (admin only) from the list and agents.json before answering, for good across a restart', async () => {
    expect((await call('DELETE', '/api/v1/agents/a2', agent)).status).toBe(403);
    expect((await call('DELETE', '/api/v1/agents/a2', viewer)).status).toBe(403);
    expect((await call('DELETE', '/api/v1/agents/a2', admin)).status).toBe(204);
    expect(agentsFile()).toEqual(['a1', 'a3', 'a4']);
    expect(await names()).toEqual(['a1', 'a3', 'a4']);
    const again = await call('DELETE', '/api/v1/agents/a2', admin);
    expect(again.status).toBe(404);
    expect(again.json.error.problems).toEqual([{ field: 'params/name', message: "unknown agent 'a2'" }]);
    // Room for a new agent again.
    expect((await call('POST', '/api/v1/agents/heartbeat', agent, heartbeat('a5', 1))).status).toBe(204);
    await server.close();
    server = await startServer(config());
    expect(await names()).toEqual(['a1', 'a3', 'a4', 'a5']);
    const doc = (await call('GET', '/docs/json', viewer)).json;
    expect(doc.paths['/api/v1/agents/{name}'].delete).toBeDefined();
    expect(doc.paths['/api/v1/agents'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['after', 'limit']);
  });
});
