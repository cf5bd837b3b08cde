/**
 * The nodes panel's logic: the nodes in the order a reader needs them
 * (problems first: down, then late, then up; by name within a state), their
 * counts, and how node-down alarm items and a series held by its node read.
 *
 * The alarms API names a node by its key: an agent by its name, a
 * server-run instance as `instance:<name>` (an agent and an instance may
 * share a name); its node-down item is `node:<key>` (rule `node-down`).
 */
import type { NodeInfo, NodeKind, NodeState } from './api-types.js';

/** The states, most urgent first: the panel's order and its header's. */
export const NODE_STATES: readonly NodeState[] = ['down', 'late', 'up'];

const RANK: Record<NodeState, number> = { down: 0, late: 1, up: 2 };

/** A new list: down nodes first, then late, then up; by name, an agent before an instance of the same name. */
export function sortNodes(nodes: readonly NodeInfo[]): NodeInfo[] {
  return [...nodes].sort((a, b) => RANK[a.state] - RANK[b.state] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.kind === b.kind ? 0 : a.kind === 'agent' ? -1 : 1));
}

/** Up nodes the panel lists without a fold: enough for a lab, few enough for the series to stay in sight in a fleet. */
export const UNFOLDED_UP = 20;

/**
 * The panel's two parts: the nodes listed (problems first, sortNodes) and,
 * past `unfoldedUp` nodes up, those up, folded under one line. The problems
 * are never folded.
 */
export function panelParts(nodes: readonly NodeInfo[], unfoldedUp = UNFOLDED_UP): { listed: NodeInfo[]; folded: NodeInfo[] } {
  const sorted = sortNodes(nodes);
  const up = sorted.filter((n) => n.state === 'up');
  return up.length > unfoldedUp ? { listed: sorted.filter((n) => n.state !== 'up'), folded: up } : { listed: sorted, folded: [] };
}

export type NodeCounts = Record<NodeState, number>;

export function countNodes(nodes: readonly NodeInfo[]): NodeCounts {
  const counts: NodeCounts = { up: 0, late: 0, down: 0 };
  for (const n of nodes) counts[n.state]++;
  return counts;
}

/** "12 up · 1 late · 2 down": every state, zeros too, so the header reads the same from one refresh to the next. */
export function nodeCountsText(counts: NodeCounts): string {
  return `${counts.up.toLocaleString()} up · ${counts.late.toLocaleString()} late · ${counts.down.toLocaleString()} down`;
}

const ITEM_PREFIX = 'node:';
const INSTANCE_PREFIX = 'instance:';

/** A node's key, as the alarms API names it: `web03` for an agent, `instance:web` for a server-run instance. */
export function nodeKey(node: { readonly kind: NodeKind; readonly name: string }): string {
  return node.kind === 'agent' ? node.name : INSTANCE_PREFIX + node.name;
}

/** The kind and name a node key stands for. */
export function parseNodeKey(key: string): { kind: NodeKind; name: string } {
  return key.startsWith(INSTANCE_PREFIX) ? { kind: 'instance', name: key.slice(INSTANCE_PREFIX.length) } : { kind: 'agent', name: key };
}

/** The alarm item of a node's node-down alarm: `web03` → `node:web03`. */
export function nodeItem(key: string): string {
  return ITEM_PREFIX + key;
}

/** The key of the node whose node-down alarm an item is (`node:web03` → `web03`); undefined for a series (`:` is in no series name). */
export function nodeOfItem(series: string): string | undefined {
  return series.startsWith(ITEM_PREFIX) && series.length > ITEM_PREFIX.length ? series.slice(ITEM_PREFIX.length) : undefined;
}

/** A node key for people: "node web03", "instance web". */
export function nodeLabel(key: string): string {
  const { kind, name } = parseNodeKey(key);
  return `${kind === 'agent' ? 'node' : 'instance'} ${name}`;
}

/** Why a series' changes are not told: "held: node web03 is down" (a state the page does not know: "is not up"). */
export function heldText(key: string, state: NodeState | undefined): string {
  return `held: ${nodeLabel(key)} is ${state === 'late' || state === 'down' ? state : 'not up'}`;
}
