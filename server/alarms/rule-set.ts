/**
 * The `alarms` section compiled for the evaluator: which rule alarms a
 * series (the first whose patterns match), asked once per series and then
 * remembered, since the answer is looked up for every new series the
 * store sees.
 *
 * A rule's settings may come from the metadata of the series' node
 * (`{ meta: <field>, default: <value> }`, server/metadata setting.ts):
 * ruleFor(series) answers the rule specialised for the series' node, one
 * rule object per rule and node, so the evaluator and the engine see plain
 * values. `rules` holds each rule as it is for a series no node of the file
 * claims (every reference at its default). A node's field the setting
 * refuses (not a duration, out of bounds, not a threshold) is reported to
 * onProblem once and the default used. A rule set is compiled against one
 * metadata snapshot: when the metadata changes, the engine compiles a new
 * one (AlarmEngine.refreshRules), which is how the cache is invalidated.
 */
import { seriesGlob, type SeriesMatcher } from '../config-schema/index.js';
import { EMAIL_ADDRESS, EMPTY_METADATA, readMetaDuration, resolveSetting, type MetadataSnapshot, type MetaValue, type NodeMeta, type ReadMeta } from '../metadata/index.js';
import { MAX_UNIT_LENGTH, RULE_DURATION_BOUNDS, thresholdRange, type AlarmsSettings, type ThresholdSetting } from './config-section.js';
import { OFFERED_RULE, type AlarmRule, type StateSetRule, type Thresholds } from './model.js';
import type { NagiosRange } from './nagios-range.js';
import { compileStateSet } from './state-set.js';
import { MAX_STATE_SET_SIZE } from './state-set-setting.js';

export type { AlarmsSettings };

/** One `alarms.rules` entry as loaded. */
type RuleSetting = AlarmsSettings['rules'][number];

/**
 * The rules of one configuration and one metadata snapshot. Never throws
 * after compileRules returned; the answers do not change for the life of
 * the set.
 */
export interface RuleSet {
  /** The rules of the config, in their order (for GET /api/v1/rules), at their defaults. */
  readonly rules: readonly AlarmRule[];
  /** The first config rule whose patterns match `series`, specialised for its node; undefined when none matches. */
  ruleFor(series: string): AlarmRule | undefined;
  /** The implicit rule of series alarmed only by thresholds a slurper offers; undefined when `offered.enabled` is false. */
  offeredRule(): AlarmRule | undefined;
  /** The display name (`name`) of the series' node in the metadata; undefined when it has none. */
  displayNameOf(series: string): string | undefined;
}

/**
 * Compiles the section as loadConfig returns it (validated, defaults filled
 * in, durations in seconds) against `metadata`. Throws Error for a
 * threshold or pattern the section's check would have refused, which means
 * it was bypassed. `onProblem` hears of each node field refused.
 */
export function compileRules(alarms: AlarmsSettings, metadata: MetadataSnapshot = EMPTY_METADATA, onProblem: (problem: string) => void = () => undefined): RuleSet {
  const compiled = alarms.rules.map((setting) => {
    const match = typeof setting.match === 'string' ? [setting.match] : [...setting.match];
    return { setting, match, patterns: match.map(seriesGlob), base: specialise(setting, match, undefined, (p) => { throw new Error(p); }), byNode: new Map<string, AlarmRule>() };
  });
  const rules = Object.freeze(compiled.map(({ base }) => base));
  const offered = alarms.offered.enabled
    ? freezeRule({
        name: OFFERED_RULE,
        match: [],
        thresholds: {},
        forSeconds: alarms.offered.for,
        hysteresis: 0,
        nodataSeconds: undefined,
        notify: [...alarms.offered.notify],
        renotifySeconds: alarms.offered.renotify,
      })
    : undefined;
  // null remembers "no rule", which is the answer for most series.
  const answers = new Map<string, AlarmRule | null>();
  const usesMeta = compiled.some(({ setting }) => JSON.stringify(setting).includes('"meta"'));

  return {
    rules,
    ruleFor(series) {
      let answer = answers.get(series);
      if (answer === undefined) {
        const found = compiled.find(({ patterns }) => matches(patterns, series));
        const node = usesMeta && found !== undefined ? metadata.nodeOf(series) : undefined;
        answer = found === undefined ? null : node === undefined ? found.base : nodeRule(found, node);
        answers.set(series, answer);
      }
      return answer ?? undefined;
    },
    offeredRule: () => offered,
    displayNameOf: (series) => metadata.nodeOf(series)?.name,
  };

  function nodeRule(found: (typeof compiled)[number], node: NodeMeta): AlarmRule {
    let rule = found.byNode.get(node.id);
    if (rule === undefined) found.byNode.set(node.id, (rule = specialise(found.setting, found.match, node, (p) => onProblem(`alarm rule '${found.setting.name}', ${p}: the default is used`))));
    return rule;
  }
}

