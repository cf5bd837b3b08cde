/**
 * Alarms: rules from the config (and thresholds slurpers offer) evaluated
 * as samples arrive, states and transitions kept in the database, notices
 * handed to the outbox with planned downtimes respected. See docs/alarms.md.
 */
export { AlarmEngine } from './alarm-engine.js';
export type { AlarmEngineOptions, AlarmView, EngineStats } from './engine-options.js';
export type { DowntimeQuestions, NoticeSink } from './ports.js';
export type { RecordedTransition } from './records.js';
export { nodeKey } from './node-alarms.js';
export { ALARM_STATUSES, NOTICE_KINDS, OFFERED_RULE, type AlarmNotice, type AlarmRule, type AlarmStatus, type NoticeKind, type Thresholds, type Transition } from './model.js';
export { AckConflictError, ACK_ACTIONS, MAX_ACK_COMMENT_LENGTH, MAX_ACK_SECONDS, UnknownAlarmError, type AckEvent, type Acknowledgement } from './ack-records.js';
export { isNodeItem } from './node-alarms.js';
