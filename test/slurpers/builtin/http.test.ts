/**
 * The http slurper against real servers on 127.0.0.1: plain HTTP, HTTPS
 * with self-signed certificates made by the openssl CLI at test time (so
 * that days-left is known), a closed port and a server that does not answer.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from '../../../slurpers/builtin/http.js';
import { runOnce } from '../../../slurpers/host/run-once.js';
import { freePort } from '../../helpers/free-port.js';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();

function routes(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/ok') res.end('all systems nominal');
  else if (req.url === '/fail') res.writeHead(500).end('boom');
  else if (req.url === '/slow-body') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.flushHeaders();
    setTimeout(() => res.end('late'), 300);
  } else if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
  // /hang: never answers.
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
const close = async (server: Server): Promise<void> => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
};

const run = (options: object, timeoutSeconds = 10) => runOnce(http, { name: 'web', timeoutSeconds, options });
const byName = (samples: readonly { series: string; value: number | null }[]) => Object.fromEntries(samples.map((s) => [s.series, s.value]));

describe('http', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer(routes);
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(() => close(server));

  it('measures status, ttfb, total and body match', async () => {
    const outcome = await run({ url: `${base}/ok`, bodyMatch: 'nominal$' });
    expect(outcome).toMatchObject({ ok: true, state: { status: 'OK', message: expect.stringMatching(/^200 in \d+ ms$/) } });
    const s = byName(outcome.samples);
    expect(s).toMatchObject({ 'web.success': 1, 'web.status': 200, 'web.body_match': 1, 'web.body_bytes': 19, 'web.up': 1 });
    expect(s['web.ttfb_seconds']).toBeGreaterThan(0);
    expect(s['web.total_seconds']).toBeGreaterThanOrEqual(s['web.ttfb_seconds']!);
    expect(s['web.tls_days_left']).toBeUndefined();
  });

  it('tells time to first byte from total time', async () => {
    const s = byName((await run({ url: `${base}/slow-body` })).samples);
    expect(s['web.total_seconds']! - s['web.ttfb_seconds']!).toBeGreaterThan(0.2);
  });

  it('an unexpected status or a body that does not match is CRITICAL, but the run worked', async () => {
    const fail = await run({ url: `${base}/fail` });
    expect(fail).toMatchObject({ ok: true, state: { status: 'CRITICAL', message: expect.stringContaining('status 500, expected 200-399') } });
    expect(byName(fail.samples)).toMatchObject({ 'web.success': 0, 'web.status': 500, 'web.up': 1 });
    expect((await run({ url: `${base}/fail`, expectStatus: [500] })).state?.status).toBe('OK');
    const mismatch = await run({ url: `${base}/ok`, bodyMatch: 'degraded' });
    expect(mismatch.state).toMatchObject({ status: 'CRITICAL', message: expect.stringContaining('body does not match /degraded/') });
    expect(byName(mismatch.samples)).toMatchObject({ 'web.success': 0, 'web.body_match': 0 });
  });

  it('follows redirects unless told not to', async () => {
    expect(byName((await run({ url: `${base}/redirect` })).samples)['web.status']).toBe(200);
    expect(byName((await run({ url: `${base}/redirect`, followRedirects: false })).samples)['web.status']).toBe(302);
  });

  it('a closed port is a measurement: success 0, CRITICAL, connection refused', async () => {
    const outcome = await run({ url: `http://127.0.0.1:${await freePort()}/` });
    expect(outcome).toMatchObject({ ok: true, state: { status: 'CRITICAL', message: expect.stringContaining('connection refused (ECONNREFUSED)') } });
    expect(byName(outcome.samples)).toMatchObject({ 'web.success': 0, 'web.status': null, 'web.up': 1 });
  });

  it('a server that does not answer: CRITICAL at the request timeout, a failed run at the instance timeout', async () => {
    const slow = await run({ url: `${base}/hang`, requestTimeoutSeconds: 0.3 });
    expect(slow).toMatchObject({ ok: true, state: { status: 'CRITICAL', message: expect.stringContaining('no answer within 0.3 s') } });
    const timedOut = await run({ url: `${base}/hang` }, 0.3);
    expect(timedOut).toMatchObject({ ok: false, error: 'timed out after 0.3 s' });
  });

  it('refuses options that are not a URL, naming the key', async () => {
    expect(await run({ url: 'example.org' })).toMatchObject({ ok: false, error: 'slurpers.web.options.url: must be an http:// or https:// URL, got "example.org"' });
  });
});

describe.skipIf(!hasOpenssl)('https (certificates from the openssl CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-tls-'));
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map(close));
    rmSync(dir, { recursive: true, force: true });
  });

  async function serveWithCertificate(days: number): Promise<string> {
    const key = join(dir, `${days}.key`);
    const cert = join(dir, `${days}.crt`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, routes);
    servers.push(server);
    return `https://127.0.0.1:${await listen(server)}/ok`;
  }

  it('reports the days left on the certificate', async () => {
    const outcome = await run({ url: await serveWithCertificate(30), tlsVerify: false });
    expect(outcome.state?.status).toBe('OK');
    const days = outcome.samples.find((s) => s.series === 'web.tls_days_left');
    expect(days?.value).toBeGreaterThan(29.9);
    expect(days?.value).toBeLessThanOrEqual(30.01);
    expect(days?.thresholds).toEqual({ warning: '21:', critical: '7:' });
  });

  it('warns, then alarms, as expiry comes near', async () => {
    expect((await run({ url: await serveWithCertificate(10), tlsVerify: false })).state).toMatchObject({
      status: 'WARNING',
      message: expect.stringMatching(/TLS certificate expires in (9\.9|10\.0) days/),
    });
    expect((await run({ url: await serveWithCertificate(3), tlsVerify: false })).state?.status).toBe('CRITICAL');
  });

  it('refuses a self-signed certificate when verifying', async () => {
    const outcome = await run({ url: await serveWithCertificate(30) });
    expect(outcome).toMatchObject({ ok: true, state: { status: 'CRITICAL', message: expect.stringContaining('self-signed') } });
  });
});
