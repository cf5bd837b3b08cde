/**
 * What a scheduled report is made of and what it yields. Times are Unix
 * seconds, as in server/alarms/model.ts.
 */
import type { AlarmState, AlarmStatus } from '../alarms/model.js';
import type { ReportsSettings } from './config-section.js';

/** One report of the config (`reports[i]`), defaults filled in. */
export type ReportDefinition = ReportsSettings[number];

/** The current alarm state of one series under one rule, as the alarm evaluator holds it. */
export interface AlarmEntry extends Pick<AlarmState, 'series' | 'rule' | 'status' | 'since' | 'value' | 'threshold'> {
  /** The downtime covering the series now, if any: the alarm is real but expected. */
  readonly downtime?: { readonly id: number; readonly kind: string; readonly reason: string };
  /** The display name of the series' node (metadata `name`, docs/metadata.md), when it has one. */
  readonly displayName?: string;
}

/** What is handed to delivery: one message with the CSV attached. */
export interface Report {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: readonly { readonly filename: string; readonly content: string; readonly contentType: 'text/csv' }[];
}

/** One listed entry, with what the report derived from it. */
export interface ReportLine extends AlarmEntry {
  readonly group: string;
  /** Seconds from `since` to the report's time; never negative. */
  readonly durationSeconds: number;
}

/** The entries sharing their first `groupBy` series segments. */
export interface ReportGroup {
  readonly name: string;
  readonly lines: readonly ReportLine[];
  /** How many lines have each status; statuses with none are left out. */
  readonly counts: Readonly<Partial<Record<AlarmStatus, number>>>;
}

/** A report as built for one run: its parts, and the message made of them. */
export interface BuiltReport {
  readonly name: string;
  /** The clock at the run. */
  readonly at: number;
  /** Entries whose series matched the report's `match`, listed or not. */
  readonly matched: number;
  /** Listed entries whose status is not OK. */
  readonly notOk: number;
  readonly groups: readonly ReportGroup[];
  readonly csv: string;
  readonly report: Report;
}
