/**
 * Node states as series, so computed series can count them: every step
 * each node the tracker knows, whose series a computed series' pattern
 * covers (`wanted`), is written as `ringmon.nodes.<node>.up`,
 * 1 while it is up and 0 while it is late or down, stamped at the step's
 * boundary, through the store's intake like any sample. A node the tracker
 * no longer knows (its agent removed) is no longer written, so its series
 * goes UNKNOWN once its heartbeat passes. How many nodes are up is then a
 * computed count: `{ name: fleet.nodes_up, op: count, match: ringmon.nodes.*.up, where: '>= 1' }`.
 *
 * Names: the `ringmon.` prefix is the server's own (docs/computed.md says
 * so: users' series must not start with it). A node's name becomes one
 * segment, each character a series name cannot hold in a segment (the dots
 * of `web01.example.org`) written as `_`, so `ringmon.nodes.*.up` matches
 * every node.
 */
import { everyStep, type StepTimer } from '../../lib/step-timer.js';
import { OwnSampleWriter, type OwnSamplesLogger } from '../computed/own-samples.js';
import type { SampleSink, StoreSample } from '../store/index.js';
import type { NodeState } from './node-states.js';

/** The first segments of every node series. */
export const NODE_SERIES_PREFIX = 'ringmon.nodes';

/** The series of node `node`'s state. */
export function nodeSeriesName(node: string): string {
  return `${NODE_SERIES_PREFIX}.${node.replace(/[^A-Za-z0-9_-]/g, '_')}.up`;
}

export interface NodeSeriesOptions {
  /** The nodes now (NodeTracker.look fits). */
  readonly nodes: { look(): readonly { readonly name: string; readonly state: NodeState }[] };
  readonly sink: SampleSink;
  /** Seconds between writes (the nodes' heartbeat interval). */
  readonly step: number;
  /** Whether a node's series is used (a computed series' pattern covers it): only those are written, so a server that counts no nodes stores none. */
  readonly wanted: (series: string) => boolean;
  readonly log: OwnSamplesLogger;
}

/** The samples of every node at `at`. */
export function nodeSamples(nodes: readonly { readonly name: string; readonly state: NodeState }[], at: number, step: number): StoreSample[] {
  return nodes.map((n) => ({ series: nodeSeriesName(n.name), time: at, value: n.state === 'up' ? 1 : 0, interval: step }));
}

/** Writes the node series every step until stopped. */
export function startNodeSeries(options: NodeSeriesOptions): StepTimer {
  const writer = new OwnSampleWriter(options.sink, options.log, 'node series');
  return everyStep(options.step, (at) => void writer.write(nodeSamples(options.nodes.look(), at, options.step).filter((s) => options.wanted(s.series))));
}
