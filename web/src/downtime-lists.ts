/**
 * Sorting downtimes into what is in effect now, what is coming and what is
 * over, from three answers of the API: every downtime, the active ones
 * (with their current window) and those with a window ahead (with it).
 */
import type { Downtime, DowntimeWindow } from './api-types.js';

export interface ListedDowntime {
  readonly downtime: Downtime;
  /** The window to show: the current one, the next one, or the last. */
  readonly window: DowntimeWindow;
}

export interface DowntimeLists {
  readonly active: ListedDowntime[];
  readonly upcoming: ListedDowntime[];
  readonly past: ListedDowntime[];
}

export function sortDowntimes(all: readonly Downtime[], active: readonly Downtime[], ahead: readonly Downtime[], now: number): DowntimeLists {
  // The API's "active" is to the second: one ended a moment ago may still be in it.
  const current = active
    .map((d) => ({ downtime: d, window: d.windows?.[0] ?? { start: d.start, end: d.end } }))
    .filter(({ window: w }) => w.end === null || Date.parse(w.end) / 1000 > now);
  const activeIds = new Set(current.map((l) => l.downtime.id));
  const aheadById = new Map(ahead.map((d) => [d.id, d]));
  const lists: DowntimeLists = { active: current, upcoming: [], past: [] };
  for (const d of all) {
    if (activeIds.has(d.id)) continue;
    const next = aheadById.get(d.id)?.windows?.find((w) => Date.parse(w.start) / 1000 > now);
    if (next) lists.upcoming.push({ downtime: d, window: next });
    else lists.past.push({ downtime: d, window: { start: d.start, end: d.end } });
  }
  lists.upcoming.sort((a, b) => Date.parse(a.window.start) - Date.parse(b.window.start));
  lists.past.sort((a, b) => Date.parse(b.window.start) - Date.parse(a.window.start));
  return lists;
}
