/**
 * The json slurper run by the host's runOnce against a real HTTP API on
 * loopback that checks a bearer token: numbers by path, node states by set
 * with per-site overrides, and the faults — a wrong token (which the API
 * echoes back, as some do), a rotated token, an answer that is not JSON.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import json from '../../../slurpers/builtin/json.js';
import type { SlurperLogger } from '../../../slurpers/contract.js';
import { runOnce } from '../../../slurpers/host/run-once.js';

const TOKEN = 's3cr3t-token-0123456789';
const ROTATED = 'r0tated-token-9876543210';
let accepted = TOKEN;

const CLUSTER = {
  cluster: { name: 'prod', version: '1.2', healthy: true },
  nodes: [
    { name: 'n1', site: 'site-a', currentState: 5, load: 0.5, disks: { sda: { used: 10 }, sdb: { used: 20 } } },
    { name: 'n2', site: 'site-b', currentState: 5, load: '1.5' },
    { name: 'n3', site: 'site-b', currentState: 6, load: 'high' },
    { name: 'n4', site: 'site-a', currentState: 6 },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'ringmon-json-test-'));
let api: Server;
let url: string;
beforeAll(async () => {
  api = createServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${accepted}`) {
      // Echoes what it was sent, to show the slurper never repeats a body.
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `bad token ${request.headers.authorization}` }));
    } else if (request.url === '/broken') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"nodes": [');
    } else {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(CLUSTER));
    }
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(api.address() as { port: number }).port}/api/cluster`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => api.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function tokenFile(name: string, token: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return path;
}

function recordingLogger(): SlurperLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (a: object | string, b?: string): void => void lines.push(typeof a === 'string' ? a : `${JSON.stringify(a)} ${b ?? ''}`);
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}

const STATES = { path: 'nodes[*].currentState', series: 'node.{name}.state', ok: [6], overrideBy: 'site', overrides: { 'site-a': { ok: [5, 6] } } };
const run = (options: object, log?: SlurperLogger) => runOnce(json, { name: 'cl', timeoutSeconds: 10, options: { url, tokenFile: tokenFile('token', TOKEN), ...options } }, { log });
const values = (samples: readonly { series: string; value: number | null }[]) => Object.fromEntries(samples.map((s) => [s.series, s.value]));

describe('json', () => {
  it('gives a series the DS kind its mapping names, DCOUNTER and DDERIVE included, and refuses one the archive has not', async () => {
    const outcome = await run({ series: [
      { path: 'nodes[0].load', name: 'busy', kind: 'DCOUNTER' },
      { path: 'nodes[0].disks.sda.used', name: 'drift', kind: 'DDERIVE' },
      { path: 'nodes[0].disks.sdb.used', name: 'plain' },
    ] });
    const kinds = Object.fromEntries(outcome.samples.map((s) => [s.series, s.kind]));
    expect(kinds).toMatchObject({ 'cl.busy': 'DCOUNTER', 'cl.drift': 'DDERIVE', 'cl.plain': undefined });
    const refused = await run({ series: [{ path: 'nodes[0].load', name: 'busy', kind: 'FLOAT' }] });
    expect(refused.ok).toBe(false);
    expect(refused.error).toContain('slurpers.cl.options.series[0].kind');
  });

  it('maps numbers by path, naming each by a field of its element', async () => {
    const log = recordingLogger();
    const outcome = await run({ series: [
      { path: 'nodes[*].load', name: 'node.{name}.load' },
      { path: 'nodes[*].disks.*.used', name: 'node.{1.name}.disk.{2}.used' },
      { path: 'cluster.healthy', name: 'healthy' },
    ] }, log);
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome).not.toHaveProperty('state');
    expect(values(outcome.samples)).toMatchObject({
      'cl.node.n1.load': 0.5, 'cl.node.n2.load': 1.5, 'cl.node.n3.load': null, 'cl.node.n4.load': null,
      'cl.node.n1.disk.sda.used': 10, 'cl.node.n1.disk.sdb.used': 20, 'cl.healthy': 1,
    });
    expect(log.lines).toEqual([expect.stringContaining('series node.n3.load: "high" is not a number')]);
  });

  it('node states: OK in {6}, or {5, 6} at site-a; the worst is the instance state; each is a series', async () => {
    const outcome = await run({ states: [STATES] });
    expect(outcome.state).toEqual({ status: 'CRITICAL', message: '3 of 4 OK; node.n2.state CRITICAL (5)' });
    expect(values(outcome.samples)).toMatchObject({ 'cl.node.n1.state': 0, 'cl.node.n2.state': 2, 'cl.node.n3.state': 0, 'cl.node.n4.state': 0 });
    const lenient = await run({ states: [{ ...STATES, warning: [5] }] });
    expect(lenient.state).toMatchObject({ status: 'WARNING' });
    const nothing = await run({ states: [{ ...STATES, path: 'members[*].state' }] });
    expect(nothing.state).toEqual({ status: 'UNKNOWN', message: '0 of 0 OK; nothing at members[*].state' });
  });

  it('a wrong token fails the run with the URL and the token file, never the token or the body', async () => {
    const wrong = 'wr0ng-token-5555555555';
    const outcome = await run({ tokenFile: tokenFile('wrong', wrong) });
    expect(outcome).toMatchObject({ ok: false, error: `GET ${url}: HTTP 401 Unauthorized; check the token in ${join(dir, 'wrong')}` });
    expect(JSON.stringify(outcome)).not.toContain(wrong);
    const none = await runOnce(json, { name: 'cl', timeoutSeconds: 10, options: { url } });
    expect(none.error).toBe(`GET ${url}: HTTP 401 Unauthorized; it wants a token (tokenFile)`);
    const missing = await run({ tokenFile: join(dir, 'nope') });
    expect(missing.error).toBe(`token file ${join(dir, 'nope')} cannot be read (ENOENT)`);
  });

  it('reads the token file at every run, so a rotated token needs no restart', async () => {
    const file = tokenFile('rotating', TOKEN);
    expect((await run({ tokenFile: file })).ok).toBe(true);
    accepted = ROTATED;
    try {
      expect((await run({ tokenFile: file })).ok).toBe(false);
      tokenFile('rotating', ROTATED);
      expect((await run({ tokenFile: file })).ok).toBe(true);
    } finally {
      accepted = TOKEN;
    }
  });

  it('an answer that is not JSON, and a path that does not compile, fail the run by name', async () => {
    const broken = await run({ url: url.replace('/api/cluster', '/broken') });
    expect(broken.error).toMatch(/\/broken: the answer is not JSON \(11 characters\)$/);
    const badPath = await run({ series: [{ path: 'nodes[x]', name: 'x' }] });
    expect(badPath.error).toBe('path "nodes[x]": expected .name, [*], [index] or ["key"] at "[x]"');
  });

  it('options are checked at the door: the token has no place in the config', async () => {
    const outcome = await runOnce(json, { name: 'cl', timeoutSeconds: 10, options: { url, token: TOKEN } });
    expect(outcome.error).toContain('slurpers.cl.options.token: unknown key');
  });
});
