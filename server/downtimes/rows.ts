/** Downtimes to and from their table rows: the only place that knows the column names and encodings. */
import type { DowntimeRow, DowntimesTable, RevisionRow } from './database.js';
import type { Downtime, Revision } from './model.js';

function stringList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.map(String) : [];
}

export function rowToDowntime(row: DowntimeRow): Downtime {
  return {
    id: Number(row.id),
    kind: row.kind,
    status: row.status,
    scope: { series: stringList(row.scope_series), agents: stringList(row.scope_agents) },
    // Number(): PostgreSQL drivers may hand bigint columns back as strings.
    start: Number(row.start_at),
    end: row.end_at === null ? null : Number(row.end_at),
    rrule: row.rrule,
    timezone: row.timezone,
    reason: row.reason,
    author: row.author,
    createdAt: Number(row.created_at),
    updatedBy: row.updated_by,
    updatedAt: Number(row.updated_at),
    revision: Number(row.revision),
  };
}

export function downtimeToRow(d: Downtime): DowntimesTable {
  return {
    id: d.id,
    kind: d.kind,
    status: d.status,
    scope_series: JSON.stringify(d.scope.series),
    scope_agents: JSON.stringify(d.scope.agents),
    start_at: d.start,
    end_at: d.end,
    rrule: d.rrule,
    timezone: d.timezone,
    reason: d.reason,
    author: d.author,
    created_at: d.createdAt,
    updated_by: d.updatedBy,
    updated_at: d.updatedAt,
    revision: d.revision,
  };
}

export function rowToRevision(row: RevisionRow): Revision {
  return {
    downtimeId: Number(row.downtime_id),
    revision: Number(row.revision),
    action: row.action,
    author: row.author,
    at: Number(row.at),
    snapshot: JSON.parse(row.snapshot) as Downtime,
  };
}
