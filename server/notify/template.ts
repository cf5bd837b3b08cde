/**
 * Message templates (notify.templates): a subject and bodies written by the
 * operator, with placeholders for what a notice tells, and nothing else.
 *
 *   subject: '[{{status}}] {{name}}: {{value}} {{unit}} since {{for}}'
 *
 * The language is `{{placeholder}}` (spaces inside the braces allowed) and
 * literal text: no expressions, no loops, no code. A template is compiled
 * once, at config load: an unknown placeholder or a stray `{{` / `}}` is a
 * config error naming the key. Rendering never throws. Values are escaped
 * for HTML in an html body, and made one line in a subject. A template
 * describes one notice: a message carrying several has each notice's body
 * in turn and the built-in summary subject.
 */
import { describeEvent, formatQuantity, formatTime, formatValue, headline, lastSampleText, oneLine } from './format.js';
import { formatElapsed } from '../../lib/duration.js';
import type { AlarmNotice } from './model.js';

/** Every placeholder, and what it gives; the one list both the check and the renderer use. */
const VALUES = {
  series: (n) => n.series,
  displayName: (n) => n.displayName ?? '',
  /** The display name, or the series for a node without one. */
  name: (n) => n.displayName ?? n.series,
  value: (n) => (n.value === null ? '' : formatValue(n.value)),
  unit: (n) => n.unit ?? '',
  /** The value and its unit: `30.0 hours`. */
  quantity: (n) => (n.value === null ? '' : formatQuantity(n.value, n.unit)),
  status: (n) => n.status,
  /** `CRITICAL`, `RECOVERED`, `still CRITICAL`, `CRITICAL after downtime`. */
  event: (n) => headline(n),
  /** The built-in one-line description: `Broker two: broker.b02.age = 30.0 hours (> 24)`. */
  summary: (n) => describeEvent(n),
  threshold: (n) => n.threshold ?? '',
  previous: (n) => (n.kind === 'problem' && n.previous === 'OK' ? '' : n.previous),
  since: (n) => formatTime(n.since),
  for: (n) => formatElapsed(n.at - n.since),
  at: (n) => formatTime(n.at),
  lastSample: (n) => (n.lastSampleAt === undefined ? '' : lastSampleText(n.lastSampleAt, n.at)),
  rule: (n) => n.rule,
  message: (n) => oneLine(n.message ?? ''),
  downtime: (n) => (n.downtime === undefined ? '' : `${n.downtime.kind} downtime #${n.downtime.id}: ${n.downtime.reason}`),
  link: (n) => n.graphUrl ?? '',
} satisfies Record<string, (notice: AlarmNotice) => string>;

export type Placeholder = keyof typeof VALUES;
export const PLACEHOLDERS = Object.keys(VALUES) as readonly Placeholder[];

/** Bounds of a template's parts, enforced by the config schema. */
export const MAX_SUBJECT_TEMPLATE = 500;
export const MAX_BODY_TEMPLATE = 16_384;

/** A template's text, split into literal text and placeholders. */
export type CompiledText = readonly (string | { readonly placeholder: Placeholder })[];

const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The compiled text, or the problem with it (naming the placeholder at fault). */
export function compileText(text: string): CompiledText | { readonly problem: string } {
  const parts: (string | { placeholder: Placeholder })[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const name = match[1];
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      return { problem: `has an unknown placeholder {{${name}}}; known are ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}` };
    }
    parts.push(text.slice(last, match.index), { placeholder: name as Placeholder });
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  const stray = parts.find((p) => typeof p === 'string' && (p.includes('{{') || p.includes('}}')));
  if (stray !== undefined) return { problem: 'has a {{ or }} that is not a placeholder ({{name}}, letters only)' };
  return parts.filter((p) => p !== '');
}

/**
 * Most characters one notice's rendering may have: a 16 KiB template full of
 * `{{message}}` would otherwise make megabytes per notice, and a message
 * carries up to 100 notices (outbox-store.ts MAX_NOTICES_PER_MESSAGE).
 */
export const MAX_RENDERED = 32_768;

/** `text` with each placeholder's value for `notice`, passed through `escape` (identity for text, escapeHtml for HTML); cut at MAX_RENDERED characters. */
export function renderText(text: CompiledText, notice: AlarmNotice, escape: (value: string) => string = (v) => v): string {
  let out = '';
  for (const part of text) {
    out += typeof part === 'string' ? part : escape(VALUES[part.placeholder](notice));
    if (out.length > MAX_RENDERED) return `${out.slice(0, MAX_RENDERED - 3)}...`;
  }
  return out;
}
