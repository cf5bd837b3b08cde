/**
 * What the alarm engine is given from outside alarms: the downtime
 * questions, the outbox and a log. Each is a small interface that the
 * server's parts satisfy, so alarms import none of them.
 */
import type { ActiveDowntime } from '../downtimes/index.js';
import type { AlarmNotice } from './model.js';

/** The downtime questions alarms ask (server/downtimes' Downtimes answers them); synchronous lookups, never throwing. */
export interface DowntimeQuestions {
  activePlannedDowntime(series: string, t: number, agent?: string): ActiveDowntime | undefined;
  activeUnplannedDowntime(series: string, t: number, agent?: string): ActiveDowntime | undefined;
}

/** Where notices go (server/notify's Notifier): durable once the promise resolves; a rejection means not taken. */
export interface NoticeSink {
  notify(recipients: readonly string[], notices: readonly AlarmNotice[]): Promise<void>;
}

export interface AlarmLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
