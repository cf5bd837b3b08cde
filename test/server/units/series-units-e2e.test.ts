/**
 * Units of series on a real server (real SQLite, HTTP over loopback): a
 * unit posted with samples is listed by GET /api/v1/series and given by
 * GET /api/v1/fetch; a COUNTER's `B` lists as `B/s`; the config's `units`
 * section wins; a bad unit is a 400 naming the field, storing nothing; and
 * a restart keeps the units (the database), which are written only when
 * they change.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { loadConfig, type ServerConfig } from '../../../server/config/index.js';
import { DATABASE_FILE } from '../../../server/database/index.js';
import { startServer, type RunningServer } from '../../../server/index.js';
import { MAX_UNIT_LENGTH } from '../../../slurpers/contract.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-units-'));
let config: ServerConfig;
let server: RunningServer;
let writer: string;
const T0 = Math.floor(Date.now() / 1000) - 3600;
const quiet = { logStream: { write: () => true } as unknown as NodeJS.WritableStream };

beforeAll(async () => {
  const yaml = ['log:', '  level: silent', 'slurpers:', '  instances: []', 'units:', "  - match: 'lab.*.temp'", "    unit: '°C'", ''].join('\n');
  writeFileSync(join(dir, 'ringmon.yaml'), yaml);
  config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  writer = addToken(config.auth.tokensFile, 'bot', 'writer');
  server = await startServer(config, quiet);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (method: 'GET' | 'POST', path: string, body?: unknown) => apiCall(server.url, method, path, writer, body);
const listed = async (match: string) => (await call('GET', `/api/v1/series?match=${match}`)).json.series as { series: string; unit?: string }[];
const fetched = async (series: string) => (await call('GET', `/api/v1/fetch?series=${series}&start=${T0}&end=${T0 + 600}`)).json.series[0] as { series: string; unit?: string; rows: unknown[] };

/** Samples of `series` every 60 s from T0, `n` of them, with `extra` fields. */
const samples = (series: string, n: number, value: (i: number) => number, extra: object) =>
  Array.from({ length: n }, (_, i) => ({ series, t: T0 + 60 * (i + 1), v: value(i), interval: 60, ...extra }));

describe('units of series', () => {
  it('lists and fetches a GAUGE with the unit its samples declared', async () => {
    expect((await call('POST', '/api/v1/samples', samples('lab.a.cpu', 5, (i) => 10 + i, { unit: '%' }))).json).toEqual({ accepted: 5, rejected: [] });
    expect(await listed('lab.a.cpu')).toMatchObject([{ series: 'lab.a.cpu', unit: '%' }]);
    expect(await fetched('lab.a.cpu')).toMatchObject({ series: 'lab.a.cpu', unit: '%' });
  });

  it("lists a COUNTER declared in B as B/s, the unit of its stored rates", async () => {
    const res = await call('POST', '/api/v1/samples', samples('lab.a.rx', 5, (i) => 1000 * i, { unit: 'B', kind: 'COUNTER' }));
    expect(res.json).toEqual({ accepted: 5, rejected: [] });
    const [info] = (await call('GET', '/api/v1/series?match=lab.a.rx')).json.series;
    expect(info).toMatchObject({ unit: 'B/s', definition: { dataSources: [{ type: 'COUNTER' }] } });
    const rows = await fetched('lab.a.rx');
    expect(rows.unit).toBe('B/s');
    // The rows are rates: 1000 B every 60 s.
    expect(rows.rows.some((r) => Array.isArray(r) && typeof r[1] === 'number' && Math.abs(r[1] - 1000 / 60) < 1e-6)).toBe(true);
  });

  it("leaves the unit out of a series whose samples declare none", async () => {
    await call('POST', '/api/v1/samples', samples('lab.a.plain', 2, () => 1, {}));
    const [info] = await listed('lab.a.plain');
    expect(info.series).toBe('lab.a.plain');
    expect(info).not.toHaveProperty('unit');
    expect(await fetched('lab.a.plain')).not.toHaveProperty('unit');
  });

  it("gives the config's units section precedence over the unit a sender declares", async () => {
    await call('POST', '/api/v1/samples', samples('lab.b.temp', 2, () => 21.5, { unit: 'K' }));
    expect(await listed('lab.b.temp')).toMatchObject([{ unit: '°C' }]);
    expect(await fetched('lab.b.temp')).toMatchObject({ unit: '°C' });
  });

  it('refuses a bad unit with a 400 naming the field, storing nothing of the batch', async () => {
    for (const unit of ['x'.repeat(MAX_UNIT_LENGTH + 1), 'B\nB', '', 7]) {
      const res = await call('POST', '/api/v1/samples', [
        { series: 'lab.c.ok', t: T0 + 60, v: 1, unit: 's' },
        { series: 'lab.c.bad', t: T0 + 60, v: 1, unit },
      ]);
      expect(res.status).toBe(400);
      // A unit may break two rules at once (length and pattern): each is said, on the same field.
      expect(new Set(res.json.error.problems.map((p: { field: string }) => p.field))).toEqual(new Set(['body/1/unit']));
    }
    expect(await listed('lab.c.*')).toEqual([]);
    const longest = await call('POST', '/api/v1/samples', [{ series: 'lab.c.ok', t: T0 + 60, v: 1, interval: 60, unit: 'u'.repeat(MAX_UNIT_LENGTH) }]);
    expect(longest.json).toEqual({ accepted: 1, rejected: [] });
  });

  it('keeps the units across a restart, written to the database only when a series’ unit changes', async () => {
    // The same unit again, then a change: one row per series, the changed one with the new unit.
    await call('POST', '/api/v1/samples', [{ series: 'lab.a.cpu', t: T0 + 600, v: 1, unit: '%' }, { series: 'lab.a.plain', t: T0 + 600, v: 1, unit: 'requests' }]);
    await server.close();
    const db = new SQLite(join(config.dataDir, DATABASE_FILE), { readonly: true });
    const rows = db.prepare('SELECT series, unit FROM series_units ORDER BY series').all();
    db.close();
    expect(rows).toEqual([
      { series: 'lab.a.cpu', unit: '%' },
      { series: 'lab.a.plain', unit: 'requests' },
      { series: 'lab.a.rx', unit: 'B' },
      { series: 'lab.b.temp', unit: 'K' },
      { series: 'lab.c.ok', unit: 'u'.repeat(MAX_UNIT_LENGTH) },
    ]);
    server = await startServer(config, quiet);
    expect((await listed('lab.**')).map((s) => [s.series, s.unit])).toEqual([
      ['lab.a.cpu', '%'],
      ['lab.a.plain', 'requests'],
      ['lab.a.rx', 'B/s'],
      ['lab.b.temp', '°C'],
      ['lab.c.ok', 'u'.repeat(MAX_UNIT_LENGTH)],
    ]);
  });

  it('describes the new fields in the OpenAPI document', async () => {
    const docs = await apiCall(server.url, 'GET', '/docs/json', undefined);
    const sample = docs.json.paths['/api/v1/samples'].post.requestBody.content['application/json'].schema.items;
    expect(sample.properties.unit).toMatchObject({ type: 'string', maxLength: MAX_UNIT_LENGTH, description: expect.stringContaining('B/s') });
    const item = docs.json.paths['/api/v1/series'].get.responses['200'].content['application/json'].schema.properties.series.items;
    expect(item.properties.unit.description).toContain('per second');
    expect(docs.json.paths['/api/v1/fetch'].get.description).toContain('`unit`');
  });
});
