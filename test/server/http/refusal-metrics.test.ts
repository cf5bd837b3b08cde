/**
 * Refusals counted in /metrics (issue 14's leftover), on a real server over
 * loopback: fetches refused with a 400 before a row is read (over
 * limits.fetchMaxRows, or outside the query's own bounds) in
 * ringmon_fetches_refused_total, and requests cut with a 408 by
 * listen.requestTimeout in ringmon_http_requests_timed_out_total. Fetches
 * answered, or of an unknown series, are not counted.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { NO_SLURPERS, testServerYaml } from '../../helpers/server-config.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let running: TestServer;
const T = 1_700_006_400;

beforeAll(async () => {
  running = await startTestServer(
    testServerYaml({ port: await freePort(), dataDir: 'data', log: 'silent' }, NO_SLURPERS, { listen: { requestTimeout: '2s', headersTimeout: '1s' }, limits: { fetchMaxRows: 500 } }),
  );
  const stored = await apiCall(running.server.url, 'POST', '/api/v1/samples?interval=60', running.tokens.writer, [{ series: 'web.load', t: T, v: 1 }]);
  expect(stored.status).toBe(200);
}, 60_000);
afterAll(async () => running?.stop());

/** The value of an unlabelled metric, or undefined when /metrics has none. */
async function metric(name: string): Promise<number | undefined> {
  const res = await fetch(`${running.server.url}/metrics`, { headers: { authorization: `Bearer ${running.tokens.viewer}` } });
  const line = (await res.text()).split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

const fetchStatus = async (query: string): Promise<number> => (await apiCall(running.server.url, 'GET', `/api/v1/fetch?${query}`, running.tokens.viewer)).status;

describe('refusals in /metrics', () => {
  it('counts fetches refused by their bounds, not those answered', async () => {
    expect(await metric('ringmon_fetches_refused_total')).toBe(0);
    expect(await fetchStatus(`series=web.load&start=${T - 600}&end=${T}`)).toBe(200);
    expect(await fetchStatus(`series=no.such&start=${T - 600}&end=${T}`)).toBe(404);
    expect(await metric('ringmon_fetches_refused_total')).toBe(0);
    expect(await fetchStatus(`series=web.load&start=${T - 86_400 * 30}&end=${T}`)).toBe(400); // past limits.fetchMaxRows
    expect(await fetchStatus(`series=web.load&start=${T}&end=${T - 600}`)).toBe(400); // end before start
    expect(await fetchStatus(`series=web.load&start=${T - 600}&end=${T}&points=0`)).toBe(400); // outside the schema's range
    expect(await metric('ringmon_fetches_refused_total')).toBe(3);
  });

  it('counts a request cut by listen.requestTimeout', async () => {
    expect(await metric('ringmon_http_requests_timed_out_total')).toBe(0);
    const { port } = new URL(running.server.url);
    const status = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /api/v1/samples HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${running.tokens.writer}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[`);
        const drip = setInterval(() => socket.write(' '), 200);
        let answer = '';
        socket.on('data', (d: Buffer) => (answer += d.toString()));
        socket.on('close', () => {
          clearInterval(drip);
          resolve(answer.split('\r\n')[0]);
        });
      });
      socket.on('error', reject);
    });
    expect(status).toBe('HTTP/1.1 408 Request Timeout');
    expect(await metric('ringmon_http_requests_timed_out_total')).toBe(1);
  }, 30_000);
});
