/**
 * What a reload does to the server's slurper instances, decided from the
 * running and the new `slurpers.instances`, by name: a name only in the new
 * list is started, one only in the running list stopped, one in both with
 * any setting changed (slurper, schedule, timeout, options) restarted with
 * the new settings; the others keep running untouched.
 */
import { isDeepStrictEqual } from 'node:util';
import type { InstanceConfig } from '../../slurpers/index.js';

/** Instance names, each list in the order of the new config (stopped: of the running one). */
export interface InstanceChanges {
  readonly started: readonly string[];
  readonly stopped: readonly string[];
  readonly restarted: readonly string[];
}

export function instanceChanges(running: readonly InstanceConfig[], next: readonly InstanceConfig[]): InstanceChanges {
  const before = new Map(running.map((i) => [i.name, i]));
  const after = new Set(next.map((i) => i.name));
  return {
    started: next.filter((i) => !before.has(i.name)).map((i) => i.name),
    stopped: running.filter((i) => !after.has(i.name)).map((i) => i.name),
    restarted: next.filter((i) => before.has(i.name) && !isDeepStrictEqual(before.get(i.name), i)).map((i) => i.name),
  };
}

/** "started a, b; stopped c; restarted d", leaving out what is empty; "none changed" when all are. */
export function describeChanges(changes: InstanceChanges): string {
  const parts = (['started', 'stopped', 'restarted'] as const).filter((k) => changes[k].length > 0).map((k) => `${k} ${changes[k].join(', ')}`);
  return parts.length === 0 ? 'none changed' : parts.join('; ');
}
