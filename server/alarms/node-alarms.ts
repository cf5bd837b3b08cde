/**
 * The built-in node-down alarm and inhibition (the engine's side of nodes;
 * the states come from server/nodes, handed in as NodeEvent by start.ts, so
 * this folder imports nothing of it).
 *
 * - Each node has an alarm item under the rule `node-down`, `node:<name>`
 *   for an agent and `node:instance:<name>` for a server-run instance (its
 *   key, nodeKey(): an agent and an instance of one name are two nodes, and
 *   agents keep the short name): OK → CRITICAL when the node goes down,
 *   CRITICAL → OK when it is up again. `late` changes nothing of it. An
 *   item exists from the node's first down on; its state is stored with
 *   the others, so a node still down at a restart is no new problem.
 * - A node that is gone (an agent forgotten by DELETE /api/v1/agents, an
 *   instance a reload removed) ends its alarm: a CRITICAL item goes to OK
 *   (recorded; told as a recovery with the message NODE_REMOVED to whoever
 *   heard of the problem, as any recovery), it inhibits nothing more, and
 *   its item is then forgotten (dropLeaving()).
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
const INSTANCE_PREFIX = 'instance:';
const DOWN = 'node down';
/** The message of the recovery told when a down node is gone. */
export const NODE_REMOVED = 'node removed: no longer an agent or a server-run instance of this server';

export type NodeKind = 'agent' | 'instance';

/** A node's key, unique across kinds: an agent's name, `instance:<name>` for a server-run instance (`:` is in no agent name). */
export function nodeKey(kind: NodeKind, name: string): string {
  return kind === 'agent' ? name : INSTANCE_PREFIX + name;
}

