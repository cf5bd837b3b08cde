/**
 * GET /api/v1/alarms/history as CSV (format=csv, or Accept: text/csv) over
 * real HTTP from a real server: read back by a strict RFC 4180 reader, one
 * record a transition with a header, the same transitions as the JSON
 * answer; a display name that a spreadsheet would run as a formula is
 * defused; bounds are a 400 naming the parameter.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { until } from '../../helpers/wait.js';
import { parseCsv } from '../reports/fixtures.js';

let test: TestServer;
const FORMULA = '=HYPERLINK("http://evil.example","click")';
const nodes = join(tmpdir(), `ringmon-history-csv-nodes-${process.pid}.yaml`);

let clock = Math.floor(Date.now() / 1000) - 600;
async function post(series: string, ...values: number[]): Promise<void> {
  for (const v of values) expect((await apiCall(test.server.url, 'POST', '/api/v1/samples', test.tokens.writer, [{ series, t: ++clock, v }])).status).toBe(200);
}

interface Transition {
  id: number;
  series: string;
  rule: string;
  from: string;
  to: string;
  at: string;
  value: number | null;
  threshold: string | null;
  downtime: { id: number; kind: string } | null;
  suppressed: boolean;
  inhibitedBy: string | null;
}

beforeAll(async () => {
  writeFileSync(nodes, `n1:\n  name: '${FORMULA}'\nn2:\n  name: 'Node, "two"'\n`);
  test = await startTestServer(
    `listen:\n  port: ${await freePort()}\nlog:\n  level: silent\nslurpers:\n  instances: []\n` +
      'archives:\n  default: { step: 1s, heartbeat: 5s, rras: ["RRA:AVERAGE:0.5:1:600"] }\n' +
      `metadata:\n  file: ${nodes}\n  key: csv.{node}.*\n` +
      'alarms:\n  groupWait: 0\n  rules:\n    - { name: low, match: "csv.*.level", warning: "5:", critical: "-10:" }\n',
  );
  await post('csv.n1.level', 20, 3, -12);
  await post('csv.n2.level', 1, 30);
  await post('csv.n3.level', -20);
  await until(async () => (await apiCall(test.server.url, 'GET', '/api/v1/alarms/history', test.tokens.viewer)).json.transitions.length === 5, 'five transitions', 20_000);
}, 60_000);
afterAll(async () => {
  await test.stop();
  rmSync(nodes, { force: true });
});

async function get(path: string, accept?: string): Promise<{ status: number; type: string; text: string }> {
  const res = await request(`${test.server.url}${path}`, { headers: { authorization: `Bearer ${test.tokens.viewer}`, ...(accept ? { accept } : {}) } });
  return { status: res.statusCode, type: String(res.headers['content-type']), text: await res.body.text() };
}

describe('GET /api/v1/alarms/history as CSV', () => {
  it('reads back as the JSON answer: a header, one record a transition, newest first', async () => {
    const json = JSON.parse((await get('/api/v1/alarms/history')).text) as { transitions: Transition[] };
    expect(json.transitions).toHaveLength(5);
    const csv = await get('/api/v1/alarms/history?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.type).toBe('text/csv; charset=utf-8; header=present');
    const [header, ...records] = parseCsv(csv.text);
    expect(header).toEqual(['id', 'time', 'series', 'display_name', 'rule', 'from', 'to', 'value', 'threshold', 'downtime_id', 'downtime_kind', 'suppressed', 'inhibited_by']);
    const names: Record<string, string> = { 'csv.n1.level': `'${FORMULA}`, 'csv.n2.level': 'Node, "two"', 'csv.n3.level': '' };
    expect(records).toEqual(
      json.transitions.map((t) => [String(t.id), t.at, t.series, names[t.series], t.rule, t.from, t.to, t.value === null ? '' : String(t.value), t.threshold ?? '', '', '', 'false', '']),
    );
    // A negative value stays a number; the formula in a display name gets a ' before it.
    expect(csv.text).toContain(',-12,');
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
  });

  it('answers CSV to Accept: text/csv, JSON when JSON is accepted too, and keeps the query', async () => {
    expect((await get('/api/v1/alarms/history', 'text/csv')).text.startsWith('id,time,series,')).toBe(true);
    expect((await get('/api/v1/alarms/history', 'application/json, text/csv;q=0.5')).type).toMatch(/^application\/json/);
    const one = parseCsv((await get('/api/v1/alarms/history?format=csv&series=csv.n2.level&limit=1')).text);
    expect(one).toHaveLength(2);
    expect(one[1].slice(2, 7)).toEqual(['csv.n2.level', 'Node, "two"', 'low', 'WARNING', 'OK']);
  });

  it('refuses an unknown format or a limit out of bounds with a 400 naming it', async () => {
    for (const [query, field] of [['format=xml', 'querystring/format'], ['format=csv&limit=0', 'querystring/limit'], ['format=csv&limit=10001', 'querystring/limit']]) {
      const res = await get(`/api/v1/alarms/history?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.text, query).toContain(field);
    }
  });
});
