/**
 * What a report over a period is made of. A window is [from, to) in Unix
 * seconds; a spell is a stretch of time inside it, also [start, end).
 */
import type { AlarmStatus, Transition } from '../alarms/model.js';

export interface Window {
  readonly from: number;
  readonly to: number;
}

export type Spell = Window;

/** A recorded change of one series' alarm state, as the alarm history gives it (server/alarms records.ts). */
export interface StateChange extends Pick<Transition, 'series' | 'rule' | 'from' | 'to' | 'at' | 'value' | 'threshold'> {
  readonly id: number;
}

/** What a series' state was at the window's end. */
export interface EndState {
  readonly status: AlarmStatus;
  /** When it came to be; null when that was before the history read (before the window's start). */
  readonly since: number | null;
  readonly value: number | null;
  readonly threshold: string | null;
}

/** One series over the window, from its state changes (period-sweep.ts). */
export interface SeriesPeriod {
  readonly series: string;
  readonly rule: string;
  /** The worst status it had at any time in the window (worst.ts). */
  readonly worst: AlarmStatus;
  /** Its spells not OK, in time order, clipped to the window, touching ones joined. */
  readonly badSpells: readonly Spell[];
  /** Its state at the window's end: the current one when the window ends now. */
  readonly end: EndState;
}

/** A planned downtime's windows inside the report's window, and whether it covers a series (scope and agent). */
export interface PlannedDowntime {
  readonly id: number;
  readonly reason: string;
  readonly windows: readonly Spell[];
  covers(series: string): boolean;
}
