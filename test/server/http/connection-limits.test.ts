/**
 * listen.idleTimeout on the app as buildApp makes it, over loopback: a
 * connection that sends nothing is closed after the idle time, but a
 * request the server itself takes longer than that to answer is answered:
 * that silence is the server's, not the client's.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';

let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  app = await buildApp({ web: false, connections: { idleTimeout: 1, headersTimeout: 1, requestTimeout: 5, maxConnections: 100 } });
  app.get('/slow', async () => {
    await new Promise((r) => setTimeout(r, 2500));
    return { done: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});
afterAll(async () => {
  await app.close();
});

/** Opens a connection, writes `text`, and resolves with what came back and the ms until the server closed it (Infinity past `waitMs`). */
function exchange(text: string, waitMs: number): Promise<{ answer: string; closedAfter: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const t0 = Date.now();
      let answer = '';
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ answer, closedAfter: Infinity });
      }, waitMs);
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      socket.on('close', () => {
        clearTimeout(timer);
        resolve({ answer, closedAfter: Date.now() - t0 });
      });
      if (text) socket.write(text);
    });
    socket.once('error', reject);
  });
}

describe('listen.idleTimeout', () => {
  it('closes a connection that sends nothing', async () => {
    const { closedAfter } = await exchange('', 8000);
    expect(closedAfter).toBeGreaterThanOrEqual(900);
    expect(closedAfter).toBeLessThan(4000);
  });

  it('closes a keep-alive connection idle after its answer', async () => {
    const { answer, closedAfter } = await exchange('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', 8000);
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(closedAfter).toBeLessThan(4000);
  });

  it('answers a request the server takes longer than the idle time to handle', async () => {
    const { answer } = await exchange('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n', 8000);
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('{"done":true}');
  });
});
