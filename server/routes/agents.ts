/**
 * /api/v1/agents: remote agents report themselves with a heartbeat
 * (POST /agents/heartbeat, writer role) and anyone with a viewer token sees
 * each agent's last contact (GET /agents).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AgentRegistry } from '../agents/index.js';
import { AGENT_NAME_PATTERN } from '../downtimes/index.js';
import { Nullable } from './schema-parts.js';

export interface AgentRoutesOptions {
  readonly agents: Pick<AgentRegistry, 'record' | 'list'>;
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
    name: Type.String({ pattern: AGENT_NAME_PATTERN, description: 'the agent name (as downtime scopes name agents)' }),
    hostname: Type.String({ maxLength: 255 }),
    version: Type.String({ maxLength: 64 }),
    instances: Type.Array(Instance, { maxItems: 10_000 }),
    spooledSamples: Type.Integer({ minimum: 0, description: 'samples the agent holds that the server has not acknowledged' }),
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
      options.agents.record(request.body, request.principal?.name ?? 'anonymous', now());
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/agents',
    {
      onRequest: app.requireRole('viewer'),
      schema: { summary: 'Agents with their last contact', tags, response: { 200: Type.Object({ agents: Type.Array(AgentOut) }) } },
    },
    async () => {
      const t = now();
      return { agents: options.agents.list().map((a) => ({ ...a, instances: [...a.instances], lastSeenAgoSeconds: Math.max(0, Math.round((t - a.lastSeen) * 1000) / 1000) })) };
    },
  );
};
