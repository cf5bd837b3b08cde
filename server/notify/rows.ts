/** Outbox rows to and from what the notifier works with: the only place that knows the column encodings. */
import type { ItemRow, MessageRow } from './database.js';
import type { AlarmNotice, NotificationRecord, Payload, Report } from './model.js';

/** Number(): PostgreSQL drivers may hand numeric columns back as strings. */
const num = (value: number | string): number => Number(value);
const numOrNull = (value: number | string | null): number | null => (value === null ? null : Number(value));

export function rowToRecord(row: MessageRow): NotificationRecord {
  return {
    id: num(row.id),
    channel: row.channel,
    recipient: row.recipient,
    to: row.address,
    cc: row.cc,
    subject: row.subject,
    status: row.status,
    createdAt: num(row.created_at),
    sentAt: numOrNull(row.sent_at),
    attempts: num(row.attempts),
    lastError: row.last_error,
    notices: num(row.notice_count),
  };
}

/** The item's kind and body columns for a payload. */
export function payloadToColumns(payload: Payload): Pick<ItemRow, 'kind' | 'body'> {
  return payload.kind === 'alarm' ? { kind: 'alarm', body: JSON.stringify(payload.notice) } : { kind: 'report', body: JSON.stringify(payload.report) };
}

export function rowToPayload(row: Pick<ItemRow, 'kind' | 'body'>): Payload {
  // The body was written by payloadToColumns from a checked value; a row edited by hand is not defended against.
  return row.kind === 'alarm' ? { kind: 'alarm', notice: JSON.parse(row.body) as AlarmNotice } : { kind: 'report', report: JSON.parse(row.body) as Report };
}
