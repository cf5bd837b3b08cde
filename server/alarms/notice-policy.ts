/**
 * Which notice a change calls for, and what the engine remembers of each
 * alarmed series between changes. Pure: the engine applies the answers.
 *
 *   went bad, or changed between bad statuses   problem
 *   back to OK after a problem notice           recovery (none if no one heard of the problem)
 *   in a planned downtime                       nothing; remembered as suppressed by it
 *   still bad when that downtime has ended      downtime-over
 *   still bad after the rule's renotify         reminder (not during a planned downtime)
 *
 * An unplanned downtime silences nothing; it is named in the notice.
 */
import type { AlarmStatus, NoticeKind } from './model.js';

/** What the engine keeps per series beside the evaluator's state. */
export interface NoticeMemory {
  /** A problem notice went out for the current bad episode. */
  readonly notified: boolean;
  readonly lastNotifiedAt: number | null;
  /** The planned downtime that kept the last change quiet. */
  readonly suppressedBy: number | null;
}

export const FRESH_MEMORY: NoticeMemory = { notified: false, lastNotifiedAt: null, suppressedBy: null };

export interface ChangeDecision {
  readonly notice: NoticeKind | undefined;
  readonly memory: NoticeMemory;
}

/** The notice for a change to `to` at `at`; `plannedDowntime` is the id of the one in force, if any. */
export function decideOnChange(memory: NoticeMemory, to: AlarmStatus, at: number, plannedDowntime: number | undefined): ChangeDecision {
  if (plannedDowntime !== undefined) {
    // Quiet now; a bad state still in force when the downtime ends is told then (decideAfterDowntime).
    return { notice: undefined, memory: to === 'OK' ? FRESH_MEMORY : { ...memory, suppressedBy: plannedDowntime } };
  }
  if (to === 'OK') return { notice: memory.notified ? 'recovery' : undefined, memory: FRESH_MEMORY };
  return { notice: 'problem', memory: { notified: true, lastNotifiedAt: at, suppressedBy: null } };
}

/**
 * For a bad series kept quiet by a downtime: the notice once no planned
 * downtime covers it any more, or the (possibly other) downtime now keeping
 * it quiet.
 */
export function decideAfterDowntime(memory: NoticeMemory, now: number, plannedDowntime: number | undefined): ChangeDecision {
  if (plannedDowntime !== undefined) return { notice: undefined, memory: plannedDowntime === memory.suppressedBy ? memory : { ...memory, suppressedBy: plannedDowntime } };
  return { notice: 'downtime-over', memory: { notified: true, lastNotifiedAt: now, suppressedBy: null } };
}

/** A reminder when a told, still bad alarm has gone `renotifySeconds` without a notice. */
export function reminderDue(memory: NoticeMemory, now: number, renotifySeconds: number | undefined): boolean {
  return renotifySeconds !== undefined && memory.notified && memory.suppressedBy === null && memory.lastNotifiedAt !== null && now - memory.lastNotifiedAt >= renotifySeconds;
}
