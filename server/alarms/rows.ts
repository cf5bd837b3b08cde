/** Alarm states and transitions to and from their table rows: the only place that knows the column names and encodings. */
import type { RecordedTransition, StoredAlarm } from './records.js';
import type { AlarmStateRow, TransitionRow } from './database.js';

export function rowToAlarm(row: AlarmStateRow): StoredAlarm {
  return {
    series: row.series,
    rule: row.rule,
    status: row.status,
    since: row.since,
    value: row.value,
    threshold: row.threshold,
    lastSampleAt: row.last_sample_at,
    notified: row.notified === 1,
    lastNotifiedAt: row.last_notified_at,
    suppressedBy: row.suppressed_by,
  };
}

export function alarmToRow(a: StoredAlarm): AlarmStateRow {
  return {
    series: a.series,
    rule: a.rule,
    status: a.status,
    since: a.since,
    value: a.value,
    threshold: a.threshold,
    last_sample_at: a.lastSampleAt,
    notified: a.notified ? 1 : 0,
    last_notified_at: a.lastNotifiedAt,
    suppressed_by: a.suppressedBy,
  };
}

export function rowToTransition(row: TransitionRow): RecordedTransition {
  return {
    id: row.id,
    series: row.series,
    rule: row.rule,
    from: row.from_status,
    to: row.to_status,
    at: row.at,
    value: row.value,
    threshold: row.threshold,
    downtime: row.downtime_id === null || row.downtime_kind === null ? null : { id: row.downtime_id, kind: row.downtime_kind },
    suppressed: row.suppressed === 1,
    inhibitedBy: row.inhibited_by,
    noticed: row.noticed === 1,
  };
}

export function transitionToRow(t: RecordedTransition): TransitionRow {
  return {
    id: t.id,
    series: t.series,
    rule: t.rule,
    from_status: t.from,
    to_status: t.to,
    at: t.at,
    value: t.value,
    threshold: t.threshold,
    downtime_id: t.downtime?.id ?? null,
    downtime_kind: t.downtime?.kind ?? null,
    suppressed: t.suppressed ? 1 : 0,
    noticed: t.noticed ? 1 : 0,
    inhibited_by: t.inhibitedBy,
  };
}
