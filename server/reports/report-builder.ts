/**
 * From each series' states over a window to the report of one run:
 *
 *   1. keep the series the report's `match` fits (`matched`) and whose
 *      worst status in the window it lists (by default every one not OK at
 *      any time: one that recovered before the run is listed too);
 *   2. work out each one's time not OK, first and last bad time and
 *      availability with planned downtime taken out (availability.ts);
 *   3. group them by their first `groupBy` series segments; groups by name,
 *      series then rule within, so two runs over the same history read the
 *      same; count each group's worst statuses; write the subject, the
 *      bodies and the CSV.
 *
 * A report with nothing to list still says so in its subject: a report that
 * is not sent looks the same as one that is broken.
 */
import { ALARM_STATUSES, type AlarmStatus } from '../alarms/model.js';
import { seriesGlob } from '../config-schema/index.js';
import { toCsv } from '../../lib/csv.js';
import { availabilityOf, union } from './availability.js';
import type { PlannedDowntime, Window } from './period-model.js';
import type { SweptSeries } from './period-sweep.js';
import { htmlBody, textBody } from './report-bodies.js';
import type { BuiltReport, ReportDefinition, ReportGroup, ReportLine } from './report-model.js';
import { archiveFileName } from './report-name.js';
import { isoUtc } from './time-text.js';
import { worseOf } from './worst.js';

export const CSV_HEADER = [
  'group',
  'series',
  'worst_status',
  'not_ok_seconds',
  'first_bad',
  'last_bad',
  'bad_spells',
  'availability_percent',
  'planned_downtime_seconds',
  'not_ok_in_planned_downtime_seconds',
  'planned_downtime_ids',
  'worst_value',
  'worst_threshold',
  'status_at_end',
  'since',
  'value',
  'threshold',
  'rule',
  'downtime_id',
  'downtime_reason',
  'display_name',
  'window_from',
  'window_to',
] as const;

/** What a run reports on: the window and what happened in it. */
export interface PeriodInput {
  readonly window: Window;
  /** Every series alarmed at some time in the window (period-sweep.ts). */
  readonly series: readonly SweptSeries[];
  readonly planned: readonly PlannedDowntime[];
}

const NOT_OK: readonly AlarmStatus[] = ALARM_STATUSES.filter((status) => status !== 'OK');

/** Plain code-unit order: the same on every machine, unlike localeCompare. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Three decimals: 99.999 % tells a minute in a day from none. */
const percent = (value: number | null): number | null => (value === null ? null : Math.floor(value * 1000) / 1000);

function lineOf(definition: ReportDefinition, swept: SweptSeries, input: PeriodInput): ReportLine {
  const availability = availabilityOf(swept.series, swept.badSpells, input.window, input.planned);
  return {
    group: swept.series.split('.').slice(0, definition.groupBy).join('.'),
    series: swept.series,
    rule: swept.rule,
    ...(swept.displayName === undefined ? {} : { displayName: swept.displayName }),
    worst: swept.worst,
    worstValue: swept.worstValue,
    worstThreshold: swept.worstThreshold,
    notOkSeconds: availability.notOkSeconds,
    badSpells: swept.badSpells.length,
    firstBad: swept.badSpells.at(0)?.from ?? null,
    lastBad: swept.badSpells.at(-1)?.to ?? null,
    plannedSeconds: availability.plannedSeconds,
    notOkPlannedSeconds: availability.notOkPlannedSeconds,
    availability: percent(availability.percent),
    plannedDowntimes: availability.downtimes.map((d) => d.id).sort((a, b) => a - b),
    end: swept.end,
    ...(swept.downtime === undefined ? {} : { downtime: swept.downtime }),
  };
}

