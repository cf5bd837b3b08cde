/**
 * The notification tables in the shared database (server/database), with
 * their own migration table `notify_migration`.
 *
 * Queries elsewhere use what kysely's SQLite and PostgreSQL dialects both
 * support: times are Unix seconds in double precision columns, notices and
 * reports are JSON in text columns, and ids are assigned by the store
 * (max + 1 inside the writing transaction).
 */
import type { Selectable } from 'kysely';
import { openPartDatabase, type DatabaseSource, type PartDatabase } from '../database/index.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Channel, NotificationStatus } from './model.js';

export interface NotifyMessagesTable {
  id: number;
  /** The names and addresses of its recipient group, comma-separated. */
  recipient: string;
  channel: Channel;
  /** The e-mail message's To addresses, comma-separated; a webhook's URL. */
  address: string;
  /** The Cc addresses, comma-separated; '' for none. */
  cc: string;
  /** The template (notify.templates) it is written with; null: the built-in. */
  template: string | null;
  subject: string;
  status: NotificationStatus;
  created_at: number;
  sent_at: number | null;
  attempts: number;
  last_error: string | null;
  /** When the dispatcher may try a pending message again. */
  next_attempt_at: number;
  notice_count: number;
}

export interface NotifyItemsTable {
  id: number;
  recipient: string;
  channel: Channel;
  address: string;
  cc: string;
  template: string | null;
  kind: 'alarm' | 'report';
  /** JSON of the AlarmNotice or Report. */
  body: string;
  queued_at: number;
  /** null while its group waits. */
  message_id: number | null;
}

export interface NotifyDatabase {
  notify_messages: NotifyMessagesTable;
  notify_items: NotifyItemsTable;
}

export type MessageRow = Selectable<NotifyMessagesTable>;
export type ItemRow = Selectable<NotifyItemsTable>;

/** Opens the database file and brings the notification tables up to date (MigrationError names the migration that failed). */
export function openNotifyDatabase(source: DatabaseSource): Promise<PartDatabase<NotifyDatabase>> {
  return openPartDatabase<NotifyDatabase>(source, { part: 'notification tables', migrations: MIGRATIONS, table: 'notify_migration' });
}
