/**
 * One-value archives for tests and benches: a definition of one GAUGE data
 * source written with rrdtool's RRA strings (formatArchiveDefinition gives
 * the same to `rrdtool create`), and an archive of it filled with one sample
 * a step.
 */
import { createArchive, parseArchiveDefinition, updateArchive, type ArchiveDefinition, type CreateOptions, type Sample } from '../../archive/index.js';

/** One GAUGE data source `name` without min or max, at `step` with `heartbeat`, and `rras` ('RRA:CF:xff:steps:rows'). */
export function gaugeDefinition(name: string, step: number, heartbeat: number, rras: readonly string[]): ArchiveDefinition {
  return parseArchiveDefinition(step, [`DS:${name}:GAUGE:${heartbeat}:U:U`, ...rras]);
}

/** How an archive is filled: from `start`, `count` samples one step apart (the first at start + step), the k-th (from 0) of value(k). */
export interface Fill {
  readonly start: number;
  readonly count: number;
  readonly value: (k: number) => number;
}

/** The samples of `fill` at `step`. */
export function stepSamples(step: number, fill: Fill): Sample[] {
  return Array.from({ length: fill.count }, (_, k) => ({ time: fill.start + step * (k + 1), values: [fill.value(k)] }));
}

/** Creates `path` of `definition` from fill.start (with `create`'s other options) and writes the samples of `fill`; returns `path`. */
export function filledArchive(path: string, definition: ArchiveDefinition, fill: Fill, create: Omit<CreateOptions, 'start'> = {}): string {
  createArchive(path, definition, { ...create, start: fill.start });
  updateArchive(path, stepSamples(definition.step, fill));
  return path;
}
