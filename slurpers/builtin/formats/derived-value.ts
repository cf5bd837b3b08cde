/**
 * The value a json series mapping gives for one match: the number found, or
 * a value derived from it without code —
 *
 *   since: hours     the age of the timestamp found (timestamp.ts), in the
 *                    unit named, counted from the run's start (ctx.now); a
 *                    timestamp in the future gives a negative age, kept so
 *                    a skewed clock shows
 *   divideBy: path   the number found divided by the number at `path`, read
 *                    in the element the path's last wildcard took (the
 *                    document when it has none): errors / imports. A zero,
 *                    missing or non-numeric denominator gives unknown (null),
 *                    never an infinity or a zero
 *
 * Every derived value is a gauge. Problems come back as text for the log;
 * the value is then null (a gap).
 */
import type { PathMatch } from './json-path.js';
import { compilePath, evaluatePath } from './json-path.js';
import { timestampOf, type EpochUnit } from './timestamp.js';

export const AGE_UNITS = { seconds: 1, minutes: 60, hours: 3600, days: 86400 } as const;
export type AgeUnit = keyof typeof AGE_UNITS;

export interface Derivation {
  readonly since?: AgeUnit;
  /** How a numeric timestamp counts; default seconds. */
  readonly epoch?: EpochUnit;
  readonly divideBy?: string;
}

/** A JSON value as a sample value: numbers, numeric text, booleans as 1/0; null or missing is null; anything else is not a number (undefined). */
export function numberOf(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

const shown = (value: unknown): string => JSON.stringify(value)?.slice(0, 40) ?? 'nothing';

/** The match's value, derived as `how` says, at `now` (Unix seconds); throws when divideBy does not compile. */
export function deriveValue(document: unknown, match: PathMatch, how: Derivation, now: number): { value: number | null; problem?: string } {
  let value: number | null;
  if (how.since !== undefined) {
    if (match.value === null || match.value === undefined) return { value: null };
    const time = timestampOf(match.value, how.epoch ?? 'seconds');
    if (time === undefined) return { value: null, problem: `${shown(match.value)} is not an ISO 8601 timestamp or a number of ${how.epoch ?? 'seconds'}` };
    value = (now - time) / AGE_UNITS[how.since];
  } else {
    const n = numberOf(match.value);
    if (n === undefined) return { value: null, problem: `${shown(match.value)} is not a number` };
    value = n;
  }
  if (how.divideBy === undefined || value === null) return { value };
  const scope = match.elements.length > 0 ? match.elements[match.elements.length - 1] : document;
  const [found] = evaluatePath(scope, compilePath(how.divideBy));
  const denominator = numberOf(found?.value);
  if (denominator === undefined) return { value: null, problem: `divideBy ${how.divideBy}: ${shown(found?.value)} is not a number` };
  // 0 errors of 0 imports is no rate at all: unknown, not 0 and not Infinity.
  return { value: denominator === null || denominator === 0 ? null : value / denominator };
}
