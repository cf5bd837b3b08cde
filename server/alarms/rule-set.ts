/**
 * The `alarms` section compiled for the evaluator: which rule alarms a
 * series (the first whose patterns match), asked once per series and then
 * remembered, since the answer is looked up for every new series the
 * store sees.
 */
import { seriesGlob } from '../config-schema/index.js';
import { thresholdRange, type AlarmsSettings, type ThresholdSetting } from './config-section.js';
import { OFFERED_RULE, type AlarmRule, type Thresholds } from './model.js';
import type { NagiosRange } from './nagios-range.js';

export type { AlarmsSettings };

/**
 * The rules of one configuration. Never throws after compileRules returned;
 * the answers do not change for the life of the set.
 */
export interface RuleSet {
  /** The rules of the config, in their order (for GET /api/v1/rules). */
  readonly rules: readonly AlarmRule[];
  /** The first config rule whose patterns match `series`; undefined when none does. */
  ruleFor(series: string): AlarmRule | undefined;
  /** The implicit rule of series alarmed only by thresholds a slurper offers; undefined when `offered.enabled` is false. */
  offeredRule(): AlarmRule | undefined;
}

/**
 * Compiles the section as loadConfig returns it (validated, defaults filled
 * in, durations in seconds). Throws Error for a threshold or pattern the
 * section's check would have refused, which means it was bypassed.
 */
export function compileRules(alarms: AlarmsSettings): RuleSet {
  const compiled = alarms.rules.map((setting) => {
    const match = typeof setting.match === 'string' ? [setting.match] : [...setting.match];
    const rule: AlarmRule = {
      name: setting.name,
      match,
      thresholds: {
        warning: ruleThreshold(setting.name, 'warning', setting.warning),
        critical: ruleThreshold(setting.name, 'critical', setting.critical),
      },
      forSeconds: setting.for,
      hysteresis: setting.hysteresis,
      nodataSeconds: setting.nodata,
      notify: [...setting.notify],
      renotifySeconds: setting.renotify,
    };
    return { rule: freezeRule(rule), patterns: match.map(seriesGlob) };
  });
  const rules = Object.freeze(compiled.map(({ rule }) => rule));
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

  return {
    rules,
    ruleFor(series) {
      let answer = answers.get(series);
      if (answer === undefined) {
        answer = compiled.find(({ patterns }) => patterns.some((pattern) => pattern.test(series)))?.rule ?? null;
        answers.set(series, answer);
      }
      return answer ?? undefined;
    },
    offeredRule: () => offered,
  };
}

function ruleThreshold(rule: string, level: keyof Thresholds, setting: ThresholdSetting | undefined): NagiosRange | undefined {
  if (setting === undefined) return undefined;
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
