/**
 * Each series' states over a window, from the alarm history read backwards
 * (newest first, as the store gives it, a page at a time):
 *
 *   1. a series starts in its current state (the alarm evaluator's), or,
 *      when it has none any more, in the state its newest change led to;
 *   2. each change, going back, closes the stretch after it: [change, the
 *      next change) was in the state the change led to; the state before
 *      it is the one it came from;
 *   3. what is left at the window's start, [from, the oldest change in the
 *      window), was in the state the oldest change came from: the state at
 *      the window's start, without reading anything older. A series with
 *      no change since the window's start has been in its current state
 *      since its `since` (when that is inside the window, it was not
 *      alarmed before: a state is recorded with the change into it).
 *
 * Only the stretches inside the window count. Changes after the window's
 * end (a range asked for in the past) only tell the state at its end.
 * Memory grows with the series and their bad spells, not with the history
 * read, so a long window is read a page at a time.
 */
import type { AlarmStatus } from '../alarms/model.js';
import type { EndState, SeriesPeriod, Spell, StateChange, Window } from './period-model.js';
import type { AlarmEntry } from './report-model.js';
import { worseOf } from './worst.js';

/** A series over the window, as the sweep yields it. */
export interface SweptSeries extends SeriesPeriod {
  /** The value and threshold of the change into the worst state (its first time in it); null when it was so before the window. */
  readonly worstValue: number | null;
  readonly worstThreshold: string | null;
  /** From the current state: the node's display name and the downtime in force now. */
  readonly displayName?: string;
  readonly downtime?: AlarmEntry['downtime'];
}

interface Track {
  readonly series: string;
  readonly rule: string;
  readonly current?: AlarmEntry;
  /** The state of the stretch that ends at `cursor`. */
  stateAfter: AlarmStatus;
  /** The start of the stretch not yet closed; Infinity until the first change. */
  cursor: number;
  end?: EndState;
  worst: AlarmStatus;
  worstValue: number | null;
  worstThreshold: string | null;
  /** Newest first, as found. */
  readonly spells: Spell[];
}

export class PeriodSweep {
  private readonly tracks = new Map<string, Track>();

  /** `current`: the alarm states now; `endsNow`: the window ends now, so the downtime in force now is the one at its end. */
  constructor(
    private readonly window: Window,
    current: readonly AlarmEntry[],
    private readonly endsNow: boolean,
  ) {
    for (const entry of current) {
      this.tracks.set(entry.series, { series: entry.series, rule: entry.rule, current: entry, stateAfter: entry.status, cursor: Infinity, worst: 'OK', worstValue: null, worstThreshold: null, spells: [] });
    }
  }

  /** The next changes, newest first, each older than those given before (ties: lower id later). */
  add(changes: readonly StateChange[]): void {
    for (const change of changes) {
      let track = this.tracks.get(change.series);
      if (track === undefined) {
        track = { series: change.series, rule: change.rule, stateAfter: change.to, cursor: Infinity, worst: 'OK', worstValue: null, worstThreshold: null, spells: [] };
        this.tracks.set(change.series, track);
      }
      if (track.end === undefined && change.at < this.window.to) {
        // The newest change of a series with a current state: its value now is newer than the change's.
        const now = track.cursor === Infinity ? track.current : undefined;
        track.end = { status: track.stateAfter, since: change.at, value: now ? now.value : change.value, threshold: now ? now.threshold : change.threshold };
      }
      this.stretch(track, change.at, track.stateAfter, change.value, change.threshold);
      track.cursor = change.at;
      track.stateAfter = change.from;
    }
  }

  /** Every series that was alarmed at some time in the window, in no particular order. */
  finish(): SweptSeries[] {
    const out: SweptSeries[] = [];
    for (const track of this.tracks.values()) {
      const { current } = track;
      const untouched = track.cursor === Infinity;
      const end = track.end ?? {
        status: track.stateAfter,
        since: untouched && current !== undefined ? current.since : null,
        value: untouched && current !== undefined ? current.value : null,
        threshold: untouched && current !== undefined ? current.threshold : null,
      };
      // The stretch from the window's start: the state then, whose cause is older than the history read. A current state
      // with no change recorded since the window's start began at its `since` (a series new since then was not alarmed before).
      if (untouched && current !== undefined) this.stretch(track, current.since, current.status, current.value, current.threshold);
      else this.stretch(track, -Infinity, track.stateAfter, null, null);
      out.push({
        series: track.series,
        rule: track.rule,
        worst: track.worst,
        badSpells: joined(track.spells.toReversed()),
        end,
        worstValue: track.worstValue,
        worstThreshold: track.worstThreshold,
        ...(current?.displayName === undefined ? {} : { displayName: current.displayName }),
        ...(current?.downtime === undefined || !this.endsNow ? {} : { downtime: current.downtime }),
      });
    }
    return out;
  }

  /** The stretch [start, track.cursor) in `status`, counted where it overlaps the window. */
  private stretch(track: Track, start: number, status: AlarmStatus, value: number | null, threshold: string | null): void {
    const from = Math.max(start, this.window.from);
    const to = Math.min(track.cursor, this.window.to);
    if (from >= to) return;
    if (status === 'OK') return;
    // Going back in time, an equal status found later is the earlier time in it: its value is the first cause.
    if (worseOf(track.worst, status) === status) {
      track.worst = status;
      track.worstValue = value;
      track.worstThreshold = threshold;
    }
    track.spells.push({ from, to });
  }
}

/** Spells in time order with the touching ones joined (WARNING then CRITICAL is one bad spell). */
function joined(spells: readonly Spell[]): Spell[] {
  const out: Spell[] = [];
  for (const spell of spells) {
    const last = out.at(-1);
    if (last !== undefined && last.to >= spell.from) out[out.length - 1] = { from: last.from, to: Math.max(last.to, spell.to) };
    else out.push(spell);
  }
  return out;
}
