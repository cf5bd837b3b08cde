/**
 * Acknowledgements as the alarm part keeps them (Nagios acknowledgements):
 * an operator's word that a bad alarm is being dealt with, which holds off
 * its reminders until its state changes, its `until` passes or it is
 * withdrawn. Types and bounds only, shared by the store (ack-store.ts), the
 * engine's side (acknowledgements.ts) and the HTTP routes.
 */
import type { AlarmStatus } from './model.js';

/** What people may write in a comment: characters. */
export const MAX_ACK_COMMENT_LENGTH = 1000;
/** The furthest an expiry may lie ahead: 366 days. */
export const MAX_ACK_SECONDS = 366 * 86_400;

/** Persisted as text: append only. ack and unack are people's; expired and ended the server's. */
export const ACK_ACTIONS = ['ack', 'unack', 'expired', 'ended'] as const;
export type AckAction = (typeof ACK_ACTIONS)[number];

/** The acknowledgement in force for one series. */
export interface Acknowledgement {
  /** The id of the `ack` event that gave it. */
  readonly id: number;
  readonly series: string;
  /** The status acknowledged; the ack holds only while the series is in it. */
  readonly status: Exclude<AlarmStatus, 'OK'>;
  /** The token's name. */
  readonly author: string;
  readonly comment: string;
  /** Unix seconds. */
  readonly at: number;
  /** When it ends by itself (Unix seconds); null: only a change of state or an unack ends it. */
  readonly until: number | null;
}

/** One line of the acknowledgement history. */
export interface AckEvent {
  readonly id: number;
  readonly series: string;
  readonly action: AckAction;
  /** The status the acknowledgement was about. */
  readonly status: AlarmStatus;
  /** Who: the token's name; null for what the server records (expired, ended). */
  readonly author: string | null;
  /** Why: the operator's words, or for `ended` the state it changed to. */
  readonly comment: string | null;
  readonly at: number;
  readonly until: number | null;
}

export type NewAckEvent = Omit<AckEvent, 'id'>;

/** An acknowledgement the server ends (its state changed, its until passed, its series is no longer alarmed), owed to the database. */
export interface AckEnd {
  readonly ack: Acknowledgement;
  readonly event: NewAckEvent;
}

/** Refused: no alarmed series or node item of that name. */
export class UnknownAlarmError extends Error {
  override name = 'UnknownAlarmError';
  constructor(readonly series: string) {
    super(`no alarm for '${series}': not a series any rule alarms, nor a node item (node:<name>)`);
  }
}

/** Refused: the alarm is not in a state the request fits (an ack of an OK alarm, an unack of one not acknowledged). */
export class AckConflictError extends Error {
  override name = 'AckConflictError';
}
