/**
 * Thresholds a slurper offers for a series, read once per distinct offer:
 * slurpers offer the same ranges on every run, so the texts are kept to tell
 * a repeat from a change without parsing again.
 */
import type { OfferedThresholds } from '../../slurpers/contract.js';
import type { AlarmRule, Thresholds } from './model.js';
import { parseNagiosRange, type NagiosRange } from './nagios-range.js';

export interface Offer {
  readonly warningText: string | undefined;
  readonly criticalText: string | undefined;
  /** The ranges that parsed; an unparsable one is left out. */
  readonly thresholds: Thresholds;
  /** What was wrong with the offer, for the log; undefined when both parsed. */
  readonly problem: string | undefined;
}

export function readOffer(offered: OfferedThresholds): Offer {
  const problems: string[] = [];
  const read = (level: keyof Thresholds, text: string | undefined): NagiosRange | undefined => {
    if (text === undefined) return undefined;
    const range = parseNagiosRange(text);
    if (typeof range !== 'string') return range;
    problems.push(`offered ${level} threshold: ${range}`);
    return undefined;
  };
  return {
    warningText: offered.warning,
    criticalText: offered.critical,
    thresholds: Object.freeze({ warning: read('warning', offered.warning), critical: read('critical', offered.critical) }),
    problem: problems.length === 0 ? undefined : problems.join('; '),
  };
}

export function isSameOffer(offer: Offer, offered: OfferedThresholds): boolean {
  return offer.warningText === offered.warning && offer.criticalText === offered.critical;
}

/** The rule's own thresholds, with offered ones filling only a level the rule leaves out. */
export function thresholdsInForce(rule: AlarmRule, offered: Thresholds | undefined): Thresholds {
  // A rule over a set of values (state-set.ts) judges no ranges: an offer would be a second, conflicting judge.
  if (offered === undefined || rule.states !== undefined) return rule.thresholds;
  return Object.freeze({ warning: rule.thresholds.warning ?? offered.warning, critical: rule.thresholds.critical ?? offered.critical });
}

/** Whether a series with these thresholds under `rule` has anything to be alarmed about. */
export function hasAlarm(rule: AlarmRule, thresholds: Thresholds): boolean {
  return thresholds.warning !== undefined || thresholds.critical !== undefined || rule.nodataSeconds !== undefined || rule.states !== undefined;
}
