/**
 * The quarantine's listing and bound, over real HTTP on a real data dir:
 * samples acknowledged for damaged archives show up in
 * GET /api/v1/admin/quarantine newest first, filtered by name or pattern and
 * bounded by `limit` (admin only; bad limits and patterns are 400s naming
 * the field); with a small `quarantine.maxBytes` the file rotates, the two
 * files stay within twice the bound, and /metrics counts what was rotated
 * away and shows the files' bytes. A bound below the minimum stops the start.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config/index.js';
import { archivePath, quarantineFile, readQuarantine } from '../../../server/store/index.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

/** Recent whole seconds, so that times are neither too old nor ahead of the clock. */
const BASE = Math.floor(Date.now() / 1000) - 3600;

async function quarantinedServer(extra = ''): Promise<TestServer> {
  return startTestServer(`listen:\n  port: ${await freePort()}\nlog:\n  level: silent\nslurpers:\n  instances: []\n${extra}`);
}

/** An archive file that is not an archive, where `series`' would be. */
function damage(running: TestServer, series: string): void {
  const path = archivePath(join(running.config.dataDir, 'archives'), series);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'not an archive');
}

async function postAndFlush(running: TestServer, series: string, ks: readonly number[]): Promise<void> {
  const body = ks.map((k) => ({ series, t: BASE + k, v: k }));
  expect((await apiCall(running.server.url, 'POST', '/api/v1/samples?interval=1', running.tokens.writer, body)).json).toEqual({ accepted: ks.length, rejected: [] });
  expect((await apiCall(running.server.url, 'POST', '/api/v1/admin/flush', running.tokens.admin)).status).toBe(200);
}

