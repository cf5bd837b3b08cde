/**
 * A message's subject: specific for one notice, a summary for a group, the
 * report's own for a report.
 *
 *   [ringmon] CRITICAL host.web01.cpu.user = 97.2 (> 95)
 *   [ringmon] RECOVERED host.web01.cpu.user = 42 (was CRITICAL)
 *   [ringmon] 3 alarms: 2 CRITICAL, 1 recovered
 */
import type { AlarmStatus } from '../alarms/model.js';
import { describeEvent, headline, oneLine } from './format.js';
import type { AlarmNotice, Payload } from './model.js';

export const SUBJECT_PREFIX = '[ringmon]';

/** Worst first, so the summary leads with what matters. */
const STATUS_ORDER: readonly AlarmStatus[] = ['CRITICAL', 'NODATA', 'WARNING', 'OK'];

export function subjectOf(payloads: readonly Payload[]): string {
  const notices = payloads.flatMap((p) => (p.kind === 'alarm' ? [p.notice] : []));
  if (notices.length < payloads.length) {
    // A report is always a message of its own (outbox-store.ts), so this holds one.
    const report = payloads.find((p) => p.kind === 'report');
    return oneLine(report?.kind === 'report' ? report.report.subject : `${SUBJECT_PREFIX} report`);
  }
  if (notices.length === 1) return oneLine(`${SUBJECT_PREFIX} ${headline(notices[0])} ${describeEvent(notices[0])}`);
  return `${SUBJECT_PREFIX} ${notices.length} alarms: ${summary(notices)}`;
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