function groupLines(lines: readonly ReportLine[], sweptOf: ReadonlyMap<string, SweptSeries>): ReportGroup[] {
  const byName = new Map<string, ReportLine[]>();
  for (const line of lines) {
    const group = byName.get(line.group);
    if (group) group.push(line);
    else byName.set(line.group, [line]);
  }
  return [...byName.entries()]
    .sort(([a], [b]) => byText(a, b))
    .map(([name, members]) => {
      const sorted = members.sort((a, b) => byText(a.series, b.series) || byText(a.rule, b.rule));
      const counts: Partial<Record<AlarmStatus, number>> = {};
      for (const line of sorted) counts[line.worst] = (counts[line.worst] ?? 0) + 1;
      const spells = union(sorted.flatMap((line) => sweptOf.get(line.series)?.badSpells ?? []));
      const availabilities = sorted.map((line) => line.availability).filter((a) => a !== null);
      const displayName = sorted.find((line) => line.displayName !== undefined)?.displayName;
      return {
        name,
        ...(displayName === undefined ? {} : { displayName }),
        lines: sorted,
        counts,
        worst: sorted.reduce<AlarmStatus>((worst, line) => worseOf(worst, line.worst), 'OK'),
        notOkSeconds: spells.reduce((sum, s) => sum + (s.to - s.from), 0),
        availability: availabilities.length === 0 ? null : Math.min(...availabilities),
      };
    });
}

function subjectOf(definition: ReportDefinition, matched: number, groups: readonly ReportGroup[]): string {
  const title = `[ringmon] ${definition.title ?? definition.name}`;
  const notOkGroups = groups.filter((group) => NOT_OK.some((status) => group.counts[status] !== undefined));
  const notOk = notOkGroups.reduce((sum, group) => sum + NOT_OK.reduce((n, status) => n + (group.counts[status] ?? 0), 0), 0);
  if (notOk > 0) return `${title}: ${notOk} not OK in ${plural(notOkGroups.length, 'group', 'groups')}`;
  const watched = NOT_OK.filter((status) => definition.statuses.includes(status));
  // "all OK" only when every bad status was looked for; otherwise say which ones were absent.
  const verdict = watched.length === NOT_OK.length ? 'all OK' : `none ${watched.join(' or ')}`;
  return `${title}: ${verdict} (${plural(matched, 'series', 'series')})`;
}

const timeOrEmpty = (t: number | null): string => (t === null ? '' : isoUtc(t));

function csvOf(groups: readonly ReportGroup[], window: Window): string {
  return toCsv(
    CSV_HEADER,
    groups.flatMap((group) =>
      group.lines.map((l) => [
        l.group,
        l.series,
        l.worst,
        Math.round(l.notOkSeconds),
        timeOrEmpty(l.firstBad),
        timeOrEmpty(l.lastBad),
        l.badSpells,
        l.availability,
        Math.round(l.plannedSeconds),
        Math.round(l.notOkPlannedSeconds),
        l.plannedDowntimes.join(' '),
        l.worstValue,
        l.worstThreshold,
        l.end.status,
        timeOrEmpty(l.end.since),
        l.end.value,
        l.end.threshold,
        l.rule,
        l.downtime?.id,
        l.downtime?.reason,
        l.displayName,
        isoUtc(window.from),
        isoUtc(window.to),
      ]),
    ),
  );
}

/** Builds the report of `definition` over `input`, run at `at` (Unix seconds). Pure: no clock, no I/O. */
export function buildReport(definition: ReportDefinition, input: PeriodInput, at: number): BuiltReport {
  const patterns = (typeof definition.match === 'string' ? [definition.match] : definition.match).map(seriesGlob);
  const matching = input.series.filter((swept) => patterns.some((pattern) => pattern.test(swept.series)));
  const lines = matching.filter((swept) => definition.statuses.includes(swept.worst)).map((swept) => lineOf(definition, swept, input));
  const groups = groupLines(lines, new Map(matching.map((swept) => [swept.series, swept])));
  const csv = csvOf(groups, input.window);
  const subject = subjectOf(definition, matching.length, groups);
  const notOk = lines.filter((line) => line.worst !== 'OK').length;
  const summary = { definition, at, window: input.window, matched: matching.length, groups, subject };
  return {
    name: definition.name,
    at,
    window: input.window,
    matched: matching.length,
    notOk,
    groups,
    csv,
    report: {
      subject,
      text: textBody(summary),
      html: htmlBody(summary),
      attachments: [{ filename: archiveFileName(definition.name, at), content: csv, contentType: 'text/csv' }],
    },
  };
}
