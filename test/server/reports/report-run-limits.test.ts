/**
 * A report run asked for over a range that goes past a limit of what one
 * run reads is refused with a 400 naming the range's field, not a 500:
 * here the planned downtimes' windows it would expand (downtimes.maxListedWindows),
 * an hourly downtime over two days. Nothing is archived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer(`
listen: { port: ${await freePort()} }
dataDir: ./data
log: { level: silent }
slurpers: { instances: [] }
downtimes: { maxListedWindows: 10 }
alarms:
  recipients: [{ name: ops, webhook: ["http://127.0.0.1:9/hook"] }]
reports:
  - { name: daily, cron: "30 0 * * *", notify: [ops] }
`);
}, 60_000);

afterAll(async () => {
  await test?.stop();
});

describe('a report run past a limit', () => {
  it('is a 400 naming the range, and archives nothing', async () => {
    const call = (method: 'GET' | 'POST', path: string, body?: unknown) => apiCall(test.server.url, method, path, test.tokens.admin, body);
    const now = Math.floor(Date.now() / 1000 / 3600) * 3600;
    const hourly = await call('POST', '/api/v1/downtimes', { kind: 'planned', scope: { series: ['**'] }, start: now - 3 * 86400, end: now - 3 * 86400 + 600, rrule: 'FREQ=HOURLY', reason: 'backup' });
    expect(hourly.status).toBe(201);
    const res = await call('POST', `/api/v1/reports/daily/run?from=${now - 2 * 86400}&to=${now}`);
    expect(res.status).toBe(400);
    expect(res.json.error.problems[0]).toMatchObject({ field: 'querystring/to', message: expect.stringContaining('downtimes.maxListedWindows') });
    expect((await call('GET', '/api/v1/reports')).json.reports[0].runs).toEqual([]);
  });
});
