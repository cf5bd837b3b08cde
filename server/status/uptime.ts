/**
 * Uptime of one item over a window [from, to), from its state history, with
 * planned downtime left out (docs/status-page.md, "Uptime"):
 *
 *   planned  = time of [from, to) inside a planned downtime window of the item
 *   counted  = (to − from) − planned
 *   down     = time of [from, to) the item spent in a bad state, outside planned
 *   percent  = 100 × (counted − down) / counted;  null when counted is 0
 *
 * The state at a moment is the `to` of the last transition at or before it;
 * before the first transition of the history given, the `initial` state (the
 * caller takes the first transition's `from`, or the current state when the
 * window holds none). Pure: times are Unix seconds, nothing is read here.
 */
import { availabilityOf } from '../reports/availability.js';

/** One change of state, as the alarm history records it. */
export interface StateChange<S extends string> {
  readonly at: number;
  readonly from: S;
  readonly to: S;
}

/** A half-open window [start, end); end null: still open (to the window's end). */
export interface Span {
  readonly start: number;
  readonly end: number | null;
}

export interface Uptime {
  /** 100 × up / counted, to three decimals; null when planned downtime covers the whole window. */
  readonly percent: number | null;
  /** Seconds in a bad state, outside planned downtime. */
  readonly downSeconds: number;
  /** Seconds inside planned downtime, left out of the count. */
  readonly plannedSeconds: number;
}

/** The spans of [from, to) spent in a bad state, in order; `changes` ascending by time. */
export function badSpans<S extends string>(changes: readonly StateChange<S>[], initial: S, from: number, to: number, isBad: (state: S) => boolean): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let state = initial;
  let since = from;
  const close = (until: number): void => {
    const start = Math.max(since, from);
    const end = Math.min(until, to);
    if (isBad(state) && end > start) spans.push({ start, end });
  };
  for (const change of changes) {
    if (change.at >= to) break;
    close(change.at);
    state = change.to;
    since = change.at;
  }
  close(to);
  return spans;
}

/** The item's uptime over [from, to); `changes` ascending by time (those outside the window are allowed). */
export function uptime<S extends string>(changes: readonly StateChange<S>[], initial: S, planned: readonly Span[], from: number, to: number, isBad: (state: S) => boolean): Uptime {
  const bad = badSpans(changes, initial, from, to, isBad).map((s) => ({ from: s.start, to: s.end }));
  // The arithmetic is the period report's (server/reports availability.ts): the windows given are the item's own, so each covers it.
  const windows = planned.map((w) => ({ from: w.start, to: w.end ?? Infinity }));
  const counted = availabilityOf('', bad, { from, to }, [{ id: 0, reason: '', windows, covers: () => true }]);
  const percent = counted.percent === null ? null : Math.round(counted.percent * 1000) / 1000;
  return { percent, downSeconds: counted.notOkSeconds - counted.notOkPlannedSeconds, plannedSeconds: counted.plannedSeconds };
}
