/**
 * From the alarm states of the moment to the report of one run:
 *
 *   1. keep the entries whose series the report's `match` fits (`matched`)
 *      and whose status it lists;
 *   2. group them by their first `groupBy` series segments; groups by name,
 *      entries by series then rule, so two runs over the same states read
 *      the same;
 *   3. count each group's statuses; write the subject, the bodies and the CSV.
 *
 * A report with nothing to list still says so in its subject: a report that
 * is not sent looks the same as one that is broken.
 */
import { ALARM_STATUSES, type AlarmStatus } from '../alarms/model.js';
import { seriesGlob } from '../config-schema/index.js';
import { toCsv } from '../../lib/csv.js';
import { htmlBody, textBody } from './report-bodies.js';
import type { AlarmEntry, BuiltReport, ReportDefinition, ReportGroup, ReportLine } from './report-model.js';
import { archiveFileName } from './report-name.js';
import { isoUtc } from './time-text.js';

export const CSV_HEADER = ['group', 'series', 'status', 'since', 'duration_seconds', 'value', 'threshold', 'rule', 'downtime_id', 'downtime_reason', 'display_name'] as const;

const NOT_OK: readonly AlarmStatus[] = ALARM_STATUSES.filter((status) => status !== 'OK');

/** Plain code-unit order: the same on every machine, unlike localeCompare. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function groupLines(lines: readonly ReportLine[]): ReportGroup[] {
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
      for (const line of sorted) counts[line.status] = (counts[line.status] ?? 0) + 1;
      return { name, lines: sorted, counts };
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

/** Builds the report of `definition` over `entries` at `now` (Unix seconds). Pure: no clock, no I/O. */
export function buildReport(definition: ReportDefinition, entries: readonly AlarmEntry[], now: number): BuiltReport {
  const patterns = (typeof definition.match === 'string' ? [definition.match] : definition.match).map(seriesGlob);
  const matching = entries.filter((entry) => patterns.some((pattern) => pattern.test(entry.series)));
  const lines: ReportLine[] = matching
    .filter((entry) => definition.statuses.includes(entry.status))
    .map((entry) => ({
      ...entry,
      group: entry.series.split('.').slice(0, definition.groupBy).join('.'),
      durationSeconds: Math.max(0, Math.floor(now - entry.since)),
    }));
  const groups = groupLines(lines);
  const csv = toCsv(
    CSV_HEADER,
    groups.flatMap((group) =>
      group.lines.map((l) => [l.group, l.series, l.status, isoUtc(l.since), l.durationSeconds, l.value, l.threshold, l.rule, l.downtime?.id, l.downtime?.reason, l.displayName]),
    ),
  );
  const subject = subjectOf(definition, matching.length, groups);
  const notOk = lines.filter((line) => line.status !== 'OK').length;
  const summary = { definition, at: now, matched: matching.length, groups, subject };
  return {
    name: definition.name,
    at: now,
    matched: matching.length,
    notOk,
    groups,
    csv,
    report: {
      subject,
      text: textBody(summary),
      html: htmlBody(summary),
      attachments: [{ filename: archiveFileName(definition.name, now), content: csv, contentType: 'text/csv' }],
    },
  };
}
