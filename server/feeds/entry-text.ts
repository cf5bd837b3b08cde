/**
 * What a feed entry says of one transition, for people: a title a reader's
 * list shows (`CRITICAL: Hospital 4: broker.age.h4 = 30.0 hours (> 24)`) and a few
 * lines of summary. Values and times are written as notices write them
 * (server/notify/format.ts), names led by the node's display name when the
 * metadata gives one.
 */
import type { RecordedTransition } from '../alarms/index.js';
import { formatQuantity, formatTime, oneLine } from '../notify/format.js';

/** The series as people know it: `Hospital 4: broker.age.h4`, or the name alone. */
function named(series: string, displayName: string | undefined): string {
  return displayName === undefined ? series : `${oneLine(displayName)}: ${series}`;
}

export function entryTitle(t: RecordedTransition, displayName: string | undefined, unit?: string): string {
  const value = t.value === null ? '' : ` = ${formatQuantity(t.value, unit)}`;
  const why = t.to === 'OK' ? `was ${t.from}` : t.threshold;
  return `${t.to}: ${named(t.series, displayName)}${value}${why === null || why === '' ? '' : ` (${why})`}`;
}

export function entrySummary(t: RecordedTransition, displayName: string | undefined, unit?: string): string {
  const lines = [`${named(t.series, displayName)} changed from ${t.from} to ${t.to} at ${formatTime(t.at)}.`];
  const what = [t.value === null ? undefined : `value ${formatQuantity(t.value, unit)}`, t.threshold === null ? undefined : `threshold ${t.threshold}`, `rule ${t.rule}`];
  const said = what.filter((w) => w !== undefined).join(', ');
  lines.push(`${said[0].toUpperCase()}${said.slice(1)}.`);
  if (t.downtime !== null) lines.push(`In ${t.downtime.kind} downtime #${t.downtime.id}${t.suppressed ? ': no notice was sent' : ''}.`);
  if (t.inhibitedBy !== null) lines.push(`Held while node ${t.inhibitedBy} was late or down: no notice was sent.`);
  return lines.join('\n');
}
