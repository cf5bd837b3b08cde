/**
 * The prometheus slurper run by the host's runOnce against real HTTP on
 * loopback: an exposition written here (the format document's example and
 * more), and the `/metrics` of a real ringmon server behind its token; plus
 * a server that never answers, one that answers HTML, and a wrong token.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import prometheus from '../../../slurpers/builtin/prometheus.js';
import { runOnce } from '../../../slurpers/host/run-once.js';
import { addToken } from '../../../server/auth/token-file.js';
import { loadConfig } from '../../../server/config/index.js';
import { startServer, type RunningServer } from '../../../server/index.js';
import { freePort } from '../../helpers/free-port.js';

const EXPOSITION = String.raw`# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{code="400",method="post"} 3
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 12.75
# TYPE temperature gauge
temperature{room="a \"b\""} 21.5
temperature{room="c"} NaN
metric_without_type 12.47
something_weird{problem="division by zero"} +Inf -3982045
# TYPE broken_total counter
broken_total -5
up 1
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423.5
http_request_duration_seconds_count 144320
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.99"} 76656
rpc_duration_seconds_count 2693
`;

const dir = mkdtempSync(join(tmpdir(), 'ringmon-prometheus-test-'));
let fake: Server;
let fakeUrl: string;
let ringmon: RunningServer;
let viewerToken: string;

beforeAll(async () => {
  fake = createServer((request, response) => {
    if (request.url === '/metrics') response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(EXPOSITION);
    else if (request.url === '/html') response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
    // /hang: never answers
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as { port: number }).port}`;

  // No slurpers of its own: its counters stay at 0 until something posts, however fast the demo set would have run.
  writeFileSync(join(dir, 'ringmon.yaml'), 'log:\n  level: silent\nslurpers:\n  instances: []\n');
  const config = loadConfig(join(dir, 'ringmon.yaml'), { env: { RINGMON_LISTEN_PORT: String(await freePort()) }, cwd: dir });
  viewerToken = addToken(config.auth.tokensFile, 'scraper', 'viewer');
  ringmon = await startServer(config);
});
afterAll(async () => {
  fake.closeAllConnections();
  await new Promise<void>((resolve) => fake.close(() => resolve()));
  await ringmon.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (options: object, timeoutSeconds = 10) => runOnce(prometheus, { name: 'p', timeoutSeconds, options });
const byName = <T extends { series: string }>(samples: readonly T[]): Record<string, T> => Object.fromEntries(samples.map((s) => [s.series, s]));

function tokenFile(name: string, token: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return path;
}

describe('prometheus', () => {
  it('counters become DCOUNTER with their fractions, gauges and untyped GAUGE; labels become sorted name.value segments', async () => {
    const outcome = await run({ url: `${fakeUrl}/metrics` });
    expect(outcome.ok).toBe(true);
    const s = byName(outcome.samples);
    expect(s['p.http_requests_total.code.200.method.post']).toEqual({ series: 'p.http_requests_total.code.200.method.post', value: 1027, kind: 'DCOUNTER', time: 1395066363 });
    expect(s['p.http_requests_total.code.400.method.post']).toMatchObject({ value: 3, kind: 'DCOUNTER' });
    expect(s['p.process_cpu_seconds_total']).toMatchObject({ value: 12.75, kind: 'DCOUNTER' });
    expect(s['p.temperature.room.a__b_']).toEqual({ series: 'p.temperature.room.a__b_', value: 21.5, time: expect.any(Number) });
    expect(s['p.temperature.room.c'].value).toBeNull();
    expect(s['p.metric_without_type']).not.toHaveProperty('kind');
    expect(s['p.something_weird.problem.division_by_zero']).toEqual({ series: 'p.something_weird.problem.division_by_zero', value: null, time: expect.any(Number) });
    expect(s['p.something_weird.problem.division_by_zero'].time).toBeGreaterThan(1.7e9);
    expect(s['p.broken_total']).toMatchObject({ value: null, kind: 'DCOUNTER' });
    expect(s['p.up_']).toMatchObject({ value: 1 });
    expect(s['p.http_request_duration_seconds_sum']).toMatchObject({ value: 53423.5, kind: 'DCOUNTER' });
    expect(s['p.rpc_duration_seconds.quantile.0_99']).not.toHaveProperty('kind');
    expect(s['p.rpc_duration_seconds_count']).toMatchObject({ kind: 'DCOUNTER' });
    expect(Object.keys(s).some((k) => k.includes('_bucket'))).toBe(false);
  });

  it('buckets on request; match keeps the families a glob names', async () => {
    const withBuckets = byName((await run({ url: `${fakeUrl}/metrics`, buckets: true })).samples);
    expect(withBuckets['p.http_request_duration_seconds_bucket.le._Inf']).toMatchObject({ value: 144320, kind: 'DCOUNTER' });
    const matched = await run({ url: `${fakeUrl}/metrics`, match: ['http_request?_*', 'temp*'] });
    expect(matched.samples.map((x) => x.series).sort()).toEqual([
      'p.duration_seconds', 'p.http_requests_total.code.200.method.post', 'p.http_requests_total.code.400.method.post',
      'p.temperature.room.a__b_', 'p.temperature.room.c', 'p.up',
    ]);
  });

  it("scrapes a real ringmon server's /metrics with a viewer token from a file", async () => {
    const outcome = await run({ url: `${ringmon.url}/metrics`, tokenFile: tokenFile('viewer', viewerToken) });
    expect(outcome.ok).toBe(true);
    const s = byName(outcome.samples);
    expect(s['p.ringmon_samples_ingested_total']).toMatchObject({ kind: 'DCOUNTER', value: 0 });
    expect(s['p.ringmon_journal_bytes']).toMatchObject({ value: expect.any(Number) });
    expect(s['p.ringmon_journal_bytes']).not.toHaveProperty('kind');
  });

  it('a missing or wrong token fails the run, never quoting the token', async () => {
    const none = await run({ url: `${ringmon.url}/metrics` });
    expect(none.error).toBe(`GET ${ringmon.url}/metrics: HTTP 401 Unauthorized; it wants a token (tokenFile)`);
    const wrongToken = `${viewerToken.slice(0, -4)}zzzz`;
    const wrong = await run({ url: `${ringmon.url}/metrics`, tokenFile: tokenFile('wrong', wrongToken) });
    expect(wrong.error).toMatch(/HTTP 401 .*check the token in .*wrong$/);
    expect(JSON.stringify(wrong)).not.toContain(wrongToken);
    const open = join(dir, 'open');
    writeFileSync(open, viewerToken, { mode: 0o644 });
    const readable = await run({ url: `${ringmon.url}/metrics`, tokenFile: open });
    expect(readable.error).toBe(`token file ${open}: permissions 0644 are too open: group and others must have no access to a secret file; fix with: chmod 600 ${open}`);
  });

  it('a server that never answers is given up at timeoutSeconds or at the run limit; a refused connection and an HTML answer are named', async () => {
    const started = Date.now();
    const hung = await run({ url: `${fakeUrl}/hang`, timeoutSeconds: 0.3 }, 10);
    expect(hung).toMatchObject({ ok: false, error: `GET ${fakeUrl}/hang: no answer within 0.3 s` });
    const runLimit = await run({ url: `${fakeUrl}/hang` }, 0.3);
    expect(runLimit).toMatchObject({ ok: false, error: 'timed out after 0.3 s' });
    const refused = await run({ url: `http://127.0.0.1:${await freePort()}/metrics` });
    expect(refused.error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/metrics: ECONNREFUSED$/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await run({ url: `${fakeUrl}/html` })).error).toBe(`GET ${fakeUrl}/html: answered text/html, not Prometheus text`);
  });
});
