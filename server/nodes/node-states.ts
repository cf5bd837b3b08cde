/**
 * Node states. A node is an agent the server has heard from, or a slurper
 * instance the server runs itself (its target), each known by its name and
 * `kind`:
 *
 * - agent: from the time of its last heartbeat against the server's clock —
 *   `up` while heartbeats come, `late` once none came for the late time
 *   (nodes.heartbeatInterval × nodes.graceFactor), `down` once none came
 *   for nodes.downAfter.
 * - instance: from its runs (instanceStateAt) — `up` while they succeed,
 *   `late` once its last run failed (its `<instance>.up` is 0) or no good
 *   run came for nodes.graceFactor × its interval, `down` once none came
 *   for nodes.downAfter (at least the late time plus one interval, so a
 *   slow instance is late before it is down). One failed run is not a
 *   node down: the grace covers a lost packet.
 *
 * A late or down state began exactly when the threshold passed (last good
 * contact + threshold), or for an instance made late by a failed run at
 * that run. An up state began with the heartbeat or run that brought the
 * node back, as the tracker saw it: it looks every `tickSeconds` (and at
 * each read), so `since` of an up node is at most one look after its
 * return; after a server start, the first state seen of a node that is up
 * began at its last recorded contact.
 *
 * Every change of state is handed to `onChange` (for the node-down alarm),
 * and so is a node that is gone (`to: 'gone'`, at the look that missed it:
 * an agent forgotten by DELETE /api/v1/agents, an instance a reload
 * removed); the tracker keeps only each node's state and since in memory.
 * An agent and an instance of one name are two nodes.
 */
import type { AgentRecord } from '../agents/index.js';

export const NODE_STATES = ['up', 'late', 'down'] as const;
export type NodeState = (typeof NODE_STATES)[number];

/** The thresholds, in seconds since the last heartbeat. */
export interface NodeThresholds {
  readonly lateAfter: number;
  readonly downAfter: number;
}

