/**
 * archives.maxNewSeriesPerMinute over real HTTP (issue 14: optional limits
 * per token): a token past its new series of the minute gets them listed as
 * rejected beside what was taken, and 429 naming the setting when nothing
 * was; its known series go on, another token is not held back, and
 * /metrics counts the refusals as reason="rate".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToken } from '../../../server/auth/token-file.js';
import { loadConfig } from '../../../server/config/index.js';
import { startServer, type RunningServer } from '../../../server/index.js';
import { apiCall } from '../../helpers/api-call.js';
import { freePort } from '../../helpers/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-new-series-rate-'));
const configFile = join(dir, 'ringmon.yaml');
const config = () => loadConfig(configFile, { env: {}, cwd: dir });
let server: RunningServer;
let loader: string;
let other: string;
let viewer: string;

beforeAll(async () => {
  writeFileSync(configFile, `listen:\n  port: ${await freePort()}\nlog:\n  level: silent\nslurpers:\n  instances: []\narchives:\n  maxNewSeriesPerMinute: 2\n`);
  loader = addToken(config().auth.tokensFile, 'loader', 'ingest');
  other = addToken(config().auth.tokensFile, 'other', 'ingest');
  viewer = addToken(config().auth.tokensFile, 'eve', 'viewer');
  server = await startServer(config());
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('new series per token and minute, over HTTP', () => {
  it('are taken up to archives.maxNewSeriesPerMinute, then refused (429 when nothing was taken); known series and other tokens go on', async () => {
    const t = Math.floor(Date.now() / 1000) - 600;
    const post = (token: string, series: string[], at = t) => apiCall(server.url, 'POST', '/api/v1/samples?interval=60', token, series.map((s) => ({ series: s, t: at, v: 1 })));
    const first = await post(loader, ['rate.a', 'rate.b', 'rate.c']);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ accepted: 2, rejected: [{ index: 2, series: 'rate.c', reason: expect.stringContaining("token 'loader' made 2 new series in the last minute, archives.maxNewSeriesPerMinute is 2") }] });
    const refused = await post(loader, ['rate.c']);
    expect(refused.status).toBe(429);
    expect(refused.json.error).toEqual({ code: 'too_many_requests', message: expect.stringContaining('archives.maxNewSeriesPerMinute is 2') });
    expect((await post(loader, ['rate.a'], t + 60)).json).toEqual({ accepted: 1, rejected: [] });
    expect((await post(other, ['rate.c'])).json).toEqual({ accepted: 1, rejected: [] });
    const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${viewer}` } })).text();
    expect(metrics).toContain('ringmon_series_refused_total{reason="rate"} 2\n');
  });
});
