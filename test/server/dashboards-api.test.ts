/**
 * /api/v1/dashboards on a real server (startServer: config, token file, the
 * SQLite file under dataDir) over HTTP on loopback: create, read, replace
 * and delete with the token as author; who may do what; 400s naming the
 * field that change nothing; the version check (409); the body limit; and
 * dashboards kept across a restart.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig, type ServerConfig } from '../../server/config/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { codeBlocks, ROOT } from '../docs/markdown-examples.js';
import { apiCall } from '../helpers/api-call.js';
import { freePort } from '../helpers/free-port.js';

/** dashboards.maxStored here: few, so the test reaches it. */
const MAX_STORED = 6;
const dir = mkdtempSync(join(tmpdir(), 'ringmon-dashboards-api-'));
let config: ServerConfig;
let server: RunningServer;
let operator: string;
let otherOperator: string;
let viewer: string;

beforeAll(async () => {
  writeFileSync(join(dir, 'ringmon.yaml'), `log:\n  level: silent\ndashboards:\n  maxStored: ${MAX_STORED}\n`);
  config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  operator = addToken(config.auth.tokensFile, 'alice', 'operator');
  otherOperator = addToken(config.auth.tokensFile, 'bob', 'operator');
  viewer = addToken(config.auth.tokensFile, 'wallboard', 'viewer');
  server = await startServer(config);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (method: 'GET' | 'PUT' | 'DELETE', path: string, token: string | undefined, body?: unknown) => apiCall(server.url, method, path, token, body);
const fields = (json: Record<string, any>): string[] => json.error.problems.map((p: { field: string }) => p.field); // any: JSON

const PANELS = [
  { type: 'graph', title: 'Load', w: 6, h: 3, series: ['host.web01.load', 'host.*.load'], range: '1w', cf: 'MAX' },
  { type: 'value', w: 2, h: 1, series: ['host.web01.load'] },
  { type: 'heatmap', w: 12, h: 4, match: 'host.**', range: '1M' },
  { type: 'alarms', w: 4, h: 2, match: 'host.web*.**' },
];

describe('saving and reading dashboards', () => {
  it('creates one with the token as author, version 1, and reads it back as a viewer', async () => {
    const res = await call('PUT', '/api/v1/dashboards/ops', operator, { title: 'Operations', panels: PANELS });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: 'ops', title: 'Operations', author: 'alice', version: 1, panels: PANELS });
    expect(res.json.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const got = await call('GET', '/api/v1/dashboards/ops', viewer);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(res.json);
    const listed = await call('GET', '/api/v1/dashboards', viewer);
    expect(listed.json.dashboards).toEqual([{ name: 'ops', title: 'Operations', author: 'alice', version: 1, panelCount: 4, created: res.json.created, updated: res.json.updated }]);
  });

  it('replaces it with the current version, the new author and version 2; a stale version is 409 and changes nothing', async () => {
    const replaced = await call('PUT', '/api/v1/dashboards/ops', otherOperator, { title: 'Ops (bob)', panels: PANELS.slice(0, 2), version: 1 });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ author: 'bob', version: 2, title: 'Ops (bob)' });
    expect(replaced.json.panels).toHaveLength(2);
    // alice edited version 1 meanwhile: her save must not overwrite bob's.
    const stale = await call('PUT', '/api/v1/dashboards/ops', operator, { title: 'Ops (alice)', panels: PANELS, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.json.error.message).toMatch(/saved by bob since version 1 \(it is now version 2\)/);
    expect(fields(stale.json)).toEqual(['body/version']);
    // Creating over an existing one without a version is a conflict too.
    expect((await call('PUT', '/api/v1/dashboards/ops', operator, { title: 'New', panels: [] })).status).toBe(409);
    const now = await call('GET', '/api/v1/dashboards/ops', viewer);
    expect(now.json).toEqual(replaced.json);
  });

  it('deletes with the current version only, then answers 404', async () => {
    expect((await call('PUT', '/api/v1/dashboards/scratch', operator, { title: 'Scratch', panels: [] })).status).toBe(200);
    const stale = await call('DELETE', '/api/v1/dashboards/scratch?version=7', operator);
    expect(stale.status).toBe(409);
    expect(fields(stale.json)).toEqual(['query/version']);
    expect((await call('GET', '/api/v1/dashboards/scratch', viewer)).status).toBe(200);
    expect((await call('DELETE', '/api/v1/dashboards/scratch?version=1', operator)).status).toBe(204);
    const gone = await call('GET', '/api/v1/dashboards/scratch', viewer);
    expect(gone.status).toBe(404);
    expect(fields(gone.json)).toEqual(['params/name']);
    expect((await call('DELETE', '/api/v1/dashboards/scratch', operator)).status).toBe(404);
  });
});

describe('the example of docs/web.md', () => {
  it('is saved as written, with the server setting author and version', async () => {
    const doc = readFileSync(join(ROOT, 'docs/web.md'), 'utf8');
    const examples = codeBlocks('docs/web.md', doc.slice(doc.indexOf('## Dashboards'))).filter((b) => b.lang === 'json');
    expect(examples).toHaveLength(1);
    const body = JSON.parse(examples[0].text);
    const res = await call('PUT', '/api/v1/dashboards/docs-example', operator, body);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ...body, author: 'alice', version: 1 });
  });
});