function matches(patterns: readonly SeriesMatcher[], series: string): boolean {
  return patterns.some((pattern) => pattern.test(series));
}

/** The rule with every metadata reference resolved for `node` (undefined: at the defaults). */
function specialise(setting: RuleSetting, match: readonly string[], node: NodeMeta | undefined, problem: (message: string) => void): AlarmRule {
  const resolved = <T>(value: Parameters<typeof resolveSetting<T>>[0], read: ReadMeta<T>): T | undefined => {
    const r = resolveSetting(value, node, read);
    if (r.problem !== undefined) problem(r.problem);
    return r.value;
  };
  const threshold = (level: keyof Thresholds): NagiosRange | undefined => {
    const value = resolved<ThresholdSetting>(setting[level], readThreshold(setting.hysteresis));
    return value === undefined ? undefined : ruleThreshold(setting.name, level, value);
  };
  // A set's good values may come from the node (`ok: { meta: ok_states, default: [6] }`); none resolved: no set.
  const states = (): StateSetRule | undefined => {
    const ok = setting.states && resolved<readonly number[]>(setting.states.ok, readOkSet);
    return setting.states && ok && compileStateSet({ ...setting.states, ok: [...ok] });
  };
  const duration = (key: keyof typeof RULE_DURATION_BOUNDS): number | undefined => resolved<number>(setting[key], readMetaDuration(RULE_DURATION_BOUNDS[key][0], RULE_DURATION_BOUNDS[key][1]));
  return freezeRule({
    name: setting.name,
    match: [...match],
    thresholds: { warning: threshold('warning'), critical: threshold('critical') },
    forSeconds: duration('for') ?? 0,
    hysteresis: setting.hysteresis,
    nodataSeconds: duration('nodata'),
    notify: [...new Set(setting.notify.flatMap((entry) => (typeof entry === 'string' ? [entry] : addresses(node, entry.meta, problem))))],
    renotifySeconds: duration('renotify'),
    states: states(),
    ...unitOf(resolved<string>(setting.unit, readUnit)),
  });
}

/** A node field read as a threshold: a number (Nagios `0:N`, i.e. above N for values ≥ 0) or a range or comparison. */
function readThreshold(hysteresis: number): ReadMeta<ThresholdSetting> {
  return (value) => {
    if (typeof value !== 'number' && typeof value !== 'string') return { problem: 'is a list, not a threshold' };
    const range = thresholdRange(value);
    if (typeof range === 'string') return { problem: range };
    if (!range.inside && range.high - range.low < 2 * hysteresis) return { problem: `leaves no value inside ${range.text} that clears the alarm with the rule's hysteresis ${hysteresis}` };
    return value;
  };
}

/** A node field read as a unit: a short string on one line (a number is written as it is: `1000 ms` would rather be a string). */
const readUnit: ReadMeta<string> = (value) => {
  if (typeof value !== 'string' && typeof value !== 'number') return { problem: 'is a list, not a unit' };
  const unit = String(value);
  return unit.length > MAX_UNIT_LENGTH || /[\u0000-\u001f\u007f]/.test(unit) ? { problem: `is not a unit of 1 to ${MAX_UNIT_LENGTH} characters on one line` } : unit;
};

function unitOf(unit: string | undefined): { unit?: string } {
  return unit === undefined ? {} : { unit };
}

/** A node field read as a set of good values: a number, or a list of 1 to MAX_STATE_SET_SIZE numbers. */
const readOkSet: ReadMeta<readonly number[]> = (value) => {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.length > MAX_STATE_SET_SIZE || list.some((v) => typeof v !== 'number')) return { problem: `must be a number or a list of 1 to ${MAX_STATE_SET_SIZE} numbers` };
  return list as number[];
};

/** The e-mail addresses in the node's field `field` (none for a series no node claims, or a node without it). */
function addresses(node: NodeMeta | undefined, field: string, problem: (message: string) => void): string[] {
  const value: MetaValue | undefined = node?.fields[field];
  if (value === undefined) return [];
  const list = (Array.isArray(value) ? value : [value]) as (string | number)[];
  const good = list.filter((a): a is string => typeof a === 'string' && EMAIL_ADDRESS.test(a));
  if (good.length < list.length) problem(`node '${node?.id}', field '${field}': holds values that are not e-mail addresses (left out)`);
  return good;
}

function ruleThreshold(rule: string, level: keyof Thresholds, setting: ThresholdSetting): NagiosRange {
  const range = thresholdRange(setting);
  if (typeof range === 'string') throw new Error(`alarm rule '${rule}', ${level}: ${range}`);
  return range;
}

function freezeRule(rule: AlarmRule): AlarmRule {
  Object.freeze(rule.match);
  Object.freeze(rule.notify);
  Object.freeze(rule.thresholds);
  return Object.freeze(rule);
}
