/**
 * What the notifier is told and what it keeps, in its own terms. Times are
 * Unix seconds (fractional where the clock gives them).
 */

export { NOTICE_KINDS, type AlarmNotice, type NoticeKind } from '../alarms/model.js';
import type { AlarmNotice } from '../alarms/model.js';

export interface ReportAttachment {
  readonly filename: string;
  readonly content: string;
  readonly contentType: string;
  /** 'base64': `content` is the bytes in base64 (a PNG); absent: text. */
  readonly encoding?: 'base64';
  /** An inline part the HTML shows as `cid:<cid>` (the message becomes multipart/related); kept in the outbox row with the rest. */
  readonly cid?: string;
}

/** A message composed elsewhere (a scheduled report): sent as it is, never grouped with alarms. */
export interface Report {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: readonly ReportAttachment[];
}

/** Persisted as text: append only. */
export const CHANNELS = ['email', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/** pending: waiting for (another) attempt; sent: accepted by the relay or receiver; failed: refused for good. */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** One message of the outbox, to one recipient group (its To and Cc) or one webhook, as the log (GET /api/v1/notifications) shows it. */
export interface NotificationRecord {
  readonly id: number;
  readonly channel: Channel;
  /** The recipients (names in alarms.recipients, and addresses from node metadata) the message was made for, comma-separated. */
  readonly recipient: string;
  /** The To addresses (comma-separated) or the webhook URL. */
  readonly to: string;
  /** The Cc addresses, comma-separated; '' for none. */
  readonly cc: string;
  readonly subject: string;
  readonly status: NotificationStatus;
  readonly createdAt: number;
  readonly sentAt: number | null;
  readonly attempts: number;
  readonly lastError: string | null;
  /** How many notices (or 1 for a report) the message carries. */
  readonly notices: number;
}

/** What list() returns: newest first. */
export interface NotificationQuery {
  /** Most records; default 100, at most 1000. */
  readonly limit?: number;
  /** Only records with a smaller id: the next page. */
  readonly before?: number;
  readonly status?: NotificationStatus;
}

/** What a message carries: alarm notices, or one report. */
export type Payload = { readonly kind: 'alarm'; readonly notice: AlarmNotice } | { readonly kind: 'report'; readonly report: Report };

/** A message ready to send: its outbox row and what it carries, oldest first. */
export interface OutboxMessage {
  readonly id: number;
  readonly channel: Channel;
  readonly recipient: string;
  readonly to: string;
  readonly cc: string;
  /** The template's name (notify.templates); null: the built-in words. */
  readonly template: string | null;
  readonly subject: string;
  readonly attempts: number;
  readonly payloads: readonly Payload[];
}
