/**
 * The planned downtimes a report takes out of availability, from the
 * downtime database: those with a window overlapping the report's (not the
 * cancelled ones: they did not happen), each with its windows there and
 * whether its scope covers a series (by pattern, or by the series' agent).
 */
import type { Downtimes } from '../downtimes/index.js';
import { scopeCovers } from '../downtimes/occurrences.js';
import type { PlannedDowntime, Window } from './period-model.js';
import type { PlannedDowntimes } from './report-scheduler.js';

export function plannedDowntimesOf(downtimes: Pick<Downtimes, 'list'>, agentOf: (series: string) => string | undefined): PlannedDowntimes {
  return async (window: Window): Promise<PlannedDowntime[]> => {
    if (window.to <= window.from) return [];
    const listed = await downtimes.list({ from: window.from, to: window.to, kind: 'planned' });
    return listed.map(({ downtime, windows = [] }) => ({
      id: downtime.id,
      reason: downtime.reason,
      windows: windows.map((w) => ({ from: w.start, to: w.end ?? Infinity })),
      covers: (series: string) => scopeCovers(downtime, series, agentOf(series)),
    }));
  };
}
