/** The agents the server has heard from (heartbeats); the whole public surface. */
export { AgentRegistry, type AgentHeartbeat, type AgentInstance, type AgentRecord, type AgentRegistryOptions, type RegistryLogger } from './agent-registry.js';

/** The registry's file in the data directory. */
export const AGENTS_FILE = 'agents.json';
