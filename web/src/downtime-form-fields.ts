/**
 * Which form field a problem the API reports belongs to (`body/end` → the
 * "to" field), and the draft the form sends. Problems naming no field of
 * the form are shown above it.
 */
import type { DowntimeDraft, DowntimeKind, Problem } from './api-types.js';

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
