/**
 * /api/v1/downtimes on a real server (startServer: config, token file, the
 * SQLite file under dataDir) over HTTP on loopback: who may do what, 400s
 * that name the field and store nothing, 404 and 409, end and cancel with
 * their history, the graph question, and data kept across a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig, type ServerConfig } from '../../server/config/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { freePort } from '../helpers/free-port.js';
import { apiCall } from '../helpers/api-call.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-downtimes-api-'));
let config: ServerConfig;
let server: RunningServer;
let writer: string;
let viewer: string;

beforeAll(async () => {
  writeFileSync(join(dir, 'ringmon.yaml'), 'log:\n  level: silent\ndowntimes:\n  maxWindow: 30d\n');
  config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  writer = addToken(config.auth.tokensFile, 'deploy-bot', 'writer');
  viewer = addToken(config.auth.tokensFile, 'grafana', 'viewer');
  server = await startServer(config);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, any>; // any: assertions walk arbitrary JSON

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, token: string | undefined, body?: unknown) => apiCall(server.url, method, path, token, body);

const fields = (json: Json): string[] => json.error.problems.map((p: { field: string }) => p.field);
const ids = (json: Json): number[] => json.downtimes.map((d: { id: number }) => d.id);

describe('filing downtimes', () => {
  it('files one with the token as author and answers ISO 8601 times', async () => {
    const res = await call('POST', '/api/v1/downtimes', writer, { scope: { series: ['host.web01.*'] }, start: '2026-12-01T08:00Z', end: 1_796_119_200, reason: 'kernel upgrade' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      kind: 'planned',
      status: 'filed',
      scope: { series: ['host.web01.*'], agents: [] },
      start: '2026-12-01T08:00:00Z',
      end: '2026-12-01T10:00:00Z',
      rrule: null,
      timezone: 'UTC',
      author: 'deploy-bot',
      revision: 1,
    });
    const got = await call('GET', `/api/v1/downtimes/${res.json.id}`, viewer);
    expect(got.json).toEqual(res.json);
  });

  it('needs a writer token to change and a viewer token to read', async () => {
    const body = { scope: { series: ['a.b'] }, start: 1_796_112_000, end: 1_796_115_600, reason: 'x' };
    expect((await call('POST', '/api/v1/downtimes', undefined, body)).status).toBe(401);
    expect((await call('POST', '/api/v1/downtimes', viewer, body)).status).toBe(403);
    expect((await call('DELETE', '/api/v1/downtimes/1', viewer)).status).toBe(403);
    expect((await call('POST', '/api/v1/downtimes/1/end', viewer)).status).toBe(403);
    expect((await call('PATCH', '/api/v1/downtimes/1', viewer, { reason: 'y' })).status).toBe(403);
    expect((await call('GET', '/api/v1/downtimes', undefined)).status).toBe(401);
    expect((await call('GET', '/api/v1/downtimes', viewer)).status).toBe(200);
  });

  it.each([
    ['end before start', { scope: { series: ['a.*'] }, start: '2026-12-01T10:00Z', end: '2026-12-01T08:00Z', reason: 'x' }, ['body/end']],
    ['an empty scope', { scope: { series: [], agents: [] }, start: '2026-12-01T08:00Z', end: '2026-12-01T10:00Z', reason: 'x' }, ['body/scope']],
    ['a bad pattern', { scope: { series: ['host.web[0-9].*'] }, start: '2026-12-01T08:00Z', end: '2026-12-01T10:00Z', reason: 'x' }, ['body/scope/series/0']],
    ['an RRULE that does not parse', { scope: { series: ['a.*'] }, start: '2026-12-01T08:00Z', end: '2026-12-01T10:00Z', rrule: 'FREQ=SOMETIMES', reason: 'x' }, ['body/rrule']],
    ['a window over downtimes.maxWindow', { scope: { series: ['a.*'] }, start: '2026-12-01T08:00Z', end: '2027-01-01T08:00Z', reason: 'x' }, ['body/end']],
    ['a time that is not one', { scope: { series: ['a.*'] }, start: 'next tuesday', end: '2026-12-01T10:00Z', reason: 'x' }, ['body/start']],
    ['an unknown zone', { scope: { series: ['a.*'] }, start: '2026-12-01T08:00Z', end: '2026-12-01T10:00Z', timezone: 'Europe/Atlantis', reason: 'x' }, ['body/timezone']],
    ['a planned one without end', { scope: { series: ['a.*'] }, start: '2026-12-01T08:00Z', reason: 'x' }, ['body/end']],
    ['an unknown kind and no reason', { kind: 'maybe', scope: { series: ['a.*'] }, start: '2026-12-01T08:00Z', end: '2026-12-01T10:00Z' }, ['body/kind', 'body/reason']],
  ])('refuses %s with a 400 naming the field, storing nothing', async (_what, body, expected) => {
    const before = await call('GET', '/api/v1/downtimes?include=cancelled', viewer);
    const res = await call('POST', '/api/v1/downtimes', writer, body);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(fields(res.json)).toEqual(expect.arrayContaining(expected));
    expect(res.json.error.message).toContain(expected[0]);
    expect((await call('GET', '/api/v1/downtimes?include=cancelled', viewer)).json).toEqual(before.json);
  });

  it('answers 404 for an unknown id, and 400 for one that is not an id', async () => {
    for (const [method, path] of [['GET', '/api/v1/downtimes/9999'], ['DELETE', '/api/v1/downtimes/9999'], ['POST', '/api/v1/downtimes/9999/end'], ['GET', '/api/v1/downtimes/9999/history']] as const) {
      const res = await call(method, path, writer);
      expect(res.status, path).toBe(404);
      expect(res.json.error.code).toBe('not_found');
    }
    expect((await call('PATCH', '/api/v1/downtimes/9999', writer, { reason: 'x' })).status).toBe(404);
    expect((await call('GET', '/api/v1/downtimes/abc', viewer)).status).toBe(400);
  });
});

describe('changing, ending and cancelling', () => {
  it('ends an open unplanned downtime now, keeping each version', async () => {
    const now = Math.floor(Date.now() / 1000);
    const open = await call('POST', '/api/v1/downtimes', writer, { kind: 'unplanned', scope: { agents: ['web07'] }, start: now - 3600, reason: 'rack power loss' });
    expect(open.json.end).toBeNull();
    const active = await call('GET', '/api/v1/downtimes?active=true', viewer);
    expect(ids(active.json)).toContain(open.json.id);
    const ended = await call('POST', `/api/v1/downtimes/${open.json.id}/end`, writer);
    expect(ended.status).toBe(200);
    expect(Date.parse(ended.json.end) / 1000).toBeGreaterThanOrEqual(now);
    expect(ended.json.revision).toBe(2);
    expect((await call('POST', `/api/v1/downtimes/${open.json.id}/end`, writer)).status).toBe(409);
    const history = await call('GET', `/api/v1/downtimes/${open.json.id}/history`, viewer);
    expect(history.json.revisions.map((r: Json) => [r.revision, r.action, r.author, r.downtime.end === null])).toEqual([
      [1, 'created', 'deploy-bot', true],
      [2, 'ended', 'deploy-bot', false],
    ]);
  });

  it('changes fields with PATCH and cancels with DELETE, hiding the cancelled one unless asked', async () => {
    const created = await call('POST', '/api/v1/downtimes', writer, { scope: { series: ['db.pg01.*'] }, start: '2026-12-02T08:00Z', end: '2026-12-02T09:00Z', reason: 'vacuum' });
    const id = created.json.id;
    const refused = await call('PATCH', `/api/v1/downtimes/${id}`, writer, { end: '2026-12-02T07:00Z' });
    expect(refused.status).toBe(400);
    expect(fields(refused.json)).toEqual(['body/end']);
    const patched = await call('PATCH', `/api/v1/downtimes/${id}`, writer, { end: '2026-12-02T11:00+01:00', reason: 'vacuum full' });
    expect(patched.json).toMatchObject({ end: '2026-12-02T10:00:00Z', reason: 'vacuum full', revision: 2 });
    const cancelled = await call('DELETE', `/api/v1/downtimes/${id}`, writer);
    expect(cancelled.json).toMatchObject({ status: 'cancelled', revision: 3 });
    expect((await call('PATCH', `/api/v1/downtimes/${id}`, writer, { reason: 'again' })).status).toBe(409);
    expect(ids((await call('GET', '/api/v1/downtimes', viewer)).json)).not.toContain(id);
    expect(ids((await call('GET', '/api/v1/downtimes?include=cancelled', viewer)).json)).toContain(id);
    const history = await call('GET', `/api/v1/downtimes/${id}/history`, viewer);
    expect(history.json.revisions.map((r: Json) => [r.action, r.downtime.reason, r.downtime.end])).toEqual([
      ['created', 'vacuum', '2026-12-02T09:00:00Z'],
      ['updated', 'vacuum full', '2026-12-02T10:00:00Z'],
      ['cancelled', 'vacuum full', '2026-12-02T10:00:00Z'],
    ]);
  });
});

describe('the graph question', () => {
  it('lists the downtimes touching a series in a range, recurring ones as their windows, edges excluded', async () => {
    const weekly = await call('POST', '/api/v1/downtimes', writer, {
      scope: { series: ['host.gr01.**'] },
      start: '2026-10-13T06:00',
      end: '2026-10-13T08:00',
      timezone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;BYDAY=TU',
      reason: 'backups',
    });
    expect(weekly.status).toBe(201);
    expect(weekly.json.start).toBe('2026-10-13T04:00:00Z');
    const oneOff = await call('POST', '/api/v1/downtimes', writer, { scope: { series: ['host.gr01.cpu'] }, start: '2026-10-20T10:00Z', end: '2026-10-21T00:00Z', reason: 'move' });
    const q = (from: string, to: string): Promise<{ status: number; json: Json }> =>
      call('GET', `/api/v1/downtimes?series=host.gr01.cpu&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, viewer);
    const range = await q('2026-10-19T00:00Z', '2026-10-28T00:00Z');
    expect(ids(range.json)).toEqual([weekly.json.id, oneOff.json.id]);
    expect(range.json.downtimes[0].windows).toEqual([
      { start: '2026-10-20T04:00:00Z', end: '2026-10-20T06:00:00Z' },
      { start: '2026-10-27T05:00:00Z', end: '2026-10-27T07:00:00Z' },
    ]);
    // The one-off ends exactly when this range starts; the weekly window ends exactly then too.
    expect(ids((await q('2026-10-21T00:00Z', '2026-10-27T05:00Z')).json)).toEqual([]);
    expect(ids((await q('2026-10-20T23:59:59Z', '2026-10-21T01:00Z')).json)).toEqual([oneOff.json.id]);
    expect(ids((await call('GET', '/api/v1/downtimes?series=host.other.cpu&from=2026-10-19T00:00Z&to=2026-10-28T00:00Z', viewer)).json)).toEqual([]);
    const backwards = await q('2026-10-28T00:00Z', '2026-10-19T00:00Z');
    expect(backwards.status).toBe(400);
    expect(fields(backwards.json)).toEqual(['query/to']);
    const half = await call('GET', '/api/v1/downtimes?series=host.gr01.cpu&from=2026-10-19T00:00Z', viewer);
    expect(fields(half.json)).toEqual(['query/to']);
  });

  it('describes the routes in the OpenAPI document', async () => {
    const res = await request(`${server.url}/docs/json`);
    const doc = (await res.body.json()) as Json;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/downtimes', '/api/v1/downtimes/{id}', '/api/v1/downtimes/{id}/end', '/api/v1/downtimes/{id}/history']));
    expect(Object.keys(doc.paths['/api/v1/downtimes/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
  });
});

describe('a restart', () => {
  it('keeps every downtime and its history', async () => {
    const before = await call('GET', '/api/v1/downtimes?include=cancelled', viewer);
    expect(before.json.downtimes.length).toBeGreaterThan(3);
    await server.close();
    server = await startServer(config);
    expect((await call('GET', '/api/v1/downtimes?include=cancelled', viewer)).json).toEqual(before.json);
    const first = before.json.downtimes[0].id;
    expect((await call('GET', `/api/v1/downtimes/${first}/history`, viewer)).status).toBe(200);
  });
});
