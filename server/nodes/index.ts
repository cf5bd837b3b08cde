/** Nodes and their states (up, late, down) from the agents' heartbeats; the whole public surface. */
export { nodesSection, DEFAULT_NODES, type NodesSettings } from './config-section.js';
export { NODE_STATES, NodeTracker, stateAt, type NodeChange, type NodeState, type NodeStatus, type NodeThresholds, type NodeTrackerOptions } from './node-states.js';
