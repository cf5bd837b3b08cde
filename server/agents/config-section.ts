/**
 * `agents`: how much the agent registry keeps (agent-registry.ts). A
 * heartbeat carries an agent's instances, and the registry keeps each
 * agent's last one in memory and in `<dataDir>/agents.json`: without a
 * bound, thirty agents listing 10,000 instances made a 110 MB file and
 * 376 MB of memory. A heartbeat that would pass `maxAgents` agents or
 * `maxInstances` instances in all is refused (507 naming the setting);
 * agents already known keep reporting. Remove a retired agent with
 * `DELETE /api/v1/agents/<name>`.
 */
import { Type } from 'typebox';
import { defineSection, strictObject, type SectionValue } from '../config-schema/index.js';

/**
 * 10,000 agents, as many as listen.maxConnections lets connect, and ten
 * instances each on average: agents.json then stays within about 11 MB with
 * names of ordinary length (37 MB at the longest names the heartbeat allows).
 */
export const DEFAULT_AGENTS = { maxAgents: 10_000, maxInstances: 100_000 } as const;

export const agentsSection = defineSection({
  schema: strictObject(
    {
      maxAgents: Type.Integer({ minimum: 1, maximum: 1_000_000, default: DEFAULT_AGENTS.maxAgents }),
      /** Instances of every agent together, as their last heartbeats list them. */
      maxInstances: Type.Integer({ minimum: 1, maximum: 10_000_000, default: DEFAULT_AGENTS.maxInstances }),
    },
    { default: {} },
  ),
});

/** The `agents` section as loaded. */
export type AgentsSettings = SectionValue<typeof agentsSection.schema>;
