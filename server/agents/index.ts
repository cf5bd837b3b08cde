/** The agents the server has heard from (heartbeats); the whole public surface. */
export {
  AgentRegistry,
  AgentRegistryFullError,
  MAX_HEARTBEAT_INSTANCES,
  type AgentHeartbeat,
  type AgentInstance,
  type AgentPage,
  type AgentRecord,
  type AgentRegistryOptions,
  type RegistryLogger,
} from './agent-registry.js';
export { agentsSection, DEFAULT_AGENTS, type AgentsSettings } from './config-section.js';

/** The registry's file in the data directory. */
export const AGENTS_FILE = 'agents.json';
