/**
 * Reads what a period report needs from the alarm history: every change
 * from the window's start on (those after its end tell the state at the
 * end), newest first, a page at a time into the sweep (period-sweep.ts).
 *
 * The history answers newest first with `at < to`; a page that ends inside
 * a run of changes at one instant is continued by asking again up to just
 * past that instant and skipping the changes already read, so none is lost
 * or read twice. More than MAX_PERIOD_CHANGES changes in one run is refused
 * (TooMuchHistoryError) rather than read for minutes.
 */
import type { StateChange, Window } from './period-model.js';
import { PeriodSweep, type SweptSeries } from './period-sweep.js';
import type { AlarmEntry } from './report-model.js';

/** The alarm history, newest first (at desc, then id desc), `at` in [from, to), at most `limit` changes. May throw. */
export type ReadHistory = (query: { readonly from: number; readonly to?: number; readonly limit: number }) => Promise<readonly StateChange[]>;

/** The most alarm changes one report run reads: a year of a busy server's. */
export const MAX_PERIOD_CHANGES = 2_000_000;
const PAGE = 5000;

export class TooMuchHistoryError extends Error {
  override name = 'TooMuchHistoryError';
  constructor(readonly limit: number) {
    super(`the window holds more than ${limit} alarm changes, the most one report reads: ask for a shorter range`);
  }
}

export async function readPeriod(window: Window, current: readonly AlarmEntry[], endsNow: boolean, history: ReadHistory, limit = MAX_PERIOD_CHANGES): Promise<SweptSeries[]> {
  const sweep = new PeriodSweep(window, current, endsNow);
  let to: number | undefined;
  /** Changes read at or after `to`'s instant, which the next ask repeats. */
  let read = new Set<number>();
  let total = 0;
  for (;;) {
    const page = await history({ from: window.from, ...(to === undefined ? {} : { to }), limit: PAGE });
    const fresh = page.filter((change) => !read.has(change.id));
    total += fresh.length;
    if (total > limit) throw new TooMuchHistoryError(limit);
    sweep.add(fresh);
    if (page.length < PAGE) break;
    const oldest = page[page.length - 1].at;
    if (fresh.length === 0) throw new TooMuchHistoryError(PAGE); // more than a page at one instant
    // Just past the oldest instant: its changes not on this page come again, with those on it, skipped by id.
    const next = oldest + 1e-3;
    read = new Set(page.filter((change) => change.at < next).map((change) => change.id));
    to = next;
  }
  return sweep.finish();
}
