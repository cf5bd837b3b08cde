/**
 * The shapes the web client reads from ringmon's HTTP API (/docs/json is
 * the reference). Times the API sends as ISO 8601 stay strings here; series
 * rows carry Unix seconds.
 */

export type ConsolidationFunction = 'AVERAGE' | 'MIN' | 'MAX' | 'LAST';
export const CONSOLIDATION_FUNCTIONS: readonly ConsolidationFunction[] = ['AVERAGE', 'MIN', 'MAX', 'LAST'];

export type AlarmState = 'OK' | 'WARNING' | 'CRITICAL' | 'NODATA';

export interface SeriesInfo {
  readonly series: string;
  /** Unix seconds of the newest sample. */
  readonly lastUpdate: number;
  readonly lastValue: number | null;
  /** The unit of the stored values (`B/s` for a byte counter, `%`, `s`); absent: none known. */
  readonly unit?: string;
  readonly definition: { readonly step: number; readonly dataSources: readonly { readonly name: string; readonly type?: string; readonly heartbeat: number }[] };
  /** The last message its samples carried (a check's state line, `<instance>.state`). */
  readonly message?: string;
  /** Present when its samples do not fit its archive's step (server/store/drift.ts). */
  readonly drift?: SeriesDrift;
  /** Present for a new series whose samples wait while its cadence is learned: it has no archive yet. */
  readonly held?: HeldSamples;
}

/** How a series' samples miss its archive, as `GET /api/v1/series` reports it. */
export interface SeriesDrift {
  /** 'slow': samples arrive further apart than the heartbeat (they become UNKNOWN); 'fast': far closer than the step (detail is averaged away). */
  readonly kind: 'slow' | 'fast';
  /** The median gap between the series' recent samples, in seconds. */
  readonly observedInterval: number;
  /** The archive's step and heartbeat, in seconds. */
  readonly step: number;
  readonly heartbeat: number;
  /** Unix seconds (server clock) when this drift was first seen. */
  readonly since: number;
}

/** The samples of a series held until its archive is created. */
export interface HeldSamples {
  readonly samples: number;
  /** Unix seconds (server clock) since when. */
  readonly since: number;
}

export interface FetchedSeries {
  readonly series: string;
  readonly start: number;
  readonly end: number;
  readonly step: number;
  /** The unit of the stored values (as SeriesInfo.unit); absent: none known. */
  readonly unit?: string;
  /** [Unix seconds, value]; null is unknown. */
  readonly rows: readonly (readonly [number, number | null])[];
}

/**
 * One series of a compact fetch (format=compact): value i covers (start +
 * i·step, start + (i + 1)·step] and is drawn at its end; null is unknown.
 * With `width`, each value consolidates several rows and min/max are the
 * lowest and highest of them (the envelope a graph shades).
 */
export interface CompactSeries {
  readonly series: string;
  /** The unit of the values (as SeriesInfo.unit); absent when unknown. */
  readonly unit?: string;
  readonly start: number;
  readonly step: number;
  readonly values: readonly (number | null)[];
  readonly min: readonly (number | null)[];
  readonly max: readonly (number | null)[];
}

/** A series as a graph takes it: evenly spaced values, with their envelope when the server consolidated them (rows have none). */
export type SeriesValues = Pick<CompactSeries, 'series' | 'unit' | 'start' | 'step' | 'values'> & Partial<Pick<CompactSeries, 'min' | 'max'>>;

/** What the fetch of one series gave: its values, or why there are none (the server's message of its 404). */
export type FetchOutcome = { readonly series: string; readonly fetched: SeriesValues } | { readonly series: string; readonly missing: string };

export type DowntimeKind = 'planned' | 'unplanned';

export interface DowntimeWindow {
  readonly start: string;
  /** Exclusive; null while open. */
  readonly end: string | null;
}

export interface Downtime {
  readonly id: number;
  readonly kind: DowntimeKind;
  readonly status: string;
  readonly scope: { readonly series: readonly string[]; readonly agents: readonly string[] };
  readonly start: string;
  readonly end: string | null;
  readonly rrule: string | null;
  readonly timezone: string;
  readonly reason: string;
  readonly author: string;
  readonly created: string;
  readonly updated: string;
  /** Present when listed with from/to or active: its windows in that range. */
  readonly windows?: readonly DowntimeWindow[];
}

export interface DowntimeDraft {
  kind: DowntimeKind;
  scope: { series: string[] };
  start?: string;
  end?: string | null;
  rrule?: string | null;
  timezone?: string;
  reason: string;
}

/** PATCH /api/v1/downtimes/:id: only the fields to change; null clears an end or a rule. */
export type DowntimePatch = Partial<Omit<DowntimeDraft, 'start'>> & { start?: string };

