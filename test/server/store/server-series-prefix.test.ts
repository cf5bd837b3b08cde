/**
 * Names under `ringmon.` are the server's own series (node states): a
 * client's sample there is refused at the door, over HTTP and Graphite
 * alike. (The server's own writer storing them is told by
 * test/server/computed/computed-e2e.test.ts, which reads ringmon.nodes.*.up.)
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { until } from '../../helpers/wait.js';

let test: TestServer;
let graphitePort: number;

beforeAll(async () => {
  graphitePort = await freePort();
  test = await startTestServer(
    `listen:\n  port: ${await freePort()}\nlog:\n  level: silent\nslurpers:\n  instances: []\n` +
      `graphite:\n  enabled: true\n  port: ${graphitePort}\n`,
  );
});
afterAll(() => test.stop());

async function seriesNames(): Promise<string[]> {
  const listed = await apiCall(test.server.url, 'GET', '/api/v1/series', test.tokens.admin);
  return (listed.json as { series: { series: string }[] }).series.map((s) => s.series);
}

describe('the ringmon. prefix', () => {
  it('refuses a client sample under ringmon. over HTTP, naming the series, and stores the rest of the batch', async () => {
    const now = Math.floor(Date.now() / 1000);
    const answer = await apiCall(test.server.url, 'POST', '/api/v1/samples', test.tokens.writer, [
      { series: 'ringmon.nodes.fake.up', t: now, v: 1 },
      { series: 'app.a.load', t: now, v: 2 },
    ]);
    expect(answer.status).toBe(200);
    const json = answer.json as { accepted: number; rejected: { index: number; series: string; reason: string }[] };
    expect(json.accepted).toBe(1);
    expect(json.rejected).toEqual([{ index: 0, series: 'ringmon.nodes.fake.up', reason: expect.stringContaining("names under 'ringmon.' are the server's own series") }]);
    expect(await seriesNames()).not.toContain('ringmon.nodes.fake.up');
  });

  it('drops a Graphite line under ringmon. while storing the next line of the same connection', async () => {
    const now = Math.floor(Date.now() / 1000);
    const socket = connect(graphitePort, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.end(`ringmon.nodes.sneaky.up 1 ${now}\napp.b.load 3 ${now}\n`);
    await until(async () => (await seriesNames()).includes('app.b.load'), 'app.b.load stored from Graphite', 15_000);
    expect(await seriesNames()).not.toContain('ringmon.nodes.sneaky.up');
  });
});
