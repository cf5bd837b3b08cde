/**
 * From `archives` rules (config-section.ts) to archive definitions. A series' archive is one
 * data source, named SERIES_DS_NAME, with the RRAs of the first rule whose
 * `match` fits the series name (config-schema/series-glob.ts), or of `archives.default`
 * when configured, or else the built-in template (default-template.ts) at the
 * series' step: the rules and a configured default win over any cadence.
 *
 * A rule's fields, and what is assumed when they are left out:
 *   step        seconds per primary data point; required with rras, and with
 *               retentions the first retention's precision
 *   type        GAUGE
 *   heartbeat   two steps (the template's own: default-template.ts)
 *   min, max    none (rrdtool's U)
 *   rras        rrdtool RRA strings, parsed by the archive engine (parseRra)
 *   retentions  Graphite retentions, one RRA per CF in `cfs` (default AVERAGE)
 *               with Graphite's xFilesFactor `xff` (default 0.5) (parseRetentions)
 * Exactly one of rras and retentions.
 *
 * The loader checks every rule (checkArchiveRule) so that a bad RRA string
 * stops the server at start; definitionForSeries then never fails on a
 * loaded config.
 */
import {
  InvalidDefinitionError,
  parseRetentions,
  parseRra,
  validateDefinition,
  type ArchiveDefinition,
  type ConsolidationFunction,
  type DsType,
  type RraDefinition,
} from '../../archive/index.js';
import { ConfigError, formatKeyPath, seriesGlob, type KeyPath, type ReportProblem } from '../config-schema/index.js';
import { templateDefinition } from './default-template.js';

/**
 * One rule as loaded (durations in seconds), the shape config-section.ts
 * describes; `archives.rules[i]` also has its `match`.
 */
export interface ArchiveRuleSettings {
  readonly step?: number;
  readonly type: DsType;
  readonly heartbeat?: number;
  readonly min?: number;
  readonly max?: number;
  readonly rras?: readonly string[];
  readonly retentions?: string;
  readonly cfs?: readonly ConsolidationFunction[];
  readonly xff?: number;
}

/** The `archives` setting definitionForSeries reads: rules with their patterns, and the default if configured. */
export interface ArchiveRules {
  readonly rules: readonly (ArchiveRuleSettings & { readonly match: string })[];
  readonly default?: ArchiveRuleSettings;
}

/** The template's step for a series whose cadence nobody knows (a declared kind with no interval): one minute. */
export const UNKNOWN_CADENCE_STEP = 60;

/** The name of a series archive's one data source, as `ringmon archive dump` shows it. */
export const SERIES_DS_NAME = 'value';

/** Runs a parser of the archive engine; its InvalidDefinitionError becomes a problem at `path`. */
function attempt<T>(report: ReportProblem, path: KeyPath, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof InvalidDefinitionError)) throw e;
    report(path, e.message);
    return undefined;
  }
}

/** The step of a rule: as given, or for retentions the first precision (parsed with a 1 s step, so pdpPerRow is seconds). */
function ruleStep(rule: ArchiveRuleSettings, report: ReportProblem): number | undefined {
  if (rule.step !== undefined) return rule.step;
  if (rule.retentions === undefined) {
    report(['step'], 'is required with rras, whose steps and rows count steps');
    return undefined;
  }
  return attempt(report, ['retentions'], () => parseRetentions(rule.retentions ?? '', { step: 1, cfs: ['AVERAGE'] })[0].pdpPerRow);
}

function ruleRras(rule: ArchiveRuleSettings, step: number, report: ReportProblem): RraDefinition[] | undefined {
  if (rule.retentions !== undefined) {
    const options = { step, cfs: rule.cfs ?? ['AVERAGE'], xff: rule.xff };
    return attempt(report, ['retentions'], () => parseRetentions(rule.retentions ?? '', options));
  }
  const rras = (rule.rras ?? []).map((text, i) => attempt(report, ['rras', i], () => parseRra(text, step)));
  return rras.every((rra) => rra !== undefined) ? (rras as RraDefinition[]) : undefined;
}

