/**
 * The notice policy: which notice an alarm event calls for, and what is
 * remembered of each alarmed series between events (what people were told).
 * The one place that decides; the engine (alarm-engine.ts) looks up
 * downtimes, applies the answers and commits the memory with the state.
 * Pure: no I/O, no clock of its own (`at` and `now` are passed in).
 *
 *   event                                              notice          memory after
 *   a change to a bad status (a rise, a fall, NODATA)   problem         told at the change
 *   a change to OK after a problem notice               recovery        fresh
 *   a change to OK that no one heard of                 nothing         fresh
 *   a change in a planned downtime                      nothing         kept quiet by it (OK: fresh)
 *   tick, kept quiet, no planned downtime any more      downtime-over   told now
 *   tick, kept quiet, another planned downtime now      nothing         kept quiet by that one
 *   tick, told, no notice for renotify, not in a        reminder        told now
 *     planned downtime
 *   tick, acknowledged (acknowledgements.ts)            nothing         as it was
 *
 * A tick leaves an OK series alone, and an acknowledged one: no reminder
 * and no downtime-over while the acknowledgement holds; the memory stays,
 * so once it ends (expired, withdrawn) a reminder due is sent at the next
 * tick, and a change ends it and is told as any. An unplanned downtime
 * silences nothing; the engine names it in the notice. Nothing is told
 * twice: a reminder and downtime-over move lastNotifiedAt to now,
 * downtime-over clears suppressedBy, and a recovery forgets the episode.
 */
import type { AlarmStatus, NoticeKind } from './model.js';

/** What the engine keeps per series beside the evaluator's state (and the database beside its state row). */
export interface NoticeMemory {
  /** A problem notice went out for the current bad episode. */
  readonly notified: boolean;
  /** When people last heard of the series (problem, reminder or downtime-over); null: never in this episode. */
  readonly lastNotifiedAt: number | null;
  /** The planned downtime that kept the last change quiet. */
  readonly suppressedBy: number | null;
}

export const FRESH_MEMORY: NoticeMemory = Object.freeze({ notified: false, lastNotifiedAt: null, suppressedBy: null });

/** Notices about a change of status: they tell a transition. */
export type ChangeNoticeKind = Extract<NoticeKind, 'problem' | 'recovery'>;
/** Notices about a status that stays: they tell the state as it is now. */
export type StandingNoticeKind = Extract<NoticeKind, 'reminder' | 'downtime-over'>;

/** The notice to send, if any, and the memory from now on; `memory` is the very object given when nothing changed. */
export interface Decision<K extends NoticeKind> {
  readonly notice: K | undefined;
  readonly memory: NoticeMemory;
}

/** The kind of notice a change to `to` is told with (also for a recorded change whose notice a stop left unsent). */
export function changeNoticeKind(to: AlarmStatus): ChangeNoticeKind {
  return to === 'OK' ? 'recovery' : 'problem';
}

/** A change of status to `to` at `at`; `plannedDowntime` is the id of the planned downtime in force then, if any. */
export function decideOnChange(memory: NoticeMemory, to: AlarmStatus, at: number, plannedDowntime: number | undefined): Decision<ChangeNoticeKind> {
  if (plannedDowntime !== undefined) {
    // Quiet now; a bad state still in force when the downtime ends is told then (decideOnTick).
    return { notice: undefined, memory: to === 'OK' ? FRESH_MEMORY : { ...memory, suppressedBy: plannedDowntime } };
  }
  if (to === 'OK') return { notice: memory.notified ? changeNoticeKind(to) : undefined, memory: FRESH_MEMORY };
  return { notice: changeNoticeKind(to), memory: toldAt(at) };
}

/**
 * The timer's look at a series whose status did not change: `status` is its
 * status, `renotifySeconds` its rule's, and `plannedDowntime` answers which
 * planned downtime is in force now (asked only when it matters: a lookup);
 * `acknowledged`: an acknowledgement holds for the series now.
 */
export function decideOnTick(
  memory: NoticeMemory,
  status: AlarmStatus,
  now: number,
  renotifySeconds: number | undefined,
  plannedDowntime: () => number | undefined,
  acknowledged = false,
): Decision<StandingNoticeKind> {
  if (status === 'OK' || acknowledged) return { notice: undefined, memory };
  if (memory.suppressedBy !== null) {
    const planned = plannedDowntime();
    if (planned === undefined) return { notice: 'downtime-over', memory: toldAt(now) };
    return { notice: undefined, memory: planned === memory.suppressedBy ? memory : { ...memory, suppressedBy: planned } };
  }
  if (reminderDue(memory, now, renotifySeconds) && plannedDowntime() === undefined) return { notice: 'reminder', memory: toldAt(now) };
  return { notice: undefined, memory };
}

/** Whether a tick may have anything to decide for a series with this memory (told and perhaps still bad, or kept quiet). */
export function needsTicks(memory: NoticeMemory): boolean {
  return memory.notified || memory.suppressedBy !== null;
}

/** A told, still bad alarm that has gone `renotifySeconds` without a notice. */
function reminderDue(memory: NoticeMemory, now: number, renotifySeconds: number | undefined): boolean {
  return renotifySeconds !== undefined && memory.notified && memory.lastNotifiedAt !== null && now - memory.lastNotifiedAt >= renotifySeconds;
}

function toldAt(t: number): NoticeMemory {
  return { notified: true, lastNotifiedAt: t, suppressedBy: null };
}