async function metric(running: TestServer, name: string): Promise<number> {
  const res = await request(`${running.server.url}/metrics`, { headers: { authorization: `Bearer ${running.tokens.viewer}` } });
  const line = (await res.body.text()).split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('GET /api/v1/admin/quarantine', () => {
  let running: TestServer;
  const list = (query: string, token = running.tokens.admin) => apiCall(running.server.url, 'GET', `/api/v1/admin/quarantine${query}`, token);

  beforeAll(async () => {
    running = await quarantinedServer();
    damage(running, 'dmg.one');
    damage(running, 'dmg.two');
    await postAndFlush(running, 'dmg.one', range(1, 5));
    await postAndFlush(running, 'dmg.two', range(1, 3));
    await postAndFlush(running, 'fine.one', range(1, 3));
  });
  afterAll(() => running.stop());

  it("lists a damaged archive's samples newest first, with the files' bytes", async () => {
    const answer = await list('');
    expect(answer.status).toBe(200);
    expect(answer.json.samples.map((s: { series: string; t: number }) => [s.series, s.t])).toEqual([
      ...range(1, 3).reverse().map((k) => ['dmg.two', BASE + k]),
      ...range(1, 5).reverse().map((k) => ['dmg.one', BASE + k]),
    ]);
    expect(answer.json.samples[0]).toMatchObject({ series: 'dmg.two', t: BASE + 3, v: 3, reason: expect.stringMatching(/not a readable/) });
    expect(Number.isInteger(answer.json.samples[0].at)).toBe(true);
    expect(answer.json.more).toBe(false);
    const bytes = statSync(quarantineFile(running.config.dataDir)).size;
    expect(answer.json.bytes).toBe(bytes);
    expect(await metric(running, 'ringmon_quarantine_bytes')).toBe(bytes);
    expect(await metric(running, 'ringmon_quarantine_rotated_samples_total')).toBe(0);
  });

  it('takes a series name or pattern, and a limit, saying whether older ones match', async () => {
    const one = await list('?series=dmg.one');
    expect(one.json.samples.map((s: { t: number }) => s.t)).toEqual(range(1, 5).reverse().map((k) => BASE + k));
    const two = await list('?series=dmg.*&limit=2');
    expect(two.json.samples.map((s: { series: string; t: number }) => [s.series, s.t])).toEqual([['dmg.two', BASE + 3], ['dmg.two', BASE + 2]]);
    expect(two.json.more).toBe(true);
    expect((await list('?series=fine.**')).json).toMatchObject({ samples: [], more: false });
  });

  it('is for admins only', async () => {
    expect((await list('', running.tokens.viewer)).status).toBe(403);
    expect((await list('', running.tokens.writer)).status).toBe(403);
    expect((await list('', '')).status).toBe(401);
  });

  it('refuses a bad limit or pattern with a 400 naming the field', async () => {
    for (const query of ['?limit=0', '?limit=1001', '?limit=abc', '?limit=-5', '?limit=2.5']) {
      const answer = await list(query);
      expect([query, answer.status]).toEqual([query, 400]);
      expect(JSON.stringify(answer.json.error), query).toContain('querystring/limit');
    }
    for (const query of [`?series=${'a'.repeat(1025)}`, '?series=dmg.[a-z]', '?series=dmg..one']) {
      const answer = await list(query);
      expect([query.slice(0, 20), answer.status]).toEqual([query.slice(0, 20), 400]);
      expect(JSON.stringify(answer.json.error)).toContain('querystring/series');
    }
    expect((await list('?limit=1000')).status).toBe(200);
  });

  it('is in the OpenAPI document with its bounds', async () => {
    const spec = (await apiCall(running.server.url, 'GET', '/docs/json', undefined)).json.paths['/api/v1/admin/quarantine'].get;
    expect(spec.parameters).toContainEqual(expect.objectContaining({ name: 'limit', in: 'query', schema: expect.objectContaining({ minimum: 1, maximum: 1000 }) }));
    expect(spec.parameters).toContainEqual(expect.objectContaining({ name: 'series', in: 'query', schema: expect.objectContaining({ maxLength: 1024 }) }));
    expect(Object.keys(spec.responses['200'].content['application/json'].schema.properties)).toEqual(['samples', 'more', 'bytes']);
  });
});

describe('the quarantine past quarantine.maxBytes', () => {
  const BOUND = 16 * 1024;
  let running: TestServer;
  beforeAll(async () => {
    running = await quarantinedServer('quarantine:\n  maxBytes: 16KiB\n');
  });
  afterAll(() => running.stop());

  it('rotates to one previous file, keeps both within twice the bound, and counts the samples rotated away', { timeout: 30_000 }, async () => {
    damage(running, 'rot.one');
    // Three flushes of 100, then one of 500: rotations between commits and several within one.
    for (const from of [1, 101, 201]) await postAndFlush(running, 'rot.one', range(from, from + 99));
    await postAndFlush(running, 'rot.one', range(301, 800));

    const current = quarantineFile(running.config.dataDir);
    const sizes = [statSync(current).size, statSync(`${current}.1`).size];
    for (const size of sizes) expect(size).toBeLessThanOrEqual(BOUND);
    expect(sizes[0] + sizes[1]).toBeGreaterThan(BOUND);
    const kept = readQuarantine(running.config.dataDir);
    const lines = (path: string): number => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').length;
    expect(kept).toHaveLength(lines(current) + lines(`${current}.1`));
    expect(kept.length).toBeLessThan(800);
    // What is kept is the newest, in order, and each sample was either kept or counted as rotated away.
    expect(kept.map((s) => s.t)).toEqual(range(800 - kept.length + 1, 800).map((k) => BASE + k));
    expect(await metric(running, 'ringmon_samples_quarantined_total')).toBe(800);
    expect(await metric(running, 'ringmon_quarantine_rotated_samples_total')).toBe(800 - kept.length);
    expect(await metric(running, 'ringmon_quarantine_bytes')).toBe(sizes[0] + sizes[1]);

    // The listing reads both files, newest first, within its limit.
    const answer = await apiCall(running.server.url, 'GET', '/api/v1/admin/quarantine?limit=1000', running.tokens.admin);
    expect(answer.json.samples.map((s: { t: number }) => s.t)).toEqual(kept.map((s) => s.t).reverse());
    expect(answer.json).toMatchObject({ more: false, bytes: sizes[0] + sizes[1] });
    const newest = await apiCall(running.server.url, 'GET', '/api/v1/admin/quarantine?series=rot.one&limit=3', running.tokens.admin);
    expect(newest.json.samples.map((s: { t: number }) => s.t)).toEqual([800, 799, 798].map((k) => BASE + k));
    expect(newest.json.more).toBe(true);
  });

  it('goes on after an operator removed the files', async () => {
    const current = quarantineFile(running.config.dataDir);
    rmSync(current);
    rmSync(`${current}.1`);
    const rotated = await metric(running, 'ringmon_quarantine_rotated_samples_total');
    await postAndFlush(running, 'rot.one', range(801, 900));
    expect(await metric(running, 'ringmon_quarantine_rotated_samples_total')).toBe(rotated);
    expect(readQuarantine(running.config.dataDir).map((s) => s.t)).toEqual(range(801, 900).map((k) => BASE + k));
    expect(await metric(running, 'ringmon_samples_quarantined_total')).toBe(900);
    // 100 lines are past the bound again: rotated once, with no previous file to let go.
    expect(await metric(running, 'ringmon_quarantine_bytes')).toBe(statSync(current).size + statSync(`${current}.1`).size);
  });

  it('refuses a bound below 16 KiB at start, naming the key', () => {
    const dir = join(running.config.dataDir, '..');
    writeFileSync(join(dir, 'small.yaml'), 'quarantine:\n  maxBytes: 1KiB\n');
    expect(() => loadConfig(join(dir, 'small.yaml'), { cwd: dir, env: {} })).toThrow(ConfigError);
    expect(() => loadConfig(join(dir, 'small.yaml'), { cwd: dir, env: {} })).toThrow(/quarantine\.maxBytes/);
  });
});
