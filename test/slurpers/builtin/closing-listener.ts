/** A TCP listener on 127.0.0.1 for the tests of the describe block it is called in: it accepts each connection and closes it. */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** Listens before the block's tests and closes after them; read `port` inside a test. `onConnection` runs for each connection. */
export function closingListener(onConnection?: (socket: Socket) => void): { readonly port: number } {
  const where = { port: 0 };
  let listener: Server;
  beforeAll(async () => {
    listener = createServer((socket) => {
      onConnection?.(socket);
      socket.end();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    where.port = (listener.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));
  return where;
}
