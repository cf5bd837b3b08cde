/**
 * The input of POST /api/v1/rules/try, checked the way the config file is:
 * the rule goes through the loader's own steps for an `alarms.rules` entry
 * (durations and sizes read from text, defaults filled in, the schema's
 * messages, then the alarms section's check), so a rule that passes here
 * passes in ringmon.yaml and the other way round, with the same words. A
 * problem becomes a 400 naming `body/rule/<key path>`.
 *
 * Differences from the file: the rule's notify names are not checked
 * against alarms.recipients (the trial sends nothing and reports the names
 * as given), and a rule that neither has thresholds nor nodata is refused
 * (in the file it routes offered thresholds; a trial has nothing to try).
 */
import { Value } from 'typebox/value';
import { alarmsSection, AlarmRuleSchema, type AlarmRuleSetting, type AlarmsSettings } from '../alarms/config-section.js';
import { parseInstant } from '../downtimes/index.js';
import type { KeyPath, SchemaNode } from '../config-schema/index.js';
import { normalizeConfig } from '../config/normalize.js';
import { schemaProblems } from '../config/problems.js';
import { ApiError, type Problem } from '../errors.js';

const fieldOf = (path: KeyPath): string => ['body', 'rule', ...path].join('/');

/** The rule as the config would load it, or a 400 listing every problem with its field. */
export function trialRule(raw: unknown): AlarmRuleSetting {
  const originals = new Map<string, unknown>();
  // Relative paths have no meaning in a rule; the base directory is never used.
  const data = normalizeConfig(AlarmRuleSchema as unknown as SchemaNode, raw, '/', originals);
  const value = Value.Default(AlarmRuleSchema, data);
  const problems: Problem[] = schemaProblems(AlarmRuleSchema, value, originals).map((p) => ({ field: fieldOf(p.path), message: p.message }));
  if (problems.length === 0) {
    const rule = value as AlarmRuleSetting;
    const section: AlarmsSettings = {
      rules: [rule],
      // Each name it notifies stands for a recipient here: the trial only counts what they would be sent.
      recipients: rule.notify.flatMap((name) => (typeof name === 'string' ? [{ name, email: ['trial@localhost'], webhook: [] }] : [])),
      offered: { enabled: false, for: 0, notify: [] },
      groupWait: 0,
      maxPendingTransitions: 10,
    };
    alarmsSection.check?.(section as never, (path, message) => {
      // The section's paths start at rules[0].
      problems.push({ field: fieldOf(path.slice(2)), message });
    });
    const triable = rule.warning !== undefined || rule.critical !== undefined || rule.nodata !== undefined || ('states' in rule && rule.states !== undefined);
    if (problems.length === 0 && !triable) {
      problems.push({ field: 'body/rule', message: 'gives no warning, critical or nodata: there is nothing to try' });
    }
  }
  if (problems.length > 0) throw new ApiError('invalid_request', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  return value as AlarmRuleSetting;
}

/** A time of the body (Unix seconds or ISO 8601, as /alarms/history takes them), or a 400 naming it. */
export function trialTime(name: 'from' | 'until', value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = parseInstant(value, 'UTC');
  if (typeof t === 'string') throw new ApiError('invalid_request', `body/${name}: ${t}`, [{ field: `body/${name}`, message: t }]);
  return t;
}
