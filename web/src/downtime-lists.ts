/**
 * Sorting downtimes into what is in effect now, what is coming and what is
 * over, from three answers of the API: every downtime, the active ones
 * (with their current window) and those with a window ahead (with it);
 * and what can be done to each.
 */
import type { Downtime, DowntimeWindow } from './api-types.js';

export interface ListedDowntime {
  readonly downtime: Downtime;
  /** The window to show: the current one, the next one, or the last. */
  readonly window: DowntimeWindow;
  /** A recurring one's next window after now, when one is ahead. */
  readonly next?: DowntimeWindow;
}

export interface DowntimeLists {
  readonly active: ListedDowntime[];
  readonly upcoming: ListedDowntime[];
  readonly past: ListedDowntime[];
}

export function sortDowntimes(all: readonly Downtime[], active: readonly Downtime[], ahead: readonly Downtime[], now: number): DowntimeLists {
  // The API's "active" is to the second: one ended a moment ago may still be in it.
  const aheadById = new Map(ahead.map((d) => [d.id, d]));
  const nextOf = (d: Downtime) => aheadById.get(d.id)?.windows?.find((w) => Date.parse(w.start) / 1000 > now);
  const current = active
    .map((d) => ({ downtime: d, window: d.windows?.[0] ?? { start: d.start, end: d.end }, ...(d.rrule === null ? {} : { next: nextOf(d) }) }))
    .filter(({ window: w }) => w.end === null || Date.parse(w.end) / 1000 > now);
  const activeIds = new Set(current.map((l) => l.downtime.id));
  const lists: DowntimeLists = { active: current, upcoming: [], past: [] };
  for (const d of all) {
    if (activeIds.has(d.id)) continue;
    const next = nextOf(d);
    if (next) lists.upcoming.push({ downtime: d, window: next, ...(d.rrule === null ? {} : { next }) });
    else lists.past.push({ downtime: d, window: { start: d.start, end: d.end } });
  }
  lists.upcoming.sort((a, b) => Date.parse(a.window.start) - Date.parse(b.window.start));
  lists.past.sort((a, b) => Date.parse(b.window.start) - Date.parse(a.window.start));
  return lists;
}

export type DowntimeAction = 'edit' | 'cancel' | 'end';

/**
 * What a listed downtime offers at `now` (Unix seconds): one not begun is
 * edited or cancelled; one in effect is edited and ended now, or, when it
 * recurs (the API ends no recurring one), cancelled with all its windows;
 * one over offers nothing.
 */
export function actionsOf({ downtime: d, window: w }: ListedDowntime, now: number): DowntimeAction[] {
  if (Date.parse(w.start) / 1000 > now) return ['edit', 'cancel'];
  if (w.end !== null && Date.parse(w.end) / 1000 <= now) return [];
  return d.rrule === null ? ['edit', 'end'] : ['edit', 'cancel'];
}
