/**
 * The alarm tables in the shared database (server/database): the current
 * state of each alarmed series, and every transition with the downtime in
 * force. Times are Unix seconds (fractional, as samples are).
 */
import type { Selectable } from 'kysely';
import { openPartDatabase, type DatabaseSource, type PartDatabase } from '../database/index.js';
import type { AckAction } from './ack-records.js';
import { MIGRATIONS } from './migrations/index.js';
import type { AlarmStatus } from './model.js';

export interface AlarmStatesTable {
  series: string;
  rule: string;
  status: AlarmStatus;
  since: number;
  value: number | null;
  threshold: string | null;
  last_sample_at: number;
  notified: number;
  last_notified_at: number | null;
  suppressed_by: number | null;
}

export interface AlarmTransitionsTable {
  id: number;
  series: string;
  rule: string;
  from_status: AlarmStatus;
  to_status: AlarmStatus;
  at: number;
  value: number | null;
  threshold: string | null;
  downtime_id: number | null;
  downtime_kind: 'planned' | 'unplanned' | null;
  suppressed: number;
  noticed: number;
  /** Migration 2026-12-07-inhibited-by: null in rows written before it. */
  inhibited_by: string | null;
}

/** The acknowledgement in force per series (migration 2026-12-08-acknowledgements; ack-store.ts). */
export interface AlarmAcksTable {
  series: string;
  /** The id of the `ack` event that gave it. */
  event_id: number;
  status: Exclude<AlarmStatus, 'OK'>;
  author: string;
  comment: string;
  at: number;
  until: number | null;
}

/** Every ack, unack and end (migration 2026-12-08-acknowledgements). */
export interface AlarmAckEventsTable {
  id: number;
  series: string;
  action: AckAction;
  status: AlarmStatus;
  author: string | null;
  comment: string | null;
  at: number;
  until: number | null;
}

export interface AlarmDatabase {
  alarm_acks: AlarmAcksTable;
  alarm_ack_events: AlarmAckEventsTable;
  alarm_states: AlarmStatesTable;
  alarm_transitions: AlarmTransitionsTable;
}

export type AlarmStateRow = Selectable<AlarmStatesTable>;
export type TransitionRow = Selectable<AlarmTransitionsTable>;

/** Opens the database file and brings the alarm tables up to date (MigrationError names the migration that failed). */
export function openAlarmDatabase(source: DatabaseSource): Promise<PartDatabase<AlarmDatabase>> {
  return openPartDatabase<AlarmDatabase>(source, { part: 'alarm tables', migrations: MIGRATIONS, table: 'alarm_migration' });
}
