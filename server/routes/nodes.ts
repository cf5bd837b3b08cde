/**
 * GET /api/v1/nodes (viewer role): every node with its state — `up`,
 * `late` or `down` from its last heartbeat against the server's clock
 * (server/nodes) — since when, its last contact, and its instances with
 * their `up` (null for a node that is down: what its agent last said is no
 * longer known to hold). A page at a time, by name, like GET /agents:
 * `limit` (bounded) and `after` the previous page's `next`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AgentRegistry } from '../agents/index.js';
import { AGENT_NAME_PATTERN } from '../downtimes/index.js';
import { NODE_STATES, type NodeTracker } from '../nodes/index.js';
import { DEFAULT_AGENTS_PAGE, MAX_AGENTS_PAGE } from './agents.js';
import { Nullable } from './schema-parts.js';

export interface NodeRoutesOptions {
  readonly agents: Pick<AgentRegistry, 'page'>;
  readonly nodes: Pick<NodeTracker, 'look'>;
  /** The clock, in Unix seconds. */
  readonly now?: () => number;
}

const NodeInstance = Type.Object({
  name: Type.String({ description: 'the instance name (its series prefix)' }),
  slurper: Type.String(),
  up: Nullable(Type.Boolean(), "whether its last run succeeded, as the agent's last heartbeat said; null before the first run, and while the node is down"),
  lastRun: Nullable(Type.Number(), 'Unix seconds at which the last finished run started; null before the first run'),
});

const NodeOut = Type.Object({
  name: Type.String({ description: 'the node name: the agent name' }),
  kind: Type.Literal('agent', { description: 'where the state comes from: an agent, by its heartbeats' }),
  state: Type.Enum(NODE_STATES, {
    description: 'up; late (no heartbeat for nodes.heartbeatInterval × nodes.graceFactor); down (none for nodes.downAfter)',
  }),
  since: Type.Number({ description: 'Unix seconds at which the state began' }),
  lastSeen: Type.Number({ description: 'Unix seconds of the last heartbeat' }),
  lastSeenAgoSeconds: Type.Number(),
  hostname: Type.String(),
  instances: Type.Array(NodeInstance),
});

export const nodeRoutes: FastifyPluginAsyncTypebox<NodeRoutesOptions> = async (app, options) => {
  const now = options.now ?? (() => Date.now() / 1000);
  app.get(
    '/nodes',
    {
      onRequest: app.requireRole('viewer'),
      schema: {
        summary: 'Nodes with their state (up, late, down) and since when, by name, a page at a time',
        tags: ['nodes'],
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AGENTS_PAGE, default: DEFAULT_AGENTS_PAGE, description: `nodes per page (1 to ${MAX_AGENTS_PAGE}, default ${DEFAULT_AGENTS_PAGE})` })),
            after: Type.Optional(Type.String({ pattern: AGENT_NAME_PATTERN, maxLength: 64, description: "only nodes whose name sorts after this: the previous page's `next`" })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            nodes: Type.Array(NodeOut),
            next: Type.Optional(Type.String({ description: 'present when more nodes follow: ask again with after=<next>' })),
          }),
        },
      },
    },
    async (request) => {
      const page = options.agents.page(request.query.limit ?? DEFAULT_AGENTS_PAGE, request.query.after);
      const t = now();
      const nodes = options.nodes.look(page.agents).map(({ name, state, since, agent }) => ({
        name,
        kind: 'agent' as const,
        state,
        since,
        lastSeen: agent.lastSeen,
        lastSeenAgoSeconds: Math.max(0, Math.round((t - agent.lastSeen) * 1000) / 1000),
        hostname: agent.hostname,
        instances: agent.instances.map((i) => ({ ...i, up: state === 'down' ? null : i.up })),
      }));
      return page.next === undefined ? { nodes } : { nodes, next: page.next };
    },
  );
};
