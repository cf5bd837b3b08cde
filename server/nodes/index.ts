/** Nodes and their states (up, late, down) from the agents' heartbeats and the server-run slurper instances' runs; the whole public surface. */
export { nodesSection, DEFAULT_NODES, type NodesSettings } from './config-section.js';
export {
  instanceStateAt,
  NODE_KINDS,
  NODE_STATES,
  NodeTracker,
  stateAt,
  type AgentNodeStatus,
  type InstanceGrace,
  type InstanceNodeStatus,
  type InstanceRecord,
  type NodeChange,
  type NodeKind,
  type NodeState,
  type NodeStatus,
  type NodeThresholds,
  type NodeTrackerOptions,
} from './node-states.js';
