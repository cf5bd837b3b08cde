/**
 * GET /api/v1/fetch as CSV (format=csv, or Accept: text/csv) over real HTTP
 * from a real server: the same values as the JSON answer, one record a
 * value with a header, RFC 4180; a bad format is a 400 naming it.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let test: TestServer;
const T0 = 1_700_000_000;

beforeAll(async () => {
  test = await startTestServer(
    `listen:\n  port: ${await freePort()}\nlog:\n  level: silent\nslurpers:\n  instances: []\n` +
      'archives:\n  rules:\n    - { match: "csv.**", step: 10s, rras: ["RRA:AVERAGE:0.5:1:100"] }\n',
  );
  const samples = [
    ...Array.from({ length: 6 }, (_, i) => ({ series: 'csv.a', t: T0 + (i + 1) * 10, v: i === 3 ? null : -1.5 * i })),
    ...Array.from({ length: 6 }, (_, i) => ({ series: 'csv.b', t: T0 + (i + 1) * 10, v: 100 + i })),
  ];
  expect((await apiCall(test.server.url, 'POST', '/api/v1/samples', test.tokens.writer, samples)).status).toBe(200);
});
afterAll(() => test.stop());

const QUERY = `/api/v1/fetch?series=csv.a&series=csv.b&start=${T0}&end=${T0 + 60}`;

async function get(path: string, accept?: string): Promise<{ status: number; type: string; text: string }> {
  const res = await request(`${test.server.url}${path}`, { headers: { authorization: `Bearer ${test.tokens.viewer}`, ...(accept ? { accept } : {}) } });
  return { status: res.statusCode, type: String(res.headers['content-type']), text: await res.body.text() };
}

describe('GET /api/v1/fetch as CSV', () => {
  it('answers format=csv with a header and one record a value, the values of the JSON answer', async () => {
    const json = JSON.parse((await get(QUERY)).text) as { series: { series: string; ds: string[]; rows: (number | null)[][] }[] };
    const expected = json.series.flatMap((s) => s.rows.map(([t, v]) => `${s.series},${s.ds[0]},${t},${v === null ? '' : v}\r\n`));
    const csv = await get(`${QUERY}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.text).toBe(`series,ds,time,value\r\n${expected.join('')}`);
    // The values themselves, not only the shape: a negative number stays a number, an unknown is empty.
    expect(csv.text).toContain(`csv.a,value,${T0 + 30},-3\r\n`);
    expect(csv.text).toContain(`csv.a,value,${T0 + 40},\r\n`);
    expect(csv.text).toContain(`csv.b,value,${T0 + 60},105\r\n`);
  });

  it('answers CSV to Accept: text/csv, and JSON when the client accepts JSON too', async () => {
    expect((await get(QUERY, 'text/csv')).text.startsWith('series,ds,time,value\r\n')).toBe(true);
    const both = await get(QUERY, 'application/json, text/csv;q=0.5');
    expect(both.type).toMatch(/^application\/json/);
    expect(JSON.parse(both.text).series).toHaveLength(2);
  });

  it('refuses a format it does not know with a 400 naming it', async () => {
    const bad = await get(`${QUERY}&format=xml`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('querystring/format');
  });
});
