/**
 * What is known of a node, and the lookup the rest of the server asks: the
 * node of a series (by metadata.key) and its metadata. A snapshot never
 * changes but for the fields labels give (node-labels.ts), which are those
 * in force; a new file, or labels that change a node, make a new snapshot
 * (metadata-source.ts), so that the rules are compiled again.
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

/** The fields labels give as they are now, and a count of their changes. */
export interface LabelView {
  readonly fields: LabelFields;
  readonly version: number;
}

/**
 * The file's nodes with the fields labels give: the file wins over labels
 * for the same field; a node only labels know follows the file's nodes.
 * A node is merged when asked for, again only when its labels changed.
 */
export function mergedSnapshot(file: ReadonlyMap<string, NodeMeta>, labels: LabelView, key: NodeKey): MetadataSnapshot {
  if (labels.fields.size === 0) return metadataSnapshot(file, key);
  const merged = new Map<string, { readonly from: object | undefined; readonly node: NodeMeta | undefined }>();
  const node = (id: string): NodeMeta | undefined => {
    const from = labels.fields.get(id);
    let found = merged.get(id);
    if (found === undefined || found.from !== from) merged.set(id, (found = { from, node: mergeNode(id, file.get(id), from) }));
    return found.node;
  };
  let all: { readonly version: number; readonly nodes: Map<string, NodeMeta> } | undefined;
  return {
    get nodes() {
      if (all === undefined || all.version !== labels.version) {
        const nodes = new Map<string, NodeMeta>();
        for (const id of file.keys()) nodes.set(id, node(id) as NodeMeta);
        for (const id of labels.fields.keys()) if (!nodes.has(id)) nodes.set(id, node(id) as NodeMeta);
        all = { version: labels.version, nodes };
      }
      return all.nodes;
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
