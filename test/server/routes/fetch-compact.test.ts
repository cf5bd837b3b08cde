/**
 * GET /api/v1/fetch?width=N&format=compact over real HTTP from a real
 * server: rows consolidated into at most N buckets aligned on round times,
 * the line by the CF and the MIN/MAX envelope (a one-row spike survives),
 * unknown only where every row is, values without float noise (in the
 * plain JSON answer too); a bad width is a 400 naming querystring/width,
 * and limits.fetchMaxRows still bounds the rows read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let test: TestServer;
const T0 = 1_700_000_000;
const ROWS = 600;
const SPIKE_ROW = 217;
/** Rows 400..499 have no sample: a whole bucket of them is unknown. */
const isGap = (i: number): boolean => i >= 400 && i < 500;
/** 0.1 + 0.2: the float noise a sum leaves (0.30000000000000004). */
const NOISY = 0.1 + 0.2;

interface CompactSeries {
  series: string;
  start: number;
  step: number;
  values: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
}

beforeAll(async () => {
  test = await startTestServer(
    `listen:\n  port: ${await freePort()}\nlog:\n  level: silent\nslurpers:\n  instances: []\nlimits:\n  fetchMaxRows: 1500\n` +
      'archives:\n  rules:\n    - { match: "compact.**", step: 10s, rras: ["RRA:AVERAGE:0.5:1:2000"] }\n    - { match: "host.**", step: 1h, rras: ["RRA:AVERAGE:0.5:1:100"] }\n' +
      '    - { match: "minmax.**", step: 10s, rras: ["RRA:AVERAGE:0.5:1:100", "RRA:AVERAGE:0.5:6:200", "RRA:MIN:0.5:6:200", "RRA:MAX:0.5:6:200"] }\n',
  );
  const samples = [
    ...Array.from({ length: ROWS }, (_, i) => ({ series: 'compact.spiky', t: T0 + (i + 1) * 10, v: isGap(i) ? null : i === SPIKE_ROW ? 50 : 1 + (i % 2) })),
    ...Array.from({ length: ROWS }, (_, i) => ({ series: 'compact.noisy', t: T0 + (i + 1) * 10, v: NOISY })),
    ...Array.from({ length: ROWS }, (_, i) => ({ series: 'minmax.spiky', t: T0 + (i + 1) * 10, v: i === SPIKE_ROW ? 50 : 1 })),
    // The README's example series, a day from its example's start.
    ...Array.from({ length: 3 }, (_, i) => ({ series: 'host.web01.load', t: T0 - (T0 % 3600) + 3600 * (i + 1), v: 0.5 + i })),
  ];
  expect((await apiCall(test.server.url, 'POST', '/api/v1/samples', test.tokens.writer, samples)).status).toBe(200);
});
afterAll(() => test.stop());

async function get(path: string): Promise<{ status: number; text: string }> {
  const res = await request(`${test.server.url}${path}`, { headers: { authorization: `Bearer ${test.tokens.viewer}` } });
  return { status: res.statusCode, text: await res.body.text() };
}

/** The archive answers rows to the end rounded up a step past it: (T0, T0 + 6000]. */
const range = `start=${T0}&end=${T0 + (ROWS - 1) * 10}`;

async function compact(query: string): Promise<CompactSeries[]> {
  const answer = await get(`/api/v1/fetch?${query}&format=compact`);
  expect(answer.status, answer.text).toBe(200);
  return (JSON.parse(answer.text) as { series: CompactSeries[] }).series;
}

