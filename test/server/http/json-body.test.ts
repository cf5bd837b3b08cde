/**
 * A JSON body the parser refuses is answered 400 with what was wrong, on the
 * field `body`: a `__proto__` key (refused: it could reach every object) is
 * told apart from a typo; valid bodies, empty bodies and the body limit are
 * as before.
 */
import type { AddressInfo } from 'node:net';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../../server/app.js';

let app: App;
let client: Client;
const reached: unknown[] = [];
beforeAll(async () => {
  app = await buildApp({ web: false, bodyLimit: 1024 });
  app.post('/echo', async (request) => {
    reached.push(request.body);
    return { body: request.body };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  client = new Client(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await client.close();
  await app.close();
});

async function post(body: string): Promise<{ status: number; json: any }> { // any: the answer's JSON, checked field by field
  const res = await client.request({ method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body });
  const text = await res.body.text();
  return { status: res.statusCode, json: JSON.parse(text) };
}

describe('JSON bodies', () => {
  it('names a __proto__ key as the problem of the field body, and the handler never sees it', async () => {
    reached.length = 0;
    for (const body of ['{"labels":{"__proto__":{"isAdmin":true}}}', '{"constructor":{"prototype":{"x":1}}}']) {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.json.error.code).toBe('invalid_request');
      expect(answer.json.error.problems).toEqual([{ field: 'body', message: expect.stringMatching(/__proto__/) }]);
    }
    expect(reached).toEqual([]);
  });

  it('says where a body is not JSON, on the field body', async () => {
    const answer = await post('{"series": "a", "v": 1');
    expect(answer.status).toBe(400);
    expect(answer.json.error.problems).toHaveLength(1);
    expect(answer.json.error.problems[0].field).toBe('body');
    expect(answer.json.error.problems[0].message).toMatch(/^is not valid JSON: .*JSON/);
    expect(answer.json.error.message.length).toBeLessThan(300);
  });

  it('passes a valid body through, and keeps the empty-body and body-limit answers', async () => {
    expect(await post('{"a":[1,2,{"b":null}]}')).toEqual({ status: 200, json: { body: { a: [1, 2, { b: null }] } } });
    const empty = await post('');
    expect(empty.status).toBe(400);
    expect(empty.json.error.message).toMatch(/empty/i);
    const big = await post(JSON.stringify({ x: 'y'.repeat(2000) }));
    expect(big.status).toBe(413);
  });
});
