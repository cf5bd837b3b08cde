/**
 * What a host page covers. Its `h` names a node by its key (an agent
 * `web01`, a server-run instance `instance:host.web01`: nodes.ts nodeKey),
 * whose series lie under its instances' names; or else a group of the
 * overview, a series prefix (`host.web01`, `site3.db01`). The nodes shown
 * with it are the node named, or those whose instances lie in the group or
 * hold it.
 */
import type { NodeInfo } from './api-types.js';
import { nodeKey, nodeOfItem } from './nodes.js';

export interface HostScope {
  /** The series prefixes (without a trailing dot) whose series the page shows. */
  readonly prefixes: readonly string[];
  /** The nodes that report them. */
  readonly nodes: readonly NodeInfo[];
}

/** The series prefixes of a node: an agent's instance names (its own name if it lists none), an instance's name. */
export function nodePrefixes(node: NodeInfo): string[] {
  if (node.kind === 'instance' || node.instances.length === 0) return [node.name];
  return node.instances.map((i) => i.name);
}

/** Whether `name` is `prefix` or lies under it. */
function under(name: string, prefix: string): boolean {
  return name === prefix || name.startsWith(`${prefix}.`);
}

/** The scope of the host page `host` among `nodes` (null: the server has no nodes API). */
export function hostScope(host: string, nodes: readonly NodeInfo[] | null): HostScope {
  const named = nodes?.find((n) => nodeKey(n) === host);
  if (named) return { prefixes: nodePrefixes(named), nodes: [named] };
  const related = (nodes ?? []).filter((n) => nodePrefixes(n).some((p) => under(p, host) || under(host, p)));
  return { prefixes: [host], nodes: related };
}

/** Whether an alarm item (a series, or a node-down item `node:web01`) belongs to the scope. */
export function inScope(item: string, scope: HostScope): boolean {
  const key = nodeOfItem(item);
  if (key !== undefined) return scope.nodes.some((n) => nodeKey(n) === key);
  return scope.prefixes.some((p) => item.startsWith(`${p}.`));
}
