/**
 * Mapping values in a JSON document to check states: a set of values that
 * mean OK (and optionally a set that means WARNING), anything else is
 * `otherwise` (CRITICAL by default), and per-group overrides chosen by
 * another field of the same element, e.g. nodes of site-a are OK in {5, 6}
 * while every other node is OK only in {6}:
 *
 *     { path: 'nodes[*].currentState', series: 'node.{name}.state', ok: [6],
 *       overrideBy: 'site', overrides: { 'site-a': { ok: [5, 6] } } }
 *
 * Values compare as text, so 6 and "6" are the same state. `raw` names a
 * second series for the value itself, so that a 5 stays a 5 in mail and CSV. A missing or null
 * value is UNKNOWN. Instance state: the worst, in the order
 * OK < WARNING < UNKNOWN < CRITICAL.
 */
import type { CheckStatus } from '../../contract.js';
import { compilePath, evaluatePath, expandTemplate } from './json-path.js';

export type Scalar = string | number | boolean;

export interface StateSets {
  readonly ok: readonly Scalar[];
  readonly warning?: readonly Scalar[];
}

export interface StateRule extends StateSets {
  /** Where the values are; usually with a wildcard, one value per element. */
  readonly path: string;
  /** Series-name template for each value's state code (see STATUS_CODE). */
  readonly series: string;
  /** Series-name template for the raw value itself, kept beside its state code (5, where the state says 2). */
  readonly raw?: string;
  readonly otherwise?: 'WARNING' | 'CRITICAL' | 'UNKNOWN';
  /** A field of the element the last wildcard took, whose value picks an override. */
  readonly overrideBy?: string;
  readonly overrides?: Readonly<Record<string, Partial<StateSets>>>;
}

export interface MappedState {
  /** The series name, or a description of the element when the template failed. */
  readonly series: string;
  readonly seriesOk: boolean;
  /** The raw value's series name, when the rule asks for one and its template fits this element. */
  readonly raw?: string;
  readonly status: CheckStatus;
  readonly value: unknown;
}

/** As a series value: Nagios's exit codes. */
export const STATUS_CODE: Readonly<Record<CheckStatus, number>> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };
const SEVERITY: Readonly<Record<CheckStatus, number>> = { OK: 0, WARNING: 1, UNKNOWN: 2, CRITICAL: 3 };

export function worstStatus(a: CheckStatus, b: CheckStatus): CheckStatus {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

const inSet = (value: unknown, set: readonly Scalar[] | undefined): boolean =>
  set !== undefined && ['string', 'number', 'boolean'].includes(typeof value) && set.some((s) => String(s) === String(value));

/** The state of every value the rule's path selects; throws on a path that does not compile. */
export function mapStates(document: unknown, rule: StateRule): { states: MappedState[]; problems: string[] } {
  const problems: string[] = [];
  const overrideSteps = rule.overrideBy === undefined ? undefined : compilePath(rule.overrideBy);
  const states = evaluatePath(document, compilePath(rule.path)).map((match): MappedState => {
    let sets: StateSets = rule;
    if (overrideSteps && match.elements.length > 0) {
      const [by] = evaluatePath(match.elements[match.elements.length - 1], overrideSteps);
      const override = by && (typeof by.value === 'string' || typeof by.value === 'number') ? rule.overrides?.[String(by.value)] : undefined;
      if (override) sets = { ...rule, ...override };
    }
    const status: CheckStatus = match.value === undefined || match.value === null ? 'UNKNOWN'
      : inSet(match.value, sets.ok) ? 'OK'
      : inSet(match.value, sets.warning) ? 'WARNING'
      : rule.otherwise ?? 'CRITICAL';
    const named = expandTemplate(rule.series, match);
    if ('problem' in named) problems.push(`states ${JSON.stringify(rule.path)}: ${named.problem}`);
    const raw = rule.raw === undefined ? undefined : expandTemplate(rule.raw, match);
    if (raw && 'problem' in raw) problems.push(`states ${JSON.stringify(rule.path)} raw: ${raw.problem}`);
    const rawName = raw && 'name' in raw ? { raw: raw.name } : {};
    return 'name' in named ? { series: named.name, seriesOk: true, ...rawName, status, value: match.value }
      : { series: `${rule.path} [${match.keys.join(', ')}]`, seriesOk: false, status, value: match.value };
  });
  return { states, problems };
}
