/**
 * GET /api/v1/nodes (viewer role): every node with its state — `up`,
 * `late` or `down` (server/nodes) — and since when. A node is an agent
 * (`kind: agent`: from its heartbeats; with its instances and their `up`,
 * null for a node that is down: what its agent last said is no longer
 * known to hold) or a slurper instance the server runs itself (`kind:
 * instance`: from its runs; with its last run's `up`). A page at a time, by
 * name, like GET /agents: `limit` (bounded) and `after` the previous page's
 * `next`; an agent and an instance of one name share a page.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NODE_STATES, type NodeStatus, type NodeTracker } from '../nodes/index.js';
import { DEFAULT_AGENTS_PAGE, MAX_AGENTS_PAGE } from './agents.js';
import { Nullable } from './schema-parts.js';

export interface NodeRoutesOptions {
  readonly nodes: Pick<NodeTracker, 'look'>;
  /** The clock, in Unix seconds. */
  readonly now?: () => number;
}

/** The longest node name: an instance name (slurpers/host/instance-config.ts); agent names are shorter. */
const MAX_NODE_NAME = 200;

const NodeInstance = Type.Object({
  name: Type.String({ description: 'the instance name (its series prefix)' }),
  slurper: Type.String(),
  up: Nullable(Type.Boolean(), "whether its last run succeeded, as the agent's last heartbeat said; null before the first run, and while the node is down"),
  lastRun: Nullable(Type.Number(), 'Unix seconds at which the last finished run started; null before the first run'),
});

const State = Type.Enum(NODE_STATES, {
  description:
    'agent: up; late (no heartbeat for nodes.heartbeatInterval × nodes.graceFactor); down (none for nodes.downAfter). ' +
    'instance: up; late (its last run failed, or no good run for nodes.graceFactor × its interval); down (no good run for nodes.downAfter, at least the late time plus one interval)',
});

const AgentNodeOut = Type.Object({
  name: Type.String({ description: 'the node name: the agent name' }),
  kind: Type.Literal('agent', { description: 'where the state comes from: an agent, by its heartbeats' }),
  state: State,
  since: Type.Number({ description: 'Unix seconds at which the state began' }),
  lastSeen: Type.Number({ description: 'Unix seconds of the last heartbeat' }),
  lastSeenAgoSeconds: Type.Number(),
  hostname: Type.String(),
  instances: Type.Array(NodeInstance),
});

const InstanceNodeOut = Type.Object({
  name: Type.String({ description: 'the node name: the instance name (its series prefix)' }),
  kind: Type.Literal('instance', { description: 'where the state comes from: a slurper instance the server runs, by its runs' }),
  state: State,
  since: Type.Number({ description: 'Unix seconds at which the state began' }),
  lastSeen: Type.Number({ description: 'Unix seconds at which its last good run started (before one: when the server started running it)' }),
  lastSeenAgoSeconds: Type.Number(),
  slurper: Type.String(),
  up: Type.Boolean({ description: 'whether its last run succeeded (its `<instance>.up`)' }),
  lastRun: Type.Number({ description: 'Unix seconds at which its last finished run started' }),
});

/** The page of `nodes` (in name order) after the name `after`: `limit` nodes, more when the last shares its name with the next. */
function pageOf(nodes: readonly NodeStatus[], limit: number, after: string | undefined): { nodes: NodeStatus[]; next?: string } {
  const start = after === undefined ? 0 : nodes.findIndex((n) => n.name > after);
  if (start === -1) return { nodes: [] };
  let end = Math.min(start + limit, nodes.length);
  // `after` is a name: an agent and an instance of one name must not be split by a page's end.
  while (end < nodes.length && nodes[end].name === nodes[end - 1].name) end += 1;
  const page = nodes.slice(start, end);
  return end < nodes.length ? { nodes: page, next: page[page.length - 1].name } : { nodes: page };
}

export const nodeRoutes: FastifyPluginAsyncTypebox<NodeRoutesOptions> = async (app, options) => {
  const now = options.now ?? (() => Date.now() / 1000);
  app.get(
    '/nodes',
    {
      onRequest: app.requireRole('viewer'),
      schema: {
        summary: 'Nodes (agents and server-run slurper instances) with their state (up, late, down) and since when, by name, a page at a time',
        tags: ['nodes'],
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AGENTS_PAGE, default: DEFAULT_AGENTS_PAGE, description: `nodes per page (1 to ${MAX_AGENTS_PAGE}, default ${DEFAULT_AGENTS_PAGE})` })),
            after: Type.Optional(
              Type.String({ pattern: `^[A-Za-z0-9][A-Za-z0-9._-]{0,${MAX_NODE_NAME - 1}}$`, maxLength: MAX_NODE_NAME, description: "only nodes whose name sorts after this: the previous page's `next`" }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            nodes: Type.Array(Type.Union([AgentNodeOut, InstanceNodeOut])),
            next: Type.Optional(Type.String({ description: 'present when more nodes follow: ask again with after=<next>' })),
          }),
        },
      },
    },
    async (request) => {
      const page = pageOf(options.nodes.look(), request.query.limit ?? DEFAULT_AGENTS_PAGE, request.query.after);
      const t = now();
      const ago = (at: number): number => Math.max(0, Math.round((t - at) * 1000) / 1000);
      const nodes = page.nodes.map((node) => {
        const { name, state, since } = node;
        if (node.kind === 'agent') {
          const { agent } = node;
          return { name, kind: node.kind, state, since, lastSeen: agent.lastSeen, lastSeenAgoSeconds: ago(agent.lastSeen), hostname: agent.hostname, instances: agent.instances.map((i) => ({ ...i, up: state === 'down' ? null : i.up })) };
        }
        const { instance } = node;
        const lastSeen = instance.lastGood ?? instance.startedAt;
        // A node is listed from its first finished run: lastRun and up are set.
        return { name, kind: node.kind, state, since, lastSeen, lastSeenAgoSeconds: ago(lastSeen), slurper: instance.slurper, up: instance.up ?? false, lastRun: instance.lastRun ?? lastSeen };
      });
      return page.next === undefined ? { nodes } : { nodes, next: page.next };
    },
  );
};
