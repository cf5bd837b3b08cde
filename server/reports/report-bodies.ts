/**
 * The plain-text and HTML bodies of a report: the same content, group by
 * group. Everything taken from series, rules, metadata and downtime reasons
 * is escaped in the HTML, as operators type them. Durations are shown in
 * their two largest units as notices show them (lib/duration.ts
 * formatElapsed), time not OK with its exact seconds beside; the CSV keeps
 * seconds.
 */
import { formatElapsed } from '../../lib/duration.js';
import { ALARM_STATUSES, type AlarmStatus } from '../alarms/model.js';
import type { Window } from './period-model.js';
import type { ReportDefinition, ReportGroup, ReportLine } from './report-model.js';
import { isoUtc } from './time-text.js';

/** What both bodies are written from. */
export interface ReportSummary {
  readonly definition: ReportDefinition;
  readonly at: number;
  readonly window: Window;
  readonly matched: number;
  readonly groups: readonly ReportGroup[];
  readonly subject: string;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/** Six significant digits: enough to read, and the CSV keeps the exact value. */
const valueText = (value: number | null): string => (value === null ? '-' : String(Number(value.toPrecision(6))));

const duration = (seconds: number): string => formatElapsed(Math.round(seconds));

const percentText = (value: number | null): string => (value === null ? '-' : `${value.toFixed(3)} %`);

const timeText = (t: number | null): string => (t === null ? '-' : isoUtc(t));

const countsText = (group: ReportGroup): string =>
  ALARM_STATUSES.filter((status: AlarmStatus) => group.counts[status] !== undefined)
    .map((status) => `${status} ${group.counts[status]}`)
    .join(', ');

const groupTitle = (group: ReportGroup): string => `${group.displayName === undefined ? group.name : `${group.displayName} (${group.name})`}: ${countsText(group)}`;

const groupFacts = (group: ReportGroup): string => `not OK ${duration(group.notOkSeconds)}, availability ${percentText(group.availability)} (its least available series)`;

function localTime(at: number, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at * 1000);
  return `${text} ${timeZone}`;
}

function intro(summary: ReportSummary): string[] {
  const { definition, window, matched, groups } = summary;
  const patterns = typeof definition.match === 'string' ? [definition.match] : definition.match;
  const lines = [
    `Report ${definition.name} from ${isoUtc(window.from)} to ${isoUtc(window.to)} (${duration(window.to - window.from)}; ${localTime(window.from, definition.timezone)} to ${localTime(window.to, definition.timezone)}).`,
    `${matched} series match ${patterns.join(', ')}; listed: those whose worst status in the period was ${definition.statuses.join(', ')}.`,
    'Availability counts the time outside planned downtime; time not OK in planned downtime is shown apart and not held against it.',
  ];
  if (matched === 0) lines.push('No series matched: check the report\'s match patterns.');
  else if (groups.length === 0) lines.push('Nothing to list.');
  return lines;
}

/** The series, led by its node's display name when it has one: `Broker one: broker.node.b01.age`. */
function seriesText(line: ReportLine): string {
  return line.displayName === undefined ? line.series : `${line.displayName}: ${line.series}`;
}

/** `CRITICAL (3 > 2)`: the raw value and what it broke, as far as known. */
function worstText(line: ReportLine): string {
  const cause = [line.worstValue === null ? undefined : valueText(line.worstValue), line.worstThreshold ?? undefined].filter((part) => part !== undefined);
  return cause.length === 0 ? line.worst : `${line.worst} (${cause.join(' ')})`;
}

const plannedText = (line: ReportLine): string =>
  line.plannedSeconds === 0
    ? '-'
    : `${duration(line.plannedSeconds)} (#${line.plannedDowntimes.join(', #')}${line.notOkPlannedSeconds > 0 ? `; not OK ${duration(line.notOkPlannedSeconds)} of it` : ''})`;

const endText = (line: ReportLine): string =>
  `${line.end.status}${line.end.since === null ? '' : ` since ${isoUtc(line.end.since)}`}${line.downtime === undefined ? '' : ` [in downtime #${line.downtime.id} (${line.downtime.kind}): ${line.downtime.reason}]`}`;

/** The cells of a line, in the order of TABLE_HEAD. */
const cellsOf = (line: ReportLine): string[] => [
  seriesText(line),
  worstText(line),
  `${duration(line.notOkSeconds)} (${Math.round(line.notOkSeconds)} s)`,
  timeText(line.firstBad),
  timeText(line.lastBad),
  String(line.badSpells),
  percentText(line.availability),
  plannedText(line),
  endText(line),
  line.rule,
];

const TABLE_HEAD = ['series', 'worst', 'not OK', 'first bad', 'last bad', 'spells', 'availability', 'planned downtime', 'at the end', 'rule'];

export function textBody(summary: ReportSummary): string {
  const out = [...intro(summary)];
  for (const group of summary.groups) {
    out.push('', `${groupTitle(group)}; ${groupFacts(group)}`);
    for (const line of group.lines) {
      const cells = cellsOf(line);
      out.push(`  ${cells[0]}`, ...TABLE_HEAD.slice(1).map((head, i) => `    ${head}: ${cells[i + 1]}`));
    }
  }
  return `${out.join('\n')}\n`;
}

const CELL = 'style="padding:2px 8px;text-align:left"';

export function htmlBody(summary: ReportSummary): string {
  const out = [`<h1>${escapeHtml(summary.subject)}</h1>`, ...intro(summary).map((line) => `<p>${escapeHtml(line)}</p>`)];
  for (const group of summary.groups) {
    out.push(`<h2>${escapeHtml(groupTitle(group))}</h2>`, `<p>${escapeHtml(groupFacts(group))}</p>`, '<table>');
    out.push(`<tr>${TABLE_HEAD.map((h) => `<th ${CELL}>${h}</th>`).join('')}</tr>`);
    for (const line of group.lines) out.push(`<tr>${cellsOf(line).map((c) => `<td ${CELL}>${escapeHtml(c)}</td>`).join('')}</tr>`);
    out.push('</table>');
  }
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(summary.subject)}</title></head><body>\n${out.join('\n')}\n</body></html>\n`;
}