/**
 * The definition a rule gives, or undefined after reporting every problem
 * found (paths relative to the rule). Never throws for a bad rule.
 */
export function checkArchiveRule(rule: ArchiveRuleSettings, report: ReportProblem): ArchiveDefinition | undefined {
  const hasRras = rule.rras !== undefined;
  const hasRetentions = rule.retentions !== undefined;
  if (hasRras === hasRetentions) {
    report([], hasRras ? 'has both rras and retentions; give one of them' : 'needs rras (rrdtool RRA strings) or retentions (Graphite retentions)');
    return undefined;
  }
  let ok = true;
  for (const key of ['cfs', 'xff'] as const) {
    if (hasRras && rule[key] !== undefined) {
      report([key], 'applies only with retentions; each RRA string carries its own CF and xff');
      ok = false;
    }
  }
  if (rule.min !== undefined && rule.max !== undefined && !(rule.min < rule.max)) {
    report(['min'], `${rule.min} must be less than max ${rule.max}`);
    ok = false;
  }
  const step = ruleStep(rule, report);
  const rras = step === undefined ? undefined : ruleRras(rule, step, report);
  if (!ok || step === undefined || rras === undefined) return undefined;
  const definition: ArchiveDefinition = {
    step,
    dataSources: [{ name: SERIES_DS_NAME, type: rule.type, heartbeat: rule.heartbeat ?? 2 * step, min: rule.min ?? NaN, max: rule.max ?? NaN }],
    rras,
  };
  return attempt(report, [], () => {
    validateDefinition(definition);
    return definition;
  });
}

/** The index of the first rule matching `seriesName`, -1 for none. */
function ruleIndex(rules: ArchiveRules['rules'], seriesName: string): number {
  // Patterns are compiled per call: this runs once per new series, and a config stays plain data.
  return rules.findIndex((rule) => seriesGlob(rule.match).test(seriesName));
}

/** Whether the config decides `seriesName`'s archive (a rule matches, or `archives.default` is configured), so its cadence does not matter. */
export function configDecides(config: { readonly archives: ArchiveRules }, seriesName: string): boolean {
  return config.archives.default !== undefined || ruleIndex(config.archives.rules, seriesName) !== -1;
}

/**
 * The archive definition for a new series: the first rule whose pattern
 * matches `seriesName`, else `archives.default` when configured, else the
 * built-in template at `step` (default UNKNOWN_CADENCE_STEP) — with the DS
 * type `kindHint` when given (a slurper saying its series is a COUNTER): a
 * rule the operator wrote always wins over the hint, and over the step. The
 * name is not checked here (see checkSeriesName). Throws ConfigError only
 * for a config that did not come from loadConfig and holds a bad rule.
 */
export function definitionForSeries(config: { readonly archives: ArchiveRules }, seriesName: string, kindHint?: DsType, step?: number): ArchiveDefinition {
  const { rules, default: fallback } = config.archives;
  const index = ruleIndex(rules, seriesName);
  if (index === -1 && fallback === undefined) return templateDefinition(step ?? UNKNOWN_CADENCE_STEP, kindHint ?? 'GAUGE', SERIES_DS_NAME);
  const at: KeyPath = index === -1 ? ['archives', 'default'] : ['archives', 'rules', index];
  const problems: { key: string; message: string }[] = [];
  const definition = checkArchiveRule(index === -1 ? (fallback as ArchiveRuleSettings) : rules[index], (path, message) => {
    problems.push({ key: formatKeyPath([...at, ...path]), message });
  });
  if (definition === undefined) throw new ConfigError(undefined, problems);
  if (index !== -1 || kindHint === undefined) return definition;
  return { ...definition, dataSources: definition.dataSources.map((ds) => ({ ...ds, type: kindHint })) };
}
