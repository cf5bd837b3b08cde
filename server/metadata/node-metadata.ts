/**
 * What is known of a node, and the lookup the rest of the server asks: the
 * node of a series (by metadata.key) and its metadata. A snapshot never
 * changes; a new file, or labels that change a node (node-labels.ts), make
 * a new one (metadata-source.ts).
 */
import type { FieldValue } from '../../lib/node-fields.js';
import type { NodeKey } from './node-key.js';

/** A field's value: a number, a string, or a list of them (lib/node-fields.ts). */
export type MetaValue = FieldValue;

/** One node of the mapping file, or known from labels on samples. */
export interface NodeMeta {
  readonly id: string;
  /** Its display name (`name`), when the file gives one. */
  readonly name?: string;
  /** Every field as the file gave it, `name`, `owner` and `contacts` included. */
  readonly fields: Readonly<Record<string, MetaValue>>;
}

/** The metadata in force: answers never change for the life of the snapshot; never throws. */
export interface MetadataSnapshot {
  /** Nodes by id, in the file's order, then the nodes known only from labels. */
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

/** A node's fields from labels on samples, by node id (node-labels.ts). */
export type LabelFields = ReadonlyMap<string, Readonly<Record<string, MetaValue>>>;

/**
 * The file's nodes with the fields labels give: the file wins over labels
 * for the same field; a node only labels know follows the file's nodes.
 * Each node is merged when first asked for, once per snapshot.
 */
export function mergedSnapshot(file: ReadonlyMap<string, NodeMeta>, labels: LabelFields, key: NodeKey): MetadataSnapshot {
  if (labels.size === 0) return metadataSnapshot(file, key);
  const merged = new Map<string, NodeMeta | null>();
  const node = (id: string): NodeMeta | undefined => {
    let found = merged.get(id);
    if (found === undefined) merged.set(id, (found = mergeNode(id, file.get(id), labels.get(id)) ?? null));
    return found ?? undefined;
  };
  let all: Map<string, NodeMeta> | undefined;
  return {
    get nodes() {
      if (all === undefined) {
        all = new Map();
        for (const id of file.keys()) all.set(id, node(id) as NodeMeta);
        for (const id of labels.keys()) if (!all.has(id)) all.set(id, node(id) as NodeMeta);
      }
      return all;
    },
    nodeOf: (series) => {
      const id = key(series);
      return id === undefined ? undefined : node(id);
    },
  };
}

function mergeNode(id: string, fromFile: NodeMeta | undefined, fromLabels: Readonly<Record<string, MetaValue>> | undefined): NodeMeta | undefined {
  if (fromLabels === undefined) return fromFile;
  const fields = fromFile === undefined ? fromLabels : { ...fromLabels, ...fromFile.fields };
  const name = fields.name;
  return typeof name === 'string' ? { id, name, fields } : { id, fields };
}
