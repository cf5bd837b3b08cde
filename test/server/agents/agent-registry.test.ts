/**
 * Which agent a series comes from, as the registry learns it from
 * heartbeats (for downtimes scoped to agents): the longest instance-name
 * prefix, the last heartbeat's instances only, and the same after a reopen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentRegistry, type AgentHeartbeat } from '../../../server/agents/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-agent-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = { warn: () => undefined, error: () => undefined };

const beat = (name: string, instances: string[]): AgentHeartbeat => ({
  name,
  hostname: `${name}.example`,
  version: '0.1.0',
  spooledSamples: 0,
  instances: instances.map((i) => ({ name: i, slurper: 'host', up: true, lastRun: 1 })),
});

describe('AgentRegistry.agentOf', () => {
  it('names the agent whose instance is the longest prefix of the series', async () => {
    const registry = AgentRegistry.open(join(dir, 'a.json'), { log });
    registry.record(beat('edge-7', ['web01', 'web01.http']), 'token-a', 100);
    registry.record(beat('edge-8', ['web01.http.tls']), 'token-b', 100);
    expect(registry.agentOf('web01.cpu.user')).toBe('edge-7');
    expect(registry.agentOf('web01.http.status')).toBe('edge-7');
    expect(registry.agentOf('web01.http.tls.days_left')).toBe('edge-8');
    expect(registry.agentOf('web01')).toBeUndefined();
    expect(registry.agentOf('web02.cpu.user')).toBeUndefined();
    await registry.close();
  });

  it('forgets instances an agent no longer reports, and keeps the rest across a reopen', async () => {
    const path = join(dir, 'b.json');
    const registry = AgentRegistry.open(path, { log });
    registry.record(beat('edge-7', ['db01', 'db02']), 'token-a', 100);
    registry.record(beat('edge-7', ['db02']), 'token-a', 110);
    expect(registry.agentOf('db01.load')).toBeUndefined();
    expect(registry.agentOf('db02.load')).toBe('edge-7');
    await registry.close();
    const reopened = AgentRegistry.open(path, { log });
    expect(reopened.agentOf('db02.load')).toBe('edge-7');
    await reopened.close();
  });
});