/** One rule of GET /api/v1/rules: the series it matches and its thresholds. */
export interface AlarmRule {
  readonly name: string;
  /** Series patterns: * within a segment, ** for whole segments. */
  readonly match: readonly string[];
  readonly warning?: ThresholdLine;
  readonly critical?: ThresholdLine;
  /** Seconds out of bounds before the state changes. */
  readonly for: number;
  /** Seconds without a sample before NODATA; null: never. */
  readonly nodata: number | null;
  /** A set of good values judged over a window, in place of thresholds. */
  readonly states?: { readonly ok: readonly number[]; readonly window: number; readonly require: 'all' | 'any'; readonly level: 'WARNING' | 'CRITICAL' };
  /** Present on `node-down`, the server's own rule for nodes. */
  readonly builtIn?: true;
}

export interface ThresholdLine {
  readonly range: string;
  /** The range in the words the alarm history and mails use (`> 80`, `< 5 or > 80`). */
  readonly text: string;
  /** Where the line is drawn; null for none on that side. */
  readonly low: number | null;
  readonly high: number | null;
}

export interface Alarm {
  readonly series: string;
  readonly rule: string;
  readonly state: AlarmState;
  readonly since: string;
  readonly value: number | null;
  /** What is broken (`> 95`, `no data for 10m`); null when OK. */
  readonly threshold?: string | null;
  readonly thresholds: { readonly warning?: ThresholdLine; readonly critical?: ThresholdLine };
  readonly downtime: { readonly id: number; readonly kind: DowntimeKind; readonly reason: string; readonly end: string | null } | null;
  readonly suppressed: boolean;
  /** The series' last message (a check's state line). */
  readonly message?: string;
  /** The display name of the series' node (the metadata file's `name`). */
  readonly displayName?: string;
  /** The node, late or down now, that keeps this series' changes from being told; null or absent: none. */
  readonly inhibitedBy?: string | null;
  /** The acknowledgement that holds now: no reminders until the state changes; absent: none. */
  readonly acknowledgement?: AlarmAck;
  /** The unit of the series' values (its rule's); absent: none. */
  readonly unit?: string;
}

/** An operator's acknowledgement of a bad alarm (POST /api/v1/alarms/ack). */
export interface AlarmAck {
  readonly author: string;
  readonly comment: string;
  readonly at: string;
  /** When it ends by itself; null: at the next change of state. */
  readonly until: string | null;
  readonly state: AlarmState;
}

/** What POST /api/v1/alarms/ack and /unack answer. */
export interface AckAnswer {
  readonly series: string;
  readonly state: AlarmState;
  readonly acknowledgement: AlarmAck | null;
}

/** One acknowledgement event of the alarm history: ack and unack by people, expired and ended by the server. */
export interface AckEvent {
  readonly id: number;
  readonly series: string;
  readonly action: 'ack' | 'unack' | 'expired' | 'ended';
  readonly state: AlarmState;
  readonly author: string | null;
  readonly comment: string | null;
  readonly at: string;
  readonly until: string | null;
}

export interface Transition {
  readonly id: number;
  readonly series: string;
  readonly rule: string;
  readonly from: AlarmState;
  readonly to: AlarmState;
  readonly at: string;
  readonly value: number | null;
  readonly threshold: string | null;
  readonly downtime: { readonly id: number; readonly kind: DowntimeKind } | null;
  readonly suppressed: boolean;
  /** The node, late or down then, that kept it from being told; null or absent: none. */
  readonly inhibitedBy?: string | null;
}

export type NodeState = 'up' | 'late' | 'down';
export type NodeKind = 'agent' | 'instance';

/** What GET /api/v1/nodes says of every node, agent or server-run instance. */
interface NodeCommon {
  readonly name: string;
  readonly state: NodeState;
  /** Unix seconds at which the state began. */
  readonly since: number;
  /** Unix seconds of the last contact: an agent's last heartbeat, an instance's last good run. */
  readonly lastSeen: number;
}

export interface AgentNode extends NodeCommon {
  readonly kind: 'agent';
  readonly hostname: string;
  readonly instances: readonly { readonly name: string; readonly slurper: string; readonly up: boolean | null; readonly lastRun: number | null }[];
}

export interface InstanceNode extends NodeCommon {
  readonly kind: 'instance';
  readonly slurper: string;
  readonly up: boolean;
  readonly lastRun: number;
}

export type NodeInfo = AgentNode | InstanceNode;

/** One node of GET /api/v1/metadata: its id and display name (the file's `name`). */
export interface MetadataNode {
  readonly id: string;
  readonly displayName?: string;
}

export interface NotificationEntry {
  readonly id: number;
  readonly channel: 'email' | 'webhook';
  /** The recipient names (and contacts) the message went to. */
  readonly recipient: string;
  /** To: addresses, comma-separated (the URL for a webhook); Cc: addresses, '' for none. */
  readonly to: string;
  readonly cc: string;
  readonly subject: string;
  readonly status: 'pending' | 'sent' | 'failed';
  readonly createdAt: string;
  readonly sentAt: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
}

/** One thing wrong with a request, as the API names it (`body/end`, `query/series`). */
export interface Problem {
  readonly field: string;
  readonly message: string;
}
