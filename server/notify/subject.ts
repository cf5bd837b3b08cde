/**
 * A message's subject: specific for one notice (its template's when it has
 * one), a summary for a group, the report's own for a report.
 *
 *   [ringmon] CRITICAL host.web01.cpu.user = 97.2 (> 95)
 *   [ringmon] RECOVERED host.web01.cpu.user = 42 (was CRITICAL)
 *   [ringmon] 3 alarms: 2 CRITICAL, 1 recovered
 */
import type { AlarmStatus } from '../alarms/model.js';
import { describeEvent, headline, oneLine } from './format.js';
import type { AlarmNotice, Payload } from './model.js';
import { renderText } from './template.js';
import type { CompiledTemplate } from './template-set.js';

export const SUBJECT_PREFIX = '[ringmon]';

/** Worst first, so the summary leads with what matters. */
const STATUS_ORDER: readonly AlarmStatus[] = ['CRITICAL', 'NODATA', 'WARNING', 'OK'];

/** The subject of a message of `payloads`; a template's subject for a single notice. Longest MAX_SUBJECT characters. */
export function subjectOf(payloads: readonly Payload[], template?: CompiledTemplate): string {
  const notices = payloads.flatMap((p) => (p.kind === 'alarm' ? [p.notice] : []));
  if (notices.length < payloads.length) {
    // A report is always a message of its own (outbox-store.ts), so this holds one.
    const report = payloads.find((p) => p.kind === 'report');
    return oneLine(report?.kind === 'report' ? report.report.subject : `${SUBJECT_PREFIX} report`);
  }
  if (notices.length === 1 && template?.subject !== undefined) return bounded(oneLine(renderText(template.subject, notices[0], oneLine)));
  if (notices.length === 1) return bounded(oneLine(`${SUBJECT_PREFIX} ${headline(notices[0])} ${describeEvent(notices[0])}`));
  return `${SUBJECT_PREFIX} ${notices.length} alarms: ${summary(notices)}`;
}

/** A subject's most characters: a display name, a threshold and a message of a node can be long; a mail header should not be. */
export const MAX_SUBJECT = 500;

function bounded(subject: string): string {
  return subject.length > MAX_SUBJECT ? `${subject.slice(0, MAX_SUBJECT - 3)}...` : subject;
}

/** `2 CRITICAL, 1 WARNING, 1 recovered`. */
function summary(notices: readonly AlarmNotice[]): string {
  const counts = new Map<string, number>();
  const sorted = [...notices].sort((a, b) => rank(a) - rank(b));
  for (const notice of sorted) {
    const label = notice.kind === 'recovery' ? 'recovered' : notice.status;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => `${n} ${label}`).join(', ');
}

function rank(notice: AlarmNotice): number {
  return notice.kind === 'recovery' ? STATUS_ORDER.length : STATUS_ORDER.indexOf(notice.status);
}
