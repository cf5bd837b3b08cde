/**
 * Notifications that are never lost: alarm notices and reports by e-mail
 * (nodemailer) and webhook (undici), through a durable outbox in the shared
 * database, grouped per recipient, retried with backoff until delivered.
 * Open with Notifier.open(options); see notifier.ts and dispatcher.ts.
 */
export type { NotifyLogger } from './dispatcher.js';
export {
  CHANNELS,
  NOTICE_KINDS,
  NOTIFICATION_STATUSES,
  type AlarmNotice,
  type Channel,
  type NoticeKind,
  type NotificationQuery,
  type NotificationRecord,
  type NotificationStatus,
  type Report,
  type ReportAttachment,
} from './model.js';
export { Notifier, type NotifierOptions, type NotifierStats } from './notifier.js';
