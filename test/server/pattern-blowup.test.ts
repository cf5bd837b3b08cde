/**
 * Series patterns that made a backtracking RegExp run for minutes (issue
 * 14), on a real server over loopback with a 126-segment series stored:
 * `GET /api/v1/series?match=**.**.**.**.**.**.zz` took 49 s and froze
 * /healthz; now it is refused (more than 4 `**`), an allowed pattern with 4
 * answers in milliseconds, and /healthz stays fast meanwhile. The same
 * pattern as the scope of a downtime already on disk (filed before the
 * limit) blocked every restart for about 100 s; now the restart and the
 * questions about that series are fast.
 */
import SQLite from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig, type ServerConfig } from '../../server/config/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { apiCall } from '../helpers/api-call.js';
import { freePort } from '../helpers/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-pattern-blowup-'));
const LONG = Array(126).fill('a').join('.');
const HOSTILE = '**.**.**.**.**.**.zz';
let config: ServerConfig;
let server: RunningServer | undefined;
let admin: string;

beforeAll(async () => {
  writeFileSync(
    join(dir, 'ringmon.yaml'),
    'log:\n  level: silent\nalarms:\n  rules:\n    - name: everything\n      match: "**"\n      warning: "> 80"\n      critical: "> 90"\n',
  );
  config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  admin = addToken(config.auth.tokensFile, 'ops', 'admin');
  server = await startServer(config);
  const t = Math.floor(Date.now() / 1000);
  const ingest = await apiCall(server.url, 'POST', '/api/v1/samples', admin, [{ series: LONG, t, v: 1 }, { series: 'b.zz', t, v: 1 }]);
  expect(ingest.json).toEqual({ accepted: 2, rejected: [] });
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `work` while asking /healthz every few milliseconds; the slowest answer, and how long `work` took. */
async function healthzDuring<T>(work: () => Promise<T>): Promise<{ result: T; took: number; slowest: number }> {
  const url = (server as RunningServer).url;
  let slowest = 0;
  let running = true;
  const poll = (async () => {
    while (running) {
      const t = performance.now();
      await (await request(`${url}/healthz`)).body.text();
      slowest = Math.max(slowest, performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  const started = performance.now();
  const result = await work();
  const took = performance.now() - started;
  running = false;
  await poll;
  return { result, took, slowest };
}

const listSeries = (match: string) => apiCall((server as RunningServer).url, 'GET', `/api/v1/series?match=${encodeURIComponent(match)}`, admin);

describe('matching a long series name', () => {
  it('refuses a pattern with more than 4 ** segments at once, naming the parameter', async () => {
    const { result, took, slowest } = await healthzDuring(() => listSeries(HOSTILE));
    expect(result.status).toBe(400);
    expect(result.json.error.problems).toEqual([{ field: 'querystring/match', message: 'has 6 ** segments; the limit is 4' }]);
    expect(took).toBeLessThan(100);
    expect(slowest).toBeLessThan(100);
  });

  it('answers an allowed pattern with 4 ** segments in milliseconds, /healthz staying fast', async () => {
    const { result, took, slowest } = await healthzDuring(async () => [await listSeries('**.*.**.*.**.*.**.zz'), await listSeries('**.**.**.**.zz')]);
    expect(result[0].json.series.map((s: { series: string }) => s.series)).toEqual([]);
    expect(result[1].json.series.map((s: { series: string }) => s.series)).toEqual([]);
    expect((await listSeries('**.zz')).json.series.map((s: { series: string }) => s.series)).toEqual(['b.zz']);
    expect(took).toBeLessThan(200);
    expect(slowest).toBeLessThan(100);
  });

  it('restarts fast with that pattern as the scope of a downtime on disk, and answers questions about the series', async () => {
    await server?.close();
    server = undefined;
    // Filed before the limit existed: written as the old server stored it.
    const db = new SQLite(join(config.dataDir, 'ringmon.sqlite'));
    const now = Math.floor(Date.now() / 1000);
    db.prepare(
      `INSERT INTO downtimes (id, kind, status, scope_series, scope_agents, start_at, end_at, rrule, timezone, reason, author, created_at, updated_by, updated_at, revision)
       VALUES (1, 'planned', 'filed', ?, '[]', ?, ?, NULL, 'UTC', 'old', 'ops', ?, 'ops', ?, 1)`,
    ).run(JSON.stringify([HOSTILE, '**.**.**.**.**.**.a']), now - 60, now + 3600, now, now);
    db.close();
    const started = performance.now();
    server = await startServer(config);
    const { result, slowest } = await healthzDuring(async () => {
      const graph = await apiCall(server!.url, 'GET', `/api/v1/downtimes?series=${LONG}&from=${now - 3600}&to=${now + 3600}`, admin);
      const listed = await apiCall(server!.url, 'GET', `/api/v1/downtimes?series=${LONG}`, admin);
      return { graph, listed };
    });
    const took = performance.now() - started;
    // The second pattern covers the long series; the first does not.
    expect(result.graph.json.downtimes.map((d: { id: number }) => d.id)).toEqual([1]);
    expect(result.listed.json.downtimes.map((d: { id: number }) => d.id)).toEqual([1]);
    expect(slowest).toBeLessThan(100);
    expect(took).toBeLessThan(5000);
  }, 60_000);
});
