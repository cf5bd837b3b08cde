/**
 * The text and HTML bodies of an alarm message: for each notice what
 * happened, since when and for how long, the value (with its unit) against
 * the threshold, the check's message (when the series has one), the last
 * sample when it came before the event, the previous status when it says
 * something, the downtime in force and a link to the graph (with
 * alarms.publicUrl only). Everything that came from outside (series names, thresholds,
 * messages, downtime reasons, URLs) is escaped in the HTML; a message is
 * one line in both bodies.
 */
import { describeEvent, escapeHtml, formatQuantity, formatTime, headline, lastSampleText, oneLine, sinceText, tellsPrevious } from './format.js';
import type { AlarmNotice } from './model.js';
import { renderText, type CompiledText } from './template.js';
import type { CompiledTemplate } from './template-set.js';

export interface EmailBodies {
  readonly text: string;
  /** Absent for a template that gives text and no html: the message is text only. */
  readonly html?: string;
}

/** One labelled fact about a notice: the same lines feed both bodies. */
interface Fact {
  readonly label: string;
  readonly value: string;
  readonly href?: string;
}

function facts(notice: AlarmNotice): Fact[] {
  const list: Fact[] = [];
  if (notice.value !== null) list.push({ label: 'value', value: formatQuantity(notice.value, notice.unit) });
  if (notice.threshold !== null) list.push({ label: 'threshold', value: notice.threshold });
  if (notice.message !== undefined && oneLine(notice.message) !== '') list.push({ label: 'message', value: oneLine(notice.message) });
  // A recovery's status began at the event itself; for the others, how long it has lasted is the news.
  if (notice.kind === 'recovery') list.push({ label: 'at', value: formatTime(notice.at) });
  else list.push({ label: 'since', value: sinceText(notice) });
  // A sample after the event (several came before the notice was made) says nothing the event does not.
  if (notice.lastSampleAt !== undefined && notice.lastSampleAt < notice.at) list.push({ label: 'last sample', value: lastSampleText(notice.lastSampleAt, notice.at) });
  if (tellsPrevious(notice)) list.push({ label: 'was', value: notice.previous });
  list.push({ label: 'rule', value: notice.rule });
  if (notice.downtime !== undefined) {
    const { id, kind, reason } = notice.downtime;
    list.push({ label: 'downtime', value: `${kind} downtime #${id}: ${reason}` });
  }
  if (notice.graphUrl !== undefined) list.push({ label: 'graph', value: notice.graphUrl, href: notice.graphUrl });
  return list;
}

function intro(notices: readonly AlarmNotice[]): string {
  const at = formatTime(Math.max(...notices.map((n) => n.at)));
  return notices.length === 1 ? `ringmon alarm at ${at}` : `${notices.length} ringmon alarms, the last at ${at}`;
}

/** The bodies of a message of `notices`: the template's parts where it gives them (each notice in turn), the built-in ones where it does not. */
export function alarmBodies(notices: readonly AlarmNotice[], template?: CompiledTemplate): EmailBodies {
  const text = template?.text === undefined ? alarmText(notices) : `${notices.map((n) => renderText(template.text as CompiledText, n)).join('\n\n')}\n`;
  if (template?.html !== undefined) return { text, html: notices.map((n) => renderText(template.html as CompiledText, n, escapeHtml)).join('\n<hr>\n') };
  return template?.text === undefined ? { text, html: alarmHtml(notices) } : { text };
}

function alarmText(notices: readonly AlarmNotice[]): string {
  const blocks = notices.map((notice) => {
    const width = Math.max(...facts(notice).map((f) => f.label.length));
    const lines = facts(notice).map((f) => `  ${`${f.label}:`.padEnd(width + 1)} ${f.value}`);
    return [`${headline(notice)} ${describeEvent(notice)}`, ...lines].join('\n');
  });
  return `${intro(notices)}\n\n${blocks.join('\n\n')}\n`;
}

/** Colours of the status word; mail readers ignore style sheets, so styles are inline. */
const COLOURS: Readonly<Record<string, string>> = { CRITICAL: '#b00020', WARNING: '#a05a00', NODATA: '#555555', OK: '#1b7a2f' };

function alarmHtml(notices: readonly AlarmNotice[]): string {
  const sections = notices.map((notice) => {
    const colour = COLOURS[notice.kind === 'recovery' ? 'OK' : notice.status] ?? '#000000';
    const rows = facts(notice)
      .map((f) => {
        const value = f.href === undefined ? escapeHtml(f.value) : `<a href="${escapeHtml(f.href)}">${escapeHtml(f.value)}</a>`;
        return `<tr><th align="left" style="padding-right:1em">${escapeHtml(f.label)}</th><td>${value}</td></tr>`;
      })
      .join('\n');
    const title = `<h3 style="margin:1em 0 0.3em"><span style="color:${colour}">${escapeHtml(headline(notice))}</span> ${escapeHtml(describeEvent(notice))}</h3>`;
    return `${title}\n<table>\n${rows}\n</table>`;
  });
  return [
    '<!DOCTYPE html>',
    '<html><body style="font-family:sans-serif">',
    `<p>${escapeHtml(intro(notices))}</p>`,
    ...sections,
    '</body></html>',
    '',
  ].join('\n');
}
