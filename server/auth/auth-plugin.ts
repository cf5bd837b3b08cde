/**
 * Bearer-token authentication and role checks for the HTTP API.
 *
 * Register once on the root instance (it is not encapsulated, so every route
 * group sees its decorators); each route then declares the role it needs:
 *
 *     await app.register(authPlugin, { resolveToken: tokenFileResolver(path), openReads: false });
 *     app.post('/api/samples', { onRequest: app.requireRole('writer') }, handler);
 *
 * The check works as an onRequest hook (preferred: a refused request's body
 * is never read) or as a preHandler. After it passes, `request.principal` is
 * the caller (null for an anonymous reader under openReads). A route without
 * the check is public.
 *
 * Tokens are read only from the Authorization header, never from the URL
 * (which fastify logs); the server must still configure `authLogRedaction`
 * so that no log line prints the header.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { authFailure, type AuthErrorCode } from './errors.js';
import { roleIncludes, type Principal, type Role } from './token-file.js';

export interface AuthPluginOptions {
  /**
   * The principal a presented token belongs to, or undefined for an unknown
   * token. Called for every authenticated request, so it must be cheap; it
   * must not log the token. It may throw (e.g. TokenFileError for a token
   * file that turned bad): the request then fails as a server error.
   */
  readonly resolveToken: (token: string) => Principal | undefined;
  /** When true, requests without an Authorization header act as an anonymous viewer. */
  readonly openReads?: boolean;
}

/** A route's access check, usable as its onRequest or preHandler hook. */
export type RoleCheck = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The hook that lets through requests whose principal holds `role` (admin ⊃ writer ⊃ viewer). */
    requireRole(role: Role): RoleCheck;
  }
  interface FastifyRequest {
    /** Who made the request, once requireRole passed; null on public routes and for anonymous readers. */
    principal: Principal | null;
  }
}

/** pino `redact` paths the server's logger must use, so no log line carries a token. */
export const authLogRedaction: readonly string[] = [
  'req.headers.authorization',
  'request.headers.authorization',
  'headers.authorization',
  '*.headers.authorization',
  '*.*.headers.authorization',
];

const BEARER = /^Bearer +([^\s]+) *$/i;

const plugin: FastifyPluginAsync<AuthPluginOptions> = async (app, options) => {
  const openReads = options.openReads === true;
  app.decorateRequest('principal', null);
  app.decorate('requireRole', (role: Role): RoleCheck => {
    return async (request, reply) => {
      const header = request.headers.authorization;
      if (header === undefined) {
        if (openReads && role === 'viewer') return undefined;
        return deny(reply, 'unauthorized', `this endpoint needs a ${role} token: send Authorization: Bearer TOKEN`);
      }
      const token = BEARER.exec(header)?.[1];
      // The messages never quote the header: it is a credential, even when malformed.
      if (token === undefined) return deny(reply, 'unauthorized', 'the Authorization header must be: Bearer TOKEN');
      const principal = options.resolveToken(token);
      if (!principal) return deny(reply, 'unauthorized', 'unknown or revoked token');
      request.principal = principal;
      // Later log lines of this request, "request completed" included, say who made it (by name: never the token).
      request.log = request.log.child({ principal: principal.name });
      reply.log = request.log;
      if (!roleIncludes(principal.role, role)) {
        return deny(reply, 'forbidden', `this endpoint needs the ${role} role; token '${principal.name}' has ${principal.role}`);
      }
      return undefined;
    };
  });
};

/** Answers the request; an async hook that answers early must return the reply, so fastify stops there. */
function deny(reply: FastifyReply, code: AuthErrorCode, message: string): FastifyReply {
  const { status, body } = authFailure(code, message);
  reply.log.info({ refused: code }, message);
  // RFC 6750: a 401 names the scheme the client should use.
  if (code === 'unauthorized') reply.header('www-authenticate', 'Bearer realm="ringmon"');
  return reply.code(status).send(body);
}

/** The auth plugin (fastify-plugin: decorates the instance it is registered on, not a child scope). */
export const authPlugin = fp(plugin, { name: 'ringmon-auth', fastify: '5.x' });
