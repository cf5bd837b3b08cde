/**
 * The auth plugin over real HTTP on loopback, with tokens from a real token
 * file: 401 without or with a wrong token, 403 for a role that does not
 * grant the route's, what each role grants, the principal reaching handlers, openReads, and a revoke taking
 * effect without a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPlugin, type AuthPluginOptions } from '../../../server/auth/auth-plugin.js';
import { addToken, revokeToken, tokenFileResolver } from '../../../server/auth/token-file.js';

const dir = mkdtempSync(join(tmpdir(), 'ringmon-auth-'));
const file = join(dir, 'tokens');
const NOW = new Date('2024-05-01T12:00:00.000Z');
const token = {
  viewer: addToken(file, 'grafana', 'viewer', NOW),
  writer: addToken(file, 'collector', 'writer', NOW),
  admin: addToken(file, 'ops', 'admin', NOW),
  ingest: addToken(file, 'agent-7', 'ingest', NOW),
  operator: addToken(file, 'oncall', 'operator', NOW),
};
const apps: FastifyInstance[] = [];

/** An app with a read, an operator, an ingest and an admin route, in an encapsulated route group. */
async function start(options: Omit<AuthPluginOptions, 'resolveToken'>): Promise<string> {
  const app = Fastify({ logger: false });
  apps.push(app);
  await app.register(authPlugin, { resolveToken: tokenFileResolver(file), ...options });
  await app.register(
    async (api) => {
      const who = (principal: { name: string } | null) => ({ principal: principal?.name ?? null });
      api.get('/things', { onRequest: api.requireRole('viewer') }, async (req) => who(req.principal));
      api.post('/things', { onRequest: api.requireRole('operator') }, async (req) => who(req.principal));
      api.post('/samples', { onRequest: api.requireRole('ingest') }, async (req) => who(req.principal));
      // preHandler works as well as onRequest.
      api.delete('/admin/things', { preHandler: api.requireRole('admin') }, async (req) => who(req.principal));
      api.get('/public', async (req) => who(req.principal));
    },
    { prefix: '/api' },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

let closed: string;
let open: string;
beforeAll(async () => {
  closed = await start({});
  open = await start({ openReads: true });
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function call(base: string, method: 'GET' | 'POST' | 'DELETE', path: string, authorization?: string) {
  const res = await request(`${base}/api${path}`, { method, headers: authorization === undefined ? {} : { authorization } });
  // any: test assertions walk arbitrary JSON
  return { status: res.statusCode, headers: res.headers, json: (await res.body.json()) as Record<string, any> };
}
const bearer = (t: string): string => `Bearer ${t}`;

describe('authentication', () => {
  it('answers 401 with WWW-Authenticate when there is no token', async () => {
    const res = await call(closed, 'GET', '/things');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
    expect(res.json).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Authorization: Bearer') } });
  });

  it('answers 401 for an unknown token, one that is nearly right, and a hash in place of the token', async () => {
    for (const wrong of [`rmt_${'A'.repeat(43)}`, token.admin.slice(0, -1), `${token.admin}x`]) {
      const res = await call(closed, 'GET', '/things', bearer(wrong));
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
      expect(res.json.error).toEqual({ code: 'unauthorized', message: 'unknown or revoked token' });
      expect(JSON.stringify(res.json)).not.toContain(wrong);
    }
  });

  it('answers 401 for another scheme or a malformed header, without quoting it', async () => {
    for (const header of [`Basic ${token.admin}`, 'Bearer', `Bearer ${token.admin} extra`, token.admin]) {
      const res = await call(closed, 'GET', '/things', header);
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
      expect(res.json.error.message).not.toContain(token.admin);
    }
  });

  it('takes the scheme in any case', async () => {
    expect((await call(closed, 'GET', '/things', `bearer ${token.viewer}`)).status).toBe(200);
  });

  it('refuses a token revoked while the server runs', async () => {
    const temp = addToken(file, 'temporary', 'writer', NOW);
    expect((await call(closed, 'POST', '/things', bearer(temp))).status).toBe(200);
    revokeToken(file, 'temporary');
    expect((await call(closed, 'POST', '/things', bearer(temp))).status).toBe(401);
  });
});

describe('roles', () => {
  it('answers 403 to a viewer on an operator route, naming both roles', async () => {
    const res = await call(closed, 'POST', '/things', bearer(token.viewer));
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.json).toEqual({ error: { code: 'forbidden', message: "this endpoint needs the operator role; token 'grafana' has viewer" } });
  });

  it('lets an ingest token ingest and nothing else, not even read', async () => {
    expect((await call(closed, 'POST', '/samples', bearer(token.ingest))).json).toEqual({ principal: 'agent-7' });
    expect((await call(closed, 'GET', '/things', bearer(token.ingest))).json.error.message).toBe("this endpoint needs the viewer role; token 'agent-7' has ingest");
    expect((await call(closed, 'POST', '/things', bearer(token.ingest))).status).toBe(403);
    expect((await call(closed, 'DELETE', '/admin/things', bearer(token.ingest))).status).toBe(403);
  });

  it('lets an operator read and operate, but not ingest nor administer', async () => {
    expect((await call(closed, 'POST', '/things', bearer(token.operator))).json).toEqual({ principal: 'oncall' });
    expect((await call(closed, 'GET', '/things', bearer(token.operator))).status).toBe(200);
    expect((await call(closed, 'POST', '/samples', bearer(token.operator))).status).toBe(403);
    expect((await call(closed, 'DELETE', '/admin/things', bearer(token.operator))).status).toBe(403);
  });

  it('lets a (deprecated) writer ingest, operate and read, but not administer', async () => {
    expect((await call(closed, 'POST', '/things', bearer(token.writer))).json).toEqual({ principal: 'collector' });
    expect((await call(closed, 'POST', '/samples', bearer(token.writer))).status).toBe(200);
    expect((await call(closed, 'GET', '/things', bearer(token.writer))).status).toBe(200);
    expect((await call(closed, 'DELETE', '/admin/things', bearer(token.writer))).status).toBe(403);
  });

  it('lets an admin do everything', async () => {
    for (const [method, path] of [['GET', '/things'], ['POST', '/things'], ['POST', '/samples'], ['DELETE', '/admin/things']] as const) {
      const res = await call(closed, method, path, bearer(token.admin));
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ principal: 'ops' });
    }
  });

  it('lets a viewer read, with its name available to the handler', async () => {
    expect((await call(closed, 'GET', '/things', bearer(token.viewer))).json).toEqual({ principal: 'grafana' });
  });

  it('leaves routes without a role check public, with no principal', async () => {
    expect((await call(closed, 'GET', '/public')).json).toEqual({ principal: null });
  });
});

describe('openReads', () => {
  it('lets an anonymous GET through as a viewer without a name', async () => {
    const res = await call(open, 'GET', '/things');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ principal: null });
  });

  it('still needs a token to write or administer', async () => {
    expect((await call(open, 'POST', '/things')).status).toBe(401);
    expect((await call(open, 'POST', '/samples')).status).toBe(401);
    expect((await call(open, 'DELETE', '/admin/things')).status).toBe(401);
  });

  it('still refuses a wrong token rather than treat it as anonymous', async () => {
    expect((await call(open, 'GET', '/things', bearer(`rmt_${'B'.repeat(43)}`))).status).toBe(401);
  });

  it('still names the reader who sends a token', async () => {
    expect((await call(open, 'GET', '/things', bearer(token.writer))).json).toEqual({ principal: 'collector' });
  });
});
