/**
 * What the alarm engine (alarm-engine.ts) is given when it opens, and what
 * it shows of a series and of itself.
 */
import type { DatabaseSource } from '../database/index.js';
import type { Acknowledgement } from './ack-records.js';
import type { ActiveDowntime } from '../downtimes/index.js';
import type { MetadataSnapshot } from '../metadata/index.js';
import type { AlarmsSettings } from './config-section.js';
import type { AlarmState, Thresholds } from './model.js';
import type { NodeAlarmSettings } from './node-alarms.js';
import type { AlarmLogger, DowntimeQuestions, NoticeSink } from './ports.js';

export interface AlarmEngineOptions {
  /** The server's shared database connection, or a file of its own (server/database). */
  readonly file: DatabaseSource;
  readonly alarms: AlarmsSettings;
  readonly downtimes: DowntimeQuestions;
  readonly notices: NoticeSink;
  readonly log: AlarmLogger;
  /** The link to a series' graph, for notices; undefined: none (no alarms.publicUrl). */
  readonly graphUrl: (series: string) => string | undefined;
  /** The agent a series comes from, for downtimes scoped to agents (server/agents' AgentRegistry.agentOf). */
  readonly agentOf?: (series: string) => string | undefined;
  /**
   * The series' last message (server/store's Store.lastMessage: a check's
   * state line), put on its notices when they are made, so the outbox keeps
   * it; a synchronous lookup, never throwing.
   */
  readonly messageOf?: (series: string) => string | undefined;
  /**
   * The unit of a series' values as sent (server/units UnitLookup.unitOf:
   * the config's `units` or what its samples declared), which notices
   * print when the series' rule sets no `unit`; synchronous, never throwing.
   */
  readonly unitOf?: (series: string) => string | undefined;
  /** The node-down alarm's recipients and reminders, and the explicit dependencies (the `nodes` section); none: recorded, told to no one. */
  readonly nodes?: NodeAlarmSettings;
  /**
   * The key (node-alarms.ts nodeKey: an agent's name, `instance:<name>`)
   * of the node a series comes from, whose absence inhibits it: one synchronous lookup, never throwing, asked per transition and, when
   * a node comes back, per alarmed series.
   */
  readonly nodeOf?: (series: string) => string | undefined;
  /** The node metadata in force (server/metadata), which rules take per-node settings from; call refreshRules when it changes. */
  readonly metadata?: () => MetadataSnapshot;
  /** Unix seconds; injectable for tests. */
  readonly now?: () => number;
  /** How often nodata, downtime ends and reminders are looked at, and failed commits tried again; default 1,000 ms. */
  readonly tickMs?: number;
  /** Transitions kept one by one while the database is behind; past it they fold, the newest per series (pending-changes.ts). */
  readonly maxPendingTransitions?: number;
}

/** The current state of an alarmed series, as the API shows it. */
export interface AlarmView extends AlarmState {
  readonly thresholds: Thresholds;
  /** The downtime in force now: a planned one first, else an unplanned one. */
  readonly downtime: ActiveDowntime | null;
  /** The last change was kept quiet by a planned downtime still in force. */
  readonly suppressed: boolean;
  /** The display name of the series' node (metadata `name`), when it has one. */
  readonly displayName?: string;
  /** The node, late or down now, whose absence keeps the series' changes from being told; null: none. */
  readonly inhibitedBy: string | null;
  /** The acknowledgement that holds for it now (acknowledgements.ts): no reminders until its state changes. */
  readonly acknowledgement?: Acknowledgement;
}

/** What the engine has done since it started (AlarmEngine.stats). */
export interface EngineCounters {
  transitions: number;
  notices: number;
  suppressed: number;
  /** Transitions recorded inhibited by a node late or down, not told. */
  inhibited: number;
  commitFailures: number;
}

/** AlarmEngine.stats: the counters, and the transitions waiting for the database against their bound. */
export interface EngineStats extends Readonly<EngineCounters> {
  /** Transitions waiting for a commit now. */
  readonly queued: number;
  /** Transitions folded away since the start (pending-changes.ts). */
  readonly dropped: number;
  /** maxPendingTransitions: past it, waiting transitions fold. */
  readonly limit: number;
}
