/**
 * What the alarm tables hold, in the engine's terms: a series' state with
 * its notice memory, and a transition as recorded. Types only, so that the
 * store (alarm-store.ts) and the row mapping (rows.ts) both depend on this
 * file and not on each other.
 */
import type { AlarmState, AlarmStatus, Transition } from './model.js';
import type { NoticeMemory } from './notice-policy.js';

/** What the engine keeps per alarmed series: the evaluator's state and the notice memory. */
export type StoredAlarm = AlarmState & NoticeMemory;

export interface TransitionDowntime {
  readonly id: number;
  readonly kind: 'planned' | 'unplanned';
}

/** A transition as stored: with its id, the downtime in force and whether it was kept quiet. */
export interface RecordedTransition extends Transition {
  readonly id: number;
  readonly downtime: TransitionDowntime | null;
  readonly suppressed: boolean;
  /** The node, late or down then, whose absence kept it from being told; null: none. */
  readonly inhibitedBy: string | null;
  /** Its notification (if it called for one) is in the outbox. */
  readonly noticed: boolean;
}

export type NewTransition = Omit<RecordedTransition, 'id'>;

export interface HistoryQuery {
  readonly series?: string;
  readonly from?: number;
  readonly to?: number;
  /** Only transitions to these states (a non-empty list). */
  readonly statuses?: readonly AlarmStatus[];
  /** Only those listed after this one (newest first): the last row of the page before, for paging. */
  readonly before?: { readonly at: number; readonly id: number };
  /** Most rows, newest first. */
  readonly limit: number;
}
