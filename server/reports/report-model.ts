/**
 * What a scheduled report is made of and what it yields: a report covers a
 * window of time (period-model.ts), and lists each matched series that was
 * not OK in it. Times are Unix seconds, as in server/alarms/model.ts.
 */
import type { AlarmState, AlarmStatus } from '../alarms/model.js';
import type { ReportsSettings } from './config-section.js';
import type { EndState, Window } from './period-model.js';

/** One report of the config (`reports[i]`), defaults filled in. */
export type ReportDefinition = ReportsSettings[number];

/** The current alarm state of one series under one rule, as the alarm evaluator holds it. */
export interface AlarmEntry extends Pick<AlarmState, 'series' | 'rule' | 'status' | 'since' | 'value' | 'threshold'> {
  /** The downtime covering the series now, if any: the alarm is real but expected. */
  readonly downtime?: { readonly id: number; readonly kind: string; readonly reason: string };
  /** The display name of the series' node (metadata `name`, docs/metadata.md), when it has one. */
  readonly displayName?: string;
}

/** What is handed to delivery: one message with the CSV attached, and its heatmaps as inline images (report-heatmaps.ts). */
export interface Report {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: readonly ReportFile[];
}

/** A file of the message: the CSV as text, or a heatmap PNG in base64 that the HTML shows by `cid:`. */
export type ReportFile =
  | { readonly filename: string; readonly content: string; readonly contentType: 'text/csv' }
  | { readonly filename: string; readonly content: string; readonly contentType: 'image/png'; readonly encoding: 'base64'; readonly cid: string };

/** One listed series over the window. */
export interface ReportLine {
  readonly group: string;
  readonly series: string;
  readonly rule: string;
  readonly displayName?: string;
  /** The worst status in the window. */
  readonly worst: AlarmStatus;
  /** The value and threshold that brought the worst status (its first time in it); null when that was before the window. */
  readonly worstValue: number | null;
  readonly worstThreshold: string | null;
  /** Seconds not OK in the window, planned downtime included. */
  readonly notOkSeconds: number;
  /** How many separate spells not OK. */
  readonly badSpells: number;
  /** The start of its first spell not OK in the window, and the end of its last (the window's end when still not OK); null when none. */
  readonly firstBad: number | null;
  readonly lastBad: number | null;
  /** Seconds of the window in planned downtime covering it, and of those not OK. */
  readonly plannedSeconds: number;
  readonly notOkPlannedSeconds: number;
  /** Percent OK of the window outside planned downtime; null when all of it was planned downtime. */
  readonly availability: number | null;
  /** The planned downtimes that covered it in the window. */
  readonly plannedDowntimes: readonly number[];
  /** Its state at the window's end. */
  readonly end: EndState;
  /** The downtime in force at the end, when the window ends now. */
  readonly downtime?: AlarmEntry['downtime'];
}

/** The series sharing their first `groupBy` segments (site.node). */
export interface ReportGroup {
  readonly name: string;
  /** The node's display name, when its series have one. */
  readonly displayName?: string;
  readonly lines: readonly ReportLine[];
  /** How many lines have each worst status; statuses with none are left out. */
  readonly counts: Readonly<Partial<Record<AlarmStatus, number>>>;
  readonly worst: AlarmStatus;
  /** Seconds some series of the group was not OK (overlaps counted once). */
  readonly notOkSeconds: number;
  /** The lowest availability of its series: a node is as available as its least available part. */
  readonly availability: number | null;
}

/** A report as built for one run: its parts, and the message made of them. */
export interface BuiltReport {
  readonly name: string;
  /** The clock at the run. */
  readonly at: number;
  /** The time the report covers. */
  readonly window: Window;
  /** Series whose name matched the report's `match` and that were alarmed in the window, listed or not. */
  readonly matched: number;
  /** Listed series that were not OK at some time in the window. */
  readonly notOk: number;
  readonly groups: readonly ReportGroup[];
  readonly csv: string;
  readonly report: Report;
}
