/**
 * /api/v1/agents: remote agents report themselves with a heartbeat
 * (POST /agents/heartbeat, ingest role) and anyone with a viewer token sees
 * each agent's last contact (GET /agents, a page at a time: `limit`, and
 * `after` the previous page's `next`); an admin removes a retired agent
 * (DELETE /agents/:name). Every field of a heartbeat is bounded by the
 * schema (400 naming the field), and the registry by agents.maxAgents and
 * agents.maxInstances (507 naming the setting; nothing changes).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AgentRegistryFullError, MAX_HEARTBEAT_INSTANCES, type AgentRegistry } from '../agents/index.js';
import { AGENT_NAME_PATTERN } from '../downtimes/index.js';
import { ApiError } from '../errors.js';
import { Nullable } from './schema-parts.js';

/** Agents one GET /agents answers at most, and by default. */
export const MAX_AGENTS_PAGE = 1000;
export const DEFAULT_AGENTS_PAGE = 100;

export interface AgentRoutesOptions {
  readonly agents: Pick<AgentRegistry, 'record' | 'page' | 'remove'>;
  /** The clock, in Unix seconds. */
  readonly now?: () => number;
}

const Instance = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255, description: 'the instance name (its series prefix)' }),
    slurper: Type.String({ minLength: 1, maxLength: 64 }),
    up: Nullable(Type.Boolean(), 'whether the last run succeeded; null before the first run'),
    lastRun: Nullable(Type.Number(), 'Unix seconds at which the last finished run started; null before the first run'),
  },
  { additionalProperties: false },
);

const Heartbeat = Type.Object(
  {
    name: Type.String({ pattern: AGENT_NAME_PATTERN, maxLength: 64, description: 'the agent name (as downtime scopes name agents)' }),
    hostname: Type.String({ maxLength: 255 }),
    version: Type.String({ maxLength: 64 }),
    instances: Type.Array(Instance, { maxItems: MAX_HEARTBEAT_INSTANCES, description: `the agent's slurper instances, at most ${MAX_HEARTBEAT_INSTANCES}` }),
    spooledSamples: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'samples the agent holds that the server has not acknowledged' }),
  },
  { additionalProperties: false },
);

const AgentOut = Type.Object({
  name: Type.String(),
  hostname: Type.String(),
  version: Type.String(),
  lastSeen: Type.Number({ description: 'Unix seconds of the last heartbeat' }),
  lastSeenAgoSeconds: Type.Number(),
  instances: Type.Array(Instance),
  spooledSamples: Type.Integer(),
  principal: Type.String({ description: 'the name of the token the last heartbeat came with' }),
});

export const agentRoutes: FastifyPluginAsyncTypebox<AgentRoutesOptions> = async (app, options) => {
  const now = options.now ?? (() => Date.now() / 1000);
  const tags = ['agents'];

  app.post(
    '/agents/heartbeat',
    {
      onRequest: app.requireRole('ingest'),
      schema: { summary: "An agent's heartbeat: records its last contact", tags, body: Heartbeat, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      try {
        options.agents.record(request.body, request.principal?.name ?? 'anonymous', now());
      } catch (e) {
        if (e instanceof AgentRegistryFullError) throw new ApiError('insufficient_storage', e.message);
        throw e;
      }
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/agents',
    {
      onRequest: app.requireRole('viewer'),
      schema: {
        summary: 'Agents with their last contact, by name, a page at a time',
        tags,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AGENTS_PAGE, default: DEFAULT_AGENTS_PAGE, description: `agents per page (1 to ${MAX_AGENTS_PAGE}, default ${DEFAULT_AGENTS_PAGE})` })),
            after: Type.Optional(Type.String({ pattern: AGENT_NAME_PATTERN, maxLength: 64, description: "only agents whose name sorts after this: the previous page's `next`" })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            agents: Type.Array(AgentOut),
            next: Type.Optional(Type.String({ description: 'present when more agents follow: ask again with after=<next>' })),
          }),
        },
      },
    },
    async (request) => {
      const t = now();
      const page = options.agents.page(request.query.limit ?? DEFAULT_AGENTS_PAGE, request.query.after);
      const agents = page.agents.map((a) => ({ ...a, instances: [...a.instances], lastSeenAgoSeconds: Math.max(0, Math.round((t - a.lastSeen) * 1000) / 1000) }));
      return page.next === undefined ? { agents } : { agents, next: page.next };
    },
  );

  app.delete(
    '/agents/:name',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        summary: 'Forget a retired agent: it leaves the list and agents.json before the answer (a later heartbeat adds it again)',
        tags,
        params: Type.Object({ name: Type.String({ pattern: AGENT_NAME_PATTERN, maxLength: 64 }) }, { additionalProperties: false }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      if (!(await options.agents.remove(name))) throw new ApiError('not_found', `no agent '${name}'`, [{ field: 'params/name', message: `unknown agent '${name}'` }]);
      return reply.code(204).send(null);
    },
  );
};
