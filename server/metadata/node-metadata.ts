/**
 * What is known of a node, and the lookup the rest of the server asks: the
 * node of a series (by metadata.key) and its metadata. A snapshot never
 * changes; a new file makes a new one (metadata-source.ts).
 */
import type { NodeKey } from './node-key.js';

/** A field's value: a number, a string, or a list of them. */
export type MetaValue = number | string | readonly (number | string)[];

/** One node of the mapping file. */
export interface NodeMeta {
  readonly id: string;
  /** Its display name (`name`), when the file gives one. */
  readonly name?: string;
  /** Every field as the file gave it, `name`, `owner` and `contacts` included. */
  readonly fields: Readonly<Record<string, MetaValue>>;
}

/** The metadata in force: answers never change for the life of the snapshot; never throws. */
export interface MetadataSnapshot {
  /** Nodes by id, in the file's order. */
  readonly nodes: ReadonlyMap<string, NodeMeta>;
  /** The node `series` belongs to by metadata.key, when the file knows it. */
  nodeOf(series: string): NodeMeta | undefined;
}

export const EMPTY_METADATA: MetadataSnapshot = { nodes: new Map(), nodeOf: () => undefined };

export function metadataSnapshot(nodes: ReadonlyMap<string, NodeMeta>, key: NodeKey): MetadataSnapshot {
  return {
    nodes,
    nodeOf: (series) => {
      const id = key(series);
      return id === undefined ? undefined : nodes.get(id);
    },
  };
}