/** The item a node's alarm is kept under (in place of a series name; `:` is in no series name), from its key. */
export function nodeItem(key: string): string {
  return ITEM_PREFIX + key;
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

/** A node's change of state, as the node tracker tells it (server/nodes NodeChange); `from` undefined: new to the tracker; `to` gone: no longer a node. */
export interface NodeEvent {
  /** Default agent. */
  readonly kind?: NodeKind;
  readonly name: string;
  readonly from: NodeEventState | undefined;
  readonly to: NodeEventState | 'gone';
  /** Unix seconds at which the new state began. */
  readonly at: number;
}

export type NodeEventState = 'up' | 'late' | 'down';

const NO_THRESHOLDS = Object.freeze({});

export class NodeAlarms {
  readonly rule: AlarmRule;
  private readonly items = new Map<string, SeriesAlarm>();
  /** Nodes late or down now, by key. */
  private readonly away = new Map<string, 'late' | 'down'>();
  /** Items of nodes gone, to forget once their last transition is recorded. */
  private readonly leaving = new Set<string>();
  private readonly dependencies: readonly { readonly patterns: readonly SeriesMatcher[]; readonly node: string }[];
  /** Nodes first seen down after the start, not told yet (confirm()), by key. */
  private readonly unconfirmed = new Set<string>();
  private readonly confirmAt: number;

  /** `openedAt`: when the engine started (Unix seconds). */
  constructor(
    settings: NodeAlarmSettings | undefined,
    /** The key (nodeKey) of the node that sends `series`. */
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

  /** The nodes with an item (restored or raised) whose key `known` lacks, as gone events at `at`. */
  missing(known: ReadonlySet<string>, at: number): NodeEvent[] {
    const keys = [...this.items.keys()].map((item) => item.slice(ITEM_PREFIX.length)).filter((key) => !known.has(key));
    return keys.map((key) => {
      const instance = key.startsWith(INSTANCE_PREFIX);
      return { kind: instance ? 'instance' : 'agent', name: instance ? key.slice(INSTANCE_PREFIX.length) : key, from: undefined, to: 'gone', at };
    });
  }

  all(): Iterable<SeriesAlarm> {
    return this.items.values();
  }

  /**
   * Takes a node's change: the transition of its alarm, if any, and
   * whether it came back (its series are then to be decided afresh): up
   * after late or down, or up while its stored alarm said down; `key`:
   * the node's key (what inhibitedBy names).
   */
  change(event: NodeEvent): { readonly transition?: Transition; readonly back: boolean; readonly key: string } {
    const key = nodeKey(event.kind ?? 'agent', event.name);
    const item = nodeItem(key);
    const alarm = this.items.get(item);
    if (event.to === 'gone') return { ...this.gone(key, event.at), back: false, key };
    this.leaving.delete(item);
    const wasAway = this.away.has(key) || alarm?.status === 'CRITICAL';
    if (event.to === 'up') this.away.delete(key);
    else this.away.set(key, event.to);
    const back = event.to === 'up' && wasAway;
    if (event.to === 'up') this.unconfirmed.delete(key);
    if (event.to === 'down' && alarm?.status !== 'CRITICAL') {
      if (event.from === undefined) {
        this.unconfirmed.add(key);
        return { back, key };
      }
      return { transition: this.set(item, 'CRITICAL', event.at, DOWN), back, key };
    }
    if (event.to === 'up' && alarm?.status === 'CRITICAL') return { transition: this.set(item, 'OK', event.at, null), back, key };
    return { back, key };
  }

  /** A node no longer one: it inhibits nothing, its CRITICAL item goes OK at `at`, and its item leaves. */
  private gone(key: string, at: number): { readonly transition?: Transition } {
    this.away.delete(key);
    this.unconfirmed.delete(key);
    const item = nodeItem(key);
    const alarm = this.items.get(item);
    if (alarm === undefined) return {};
    this.leaving.add(item);
    return alarm.status === 'OK' ? {} : { transition: this.set(item, 'OK', at, null) };
  }

  /** Whether `item` is of a node gone, not forgotten yet (its notices say NODE_REMOVED). */
  isLeaving(item: string): boolean {
    return this.leaving.has(item);
  }

  /** Forgets the items of nodes gone whose last transition is recorded (`recorded`); returns them, for the store to forget. */
  dropLeaving(recorded: (item: string) => boolean): string[] {
    const dropped = [...this.leaving].filter(recorded);
    for (const item of dropped) {
      this.leaving.delete(item);
      this.items.delete(item);
    }
    return dropped;
  }

  /** The down alarms of nodes first seen down after the start, once the server has run downAfter (the timer's). */
  confirm(now: number): Transition[] {
    if (this.unconfirmed.size === 0 || now < this.confirmAt) return [];
    const transitions = [...this.unconfirmed].map((key) => this.set(nodeItem(key), 'CRITICAL', now, DOWN));
    this.unconfirmed.clear();
    return transitions;
  }

  /** The key of the node whose absence inhibits `series` now: its own node first, then its dependencies in their order. */
  inhibitorOf(series: string): string | undefined {
    if (this.away.size === 0 || isNodeItem(series)) return undefined;
    const own = this.nodeOf(series);
    if (own !== undefined && this.away.has(own)) return own;
    for (const d of this.dependencies) {
      const key = keyIn(d.node, this.away);
      if (key !== undefined && d.patterns.some((p) => p.test(series))) return key;
    }
    return undefined;
  }

  /** Whether `series` hangs on one of the nodes `keys`: sent by it, or matched by one of its dependencies. */
  hangsOn(series: string, keys: ReadonlySet<string>): boolean {
    if (isNodeItem(series)) return false;
    const own = this.nodeOf(series);
    return (own !== undefined && keys.has(own)) || this.dependencies.some((d) => keyIn(d.node, keys) !== undefined && d.patterns.some((p) => p.test(series)));
  }

  private set(item: string, to: 'OK' | 'CRITICAL', at: number, threshold: string | null): Transition {
    const from = this.items.get(item)?.status ?? 'OK';
    this.items.set(item, alarmOf({ series: item, rule: NODE_RULE, status: to, since: at, value: null, threshold, lastSampleAt: at }));
    return { series: item, rule: NODE_RULE, from, to, at, value: null, threshold };
  }
}

/** The key in `keys` a dependency's `node` names: the agent of that name, else the server-run instance (also written `instance:<name>`). */
function keyIn(node: string, keys: { has(key: string): boolean }): string | undefined {
  if (keys.has(node)) return node;
  const instance = INSTANCE_PREFIX + node;
  return keys.has(instance) ? instance : undefined;
}

function alarmOf(state: AlarmState): SeriesAlarm {
  return Object.freeze({ ...state, rule: NODE_RULE, thresholds: NO_THRESHOLDS });
}
