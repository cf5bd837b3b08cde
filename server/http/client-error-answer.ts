/**
 * The answer to a request Node's HTTP parser refuses before fastify sees it:
 * headers (with the URL) over Node's 16 KiB limit get 431, headers or a body
 * not in time 408, a malformed request 400; then the socket is closed.
 * fastify's default handler writes that answer without `Connection: close`,
 * so a keep-alive client (undici, as the agent uses) takes the connection as
 * still open and sends its next request on it, which then fails with
 * ECONNRESET although it did nothing wrong (found by the fuzz test: every
 * 431 cost the next request on its connection). This is fastify's default
 * with `Connection: close` added; the bodies are fastify's.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

export function clientErrorAnswer(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Client Timeout'] : error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Exceeded maximum allowed HTTP header size'] : [400, 'Client Error'];
  const body = JSON.stringify({ error: STATUS_CODES[status], message, statusCode: status });
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\n\r\n${body}`);
  socket.destroy(error);
}
