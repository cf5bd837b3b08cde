/**
 * How long and how many connections the HTTP server keeps, so that no
 * client (with a token or without) can hold the server's file descriptors:
 *
 * - `idleTimeout`: a connection with no byte moving either way is closed,
 *   between requests (keep-alive) as well as within one, unless the server
 *   itself is still working on its answer (a long admin call): that silence
 *   is not the client's. A client that does not read its answer is cut.
 * - `headersTimeout` / `requestTimeout`: a request's headers, then the
 *   whole request with its body, must have arrived in time; otherwise Node
 *   answers 408 and closes the connection (a slow body is cut).
 * - `maxConnections`: past it Node closes a new connection as it comes;
 *   each is counted and an episode is logged once.
 * - An answer sent before the request's body has arrived (a 401 or 403 from
 *   the onRequest token check, a 413, a 404) says `Connection: close` and
 *   Node closes the connection after it: otherwise Node would keep reading
 *   and dropping the body for as long as the client sends it, which is how
 *   200 slow unauthenticated bodies were held 95 s after their 401.
 *
 * `connectionOptions` gives fastify's constructor options; the plugin
 * (fastify-plugin, on the root instance) does the rest on `app.server`.
 */
import type { ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyPluginAsync, FastifyServerOptions } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

/** The `listen` settings this file applies, in seconds. */
export interface HttpConnectionLimits {
  readonly idleTimeout: number;
  readonly headersTimeout: number;
  readonly requestTimeout: number;
  readonly maxConnections: number;
}

/** What the limits did, for /metrics. */
export interface HttpConnectionStats {
  /** Connections closed at once because `listen.maxConnections` were open. */
  overLimit: number;
  /** Answers sent before their request's body had arrived, whose connection was then closed. */
  closedUnread: number;
  /** Requests cut with a 408: headers past `listen.headersTimeout`, or the whole request past `listen.requestTimeout`. */
  timedOut: number;
}

/**
 * How often Node looks for requests past their headers or request timeout
 * (its default, 30 s, would let a slow body live up to 30 s past its limit).
 */
const TIMEOUT_CHECK_MS = 1000;

/** fastify's constructor options for `limits`. */
export function connectionOptions(limits: HttpConnectionLimits): Pick<FastifyServerOptions, 'connectionTimeout' | 'keepAliveTimeout' | 'requestTimeout'> & { http: ServerOptions } {
  return {
    connectionTimeout: limits.idleTimeout * 1000,
    keepAliveTimeout: limits.idleTimeout * 1000,
    requestTimeout: limits.requestTimeout * 1000,
    // Given at creation too: Node checks headersTimeout against requestTimeout there.
    http: { headersTimeout: limits.headersTimeout * 1000, requestTimeout: limits.requestTimeout * 1000, connectionsCheckingInterval: TIMEOUT_CHECK_MS },
  };
}

export interface ConnectionLimitsOptions {
  readonly maxConnections: number;
  /** Counted into as it happens. */
  readonly stats: HttpConnectionStats;
}

const plugin: FastifyPluginAsync<ConnectionLimitsOptions> = async (app, options) => {
  const { stats } = options;
  app.server.maxConnections = options.maxConnections;
  // Drops since the last accepted connection: the episode is logged at its start and its end.
  let dropped = 0;
  app.server.on('drop', (from) => {
    stats.overLimit++;
    if (dropped++ === 0) app.log.warn({ remote: from?.remoteAddress }, `http: ${options.maxConnections} connections open (listen.maxConnections): closing new ones until some close`);
  });
  app.server.on('connection', () => {
    if (dropped === 0) return;
    app.log.info({ refused: dropped }, `http: accepting connections again; ${dropped} were closed over listen.maxConnections`);
    dropped = 0;
  });
  // Requests in the handlers' hands, per connection: its idle time is the server's, not the client's.
  const working = new WeakMap<Socket, number>();
  const count = (socket: Socket, by: number): void => {
    working.set(socket, (working.get(socket) ?? 0) + by);
  };
  app.addHook('onRequest', async (request) => count(request.raw.socket, 1));
  app.addHook('onResponse', async (request) => count(request.raw.socket, -1));
  // Node reports a request past its headers or request timeout as this client error; fastify's handler answers the 408.
  app.server.on('clientError', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') stats.timedOut++;
  });
  // With a listener here, Node leaves a timed-out socket to it instead of destroying it.
  app.server.on('timeout', (socket: Socket) => {
    if ((working.get(socket) ?? 0) > 0 && socket.writableLength === 0) return;
    socket.destroy();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.raw.complete) {
      stats.closedUnread++;
      reply.header('connection', 'close');
    }
    return payload;
  });
};

/** Registers the limits on the root instance: every route's answers are covered. */
export const connectionLimits = fastifyPlugin(plugin, { name: 'ringmon-connection-limits', fastify: '5.x' });
