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

/** A rule of the config, compiled; or the implicit rule of thresholds a slurper offers (name `offered`). */
export interface AlarmRule {
  readonly name: string;
  /** Series patterns (server/config/series-glob.ts). */
  readonly match: readonly string[];
  /** The rule's own thresholds; offered ones fill in a level the rule leaves out. */
  readonly thresholds: Thresholds;
  /** Seconds a value must stay out of bounds before the state changes; 0: at once. */
  readonly forSeconds: number;
  /** How far back inside its bound a value must come to clear a raised alarm. */
  readonly hysteresis: number;
  /** Seconds without a sample before NODATA; undefined: never. */
  readonly nodataSeconds?: number;
  /** Recipient names (alarms.recipients). */
  readonly notify: readonly string[];
  /** Seconds between reminders while the alarm stays bad; undefined: none. */
  readonly renotifySeconds?: number;
}

/** The rule name of series alarmed only by the thresholds their slurper offers. */
export const OFFERED_RULE = 'offered';

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
}
