/**
 * What the overview's icon says about a series: its alarm state (the worst
 * of its rules), or, without the alarms API, OK or NODATA from its last
 * update; and whether a downtime covers it now.
 *
 * A firing alarm that no planned downtime silences shows as itself even in
 * a downtime, so what is over threshold is never hidden; otherwise a
 * covered series shows the downtime icon.
 */
import type { Alarm, AlarmState, Downtime, DowntimeKind, SeriesInfo } from './api-types.js';
import { matchesAny } from './series-glob.js';
import { hasArchiveProblem } from './series-problems.js';

export const STATUS_KINDS = ['CRITICAL', 'WARNING', 'NODATA', 'DOWNTIME', 'OK'] as const;
export type StatusKind = (typeof STATUS_KINDS)[number];

export interface CoveringDowntime {
  readonly id: number;
  readonly kind: DowntimeKind;
  readonly reason: string;
  readonly end: string | null;
}

export interface SeriesStatus {
  readonly series: string;
  readonly state: AlarmState;
  /** The icon shown. */
  readonly kind: StatusKind;
  readonly downtime: CoveringDowntime | null;
  readonly alarms: readonly Alarm[];
  readonly info: SeriesInfo | undefined;
}

const SEVERITY: Record<AlarmState, number> = { OK: 0, NODATA: 1, WARNING: 2, CRITICAL: 3 };

function worstState(states: Iterable<AlarmState>): AlarmState {
  let worst: AlarmState = 'OK';
  for (const s of states) if (SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}

/** No sample for longer than the heartbeat: the archive stores unknown from then on. */
function staleOrUnknown(info: SeriesInfo, now: number): boolean {
  const heartbeat = info.definition.dataSources[0]?.heartbeat ?? 2 * info.definition.step;
  return info.lastValue === null || now - info.lastUpdate > heartbeat;
}

function statusOf(series: string, info: SeriesInfo | undefined, alarms: readonly Alarm[], active: readonly Downtime[], now: number, alarmsKnown: boolean): SeriesStatus {
  const fromData: AlarmState = info && !staleOrUnknown(info, now) ? 'OK' : 'NODATA';
  const state = alarmsKnown && alarms.length > 0 ? worstState(alarms.map((a) => a.state)) : fromData;
  const covering = active.find((d) => matchesAny(series, d.scope.series));
  const alarmDowntime = alarms.find((a) => a.downtime !== null)?.downtime ?? null;
  const downtime: CoveringDowntime | null = alarmDowntime ?? (covering ? { id: covering.id, kind: covering.kind, reason: covering.reason, end: covering.windows?.[0]?.end ?? covering.end } : null);
  const firing = (state === 'WARNING' || state === 'CRITICAL') && !alarms.some((a) => a.state === state && a.suppressed);
  const kind: StatusKind = firing ? state : downtime ? 'DOWNTIME' : state;
  return { series, state, kind, downtime, alarms, info };
}

/**
 * One status per series (those listed, and those only alarms name), sorted
 * by name. `alarms` null: the server has no alarms API. `active`: the
 * downtimes in effect now (`?active=true`). `now` in Unix seconds.
 */
export function seriesStatuses(series: readonly SeriesInfo[], alarms: readonly Alarm[] | null, active: readonly Downtime[], now: number): SeriesStatus[] {
  const byName = new Map(series.map((s) => [s.series, s]));
  const alarmsBySeries = new Map<string, Alarm[]>();
  for (const a of alarms ?? []) {
    const list = alarmsBySeries.get(a.series) ?? [];
    list.push(a);
    alarmsBySeries.set(a.series, list);
  }
  const names = [...new Set([...byName.keys(), ...alarmsBySeries.keys()])].sort();
  return names.map((name) => statusOf(name, byName.get(name), alarmsBySeries.get(name) ?? [], active, now, alarms !== null));
}

export function countByKind(statuses: readonly SeriesStatus[]): Record<StatusKind, number> {
  const counts: Record<StatusKind, number> = { CRITICAL: 0, WARNING: 0, NODATA: 0, DOWNTIME: 0, OK: 0 };
  for (const s of statuses) counts[s.kind]++;
  return counts;
}

/**
 * Where a series stands in the overview's order, lowest first: what is over
 * threshold (CRITICAL, then WARNING), then what gives no data (NODATA), then
 * what gives data its archive does not keep as sent (drift, held), then
 * what a downtime covers, OK last.
 */
export function urgency(s: SeriesStatus): number {
  switch (s.kind) {
    case 'CRITICAL':
      return 0;
    case 'WARNING':
      return 1;
    case 'NODATA':
      return 2;
    case 'DOWNTIME':
    case 'OK':
      return hasArchiveProblem(s.info) ? 3 : s.kind === 'DOWNTIME' ? 4 : 5;
    default: {
      const never: never = s.kind;
      return never;
    }
  }
}

/** The overview's order: problems first (urgency), then by name. */
export function byUrgency(a: SeriesStatus, b: SeriesStatus): number {
  return urgency(a) - urgency(b) || (a.series < b.series ? -1 : a.series > b.series ? 1 : 0);
}
