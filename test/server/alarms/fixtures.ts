/** Alarm settings as loadConfig returns them (defaults filled in), built in code; an outbox that records; a log that says nothing. */
import type { AlarmNotice, NoticeSink } from '../../../server/alarms/index.js';
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

export const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** An outbox that keeps what it is handed, or refuses it while `failing`. */
export class RecordingSink implements NoticeSink {
  readonly sent: { recipients: readonly string[]; notices: readonly AlarmNotice[] }[] = [];
  failing = false;
  async notify(recipients: readonly string[], notices: readonly AlarmNotice[]): Promise<void> {
    if (this.failing) throw new Error('outbox unavailable');
    this.sent.push({ recipients, notices });
  }
  /** `<kind> <series> <status>` of every notice, in order. */
  kinds(): string[] {
    return this.sent.flatMap((s) => s.notices.map((n) => `${n.kind} ${n.series} ${n.status}`));
  }
}
