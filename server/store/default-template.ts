/**
 * The built-in archive of a series no `archives` rule (and no configured
 * `archives.default`) decides: a template applied to the series' step, so a
 * series written every second and one written daily each get an archive that
 * fits, both under 256 KiB.
 *
 *   fine points   the step itself, AVERAGE, for 2 days but at most 8,640 rows
 *                 (1 day at 10 s, 2.4 h at 1 s): one primary point per row,
 *                 so MIN and MAX would only repeat AVERAGE
 *   a month       30-minute AVERAGE, MIN, MAX for 30 days
 *   a year        6-hour AVERAGE, MIN, MAX for 365 days
 *   ten years     1-day AVERAGE, MIN, MAX for 3,650 days
 *
 * A consolidation's resolution is rounded up to a multiple of the step; one
 * that comes out as the step itself (a 1 h step's month) is folded into the
 * fine points, which then cover its span (the 1 h step keeps 30 days of
 * hourly points; a step of a day or more, up to the ladder's 4 weeks, keeps
 * ten years of its own points and nothing else: 1.6 to 30 kB). xff is 0.5
 * throughout.
 *
 * Heartbeat: 3 × step, at least 30 s. Three steps let one or two runs be
 * missed (or one be slow and the next on time) without a gap; Munin uses
 * 2 × step, which loses a point to any run that is late by a little more
 * than one step, and pnp4nagios 8,460 s for a 60 s step, which draws a line
 * across an outage of two hours. The 30 s floor is for fast collectors,
 * whose runs are delayed by a garbage collection, a slow upload or a busy
 * host by more than three of their steps.
 */
import type { ArchiveDefinition, DsType, RraDefinition } from '../../archive/index.js';

const DAY = 86400;
/** Most fine rows: 8,640 rows, 1 day at 10 s. */
const MAX_FINE_ROWS = 8640;
const FINE_SPAN = 2 * DAY;
const CONSOLIDATIONS: readonly { resolution: number; span: number }[] = [
  { resolution: 1800, span: 30 * DAY },
  { resolution: 6 * 3600, span: 365 * DAY },
  { resolution: DAY, span: 3650 * DAY },
];
const XFF = 0.5;
const HEARTBEAT_STEPS = 3;
const HEARTBEAT_FLOOR = 30;

/** The default heartbeat for `step` (see the header). */
export function defaultHeartbeat(step: number): number {
  return Math.max(HEARTBEAT_STEPS * step, HEARTBEAT_FLOOR);
}

/** The template's archive for a series of one data source `dsName` of `type`, at `step` seconds. */
export function templateDefinition(step: number, type: DsType, dsName: string): ArchiveDefinition {
  let fineRows = Math.max(1, Math.min(Math.floor(FINE_SPAN / step), MAX_FINE_ROWS));
  const consolidated: RraDefinition[] = [];
  for (const { resolution, span } of CONSOLIDATIONS) {
    const pdpPerRow = Math.ceil(resolution / step);
    const rows = Math.ceil(span / (pdpPerRow * step));
    if (pdpPerRow === 1) fineRows = Math.max(fineRows, rows);
    else for (const cf of ['AVERAGE', 'MIN', 'MAX'] as const) consolidated.push({ cf, xff: XFF, pdpPerRow, rows });
  }
  return {
    step,
    dataSources: [{ name: dsName, type, heartbeat: defaultHeartbeat(step), min: NaN, max: NaN }],
    rras: [{ cf: 'AVERAGE', xff: XFF, pdpPerRow: 1, rows: fineRows }, ...consolidated],
  };
}
