/**
 * `ringmon serve` serving the web client at `/` (server/routes/web.ts): the
 * page and its assets load without a token while the API still wants one,
 * index.html is revalidated and hashed assets are cached for good, unknown
 * paths get the API's 404, and a missing bundle is never built by the
 * server: the API starts and `/` answers 503 naming the build command.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/index.js';
import { buildWeb } from '../../web/build.js';
import { startWebTestServer, type WebTestServer } from './helpers/web-server.js';

let web: WebTestServer;
const dirs: string[] = [];

beforeAll(async () => {
  web = await startWebTestServer();
});
afterAll(async () => {
  await web?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the web client at /', () => {
  it('serves the page and its script without a token, while the API wants one', async () => {
    const page = await fetch(`${web.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).toContain('<rm-app>');
    const script = /src="(assets\/main-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${web.url}/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await asset.text()).length).toBeGreaterThan(10_000);
    expect((await fetch(`${web.url}/api/v1/series`)).status).toBe(401);
  });

  it("answers paths that are neither a file nor a route with the API's 404", async () => {
    for (const path of ['/no-such-page', '/assets/main-MISSING.js', '/api/v1/no-such-route']) {
      const res = await fetch(`${web.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: `no route GET ${path}` } });
    }
  });
});

describe('a missing bundle', () => {
  it('is not built by the server: the API runs and / says how to build it', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'ringmon-web-dist-')), 'dist');
    dirs.push(root);
    const app = await buildApp({ web: { root } });
    try {
      const page = await app.inject({ url: '/' });
      expect(page.statusCode).toBe(503);
      expect(page.body).toContain('npm run build:web');
      expect(existsSync(join(root, 'index.html'))).toBe(false);
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/assets/main-X.js' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('serves the bundle once it is built, after a restart; the bundle is readable by a server running as another user', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'ringmon-web-dist-')), 'dist');
    dirs.push(root);
    const umask = process.umask(0o077);
    let built: Awaited<ReturnType<typeof buildWeb>>;
    try {
      built = await buildWeb(root);
    } finally {
      process.umask(umask);
    }
    for (const file of built.files) expect(statSync(join(root, file)).mode & 0o777, file).toBe(0o644);
    expect(readdirSync(root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const app = await buildApp({ web: { root } });
    try {
      const page = await app.inject({ url: '/' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<rm-app>');
    } finally {
      await app.close();
    }
  });
});
