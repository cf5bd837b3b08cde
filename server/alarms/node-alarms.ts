/**
 * The built-in node-down alarm and inhibition (the engine's side of nodes;
 * the states come from server/nodes, handed in as NodeEvent by start.ts, so
 * this folder imports nothing of it).
 *
 * - Each node has an alarm item `node:<name>` under the rule `node-down`:
 *   OK → CRITICAL when the node goes down, CRITICAL → OK when it is up
 *   again. `late` changes nothing of it. An item exists from the node's
 *   first down on; its state is stored with the others, so a node still
 *   down at a restart is no new problem.
 * - A node away (late or down) inhibits the series it sends (`nodeOf`) and
 *   the series its explicit dependencies match (`nodes.dependencies`): the
 *   engine records their transitions with `inhibitedBy` and tells no one.
 *   `late` inhibits too: whether the node is gone is not decided yet.
 * - When a node comes back up, the engine has its series decided afresh
 *   (evaluator.ts `afresh`).
 * - A node first seen down after a start, with no stored down state, was
 *   perhaps silent only because the server was off: it is inhibited but
 *   told only once the server has run `downAfter` (confirm()), time
 *   enough for a live agent to heartbeat again.
 */
import { seriesGlob, type SeriesMatcher } from '../config-schema/index.js';
import type { AlarmRule, AlarmState, Transition } from './model.js';
import type { SeriesAlarm } from './series-state.js';

/** The rule name of node-down alarms. */
export const NODE_RULE = 'node-down';
const ITEM_PREFIX = 'node:';
const DOWN = 'node down';

/** The item a node's alarm is kept under (in place of a series name; `:` is in no series name). */
export function nodeItem(node: string): string {
  return ITEM_PREFIX + node;
}

export function isNodeItem(series: string): boolean {
  return series.startsWith(ITEM_PREFIX);
}

/** The `nodes` settings the engine uses (server/nodes/config-section.ts), seconds for durations. */
export interface NodeAlarmSettings {
  /** Recipient names (alarms.recipients) told of node-down and its recovery. */
  readonly notify: readonly string[];
  /** Seconds between reminders while a node stays down; undefined: none. */
  readonly renotify?: number;
  /** Seconds of silence that make a node down (nodes.downAfter): how long a node first seen down after a start waits to be told; undefined: not at all. */
  readonly downAfter?: number;
  /** Series that depend on a node besides their own: inhibited while it is away. */
  readonly dependencies: readonly { readonly match: string | readonly string[]; readonly node: string }[];
}

/** A node's change of state, as the node tracker tells it (server/nodes NodeChange); `from` undefined: new to the tracker. */
export interface NodeEvent {
  readonly name: string;
  readonly from: NodeEventState | undefined;
  readonly to: NodeEventState;
  /** Unix seconds at which the new state began. */
  readonly at: number;
}

export type NodeEventState = 'up' | 'late' | 'down';

const NO_THRESHOLDS = Object.freeze({});

export class NodeAlarms {
  readonly rule: AlarmRule;
  private readonly items = new Map<string, SeriesAlarm>();
  /** Nodes late or down now. */
  private readonly away = new Map<string, 'late' | 'down'>();
  private readonly dependencies: readonly { readonly patterns: readonly SeriesMatcher[]; readonly node: string }[];
  /** Nodes first seen down after the start, not told yet (confirm()). */
  private readonly unconfirmed = new Set<string>();
  private readonly confirmAt: number;

  /** `openedAt`: when the engine started (Unix seconds). */
  constructor(
    settings: NodeAlarmSettings | undefined,
    private readonly nodeOf: (series: string) => string | undefined,
    openedAt: number,
  ) {
    this.confirmAt = openedAt + (settings?.downAfter ?? 0);
    this.rule = Object.freeze({
      name: NODE_RULE,
      match: Object.freeze([]),
      thresholds: NO_THRESHOLDS,
      forSeconds: 0,
      hysteresis: 0,
      notify: Object.freeze([...(settings?.notify ?? [])]),
      renotifySeconds: settings?.renotify,
    });
    this.dependencies = (settings?.dependencies ?? []).map((d) => ({
      patterns: (typeof d.match === 'string' ? [d.match] : d.match).map(seriesGlob),
      node: d.node,
    }));
  }

  /** A stored state of a node item (at open); false when `state` is not one. */
  restore(state: AlarmState): boolean {
    if (state.rule !== NODE_RULE || !isNodeItem(state.series)) return false;
    this.items.set(state.series, alarmOf(state));
    return true;
  }

  get(item: string): SeriesAlarm | undefined {
    return this.items.get(item);
  }

  all(): Iterable<SeriesAlarm> {
    return this.items.values();
  }

  /**
   * Takes a node's change: the transition of its alarm, if any, and
   * whether it came back (its series are then to be decided afresh): up
   * after late or down, or up while its stored alarm said down.
   */
  change(event: NodeEvent): { readonly transition?: Transition; readonly back: boolean } {
    const item = nodeItem(event.name);
    const alarm = this.items.get(item);
    const wasAway = this.away.has(event.name) || alarm?.status === 'CRITICAL';
    if (event.to === 'up') this.away.delete(event.name);
    else this.away.set(event.name, event.to);
    const back = event.to === 'up' && wasAway;
    if (event.to === 'up') this.unconfirmed.delete(event.name);
    if (event.to === 'down' && alarm?.status !== 'CRITICAL') {
      if (event.from === undefined) {
        this.unconfirmed.add(event.name);
        return { back };
      }
      return { transition: this.set(item, 'CRITICAL', event.at, DOWN), back };
    }
    if (event.to === 'up' && alarm?.status === 'CRITICAL') return { transition: this.set(item, 'OK', event.at, null), back };
    return { back };
  }

  /** The down alarms of nodes first seen down after the start, once the server has run downAfter (the timer's). */
  confirm(now: number): Transition[] {
    if (this.unconfirmed.size === 0 || now < this.confirmAt) return [];
    const transitions = [...this.unconfirmed].map((name) => this.set(nodeItem(name), 'CRITICAL', now, DOWN));
    this.unconfirmed.clear();
    return transitions;
  }

  /** The node whose absence inhibits `series` now: its own node first, then its dependencies in their order. */
  inhibitorOf(series: string): string | undefined {
    if (this.away.size === 0 || isNodeItem(series)) return undefined;
    const own = this.nodeOf(series);
    if (own !== undefined && this.away.has(own)) return own;
    return this.dependencies.find((d) => this.away.has(d.node) && d.patterns.some((p) => p.test(series)))?.node;
  }

  /** Whether `series` hangs on one of `nodes`: sent by it, or matched by one of its dependencies. */
  hangsOn(series: string, nodes: ReadonlySet<string>): boolean {
    if (isNodeItem(series)) return false;
    const own = this.nodeOf(series);
    return (own !== undefined && nodes.has(own)) || this.dependencies.some((d) => nodes.has(d.node) && d.patterns.some((p) => p.test(series)));
  }

  private set(item: string, to: 'OK' | 'CRITICAL', at: number, threshold: string | null): Transition {
    const from = this.items.get(item)?.status ?? 'OK';
    this.items.set(item, alarmOf({ series: item, rule: NODE_RULE, status: to, since: at, value: null, threshold, lastSampleAt: at }));
    return { series: item, rule: NODE_RULE, from, to, at, value: null, threshold };
  }
}

function alarmOf(state: AlarmState): SeriesAlarm {
  return Object.freeze({ ...state, rule: NODE_RULE, thresholds: NO_THRESHOLDS });
}
