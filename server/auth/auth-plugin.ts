/**
 * Bearer-token authentication and role checks for the HTTP API.
 *
 * Register once on the root instance (it is not encapsulated, so every route
 * group sees its decorators); each route then declares the role it needs:
 *
 *     await app.register(authPlugin, { resolveToken: tokenFileResolver(path), openReads: false });
 *     app.post('/api/v1/samples', { onRequest: app.requireRole('ingest') }, handler);
 *
 * The check works as an onRequest hook (preferred: a refused request's body
 * is never read) or as a preHandler. After it passes, `request.principal` is
 * the caller (null for an anonymous reader under openReads). A route without
 * the check is public. Which token roles pass which route role is in
 * ./roles.ts: viewer, ingest, operator, admin (the deprecated writer passes
 * viewer, ingest and operator).
 *
 * Tokens are read only from the Authorization header, never from the URL
 * (which fastify logs); the server must still configure `authLogRedaction`
 * so that no log line prints the header.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { authFailure, type AuthErrorCode } from './errors.js';
import { roleIncludes, ROLES, type RouteRole } from './roles.js';
import type { Principal } from './token-file.js';

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
    /** The hook that lets through requests whose principal's role grants `role` (./roles.ts). */
    requireRole(role: RouteRole): RoleCheck;
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
  // Which hooks are role checks, so the OpenAPI document can name every route's role.
  const checks = new WeakMap<RoleCheck, RouteRole>();
  app.addHook('onRoute', (route) => {
    if (!route.schema) return;
    const hooks = [route.onRequest, route.preHandler].flat().filter((hook) => hook !== undefined) as unknown as RoleCheck[];
    const role = hooks.map((hook) => checks.get(hook)).find((found) => found !== undefined);
    const said = role === undefined ? 'Public: no token needed.' : `Needs a token whose role grants ${role} (${holders(role)}).`;
    const description = route.schema.description === undefined ? said : `${route.schema.description}\n\n${said}`;
    // A copy: one schema object may serve several routes. @fastify/swagger reads route.schema when the document is asked for.
    route.schema = { ...route.schema, description, 'x-ringmon-role': role ?? 'public', ...(role === undefined ? { security: [] } : {}) } as typeof route.schema;
  });
  app.decorate('requireRole', (role: RouteRole): RoleCheck => {
    const check: RoleCheck = async (request, reply) => {
      // Named already by a route's own earlier hook, from another credential (a feed's URL token: server/routes/feeds.ts).
      const named = request.principal;
      if (named !== null) return roleIncludes(named.role, role) ? undefined : deny(reply, 'forbidden', `this endpoint needs the ${role} role; '${named.name}' has ${named.role}`);
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
    checks.set(check, role);
    return check;
  });
};

/** The token roles that pass a route needing `role`: "operator, writer or admin". */
function holders(role: RouteRole): string {
  const roles = ROLES.filter((held) => roleIncludes(held, role));
  return roles.length === 1 ? `${roles[0]} only` : `${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]}`;
}

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
