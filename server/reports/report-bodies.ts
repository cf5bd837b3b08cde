/**
 * The plain-text and HTML bodies of a report: the same content, group by
 * group. Everything taken from series, rules and downtime reasons is
 * escaped in the HTML, as operators type the reasons.
 */
import { formatElapsed } from '../../lib/duration.js';
import { ALARM_STATUSES, type AlarmStatus } from '../alarms/model.js';
import type { ReportDefinition, ReportGroup, ReportLine } from './report-model.js';
import { isoUtc } from './time-text.js';

/** What both bodies are written from. */
export interface ReportSummary {
  readonly definition: ReportDefinition;
  readonly at: number;
  readonly matched: number;
  readonly groups: readonly ReportGroup[];
  readonly subject: string;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/** Six significant digits: enough to read, and the CSV keeps the exact value. */
const valueText = (value: number | null): string => (value === null ? '-' : String(Number(value.toPrecision(6))));

const countsText = (group: ReportGroup): string =>
  ALARM_STATUSES.filter((status: AlarmStatus) => group.counts[status] !== undefined)
    .map((status) => `${status} ${group.counts[status]}`)
    .join(', ');

const downtimeText = (line: ReportLine): string =>
  line.downtime === undefined ? '' : `in downtime #${line.downtime.id} (${line.downtime.kind}): ${line.downtime.reason}`;

function localTime(at: number, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at * 1000);
  return `${text} ${timeZone}`;
}

function intro(summary: ReportSummary): string[] {
  const { definition, at, matched, groups } = summary;
  const patterns = typeof definition.match === 'string' ? [definition.match] : definition.match;
  const lines = [
    `Report ${definition.name} at ${isoUtc(at)} (${localTime(at, definition.timezone)}).`,
    `${matched} series match ${patterns.join(', ')}; listed: ${definition.statuses.join(', ')}.`,
  ];
  if (matched === 0) lines.push('No series matched: check the report\'s match patterns.');
  else if (groups.length === 0) lines.push('Nothing to list.');
  return lines;
}

/** The series, led by its node's display name when it has one: `Broker one: broker.node.b01.age`. */
function seriesText(line: ReportLine): string {
  return line.displayName === undefined ? line.series : `${line.displayName}: ${line.series}`;
}

export function textBody(summary: ReportSummary): string {
  const out = [...intro(summary)];
  for (const group of summary.groups) {
    out.push('', `${group.name}: ${countsText(group)}`);
    for (const line of group.lines) {
      const since = `since ${isoUtc(line.since)} (${formatElapsed(line.durationSeconds)})`;
      const parts = [seriesText(line), line.status, since, `value ${valueText(line.value)}`, `threshold ${line.threshold ?? '-'}`, `rule ${line.rule}`];
      const downtime = downtimeText(line);
      out.push(`  ${parts.join('  ')}${downtime === '' ? '' : `  [${downtime}]`}`);
    }
  }
  return `${out.join('\n')}\n`;
}

const CELL = 'style="padding:2px 8px;text-align:left"';

export function htmlBody(summary: ReportSummary): string {
  const out = [`<h1>${escapeHtml(summary.subject)}</h1>`, ...intro(summary).map((line) => `<p>${escapeHtml(line)}</p>`)];
  for (const group of summary.groups) {
    out.push(`<h2>${escapeHtml(group.name)}: ${escapeHtml(countsText(group))}</h2>`, '<table>');
    const head = ['series', 'status', 'since', 'for', 'value', 'threshold', 'rule', 'downtime'];
    out.push(`<tr>${head.map((h) => `<th ${CELL}>${h}</th>`).join('')}</tr>`);
    for (const line of group.lines) {
      const cells = [
        seriesText(line),
        line.status,
        isoUtc(line.since),
        formatElapsed(line.durationSeconds),
        valueText(line.value),
        line.threshold ?? '-',
        line.rule,
        downtimeText(line),
      ];
      out.push(`<tr>${cells.map((c) => `<td ${CELL}>${escapeHtml(c)}</td>`).join('')}</tr>`);
    }
    out.push('</table>');
  }
  return `<!DOCTYPE html>\n<html><body>\n${out.join('\n')}\n</body></html>\n`;
}