describe('GET /api/v1/fetch?format=compact', () => {
  it('consolidates 600 rows into 60 buckets of 100 s with the mean and the MIN/MAX envelope', async () => {
    const [s] = await compact(`series=compact.spiky&${range}&width=60`);
    expect(Object.keys(s)).toEqual(['series', 'start', 'step', 'values', 'min', 'max']);
    expect(s).toMatchObject({ series: 'compact.spiky', start: T0, step: 100 });
    expect(s.values).toHaveLength(60);
    // Rows alternate 1 and 2: each bucket's mean is 1.5 between its min 1 and max 2.
    expect([s.values[0], s.min[0], s.max[0]]).toEqual([1.5, 1, 2]);
    // The spike's bucket: its max keeps the spike, its mean only a tenth of it.
    const k = Math.floor(SPIKE_ROW / 10);
    expect(s.max[k]).toBe(50);
    expect(s.values[k]).toBeCloseTo((50 + 1 * 5 + 2 * 4) / 10, 6);
    expect(Math.max(...s.max.filter((v): v is number => v !== null))).toBe(50);
    // Buckets 40..49 are all gap rows: unknown; the rest have values.
    expect(s.values.map((v, i) => (v === null ? i : -1)).filter((i) => i >= 0)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    expect(s.min[45]).toBeNull();
    expect(s.max[45]).toBeNull();
  });

  it('draws the line by the CF: MAX gives the highest of each bucket', async () => {
    const [s] = await compact(`series=compact.spiky&${range}&width=60&cf=MAX`);
    expect(s.values[Math.floor(SPIKE_ROW / 10)]).toBe(50);
    expect(s.values[0]).toBe(2);
  });

  it('answers one bucket per row when the rows fit the width, and all rows without width', async () => {
    const [wide] = await compact(`series=compact.spiky&${range}&width=1000`);
    const [all] = await compact(`series=compact.spiky&${range}`);
    expect(wide).toEqual(all);
    expect(wide.step).toBe(10);
    expect(wide.values).toHaveLength(ROWS);
    expect(wide.values[SPIKE_ROW]).toBe(50);
    expect(wide.min).toEqual(wide.values);
  });

  it('rounds away float noise, in the compact and the plain JSON answer', async () => {
    const [s] = await compact(`series=compact.noisy&${range}&width=60`);
    expect(s.values[0]).toBe(0.3);
    const plain = await get(`/api/v1/fetch?series=compact.noisy&${range}`);
    expect(plain.text).toContain(`[${T0 + 10},0.3]`);
    expect(plain.text).not.toContain('0.30000000000000004');
  });

  it.each([
    ['width=0&format=compact', 'querystring/width'],
    ['width=10001&format=compact', 'querystring/width'],
    ['width=abc&format=compact', 'querystring/width'],
    ['width=60', 'querystring/width: width consolidates for format=compact only'],
    ['width=60&points=60&format=compact', 'querystring/width: give width or points, not both'],
    ['format=tiny', 'querystring/format'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const answer = await get(`/api/v1/fetch?series=compact.spiky&${range}&${query}`);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain(field);
  });

  it('still bounds the rows read by limits.fetchMaxRows, naming querystring/width', async () => {
    // 2,000 s × 3 of 10 s rows, 1,600 rows: more than the 1,500 allowed, though they would fit 60 buckets.
    const answer = await get(`/api/v1/fetch?series=compact.spiky&series=compact.noisy&start=${T0 - 10_000}&end=${T0 + 6000}&width=60&format=compact`);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('querystring/width');
    expect(answer.text).toContain('limits.fetchMaxRows is 1500');
  });

  it('documents width and format=compact in the OpenAPI document', async () => {
    const doc = JSON.parse((await get('/docs/json')).text) as { paths: Record<string, { get: { parameters: { name: string; schema: Record<string, unknown> }[] } }> };
    const param = (name: string) => doc.paths['/api/v1/fetch'].get.parameters.find((p) => p.name === name)!.schema;
    expect(param('width')).toMatchObject({ minimum: 1, maximum: 10_000 });
    expect(JSON.stringify(param('format'))).toContain('compact');
  });

  it('answers the README\'s compact example', async () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const path = /curl [^\n]*'http:\/\/127\.0\.0\.1:8080(\/api\/v1\/fetch\?[^']*format=compact[^']*)'/.exec(readme)?.[1];
    expect(path).toBeDefined();
    const answer = await get(path ?? '');
    expect(answer.status, answer.text).toBe(200);
    const [s] = (JSON.parse(answer.text) as { series: CompactSeries[] }).series;
    expect(s.series).toBe('host.web01.load');
    expect(s.step).toBe(3600);
    expect(s.values.filter((v) => v !== null)).toEqual([0.5, 1.5, 2.5]);
  });

  it('widens the envelope to the archive\'s MIN and MAX rows where its AVERAGE rows averaged a spike away', async () => {
    // 60 s rows (the fine ones do not reach back): AVERAGE holds (50 + 5) / 6 for the spike's minute, MAX holds 50.
    const [s] = await compact(`series=minmax.spiky&${range}&width=50`);
    expect(s.step % 60).toBe(0);
    expect(s.values.length).toBeLessThanOrEqual(50);
    const k = s.max.findIndex((v) => v === 50);
    expect(k).toBeGreaterThanOrEqual(0);
    expect(s.values[k]).toBeLessThan(10);
    expect(Math.min(...s.min.filter((v): v is number => v !== null))).toBe(1);
    // The line itself is the AVERAGE rows': its highest is the averaged spike.
    expect(Math.max(...s.values.filter((v): v is number => v !== null))).toBeLessThan(10);
  });
});
