/**
 * What a downtime is, in the server's own terms. Times are whole Unix
 * seconds; a window is half-open, [start, end): a downtime ending at 10:00
 * does not touch a graph that starts at 10:00.
 */

/** Planned work silences alarms; unplanned downtimes only explain graphs. Persisted as text: append only. */
export const DOWNTIME_KINDS = ['planned', 'unplanned'] as const;
export type DowntimeKind = (typeof DOWNTIME_KINDS)[number];

/** A cancelled downtime stays in the database and in its history, but no query sees it unless asked. */
export const DOWNTIME_STATUSES = ['filed', 'cancelled'] as const;
export type DowntimeStatus = (typeof DOWNTIME_STATUSES)[number];

/** What a change to a downtime was, as its history records it. */
export const REVISION_ACTIONS = ['created', 'updated', 'ended', 'cancelled'] as const;
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

/** Which series a downtime covers: any series a glob matches, and every series of the named agents. */
export interface DowntimeScope {
  /** Series patterns (server/config-schema/series-glob.ts): `host.web01.*`, `**.disk.*`. */
  readonly series: readonly string[];
  /** Agent names; the caller says which agent a series comes from. */
  readonly agents: readonly string[];
}

/** The current version of a downtime. */
export interface Downtime {
  readonly id: number;
  readonly kind: DowntimeKind;
  readonly status: DowntimeStatus;
  readonly scope: DowntimeScope;
  /** Start of the (first) window. */
  readonly start: number;
  /** End of the (first) window, exclusive; null while an unplanned downtime is open. */
  readonly end: number | null;
  /** An iCalendar RRULE (no DTSTART): the window repeats; start/end are its first occurrence. */
  readonly rrule: string | null;
  /** IANA zone the rule repeats in, so "Tuesday 06:00" stays 06:00 local across DST. */
  readonly timezone: string;
  readonly reason: string;
  /** Who filed it (the token's name). */
  readonly author: string;
  readonly createdAt: number;
  /** Who changed it last, and when. */
  readonly updatedBy: string;
  readonly updatedAt: number;
  /** 1 when created, +1 per change; the number of its latest history entry. */
  readonly revision: number;
}

/** One window of a downtime: the only one of a one-off downtime, one repetition of a recurring one. */
export interface Occurrence {
  readonly start: number;
  /** Exclusive; null for an open unplanned downtime. */
  readonly end: number | null;
}

/** One entry of a downtime's history: the whole downtime as it was after `action`. */
export interface Revision {
  readonly downtimeId: number;
  readonly revision: number;
  readonly action: RevisionAction;
  readonly author: string;
  readonly at: number;
  readonly snapshot: Downtime;
}

/**
 * A downtime as a client describes it, before validation: times already in
 * Unix seconds (time-input.ts reads the text forms). Used whole for
 * creation; a change is a partial draft merged over the current version.
 */
export type DowntimeDraft = Pick<Downtime, 'kind' | 'scope' | 'start' | 'end' | 'rrule' | 'timezone' | 'reason'>;

/** The fields of a downtime a change may set (PATCH). */
export type DowntimeChanges = Partial<DowntimeDraft>;

/** The fields a draft has, for messages and for merging a change. */
export function draftOf(downtime: Downtime): DowntimeDraft {
  const { kind, scope, start, end, rrule, timezone, reason } = downtime;
  return { kind, scope, start, end, rrule, timezone, reason };
}
