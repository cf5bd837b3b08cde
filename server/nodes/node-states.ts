/**
 * Node states: a node is an agent the server has heard from, and its state
 * comes from the time of its last heartbeat against the server's clock —
 * `up` while heartbeats come, `late` once none came for the late time
 * (nodes.heartbeatInterval × nodes.graceFactor), `down` once none came for
 * nodes.downAfter. A late or down state began exactly when the threshold
 * passed (lastSeen + threshold). An up state began with the heartbeat that
 * brought the node back, as the tracker saw it: it looks every
 * `tickSeconds` (and at each read), so `since` of an up node is at most one
 * heartbeat after its return; after a server start, the first state seen
 * of a node that is up began at its last recorded heartbeat.
 *
 * Every change of state is handed to `onChange` (for the node-down alarm,
 * next); the tracker keeps only each node's state and since in memory.
 */
import type { AgentRecord } from '../agents/index.js';

export const NODE_STATES = ['up', 'late', 'down'] as const;
export type NodeState = (typeof NODE_STATES)[number];

/** The thresholds, in seconds since the last heartbeat. */
export interface NodeThresholds {
  readonly lateAfter: number;
  readonly downAfter: number;
}

/** A node as the tracker knows it now. */
export interface NodeStatus {
  readonly name: string;
  readonly state: NodeState;
  /** Unix seconds at which the state began. */
  readonly since: number;
  readonly agent: AgentRecord;
}

/** A change of a node's state: `from` is undefined when the node is new to the tracker. */
export interface NodeChange {
  readonly name: string;
  readonly from: NodeState | undefined;
  readonly to: NodeState;
  readonly at: number;
}

export interface NodeTrackerOptions {
  /** The agents as the registry holds them now (AgentRegistry.list fits). */
  readonly agents: () => readonly AgentRecord[];
  readonly thresholds: NodeThresholds;
  /** The clock, Unix seconds. */
  readonly now?: () => number;
  /** How often the tracker looks on its own (default 1 s), so changes are seen and handed on without a read. */
  readonly tickSeconds?: number;
  /** Told of every change, in the order seen; must not throw. */
  readonly onChange?: (change: NodeChange) => void;
}

/** The state a node is in at `now` given its last heartbeat, and when that state began (undefined for up: the tracker knows). */
export function stateAt(lastSeen: number, now: number, thresholds: NodeThresholds): { state: NodeState; began?: number } {
  const silent = now - lastSeen;
  if (silent > thresholds.downAfter) return { state: 'down', began: lastSeen + thresholds.downAfter };
  if (silent > thresholds.lateAfter) return { state: 'late', began: lastSeen + thresholds.lateAfter };
  return { state: 'up' };
}

export class NodeTracker {
  private readonly known = new Map<string, { state: NodeState; since: number }>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: NodeTrackerOptions) {
    this.now = options.now ?? (() => Date.now() / 1000);
  }

  /** Starts looking every tickSeconds; stop() ends it. */
  start(): this {
    this.look();
    this.timer = setInterval(() => this.look(), (this.options.tickSeconds ?? 1) * 1000);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Brings every node's state up to now, hands on the changes, and returns the status of `agents` (every agent when omitted). */
  look(agents?: readonly AgentRecord[]): NodeStatus[] {
    const now = this.now();
    const all = this.options.agents();
    const names = new Set<string>();
    const byName = new Map<string, NodeStatus>();
    for (const agent of all) {
      names.add(agent.name);
      byName.set(agent.name, this.update(agent, now));
    }
    for (const name of this.known.keys()) if (!names.has(name)) this.known.delete(name);
    return (agents ?? all).flatMap((a) => byName.get(a.name) ?? []);
  }

  /** How many nodes are in each state now. */
  counts(): Record<NodeState, number> {
    const counts: Record<NodeState, number> = { up: 0, late: 0, down: 0 };
    for (const node of this.look()) counts[node.state] += 1;
    return counts;
  }

  private update(agent: AgentRecord, now: number): NodeStatus {
    const { state, began } = stateAt(agent.lastSeen, now, this.options.thresholds);
    const before = this.known.get(agent.name);
    let since = before?.since ?? began ?? agent.lastSeen;
    if (before === undefined || before.state !== state) {
      since = began ?? agent.lastSeen;
      this.known.set(agent.name, { state, since });
      this.options.onChange?.({ name: agent.name, from: before?.state, to: state, at: since });
    }
    return { name: agent.name, state, since, agent };
  }
}
