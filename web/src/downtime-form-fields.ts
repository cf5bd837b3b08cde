/**
 * Which form field a problem the API reports belongs to (`body/end` → the
 * "to" field), and the draft the form sends. Problems naming no field of
 * the form are shown above it. Editing, the form starts from a downtime's
 * values and sends only what changed.
 */
import type { Downtime, DowntimeDraft, DowntimeKind, DowntimePatch, Problem } from './api-types.js';
import { zonedInput } from './wall-time.js';

export const FORM_FIELDS = ['kind', 'scope', 'start', 'end', 'recurrence', 'timezone', 'reason'] as const;
export type FormField = (typeof FORM_FIELDS)[number];

const BY_API_FIELD: Record<string, FormField> = {
  kind: 'kind',
  scope: 'scope',
  start: 'start',
  end: 'end',
  rrule: 'recurrence',
  timezone: 'timezone',
  reason: 'reason',
};

/** The form field of an API field name such as `body/scope/series/0`; undefined when none fits. */
function formFieldOf(apiField: string): FormField | undefined {
  const [where, name] = apiField.split('/');
  return where === 'body' && name !== undefined ? BY_API_FIELD[name] : undefined;
}

export interface FieldProblems {
  readonly byField: Partial<Record<FormField, string>>;
  readonly other: string[];
}

export function sortProblems(problems: readonly Problem[]): FieldProblems {
  const byField: Partial<Record<FormField, string>> = {};
  const other: string[] = [];
  for (const p of problems) {
    const field = formFieldOf(p.field);
    if (field === undefined) other.push(`${p.field}: ${p.message}`);
    else byField[field] = byField[field] ? `${byField[field]}; ${p.message}` : p.message;
  }
  return { byField, other };
}

export interface FormValues {
  readonly kind: DowntimeKind;
  /** Patterns separated by commas or spaces. */
  readonly scope: string;
  /** `datetime-local` values: wall time in `timezone`. */
  readonly start: string;
  readonly end: string;
  readonly rrule: string;
  readonly timezone: string;
  readonly reason: string;
}

export function draftOf(v: FormValues): DowntimeDraft {
  const draft: DowntimeDraft = {
    kind: v.kind,
    scope: { series: v.scope.split(/[\s,]+/).filter((s) => s !== '') },
    reason: v.reason,
    timezone: v.timezone || 'UTC',
  };
  // An empty start means now, as the API takes it.
  if (v.start) draft.start = v.start;
  if (v.end) draft.end = v.end;
  if (v.rrule) draft.rrule = v.rrule;
  return draft;
}

/** The form's values showing a stored downtime: its first window as wall time in its own zone. */
export function valuesOfDowntime(d: Downtime): FormValues {
  const input = (iso: string | null) => (iso === null ? '' : zonedInput(Date.parse(iso) / 1000, d.timezone));
  return { kind: d.kind, scope: d.scope.series.join(', '), start: input(d.start), end: input(d.end), rrule: d.rrule ?? '', timezone: d.timezone, reason: d.reason };
}

/**
 * The form's values for a new planned downtime over [start, end] (Unix
 * seconds, to the nearest minute) of `series`, in `zone`: what a range
 * selected on a graph files.
 */
export function valuesOfRange(series: readonly string[], start: number, end: number, zone: string): FormValues {
  // The form holds minutes: each end goes to the nearest, so neither side of the span is cut by up to a minute.
  const minute = (t: number) => zonedInput(Math.round(t / 60) * 60, zone);
  return { kind: 'planned', scope: series.join(', '), start: minute(start), end: minute(end), rrule: '', timezone: zone, reason: '' };
}

/**
 * The PATCH of an edit: each field whose value differs from `before`. An
 * unchanged start is left out, so a start to the second is not cut to the
 * form's minute; a time read in another zone is sent with that zone. An
 * emptied end or rule is null (open; no longer recurring).
 */
export function changesOf(before: FormValues, after: FormValues): DowntimePatch {
  const draft = draftOf(after);
  const changes: DowntimePatch = {};
  const zoneChanged = after.timezone !== before.timezone;
  if (after.kind !== before.kind) changes.kind = draft.kind;
  if (draft.scope.series.join(',') !== draftOf(before).scope.series.join(',')) changes.scope = draft.scope;
  if (zoneChanged) changes.timezone = draft.timezone;
  if (after.start && (after.start !== before.start || zoneChanged)) changes.start = after.start;
  if (after.end !== before.end || (zoneChanged && after.end)) changes.end = after.end || null;
  if (after.rrule !== before.rrule) changes.rrule = after.rrule || null;
  if (after.reason !== before.reason) changes.reason = after.reason;
  return changes;
}
