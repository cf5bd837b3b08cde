/**
 * The cadence of an instance's samples, carried with each of them
 * (Sample.interval) so that whoever stores them can give a new series an
 * archive that fits: an `every` schedule's interval, or for a `cron`
 * schedule the shortest gap between its next runs (a schedule that runs
 * every 5 minutes in office hours is a 5-minute series, with gaps at night).
 */
import { createTask } from 'node-cron';

/** Runs looked at for a cron schedule's shortest gap: a day of hourly runs and then some. */
const RUNS_LOOKED_AT = 30;

/** Seconds between the runs of `schedule`; undefined when a cron schedule has fewer than two runs ahead. */
export function scheduleInterval(schedule: { readonly every: number } | { readonly cron: string }): number | undefined {
  if ('every' in schedule) return schedule.every;
  const task = createTask(schedule.cron, () => undefined, { name: 'ringmon:interval' });
  const runs = task.getNextRuns(RUNS_LOOKED_AT).map((d) => d.getTime());
  void task.destroy();
  let shortest: number | undefined;
  for (let i = 1; i < runs.length; i++) {
    const gap = (runs[i] - runs[i - 1]) / 1000;
    if (gap > 0 && (shortest === undefined || gap < shortest)) shortest = gap;
  }
  return shortest;
}