describe('roles', () => {
  it('reads with a viewer token, writes only with an operator one, nothing without a token', async () => {
    const body = { title: 'Viewer try', panels: [] };
    expect((await call('GET', '/api/v1/dashboards', undefined)).status).toBe(401);
    expect((await call('GET', '/api/v1/dashboards/ops', undefined)).status).toBe(401);
    expect((await call('PUT', '/api/v1/dashboards/viewer-try', undefined, body)).status).toBe(401);
    expect((await call('PUT', '/api/v1/dashboards/viewer-try', viewer, body)).status).toBe(403);
    expect((await call('DELETE', '/api/v1/dashboards/ops', viewer)).status).toBe(403);
    expect((await call('GET', '/api/v1/dashboards/viewer-try', viewer)).status).toBe(404);
    expect((await call('GET', '/api/v1/dashboards/ops', viewer)).status).toBe(200);
  });
});

describe('bounds at the door', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `s.${i}`);
  it.each([
    ['an unknown panel type', { title: 't', panels: [PANELS[0], { type: 'pie', w: 2, h: 2 }] }, ['body/panels/1/type']],
    ['a width past the grid', { title: 't', panels: [{ ...PANELS[1], w: 13 }] }, ['body/panels/0/w']],
    ['a height of 0', { title: 't', panels: [{ ...PANELS[1], h: 0 }] }, ['body/panels/0/h']],
    ['a bad series pattern', { title: 't', panels: [PANELS[0], PANELS[1], PANELS[2], { type: 'graph', w: 2, h: 2, series: ['a.b', 'host.web[0-9].load'] }] }, ['body/panels/3/series/1']],
    ['too many series', { title: 't', panels: [{ type: 'graph', w: 2, h: 2, series: many(21) }] }, ['body/panels/0/series']],
    ['too many panels', { title: 't', panels: Array.from({ length: 49 }, () => PANELS[1]) }, ['body/panels']],
    ['a pattern for a value panel', { title: 't', panels: [{ type: 'value', w: 2, h: 1, series: ['host.*.load'] }] }, ['body/panels/0/series/0']],
    ['two series for a value panel', { title: 't', panels: [{ type: 'value', w: 2, h: 1, series: ['a.b', 'a.c'] }] }, ['body/panels/0/series']],
    ['a field of another type', { title: 't', panels: [{ type: 'alarms', w: 2, h: 1, match: 'a.*', series: ['a.b'] }] }, ['body/panels/0/series']],
    ['a heatmap with neither view nor match', { title: 't', panels: [{ type: 'heatmap', w: 2, h: 1 }] }, ['body/panels/0/view']],
    ['a graph without series', { title: 't', panels: [{ type: 'graph', w: 2, h: 1 }] }, ['body/panels/0/series']],
    ['a blank title', { title: '   ', panels: [] }, ['body/title']],
    ['a long title', { title: 'x'.repeat(121), panels: [] }, ['body/title']],
    ['an unknown field', { title: 't', panels: [], owner: 'mallory' }, ['body']],
    ['an author set by the client', { title: 't', panels: [], author: 'mallory' }, ['body']],
  ])('refuses %s with a 400 naming the field, storing nothing', async (_what, body, named) => {
    const res = await call('PUT', '/api/v1/dashboards/refused', operator, body);
    expect(res.status).toBe(400);
    expect(fields(res.json)).toEqual(named);
    expect((await call('GET', '/api/v1/dashboards/refused', viewer)).status).toBe(404);
  });

  it.each([
    ['upper case', 'Ops'],
    ['a dot', 'a.b'],
    ['too long', 'x'.repeat(65)],
  ])('refuses a name with %s (params/name)', async (_what, name) => {
    const res = await call('PUT', `/api/v1/dashboards/${name}`, operator, { title: 't', panels: [] });
    expect(res.status).toBe(400);
    expect(fields(res.json)).toEqual(['params/name']);
  });

  it('refuses a body over 256 KiB with 413 and stores nothing', async () => {
    const res = await call('PUT', '/api/v1/dashboards/huge', operator, { title: 't', panels: [{ type: 'graph', w: 1, h: 1, series: ['a'.repeat(300 * 1024)] }] });
    expect(res.status).toBe(413);
    expect((await call('GET', '/api/v1/dashboards/huge', viewer)).status).toBe(404);
  });
});

describe('the count limit', () => {
  it('refuses one dashboard more than dashboards.maxStored with a 409 naming the setting, and stores nothing', async () => {
    const stored = (await call('GET', '/api/v1/dashboards', viewer)).json.dashboards.length as number;
    for (let i = stored; i < MAX_STORED; i++) expect((await call('PUT', `/api/v1/dashboards/fill-${i}`, operator, { title: `fill ${i}`, panels: [] })).status).toBe(200);
    const over = await call('PUT', '/api/v1/dashboards/one-too-many', operator, { title: 'one too many', panels: [] });
    expect(over.status).toBe(409);
    expect(over.json.error.message).toMatch(/dashboards\.maxStored/);
    expect((await call('GET', '/api/v1/dashboards/one-too-many', viewer)).status).toBe(404);
    // Replacing one is not one more.
    expect((await call('PUT', '/api/v1/dashboards/ops', operator, { title: 'Ops', panels: [], version: 2 })).status).toBe(200);
  });
});

describe('a restart', () => {
  it('keeps every dashboard as saved', async () => {
    const before = await call('GET', '/api/v1/dashboards/ops', viewer);
    expect(before.status).toBe(200);
    await server.close();
    server = await startServer(config);
    expect((await call('GET', '/api/v1/dashboards/ops', viewer)).json).toEqual(before.json);
  });
});