export const NODE_KINDS = ['agent', 'instance'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** A server-run slurper instance as its runs left it (server/slurpers' InstanceRuns keeps these). */
export interface InstanceRecord {
  /** The instance name, which is its node's name. */
  readonly name: string;
  readonly slurper: string;
  /** Seconds between its runs (scheduleInterval); undefined (a cron schedule without two runs ahead): the agents' late time applies. */
  readonly interval?: number;
  /** Unix seconds at which the server started running it: what a late or down time counts from before a good run. */
  readonly startedAt: number;
  /** Unix seconds at which its last finished run started; undefined before the first. */
  readonly lastRun?: number;
  /** Whether its last finished run succeeded (its `<instance>.up`). */
  readonly up?: boolean;
  /** Unix seconds at which its last good run started. */
  readonly lastGood?: number;
}

interface Status {
  readonly name: string;
  readonly state: NodeState;
  /** Unix seconds at which the state began. */
  readonly since: number;
}

/** An agent as the tracker knows it now. */
export interface AgentNodeStatus extends Status {
  readonly kind: 'agent';
  readonly agent: AgentRecord;
}

/** A server-run instance as the tracker knows it now. */
export interface InstanceNodeStatus extends Status {
  readonly kind: 'instance';
  readonly instance: InstanceRecord;
}

/** A node as the tracker knows it now. */
export type NodeStatus = AgentNodeStatus | InstanceNodeStatus;

/** A change of a node's state: `from` is undefined when the node is new to the tracker, `to` is gone when it is no node any more. */
export interface NodeChange {
  readonly kind: NodeKind;
  readonly name: string;
  readonly from: NodeState | undefined;
  readonly to: NodeState | 'gone';
  readonly at: number;
}

export interface NodeTrackerOptions {
  /** The agents as the registry holds them now (AgentRegistry.list fits). */
  readonly agents: () => readonly AgentRecord[];
  /** The server-run slurper instances as their runs left them (InstanceRuns.list fits); an instance is a node from its first finished run. */
  readonly instances?: () => readonly InstanceRecord[];
  readonly thresholds: NodeThresholds;
  /** nodes.graceFactor: an instance is late after this many of its intervals without a good run (default 2). */
  readonly graceFactor?: number;
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

/** The thresholds of an instance's node: late after graceFactor × its interval (the agents' late time without one), down after downAfter but no sooner than one interval after late. */
function instanceThresholds(record: InstanceRecord, grace: InstanceGrace): NodeThresholds {
  const lateAfter = record.interval === undefined ? (grace.lateAfter ?? grace.downAfter / 2) : grace.graceFactor * record.interval;
  return { lateAfter, downAfter: Math.max(grace.downAfter, lateAfter + (record.interval ?? 0)) };
}

/** What an instance's thresholds come from: nodes.graceFactor and nodes.downAfter (and the agents' late time, for an instance without an interval). */
export interface InstanceGrace {
  readonly graceFactor: number;
  readonly downAfter: number;
  readonly lateAfter?: number;
}

/** The state an instance's node is in at `now` given its runs, and when that state began (undefined for up: the tracker knows). */
export function instanceStateAt(record: InstanceRecord, now: number, grace: InstanceGrace): { state: NodeState; began?: number } {
  const thresholds = instanceThresholds(record, grace);
  const found = stateAt(record.lastGood ?? record.startedAt, now, thresholds);
  if (found.state === 'down' || record.up !== false) return found;
  // Late from the failed run on, if that came before the late time.
  const failedAt = record.lastRun ?? now;
  return { state: 'late', began: found.began === undefined ? failedAt : Math.min(found.began, failedAt) };
}

/** Sorts by name, an agent before an instance of the same name. */
function inNameOrder(a: NodeStatus, b: NodeStatus): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.kind === b.kind ? 0 : a.kind === 'agent' ? -1 : 1;
}

export class NodeTracker {
  private readonly known = new Map<string, { kind: NodeKind; name: string; state: NodeState; since: number }>();
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

  /**
   * Brings every node's state up to now and hands on the changes; returns
   * the status of `agents` when given, else of every node (agents and
   * instances) by name.
   */
  look(agents: readonly AgentRecord[]): AgentNodeStatus[];
  look(): NodeStatus[];
  look(agents?: readonly AgentRecord[]): NodeStatus[] {
    const now = this.now();
    const seen = new Set<string>();
    const byName = new Map<string, AgentNodeStatus>();
    const all: NodeStatus[] = [];
    for (const agent of this.options.agents()) {
      const { state, began } = stateAt(agent.lastSeen, now, this.options.thresholds);
      const status: AgentNodeStatus = { kind: 'agent', name: agent.name, agent, ...this.update('agent', agent.name, state, began ?? agent.lastSeen, seen) };
      byName.set(agent.name, status);
      all.push(status);
    }
    const { graceFactor = 2, thresholds } = this.options;
    for (const instance of this.options.instances?.() ?? []) {
      if (instance.lastRun === undefined) continue;
      const { state, began } = instanceStateAt(instance, now, { graceFactor, downAfter: thresholds.downAfter, lateAfter: thresholds.lateAfter });
      all.push({ kind: 'instance', name: instance.name, instance, ...this.update('instance', instance.name, state, began ?? instance.lastGood ?? instance.lastRun, seen) });
    }
    for (const [key, gone] of this.known) {
      if (seen.has(key)) continue;
      this.known.delete(key);
      this.options.onChange?.({ kind: gone.kind, name: gone.name, from: gone.state, to: 'gone', at: now });
    }
    if (agents !== undefined) return agents.flatMap((a) => byName.get(a.name) ?? []);
    return all.sort(inNameOrder);
  }

  /** How many nodes are in each state now. */
  counts(): Record<NodeState, number> {
    const counts: Record<NodeState, number> = { up: 0, late: 0, down: 0 };
    for (const node of this.look()) counts[node.state] += 1;
    return counts;
  }

  /** Records that node `name` of `kind` is in `state` now (a new state began at `began`); returns its state and since. */
  private update(kind: NodeKind, name: string, state: NodeState, began: number, seen: Set<string>): { state: NodeState; since: number } {
    const key = `${kind}:${name}`;
    seen.add(key);
    const before = this.known.get(key);
    if (before !== undefined && before.state === state) return { state, since: before.since };
    this.known.set(key, { kind, name, state, since: began });
    this.options.onChange?.({ kind, name, from: before?.state, to: state, at: began });
    return { state, since: began };
  }
}
