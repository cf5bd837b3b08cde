/**
 * What the runs of the server's own slurper instances said, per instance,
 * for the node tracker (each instance's target is a node, server/nodes)
 * and the alarm engine (which node a series belongs to). The slurper host
 * tells it when an instance starts, stops and finishes a run; it keeps no
 * samples, only each instance's last run, last good run and its interval.
 *
 * An instance's node is named after the instance, and its series are the
 * ones the instance name prefixes (`web01.http.status` of `web01.http`).
 */
import { dottedPrefixes } from '../../lib/dotted-prefix.js';
import type { InstanceRecord } from '../nodes/index.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class InstanceRuns {
  private readonly records = new Map<string, Mutable<InstanceRecord>>();

  /** `now`: the clock, Unix seconds. */
  constructor(private readonly now: () => number = () => Date.now() / 1000) {}

  /** The instance `name` starts running (again, with new settings, after a reload: what its runs said so far is kept). */
  started(name: string, slurper: string, interval: number | undefined): void {
    const before = this.records.get(name);
    this.records.set(name, { ...before, name, slurper, interval, startedAt: before?.startedAt ?? this.now() });
  }

  /** The instance `name` no longer runs: it is no node any more. */
  stopped(name: string): void {
    this.records.delete(name);
  }

  /** A run of `name` that started at `at` finished, with `<instance>.up` = `up`. */
  ran(name: string, at: number, up: boolean): void {
    const record = this.records.get(name);
    if (record === undefined) return;
    record.lastRun = at;
    record.up = up;
    if (up) record.lastGood = at;
  }

  /** Every running instance as its runs left it. */
  list(): InstanceRecord[] {
    return [...this.records.values()].map((r) => ({ ...r }));
  }

  /**
   * The node a series belongs to: the running instance whose name is the
   * longest dotted prefix of the series, as AgentRegistry.agentOf finds an
   * agent's; undefined for a series no server-run instance writes.
   */
  nodeOf(series: string): string | undefined {
    for (const name of dottedPrefixes(series)) if (this.records.has(name)) return name;
    return undefined;
  }
}
