/**
 * The status board's sources (model.ts StatusSources) from the server's
 * parts, and the name of a node's alarm item: the one place that knows how
 * the alarm engine, the node tracker, the downtimes and the metadata answer
 * what the board asks. A node's downtimes are its agent's (an agent's
 * item is covered by downtimes scoped to that agent, as the engine has it);
 * a series' are those of its pattern and of the agent it comes from.
 */
import type { AgentRegistry } from '../agents/index.js';
import type { AlarmEngine } from '../alarms/index.js';
import { isNodeItem, nodeItem, nodeKey } from '../alarms/node-alarms.js';
import type { Downtimes } from '../downtimes/index.js';
import type { MetadataSnapshot } from '../metadata/index.js';
import type { NodeTracker } from '../nodes/index.js';
import type { NodeNow, StatusSources } from './model.js';

export interface StatusParts {
  readonly alarms: Pick<AlarmEngine, 'current' | 'get' | 'history'>;
  readonly nodes: Pick<NodeTracker, 'look'>;
  readonly downtimes: Pick<Downtimes, 'list'>;
  readonly agents: Pick<AgentRegistry, 'agentOf'>;
  readonly metadata: () => MetadataSnapshot;
  /** Unix seconds; default the clock. */
  readonly now?: () => number;
}

/** The alarm item of a node: `node:<name>` for an agent, `node:instance:<name>` for a server-run instance. */
export const nodeAlarmItem = (node: NodeNow): string => nodeItem(nodeKey(node.kind, node.name));

export function statusSources(parts: StatusParts): StatusSources {
  const agentOf = (item: string): string | undefined => (isNodeItem(item) ? item.slice(item.indexOf(':') + 1) : parts.agents.agentOf(item));
  return {
    nodes: () => parts.nodes.look(),
    series: () => parts.alarms.current().filter((a) => !isNodeItem(a.series)),
    stateOf: (item) => parts.alarms.get(item)?.status,
    history: (item, from, to, limit) => parts.alarms.history({ series: item, from, to, limit }),
    planned: async (item, from, to) => {
      const listed = await parts.downtimes.list({ series: item, agent: agentOf(item), from, to, kind: 'planned' });
      return listed.flatMap(({ downtime, windows }) => (windows ?? []).map((w) => ({ id: downtime.id, reason: downtime.reason, start: w.start, end: w.end })));
    },
    displayName: (node) => parts.metadata().nodes.get(node)?.name,
    now: parts.now ?? (() => Date.now() / 1000),
  };
}
