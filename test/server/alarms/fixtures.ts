/** Alarm settings as loadConfig returns them (defaults filled in), built in code. */
import type { AlarmRuleSetting } from '../../../server/alarms/config-section.js';
import { DEFAULT_MAX_PENDING_TRANSITIONS } from '../../../server/alarms/pending-changes.js';
import { compileRules, type AlarmsSettings, type RuleSet } from '../../../server/alarms/rule-set.js';

type RuleInput = Pick<AlarmRuleSetting, 'name' | 'match'> & Partial<AlarmRuleSetting>;
type OfferedInput = Partial<AlarmsSettings['offered']>;

export function ruleSetting(input: RuleInput): AlarmRuleSetting {
  return { for: 0, hysteresis: 0, notify: [], ...input };
}

export function alarmsSettings(rules: readonly RuleInput[], offered: OfferedInput = {}): AlarmsSettings {
  return {
    rules: rules.map(ruleSetting),
    recipients: [],
    offered: { enabled: true, for: 0, notify: [], ...offered },
    groupWait: 1,
    maxPendingTransitions: DEFAULT_MAX_PENDING_TRANSITIONS,
  };
}

export function ruleSet(rules: readonly RuleInput[], offered: OfferedInput = {}): RuleSet {
  return compileRules(alarmsSettings(rules, offered));
}
