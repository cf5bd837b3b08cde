/**
 * How a series names its node: `metadata.key`, a series pattern
 * (config-schema/series-glob.ts) in which one whole segment is `{node}`.
 * The series matching the pattern (with `{node}` read as `*`) belong to the
 * node whose id is that segment: with `broker.age.{node}`, the series
 * `broker.age.b07` is node `b07`'s; with `*.{node}.**`, `site.b07.cpu.user`
 * is too. No `**` may come before `{node}`, so that the node is always the
 * same segment of the name (its position in the pattern) and finding it is
 * one split.
 */
import { checkSeriesGlob, seriesGlob } from '../config-schema/index.js';

export const NODE_PLACEHOLDER = '{node}';

/** The node a series belongs to, or undefined when the series does not match the key. */
export type NodeKey = (series: string) => string | undefined;

/** The problem with a key, as a message; undefined for a valid one. */
export function checkNodeKey(key: string): string | undefined {
  const segments = key.split('.');
  const at = segments.indexOf(NODE_PLACEHOLDER);
  if (at === -1) return `must have one whole segment ${NODE_PLACEHOLDER}, where the node id is (e.g. broker.age.${NODE_PLACEHOLDER})`;
  if (segments.lastIndexOf(NODE_PLACEHOLDER) !== at) return `has ${NODE_PLACEHOLDER} more than once`;
  if (segments.slice(0, at).includes('**')) return `has ** before ${NODE_PLACEHOLDER}: the node must be the same segment of every series name`;
  return checkSeriesGlob(segments.map((s) => (s === NODE_PLACEHOLDER ? '*' : s)).join('.'));
}

/** Compiles a key checkNodeKey accepted; throws Error for one it refuses. */
export function compileNodeKey(key: string): NodeKey {
  const problem = checkNodeKey(key);
  if (problem !== undefined) throw new Error(`metadata.key '${key}' ${problem}`);
  const segments = key.split('.');
  const at = segments.indexOf(NODE_PLACEHOLDER);
  const pattern = seriesGlob(segments.map((s) => (s === NODE_PLACEHOLDER ? '*' : s)).join('.'));
  return (series) => {
    if (!pattern.test(series)) return undefined;
    const node = series.split('.', at + 1)[at];
    return node === '' ? undefined : node;
  };
}
