/**
 * What the public status page shows (GET /api/v1/status answers it as JSON,
 * GET /status as HTML), and what it is built from. Types only.
 */
import type { Uptime } from './uptime.js';

/** One level for every kind of item, for colours and a group's summary: worst first in LEVEL_ORDER. */
export type Level = 'ok' | 'warning' | 'critical' | 'unknown';

export const LEVEL_ORDER: readonly Level[] = ['critical', 'unknown', 'warning', 'ok'];

export interface StatusItem {
  readonly kind: 'node' | 'series';
  /** The node's name, or the series' name. */
  readonly name: string;
  /** The display name metadata gives the item's node (its `name` field), when it has one. */
  readonly displayName?: string;
  /** A node: up | late | down; a series: OK | WARNING | CRITICAL | NODATA. */
  readonly state: string;
  readonly level: Level;
  /** Unix seconds at which the state began. */
  readonly since: number;
  /** Whether a planned downtime covers the item now. */
  readonly maintenance: boolean;
  /** Over the last 24 hours and 30 days; null when its history is past the bound (too many changes to count). */
  readonly uptime: { readonly last24h: Uptime; readonly last30d: Uptime } | null;
}

/** A planned downtime window in force or coming, as the public sees it. */
export interface StatusDowntime {
  readonly start: number;
  readonly end: number | null;
  /** Its reason, or null when status.reasons is false. */
  readonly reason: string | null;
  /** The names of the group's items it covers. */
  readonly items: readonly string[];
}

export interface StatusGroup {
  readonly name: string;
  readonly title: string;
  /** The worst level of its items; ok with none. */
  readonly level: Level;
  readonly items: readonly StatusItem[];
  /** Items left out by status.maxItems. */
  readonly omitted: number;
  readonly downtimes: readonly StatusDowntime[];
}

export interface StatusBoard {
  readonly title: string;
  /** Unix seconds at which it was built. */
  readonly generatedAt: number;
  /** Seconds it is served before being built again. */
  readonly refreshSeconds: number;
  readonly level: Level;
  readonly groups: readonly StatusGroup[];
}

/** A node as the tracker knows it now (server/nodes NodeStatus, narrowed). */
export interface NodeNow {
  readonly kind: 'agent' | 'instance';
  readonly name: string;
  readonly state: 'up' | 'late' | 'down';
  readonly since: number;
}

/** An alarmed series now (server/alarms AlarmView, narrowed). */
export interface SeriesNow {
  readonly series: string;
  readonly status: 'OK' | 'WARNING' | 'CRITICAL' | 'NODATA';
  readonly since: number;
  readonly displayName?: string;
}

/** A planned downtime's window of an item, with the downtime's id and reason. */
export interface PlannedWindow {
  readonly id: number;
  readonly reason: string;
  readonly start: number;
  readonly end: number | null;
}

/**
 * What the board is built from: the server's parts, narrowed (start.ts
 * wires them). `history` and `planned` may be slow (the database); the rest
 * answer from memory. None may be called with an unbounded question: the
 * builder asks for one item and a bounded range at a time.
 */
export interface StatusSources {
  readonly nodes: () => readonly NodeNow[];
  readonly series: () => readonly SeriesNow[];
  /** The alarm state now of an alarm item (a series, or a node's `node:<key>`); undefined: none recorded. */
  readonly stateOf: (item: string) => string | undefined;
  /** The item's transitions in [from, to), newest first, at most `limit`. */
  readonly history: (item: string, from: number, to: number, limit: number) => Promise<readonly { readonly at: number; readonly from: string; readonly to: string }[]>;
  /** The planned downtime windows covering the item that overlap [from, to). */
  readonly planned: (item: string, from: number, to: number) => Promise<readonly PlannedWindow[]>;
  /** A node's display name (metadata `name`), by its name. */
  readonly displayName: (node: string) => string | undefined;
  /** Unix seconds. */
  readonly now: () => number;
}
