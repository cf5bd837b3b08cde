/**
 * Which transitions a feed shows: the newest first, to the wanted states
 * (asked of the database), of the wanted series (matched here, as series
 * patterns have no SQL form), at most `limit`. The history is read a page
 * at a time, each page after the last row of the one before, and at most
 * MAX_SCANNED_ROWS rows per document: a feed of rare series on a busy
 * server then shows the matching transitions among the newest
 * MAX_SCANNED_ROWS, never a scan of the whole history per poll.
 */
import type { AlarmStatus, RecordedTransition } from '../alarms/index.js';
import type { HistoryQuery } from '../alarms/records.js';

/** Most history rows read for one feed document. */
export const MAX_SCANNED_ROWS = 20_000;
const PAGE_ROWS = 1000;

export interface FeedSelection {
  /** Whether the series' transitions belong in the feed. */
  readonly wanted: (series: string) => boolean;
  /** Non-empty. */
  readonly statuses: readonly AlarmStatus[];
  readonly limit: number;
}

/** The stored history, newest first, as AlarmEngine.history reads it. */
export type HistoryReader = (query: HistoryQuery) => Promise<RecordedTransition[]>;

export async function feedTransitions(history: HistoryReader, selection: FeedSelection, maxScanned = MAX_SCANNED_ROWS): Promise<RecordedTransition[]> {
  const { wanted, statuses, limit } = selection;
  const found: RecordedTransition[] = [];
  let before: HistoryQuery['before'];
  for (let scanned = 0; scanned < maxScanned && found.length < limit; ) {
    const rows = await history({ statuses, before, limit: Math.min(PAGE_ROWS, maxScanned - scanned) });
    for (const t of rows) if (found.length < limit && wanted(t.series)) found.push(t);
    scanned += rows.length;
    const last = rows.at(-1);
    if (last === undefined || rows.length < PAGE_ROWS) break;
    before = { at: last.at, id: last.id };
  }
  return found;
}
