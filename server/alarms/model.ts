/**
 * What alarms are, in the server's own terms. Times are Unix seconds.
 */
import type { NagiosRange } from './nagios-range.js';

/** Persisted as text: append only. */
export const ALARM_STATUSES = ['OK', 'WARNING', 'CRITICAL', 'NODATA'] as const;
export type AlarmStatus = (typeof ALARM_STATUSES)[number];

/** The thresholds in force for one series. */
export interface Thresholds {
  readonly warning?: NagiosRange;
  readonly critical?: NagiosRange;
}

/** A rule's set of good values, compiled (semantics: state-set.ts). */
export interface StateSetRule {
  /** The good values, ascending, each once. */
  readonly ok: readonly number[];
  readonly windowSeconds: number;
  /** all: good only while every value of the window is in `ok`; any: while at least one is. */
  readonly require: 'all' | 'any';
  /** The level raised when the window fails. */
  readonly level: 'WARNING' | 'CRITICAL';
}

/** A rule of the config, compiled; or the implicit rule of thresholds a slurper offers (name `offered`). */
export interface AlarmRule {
  readonly name: string;
  /** Series patterns (server/config-schema/series-glob.ts). */
  readonly match: readonly string[];
  /** The rule's own thresholds; offered ones fill in a level the rule leaves out. */
  readonly thresholds: Thresholds;
  /** Seconds a value must stay out of bounds before the state changes; 0: at once. */
  readonly forSeconds: number;
  /** How far back inside its bound a value must come to clear a raised alarm. */
  readonly hysteresis: number;
  /** Seconds without a sample before NODATA; undefined: never. */
  readonly nodataSeconds?: number;
  /** Recipient names (alarms.recipients), and e-mail addresses from the node's metadata (`{ meta: contacts }`: rule-set.ts). */
  readonly notify: readonly string[];
  /** Seconds between reminders while the alarm stays bad; undefined: none. */
  readonly renotifySeconds?: number;
  /** Good values in a window (state-set.ts), judged instead of thresholds; undefined: thresholds. */
  readonly states?: StateSetRule;
  /** The unit of the values, for notices (`hours`, `%`); undefined: none. */
  readonly unit?: string;
}

/** The rule name of series alarmed only by the thresholds their slurper offers. */
export const OFFERED_RULE = 'offered';

/** The state of one alarmed series: what the evaluator holds, the database keeps and the API shows. */
export interface AlarmState {
  readonly series: string;
  /** The rule's name; `offered` for thresholds a slurper offered. */
  readonly rule: string;
  readonly status: AlarmStatus;
  /** When the status last changed (sample time; the clock's for NODATA). */
  readonly since: number;
  /** The last value seen, also under NODATA; null when none is known yet. */
  readonly value: number | null;
  /** What is broken (`> 80`, `no data for 10m`); null while OK. */
  readonly threshold: string | null;
  readonly lastSampleAt: number;
}

/** A change of one series' alarm state. */
export interface Transition {
  readonly series: string;
  readonly rule: string;
  readonly from: AlarmStatus;
  readonly to: AlarmStatus;
  /** The sample's time, or the clock's for NODATA. */
  readonly at: number;
  /** The value that caused it; null for NODATA. */
  readonly value: number | null;
  /** What was broken, for people: `> 95`, `< 5`, `inside 10:20`, `no data for 10m`; null for a change to OK. */
  readonly threshold: string | null;
  /** The node (late or down then) that kept it from being told (node-alarms.ts); the engine sets it, the evaluator never does. */
  readonly inhibitedBy?: string | null;
}

/**
 * What a notice tells. problem: went bad or changed between bad statuses;
 * recovery: back to OK after a problem notice; reminder: still bad after the
 * rule's renotify; downtime-over: still bad when the planned downtime that
 * kept it quiet ended. Persisted as text: append only.
 */
export const NOTICE_KINDS = ['problem', 'recovery', 'reminder', 'downtime-over'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** One alarm event for people, as the engine hands it to the outbox: what, since when, value against threshold, where to look. */
export interface AlarmNotice {
  readonly kind: NoticeKind;
  readonly series: string;
  readonly rule: string;
  readonly status: AlarmStatus;
  readonly previous: AlarmStatus;
  /** When the current status began. */
  readonly since: number;
  /** When the event happened. */
  readonly at: number;
  readonly value: number | null;
  /** What was broken, e.g. `> 95`; null for a recovery. */
  readonly threshold: string | null;
  /** The downtime in force, named in the message. */
  readonly downtime?: { readonly id: number; readonly kind: 'planned' | 'unplanned'; readonly reason: string };
  /** The series' graph in the web client, from alarms.publicUrl; absent without it (a notice never links to the listen address). */
  readonly graphUrl?: string;
  /** The series' last message when the notice was made (a check's state line, `CRITICAL: disk full`); absent when it has none. */
  readonly message?: string;
  /** The display name of the series' node (metadata `name`); absent when it has none. */
  readonly displayName?: string;
  /** The unit of the series' values (the rule's `unit`, maybe from metadata); absent when it has none. */
  readonly unit?: string;
  /** When the series' last sample came (its last contact) as the notice was made; absent when unknown. */
  readonly lastSampleAt?: number;
}
