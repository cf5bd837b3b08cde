/**
 * A request Node's parser refuses (here: a 20 KB URL, 431) is answered with
 * `Connection: close`, so a keep-alive client opens a new connection for its
 * next request instead of sending it on the closed one (the fuzz test saw
 * each 431 cost the next request on its connection an ECONNRESET).
 */
import type { AddressInfo } from 'node:net';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../../server/app.js';

let app: App;
let client: Client;
beforeAll(async () => {
  app = await buildApp({ web: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  client = new Client(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await client.close();
  await app.close();
});

describe('requests the HTTP parser refuses', () => {
  it('are answered 431 with Connection: close, and the next request on a keep-alive client is answered', async () => {
    const failures: string[] = [];
    for (let k = 0; k < 30; k++) {
      const refused = await client.request({ method: 'GET', path: `/healthz?x=${'a'.repeat(20_000)}` });
      await refused.body.text();
      expect(refused.statusCode).toBe(431);
      expect(refused.headers.connection).toBe('close');
      try {
        const next = await client.request({ method: 'GET', path: '/healthz' });
        await next.body.text();
        expect(next.statusCode).toBe(200);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    expect(failures).toEqual([]);
  });
});
