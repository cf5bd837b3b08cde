/**
 * What one writer may do to the downtimes, bounded (issue 14), on a real
 * server over loopback with its SQLite file: how many downtimes may be
 * filed (overall and per token), how far a listing may expand recurring
 * ones, times outside 1970–2199 and patterns over the ** limit refused with
 * a 4xx naming the field and nothing stored, and /healthz answering within
 * 100 ms while the heaviest listing allowed runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig } from '../../server/config/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { apiCall } from '../helpers/api-call.js';
import { freePort } from '../helpers/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-downtimes-bounds-'));
let server: RunningServer;
let first: string;
let second: string;
let viewer: string;

beforeAll(async () => {
  writeFileSync(
    join(dir, 'ringmon.yaml'),
    'log:\n  level: silent\ndowntimes:\n  maxFiled: 5\n  maxFiledPerAuthor: 3\n  maxListRange: 400d\n  maxListedWindows: 500\n',
  );
  const config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  // Admin tokens: the role that may file downtimes whatever the role names become.
  first = addToken(config.auth.tokensFile, 'first-bot', 'admin');
  second = addToken(config.auth.tokensFile, 'second-bot', 'admin');
  viewer = addToken(config.auth.tokensFile, 'grafana', 'viewer');
  const third = addToken(config.auth.tokensFile, 'third-bot', 'admin');
  server = await startServer(config);
  const start = Math.ceil(Date.now() / 1000 / 3600) * 3600;
  const hourly = await call('POST', '/api/v1/downtimes', third, { scope: { series: ['hourly.*'] }, start, end: start + 60, rrule: 'FREQ=HOURLY', reason: 'every hour' });
  expect(hourly.status).toBe(201);
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, any>; // any: assertions walk arbitrary JSON
const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, token: string | undefined, body?: unknown) => apiCall(server.url, method, path, token, body);
const fields = (json: Json): string[] => json.error.problems.map((p: { field: string }) => p.field);
const everything = async (): Promise<unknown> => (await call('GET', '/api/v1/downtimes?include=cancelled', viewer)).json;

const HOUR = 3600;
const now = (): number => Math.floor(Date.now() / 1000);
const upcoming = (token: string, extra: Record<string, unknown> = {}) =>
  call('POST', '/api/v1/downtimes', token, { scope: { series: ['host.*.cpu'] }, start: now() + HOUR, end: now() + 2 * HOUR, reason: 'maintenance', ...extra });

describe('what is refused at the door', () => {
  it.each([
    ['a start in year 1 (once stored as 1901)', { start: '0001-01-01T00:00Z' }, 'body/start'],
    ['a start before 1970', { start: '1969-12-31T23:00Z' }, 'body/start'],
    ['an end after 2199', { end: '2200-01-01T00:00Z' }, 'body/end'],
    ['an end in Unix seconds after 2199', { end: 9_999_999_999 }, 'body/end'],
    ['a pattern with 5 ** segments', { scope: { series: ['**.**.**.**.**.zz'] } }, 'body/scope/series/0'],
  ])('refuses %s with a 400 naming the field, storing nothing', async (_what, extra, field) => {
    const before = await everything();
    const res = await upcoming(first, extra);
    expect(res.status).toBe(400);
    expect(fields(res.json)).toContain(field);
    expect(await everything()).toEqual(before);
  });
});

describe('how many downtimes may be filed', () => {
  it('refuses a token beyond downtimes.maxFiledPerAuthor and everyone beyond downtimes.maxFiled, storing nothing', async () => {
    // One already over counts too while it was filed in the last day: past downtimes cannot be filed without bound.
    expect((await call('POST', '/api/v1/downtimes', first, { scope: { series: ['a.b'] }, start: now() - 2 * HOUR, end: now() - HOUR, reason: 'past' })).status).toBe(201);
    for (let i = 0; i < 2; i++) expect((await upcoming(first)).status).toBe(201);
    const before = await everything();
    const perAuthor = await upcoming(first);
    expect(perAuthor.status).toBe(409);
    expect(perAuthor.json.error.message).toContain('downtimes.maxFiledPerAuthor');
    expect(fields(perAuthor.json)).toEqual(['body']);
    expect(await everything()).toEqual(before);

    // The hourly one of the third token, three of the first and one of the second make five.
    expect((await upcoming(second)).status).toBe(201);
    const overall = await upcoming(second);
    expect(overall.status).toBe(409);
    expect(overall.json.error.message).toContain('downtimes.maxFiled');
    expect(fields(overall.json)).toEqual(['body']);

    // Filing and cancelling in a loop does not make room within the day either.
    const mine = ((await everything()) as Json).downtimes.find((d: Json) => d.author === 'second-bot');
    expect((await call('DELETE', `/api/v1/downtimes/${mine.id}`, second)).status).toBe(200);
    expect((await upcoming(second)).status).toBe(409);
  });
});

describe('how far a listing expands', () => {
  it('refuses a range wider than downtimes.maxListRange with a 400 naming query/to', async () => {
    const res = await call('GET', '/api/v1/downtimes?from=0&to=1000000000', viewer);
    expect(res.status).toBe(400);
    expect(fields(res.json)).toEqual(['query/to']);
    expect(res.json.error.message).toContain('downtimes.maxListRange');
  });

  it('refuses a range holding more windows than downtimes.maxListedWindows with a 400 naming query/to', async () => {
    const start = Math.ceil(now() / HOUR) * HOUR;
    for (const path of [`/api/v1/downtimes?from=${start}&to=${start + 30 * 86_400}`, `/api/v1/downtimes?from=${start}&to=${start + 30 * 86_400}&series=hourly.x`]) {
      const wide = await call('GET', path, viewer);
      expect(wide.status, path).toBe(400);
      expect(fields(wide.json)).toEqual(['query/to']);
      expect(wide.json.error.message).toContain('downtimes.maxListedWindows');
    }
    const narrow = await call('GET', `/api/v1/downtimes?from=${start}&to=${start + 10 * HOUR}&series=hourly.x`, viewer);
    expect(narrow.json.downtimes[0].windows).toHaveLength(10);
  });
});

describe('the event loop while the heaviest listing allowed runs', () => {
  let heavy: RunningServer;
  let admin: string;
  const heavyDir = mkdtempSync(join(tmpdir(), 'ringmon-downtimes-heavy-'));
  beforeAll(async () => {
    writeFileSync(join(heavyDir, 'ringmon.yaml'), 'log:\n  level: silent\n');
    const config = loadConfig(join(heavyDir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: heavyDir });
    admin = addToken(config.auth.tokensFile, 'ops', 'admin');
    heavy = await startServer(config);
    // With the default limits, the dearest rules to expand: one walked 5 hours at a time for a window every 5 weeks,
    // and one walked month by month from 1970; 80 of them hold 8,960 windows in 10 years, under maxListedWindows.
    const monday = Math.floor(Date.UTC(2026, 11, 7) / 1000);
    for (let i = 0; i < 40; i++) {
      const weekly = await apiCall(heavy.url, 'POST', '/api/v1/downtimes', admin, { scope: { series: [`w${i}.*`] }, start: monday, end: monday + 60, rrule: 'FREQ=HOURLY;INTERVAL=5;BYDAY=MO;BYHOUR=0', reason: 'sparse' });
      expect(weekly.status).toBe(201);
      const monthly = await apiCall(heavy.url, 'POST', '/api/v1/downtimes', admin, { scope: { series: [`m${i}.*`] }, start: '1970-01-31T00:00Z', end: '1970-01-31T01:00Z', rrule: 'FREQ=MONTHLY;BYMONTHDAY=31', reason: 'old' });
      expect(monthly.status).toBe(201);
    }
  }, 120_000);
  afterAll(async () => {
    await heavy?.close();
    rmSync(heavyDir, { recursive: true, force: true });
  });

  it('answers /healthz within 100 ms (p99) while 10-year listings of 80 recurring downtimes run', async () => {
    const latencies: number[] = [];
    let running = true;
    const poll = (async () => {
      while (running) {
        const t = performance.now();
        const res = await request(`${heavy.url}/healthz`);
        await res.body.text();
        latencies.push(performance.now() - t);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const from = now();
    const started = performance.now();
    for (let i = 0; i < 3; i++) {
      const res = await apiCall(heavy.url, 'GET', `/api/v1/downtimes?from=${from}&to=${from + 3660 * 86_400}`, admin);
      expect(res.status).toBe(200);
      expect(res.json.downtimes).toHaveLength(80);
    }
    const took = performance.now() - started;
    running = false;
    await poll;
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)];
    console.log(`healthz during three 10-year listings (${took.toFixed(0)} ms): ${latencies.length} answers, p99 ${p99.toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`);
    expect(p99).toBeLessThan(100);
  }, 120_000);
});
