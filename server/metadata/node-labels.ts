/**
 * Node metadata from labels on samples: a slurper, an agent's slurper or a
 * client posting samples says, with a sample, fields of the node its series
 * belongs to (`{ name: 'Broker one', site: 'ward-3', max_hours: 36 }`).
 *
 * - The node is the series' node by metadata.key (node-key.ts); without a
 *   key, DEFAULT_LABEL_KEY: the series' first segment, the instance name of
 *   a slurper's series. Labels on a series the key does not match are
 *   ignored.
 * - A sample's labels set those fields of the node; the node's other
 *   fields stay. Nothing is kept across a restart: a sender repeats its
 *   labels (a slurper does at every run).
 * - The field rules are the mapping file's (lib/node-fields.ts): at
 *   most MAX_FIELDS labels a sample and fields a node, the same names and
 *   values. All the labels held weigh at most `maxBytes` (metadata.maxBytes,
 *   measured as JSON): a node that would pass it keeps the fields it had.
 * - apply() says whether a node's fields actually changed, so the rules are
 *   compiled again only then, not at every sample.
 *
 * A node's fields are replaced, never changed in place, and `version`
 * counts the changes: a snapshot (node-metadata.ts mergedSnapshot) merges
 * a node again when its fields are no longer those it merged. The map is
 * not copied at a change: a fleet whose nodes each give their first labels
 * in a batch of their own would copy it once a node (quadratic).
 */
import type { NodeKey } from './node-key.js';
import type { LabelFields, MetaValue } from './node-metadata.js';
import { checkLabels, MAX_FIELDS } from '../../lib/node-fields.js';

/** The node of a series when metadata.key is not set: its first segment. */
export const DEFAULT_LABEL_KEY = '{node}.**';

/** A series and the labels a sample of it carried, as sent (checked by apply). */
export interface LabelledSeries {
  readonly series: string;
  readonly labels: Readonly<Record<string, unknown>>;
}

/** Told of a refused label: the series, and why. */
export type LabelRefusal = (series: string, problem: string) => void;

export class NodeLabels {
  private readonly nodes = new Map<string, Readonly<Record<string, MetaValue>>>();
  /** Counts the changes of any node's fields. */
  version = 0;
  private readonly weights = new Map<string, number>();
  private bytes = 0;

  constructor(
    private readonly key: NodeKey,
    private readonly maxBytes: number,
    private readonly refuse: LabelRefusal,
  ) {}

  /** The fields labels give, by node id, as they are now. */
  get fields(): LabelFields {
    return this.nodes;
  }

  /** Sets the fields the batch's labels give; true when some node's fields changed. A refused label set is told to `refuse` and changes nothing. */
  apply(batch: readonly LabelledSeries[]): boolean {
    const before = this.version;
    for (const { series, labels } of batch) {
      const node = this.key(series);
      if (node === undefined) continue;
      // The ingest route refused a client's contacts at the door; what reaches here is the server's own slurpers' or checked.
      const checked = checkLabels(labels, false);
      if (!('fields' in checked)) {
        this.refuse(series, checked.label === undefined ? checked.problem : `label '${checked.label.slice(0, 64)}': ${checked.problem}`);
        continue;
      }
      const { fields } = checked;
      const had = this.nodes.get(node);
      if (had !== undefined && Object.entries(fields).every(([name, value]) => sameValue(had[name], value))) continue;
      const after = { ...had, ...fields };
      const count = Object.keys(after).length;
      if (count > MAX_FIELDS) {
        this.refuse(series, `node '${node}' would have ${count} fields from labels; the limit is ${MAX_FIELDS}`);
        continue;
      }
      const weight = node.length + JSON.stringify(after).length;
      const total = this.bytes - (this.weights.get(node) ?? 0) + weight;
      if (total > this.maxBytes) {
        this.refuse(series, `the labels held would weigh ${total} bytes; the limit is ${this.maxBytes} (metadata.maxBytes)`);
        continue;
      }
      this.version++;
      this.nodes.set(node, after);
      this.weights.set(node, weight);
      this.bytes = total;
    }
    return this.version !== before;
  }
}

function sameValue(a: MetaValue | undefined, b: MetaValue): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b)) return false;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
