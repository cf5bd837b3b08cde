/**
 * The ingest and query API of a real server (startServer: config, journal,
 * store, archives) over HTTP on loopback, with a real token file.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { loadConfig } from '../../server/config/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { apiCall } from '../helpers/api-call.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-api-'));
let server: RunningServer;
let writer: string;
let viewer: string;
let admin: string;
const T0 = 1_700_000_000;

beforeAll(async () => {
  writeFileSync(join(dir, 'ringmon.yaml'), 'listen:\n  port: 18080\nlog:\n  level: silent\nslurpers:\n  instances: []\nlimits:\n  samplesPerRequest: 1000\n' +
      // Interface octet counters: the archive stores the rate, as rrdtool does.
      'archives:\n  rules:\n    - match: net.**\n      step: 10s\n      type: COUNTER\n      rras: [RRA:AVERAGE:0.5:1:100]\n');
  const config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(20000 + Math.floor(Math.random() * 20000)) }, cwd: dir });
  writer = addToken(config.auth.tokensFile, 'bot', 'writer');
  viewer = addToken(config.auth.tokensFile, 'eve', 'viewer');
  admin = addToken(config.auth.tokensFile, 'ops', 'admin');
  server = await startServer(config);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (method: 'GET' | 'POST', path: string, token: string | undefined, body?: unknown) => apiCall(server.url, method, path, token, body);

describe('ingest and query API', () => {
  it('stores a batch and reads it back through fetch, value for value', async () => {
    const samples = Array.from({ length: 30 }, (_, i) => ({ series: 'host.web01.load', t: T0 + (i + 1) * 10, v: i * 0.5 }));
    const ingest = await call('POST', '/api/v1/samples', writer, samples);
    expect(ingest).toEqual({ status: 200, json: { accepted: 30, rejected: [] } });
    const fetched = await call('GET', `/api/v1/fetch?series=host.web01.load&start=${T0}&end=${T0 + 300}`, viewer);
    expect(fetched.status).toBe(200);
    const [result] = fetched.json.series;
    expect(result.series).toBe('host.web01.load');
    expect(result.step).toBe(10);
    const byTime = new Map<number, number | null>(result.rows.map((r: [number, number | null]) => [r[0], r[1]]));
    for (const s of samples) expect(byTime.get(s.t)).toBeCloseTo(s.v, 12);
  });

  it('stores a COUNTER series chosen by a config rule as rates, across a 32-bit wrap', async () => {
    // Per 10-s step: +1000, +2000, +3000, then +4000 wrapping past 2^32 to 2,704, which
    // rrdtool (and so ringmon) counts as +3999: it adds 2^32 - 1 to a wrapped 32-bit counter.
    const counts = [4_294_960_000, 4_294_961_000, 4_294_963_000, 4_294_966_000, 2_704];
    const samples = counts.map((v, i) => ({ series: 'net.web01.eth0.rx_bytes', t: T0 + (i + 1) * 10, v }));
    expect(await call('POST', '/api/v1/samples', writer, samples)).toEqual({ status: 200, json: { accepted: 5, rejected: [] } });
    const fetched = await call('GET', `/api/v1/fetch?series=net.web01.eth0.rx_bytes&start=${T0}&end=${T0 + 50}`, viewer);
    const byTime = new Map<number, number | null>(fetched.json.series[0].rows.map((r: [number, number | null]) => [r[0], r[1]]));
    expect([T0 + 20, T0 + 30, T0 + 40, T0 + 50].map((t) => byTime.get(t))).toEqual([100, 200, 300, 399.9]);
    const listed = await call('GET', '/api/v1/series?match=net.**', viewer);
    expect(JSON.stringify(listed.json)).toContain('COUNTER');
  });

  it('creates a new series with the kind its sender declares, unless a config rule decides', async () => {
    const body = [
      { series: 'lab.kinds.rx_bytes', t: T0 + 10, v: 1000, kind: 'COUNTER' },
      { series: 'lab.kinds.rx_bytes', t: T0 + 20, v: 3000, kind: 'COUNTER' },
      { series: 'net.lab.eth1.tx_bytes', t: T0 + 10, v: 5, kind: 'DERIVE' },
    ];
    expect(await call('POST', '/api/v1/samples', writer, body)).toEqual({ status: 200, json: { accepted: 3, rejected: [] } });
    const listed = await call('GET', '/api/v1/series?match=lab.kinds.*', viewer);
    expect(JSON.stringify(listed.json)).toContain('"COUNTER"');
    const fetched = await call('GET', `/api/v1/fetch?series=lab.kinds.rx_bytes&start=${T0}&end=${T0 + 20}`, viewer);
    expect(fetched.json.series[0].rows.find((r: [number, number | null]) => r[0] === T0 + 20)[1]).toBe(200);
    const ruled = await call('GET', '/api/v1/series?match=net.lab.**', viewer);
    expect(JSON.stringify(ruled.json)).toContain('"COUNTER"');
    expect(JSON.stringify(ruled.json)).not.toContain('DERIVE');
  });

  it('stores a null value as unknown, not as zero', async () => {
    const samples = [1, 2, 3].map((k) => ({ series: 'lab.gaps.load', t: T0 + k * 10, v: k === 2 ? null : k }));
    expect(await call('POST', '/api/v1/samples', writer, samples)).toEqual({ status: 200, json: { accepted: 3, rejected: [] } });
    const fetched = await call('GET', `/api/v1/fetch?series=lab.gaps.load&start=${T0}&end=${T0 + 30}`, viewer);
    const byTime = new Map<number, number | null>(fetched.json.series[0].rows.map((r: [number, number | null]) => [r[0], r[1]]));
    expect([byTime.get(T0 + 20), byTime.get(T0 + 30)]).toEqual([null, 3]);
  });

  it('takes JSON values as typed: a zero stays zero, a string or boolean value is refused', async () => {
    // The batch's interval: two samples of a new series are too few to show its cadence (issue 13).
    expect(await call('POST', '/api/v1/samples?interval=10', writer, [{ series: 'lab.zero.load', t: T0 + 10, v: 0 }, { series: 'lab.zero.load', t: T0 + 20, v: 0 }])).toMatchObject({ status: 200 });
    const fetched = await call('GET', `/api/v1/fetch?series=lab.zero.load&start=${T0}&end=${T0 + 20}`, viewer);
    expect(fetched.json.series[0].rows.find((r: [number, number | null]) => r[0] === T0 + 20)[1]).toBe(0);
    const refused = await call('POST', '/api/v1/samples', writer, [{ series: 'lab.typed.load', v: '5' }, { series: 'lab.typed.load', v: false }]);
    expect(refused.status).toBe(400);
    expect(refused.json.error.problems.map((p: { field: string }) => p.field)).toEqual(expect.arrayContaining(['body/0/v', 'body/1/v']));
  });

  it('reports samples not newer than their series as rejected, storing the rest', async () => {
    const res = await call('POST', '/api/v1/samples', writer, [
      { series: 'host.web01.load', t: T0 + 10, v: 99 },
      { series: 'host.web02.load', t: T0 + 10, v: 1 },
    ]);
    expect(res.status).toBe(200);
    expect(res.json.accepted).toBe(1);
    expect(res.json.rejected).toEqual([{ index: 0, series: 'host.web01.load', reason: expect.stringContaining('is not after the last update') }]);
  });

  it('refuses a batch with any invalid sample, listing each by index, and stores none of it', async () => {
    const res = await call('POST', '/api/v1/samples', writer, [
      { series: 'host.web03.load', t: T0 + 10, v: 1 },
      { series: 'bad..name', t: T0 + 10, v: 1 },
      { series: 'host.web03.load', t: 'soon', v: 1 },
      { series: 'host.web03.load', v: 'high' },
    ]);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    const fields: string[] = res.json.error.problems.map((p: { field: string }) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['body/1/series', 'body/2/t', 'body/3/v']));
    const list = await call('GET', '/api/v1/series?match=host.web03.*', viewer);
    expect(list.json.series).toEqual([]);
  });

  it('refuses batches over the configured size', async () => {
    const res = await call('POST', '/api/v1/samples', writer, Array.from({ length: 1001 }, (_, i) => ({ series: 'a.b', t: T0 + i + 1, v: 1 })));
    expect(res.status).toBe(400);
  });

  it('takes a declared interval per sample and per batch, bounded at the door, in the OpenAPI schema', async () => {
    const tooSlow = await call('POST', '/api/v1/samples', writer, [{ series: 'lab.iv.a', t: T0 + 10, v: 1, interval: 31 * 86400 + 1 }]);
    expect(tooSlow.status).toBe(400);
    expect(tooSlow.json.error.problems.map((p: { field: string }) => p.field)).toContain('body/0/interval');
    const zero = await call('POST', '/api/v1/samples?interval=0', writer, [{ series: 'lab.iv.a', t: T0 + 10, v: 1 }]);
    expect(zero.status).toBe(400);
    expect(JSON.stringify(zero.json.error)).toContain('interval');
    // Refused requests stored nothing: the series is unknown.
    expect((await call('GET', `/api/v1/fetch?series=lab.iv.a&start=${T0}&end=${T0 + 10}`, viewer)).status).toBe(404);
    // The sample's own interval wins over the batch's: lab.iv.b gets 5 minutes, lab.iv.c the batch's hour.
    const body = [{ series: 'lab.iv.b', t: T0 + 300, v: 1, interval: 300 }, { series: 'lab.iv.c', t: T0 + 3600, v: 2 }];
    expect(await call('POST', '/api/v1/samples?interval=3600', writer, body)).toEqual({ status: 200, json: { accepted: 2, rejected: [] } });
    const b = await call('GET', `/api/v1/fetch?series=lab.iv.b&start=${T0}&end=${T0 + 300}`, viewer);
    const c = await call('GET', `/api/v1/fetch?series=lab.iv.c&start=${T0}&end=${T0 + 3600}`, viewer);
    expect([b.json.series[0].step, c.json.series[0].step]).toEqual([300, 3600]);
    const spec = (await call('GET', '/docs/json', undefined)).json.paths['/api/v1/samples'].post;
    expect(spec.parameters).toContainEqual(expect.objectContaining({ name: 'interval', in: 'query', schema: expect.objectContaining({ minimum: 1, maximum: 31 * 86400 }) }));
    expect(spec.requestBody.content['application/json'].schema.items.properties.interval).toMatchObject({ minimum: 1, maximum: 31 * 86400 });
  });

  it('needs a writer token to write and a viewer token to read', async () => {
    expect((await call('POST', '/api/v1/samples', undefined, [])).status).toBe(401);
    expect((await call('POST', '/api/v1/samples', 'rmt_not-a-real-token', [])).status).toBe(401);
    expect((await call('POST', '/api/v1/samples', viewer, [])).status).toBe(403);
    expect((await call('GET', '/api/v1/series', undefined)).status).toBe(401);
    expect((await call('GET', '/api/v1/series', viewer)).status).toBe(200);
  });

  it('flushes pending samples to their archives on an admin request, and only an admin\'s', async () => {
    // Each sample's interval: two samples of a new series are too few to show its cadence (issue 13).
    expect(await call('POST', '/api/v1/samples', writer, [{ series: 'flush.me.now', t: T0 + 10, v: 1, interval: 10 }, { series: 'flush.me.now', t: T0 + 20, v: 2, interval: 10 }])).toMatchObject({ status: 200 });
    const archive = join(dir, 'data', 'archives', 'flush', 'me', 'now.rma');
    expect(existsSync(archive)).toBe(false);
    expect((await call('POST', '/api/v1/admin/flush', writer)).status).toBe(403);
    const flushed = await call('POST', '/api/v1/admin/flush', admin);
    expect(flushed.status).toBe(200);
    expect(flushed.json.samples).toBeGreaterThanOrEqual(2);
    expect(existsSync(archive)).toBe(true);
    const again = await call('POST', '/api/v1/admin/flush', admin);
    expect(again.json).toMatchObject({ series: 0, samples: 0 });
  });

  it('exposes its counters for Prometheus at /metrics', async () => {
    const res = await request(`${server.url}/metrics`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = await res.body.text();
    const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('ringmon_samples_ingested_total')).toBe(48); // 46 + the 2 of the interval test
    expect(value('ringmon_samples_rejected_total')).toBe(1);
    expect(value('ringmon_journal_bytes')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE ringmon_samples_pending gauge');
  });

  it('lists series by glob with their last value, and answers 404 for an unknown series', async () => {
    const list = await call('GET', '/api/v1/series?match=host.*.load', viewer);
    expect(list.json.series.map((s: { series: string }) => s.series)).toEqual(['host.web01.load', 'host.web02.load']);
    expect(list.json.series[0].lastValue).toBe(14.5);
    const missing = await call('GET', '/api/v1/fetch?series=nope.nope', viewer);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');
  });

  it('says why a new series has no rows yet: its samples are held until its cadence is known, and none is lost', async () => {
    const M = 1_700_000_040; // a whole minute, so each sample is one row of a 1 min archive
    const first = [{ series: 'held.web01.rtt', t: M + 60, v: 1.5 }];
    expect(await call('POST', '/api/v1/samples', writer, first)).toEqual({ status: 200, json: { accepted: 1, rejected: [] } });
    const held = await call('GET', `/api/v1/fetch?series=held.web01.rtt&start=${M}&end=${M + 600}`, viewer);
    expect(held.status).toBe(404);
    expect(held.json.error.message).toMatch(/^series 'held\.web01\.rtt' has 1 sample held since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ while its cadence is learned/);
    expect(held.json.error.message).toContain('(archives.inferWithin)');
    expect(held.json.error.problems).toEqual([{ field: 'query/series', message: "'held.web01.rtt' is held until its cadence is known" }]);
    // Two more samples a minute apart give the cadence: the archive is made at a 1 min step and all three are in it.
    const more = [2, 3].map((k) => ({ series: 'held.web01.rtt', t: M + 60 * k, v: k * 1.5 }));
    expect(await call('POST', '/api/v1/samples', writer, more)).toEqual({ status: 200, json: { accepted: 2, rejected: [] } });
    const fetched = await call('GET', `/api/v1/fetch?series=held.web01.rtt&start=${M}&end=${M + 180}`, viewer);
    expect(fetched.status).toBe(200);
    expect(fetched.json.series[0].step).toBe(60);
    const values = fetched.json.series[0].rows.filter((r: [number, number | null]) => r[1] !== null).map((r: [number, number | null]) => r);
    expect(values).toEqual([[M + 60, 1.5], [M + 120, 3], [M + 180, 4.5]]);
  });

  it('refuses a series pattern it cannot read with a 400 naming querystring/match, not a 500', async () => {
    for (const match of ['[', 'a.{b,c}', 'host..cpu']) {
      const res = await call('GET', `/api/v1/series?match=${encodeURIComponent(match)}`, viewer);
      expect(res.status, match).toBe(400);
      expect(res.json.error.problems[0].field, match).toBe('querystring/match');
    }
    expect((await call('GET', `/api/v1/series?match=${'a'.repeat(1025)}`, viewer)).status).toBe(400);
    expect((await call('GET', '/api/v1/series?match=host.**', viewer)).status).toBe(200);
  });
});
