/**
 * The app shell over real HTTP on loopback: health, OpenAPI, and the error
 * catalogue for bad input (always a 4xx naming the field, never a 500).
 */
import { Writable } from 'node:stream';
import { Type } from 'typebox';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, buildApp, type App } from '../../server/index.js';

let app: App;
let base: string;
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  app = await buildApp({ logger: { level: 'info', stream: sink } as never, version: '9.9.9', bodyLimit: 1024 });
  // A route with a schema, standing in for the API's write routes.
  app.post(
    '/test/items',
    { schema: { body: Type.Array(Type.Object({ name: Type.String({ pattern: '^[a-z]+$' }), n: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })) } },
    async (req) => ({ count: (req.body as unknown[]).length }),
  );
  app.get('/test/conflict', async () => {
    throw new ApiError('conflict', 'it clashes', [{ field: 'query/x', message: 'taken' }]);
  });
  // A handler that logs request headers, as debugging code might.
  app.get('/test/log-headers', async (req) => {
    req.log.info({ headers: req.headers }, 'headers seen');
    req.log.info({ incoming: { headers: req.headers } }, 'nested headers seen');
    return {};
  });
  app.get('/test/bug', async () => {
    throw new Error('a bug');
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => app.close());

async function call(method: 'GET' | 'POST', path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await request(`${base}${path}`, { method, body, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers } });
  return { status: res.statusCode, headers: res.headers, json: (await res.body.json()) as Record<string, any> }; // any: test assertions walk arbitrary JSON
}

describe('server shell', () => {
  it('answers /healthz with its version', async () => {
    const { status, json } = await call('GET', '/healthz');
    expect(status).toBe(200);
    expect(json.status).toBe('ok');
    expect(json.version).toBe('9.9.9');
    expect(json.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('describes itself as OpenAPI 3 at /docs/json', async () => {
    const { status, json } = await call('GET', '/docs/json');
    expect(status).toBe(200);
    expect(json.openapi).toMatch(/^3\./);
    expect(Object.keys(json.paths)).toContain('/healthz');
    expect(json.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
  });

  it('answers unknown routes with a catalogued 404', async () => {
    const { status, json } = await call('GET', '/nope?x=1');
    expect(status).toBe(404);
    expect(json).toEqual({ error: { code: 'not_found', message: 'no route GET /nope' } });
  });

  it('lists every invalid field of a body, as a 400', async () => {
    const { status, json } = await call('POST', '/test/items', JSON.stringify([{ name: 'ok', n: 1 }, { name: 'Bad!', n: -1 }, { n: 2 }]));
    expect(status).toBe(400);
    expect(json.error.code).toBe('invalid_request');
    const fields = json.error.problems.map((p: { field: string }) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['body/1/name', 'body/1/n', 'body/2/name']));
  });

  it.each([
    ['malformed JSON', '[{"name": "a", ', 400, 'invalid_request'],
    ['an empty JSON body', '', 400, 'invalid_request'],
    ['a body over the limit', JSON.stringify([{ name: 'a'.repeat(2000), n: 1 }]), 413, 'payload_too_large'],
  ])('answers %s with a 4xx, not a 500', async (_what, body, expected, code) => {
    const { status, json } = await call('POST', '/test/items', body);
    expect(status).toBe(expected);
    expect(json.error.code).toBe(code);
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await request(`${base}/test/items`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode).toBe(415);
    expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
  });

  it('passes ApiError codes and problems through', async () => {
    const { status, json } = await call('GET', '/test/conflict');
    expect(status).toBe(409);
    expect(json).toEqual({ error: { code: 'conflict', message: 'it clashes', problems: [{ field: 'query/x', message: 'taken' }] } });
  });

  it('hides a bug behind a 500 without details, and logs it', async () => {
    const { status, json } = await call('GET', '/test/bug');
    expect(status).toBe(500);
    expect(json).toEqual({ error: { code: 'internal', message: 'internal error; see the server log' } });
    expect(logLines.join('')).toContain('a bug');
  });

  it('never logs the Authorization header, even when headers are logged', async () => {
    await call('GET', '/healthz', undefined, { authorization: 'Bearer rmt_supersecretvalue' });
    await call('GET', '/test/log-headers', undefined, { authorization: 'Bearer rmt_supersecretvalue' });
    const logged = logLines.join('');
    expect(logged).toContain('nested headers seen');
    expect(logged.match(/\[Redacted\]/g)?.length).toBe(2);
    expect(logged).not.toContain('supersecretvalue');
  });
});
