/**
 * Schema pieces the `alarms` and `reports` sections (server/alarms,
 * server/reports) share: the narrow
 * alphabet of rule, recipient and report names, and the `match` setting
 * (one series pattern or several) with its check.
 */
import { Type, type TString } from 'typebox';
import type { KeyPath, ReportProblem } from './errors.js';
import { EXPECTED } from './leaf-schemas.js';
import { checkSeriesGlob } from './series-glob.js';

const NAME = '^[a-z0-9][a-z0-9_-]*$';
const NAME_RULE = 'lower-case letters, digits, _ and -, starting with a letter or digit';

/** A name of that alphabet; `what` names it in errors ("a rule name"). */
export function nameSchema(what: string, options: { readonly maxLength?: number } = {}): TString {
  return Type.String({ pattern: NAME, ...options, [EXPECTED]: `${what} (${NAME_RULE})` });
}

/** One series pattern or a list of them (series-glob.ts). */
export function matchSchema(options: { readonly default?: string } = {}) {
  return Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })], { ...options, [EXPECTED]: 'a series pattern or a list of them' });
}

/** Reports each bad pattern of a `match` setting at `at` (a single string) or `[...at, j]` (the j-th of a list). */
export function checkMatch(match: string | readonly string[], at: KeyPath, report: ReportProblem): void {
  const patterns = typeof match === 'string' ? [match] : match;
  patterns.forEach((pattern, j) => {
    const problem = checkSeriesGlob(pattern);
    if (problem !== undefined) report(typeof match === 'string' ? [...at] : [...at, j], problem);
  });
}
