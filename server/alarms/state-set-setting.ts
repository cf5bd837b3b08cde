/**
 * A rule's `states` block in the config (semantics: state-set.ts), e.g.
 *
 *     states: { ok: [5, 6], window: 1m, require: all, level: critical }
 *
 * and what the section's check refuses beside it: thresholds, `for` and
 * hysteresis, which would mean a second way to be bad or a second delay.
 */
import { Type, type Static } from 'typebox';
import { durationSeconds, EXPECTED, strictObject, type ReportProblem } from '../config-schema/index.js';

/** Codes are a handful; a longer list is a mistake or a range, which thresholds say better. */
export const MAX_STATE_SET_SIZE = 256;

export const StateSetSchema = strictObject({
  /** The good values. */
  ok: Type.Array(Type.Number({ [EXPECTED]: 'a number' }), {
    minItems: 1,
    maxItems: MAX_STATE_SET_SIZE,
    [EXPECTED]: `a list of 1 to ${MAX_STATE_SET_SIZE} numbers, the good values`,
  }),
  /** How far back the values are judged. */
  window: durationSeconds({ minimum: 1, maximum: 86_400 }),
  /** all: good only while every value of the window is in `ok`; any: while at least one is. */
  require: Type.Union([Type.Literal('all'), Type.Literal('any')], { default: 'all', [EXPECTED]: 'all or any' }),
  /** The level raised when the window fails. */
  level: Type.Union([Type.Literal('warning'), Type.Literal('critical')], { default: 'critical', [EXPECTED]: 'warning or critical' }),
});
export type StateSetSetting = Static<typeof StateSetSchema>;

/** The parts of a rule that may not stand beside a set. */
interface RuleBeside {
  /** Only whether there is one counts here (its `ok` may be a metadata reference). */
  readonly states?: object;
  readonly warning?: unknown;
  readonly critical?: unknown;
  /** A number, or a metadata reference (which the check refuses beside states too). */
  readonly for: unknown;
  readonly hysteresis: number;
}

/** Reports, under `at`, what a rule with a set may not also say. */
export function checkStateSetRule(rule: RuleBeside, at: readonly (string | number)[], report: ReportProblem): void {
  if (rule.states === undefined) return;
  for (const level of ['warning', 'critical'] as const) {
    if (rule[level] !== undefined) report([...at, level], 'cannot stand beside states: a rule judges a set of values or thresholds, not both (write two rules for two series)');
  }
  if (rule.for !== 0) report([...at, 'for'], 'does not apply to states: their window is the delay');
  if (rule.hysteresis !== 0) report([...at, 'hysteresis'], 'does not apply to states: a value is in the set or not');
}
