/**
 * Every answer of a real server over loopback carries the security headers
 * (CSP, X-Frame-Options, Referrer-Policy, nosniff): the web page and its
 * assets, the API, /docs, a 404, a 401, a 400 and a 413.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../../web/build.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let t: TestServer;

beforeAll(async () => {
  await buildWeb();
  t = await startTestServer(['log:', '  level: silent', 'slurpers:', '  instances: []', 'limits:', '  bodyBytes: 1KiB'].join('\n'));
}, 60_000);
afterAll(async () => t?.stop());

async function headersOf(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers }> {
  const res = await fetch(`${t.server.url}${path}`, init);
  await res.arrayBuffer();
  return { status: res.status, headers: res.headers };
}

function expectSecurityHeaders(headers: Headers): void {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('x-content-type-options')).toBe('nosniff');
}

describe('security headers', () => {
  it('are on the page, its script and stylesheet, and /docs', async () => {
    const page = await fetch(`${t.server.url}/`);
    const html = await page.text();
    expectSecurityHeaders(page.headers);
    const assets = [...html.matchAll(/(?:src|href)="(assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const asset of assets) {
      const answer = await headersOf(`/${asset}`);
      expect(answer.status, asset).toBe(200);
      expectSecurityHeaders(answer.headers);
    }
    for (const path of ['/docs', '/docs/json', '/docs/static/index.html']) {
      const answer = await headersOf(path, { redirect: 'manual' });
      expect(answer.status, path).toBeLessThan(400);
      expectSecurityHeaders(answer.headers);
    }
  });

  it('are on every API answer: 200, 401, 403, 400, 404, 413', async () => {
    const viewer = { authorization: `Bearer ${t.tokens.viewer}` };
    const cases: [string, RequestInit, number][] = [
      ['/healthz', {}, 200],
      ['/api/v1/series', { headers: viewer }, 200],
      ['/api/v1/series', {}, 401],
      ['/api/v1/samples', { method: 'POST', headers: { ...viewer, 'content-type': 'application/json' }, body: '[]' }, 403],
      ['/api/v1/fetch?series=a.b&start=oops', { headers: viewer }, 400],
      ['/api/v1/no-such-route', { headers: viewer }, 404],
      ['/no/such/file.js', {}, 404],
      ['/api/v1/samples', { method: 'POST', headers: { authorization: `Bearer ${t.tokens.writer}`, 'content-type': 'application/json' }, body: JSON.stringify('x'.repeat(4096)) }, 413],
    ];
    for (const [path, init, status] of cases) {
      const answer = await headersOf(path, init);
      expect(answer.status, `${init.method ?? 'GET'} ${path}`).toBe(status);
      expectSecurityHeaders(answer.headers);
    }
  });
});
