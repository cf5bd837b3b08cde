/**
 * Where one value stands against the thresholds in force: the level the
 * evaluator's state machine (evaluator.ts) escalates towards, and the words
 * for what the value broke.
 */
import type { AlarmStatus, Thresholds } from './model.js';
import { alerts, clearsWithMargin, describeBreach } from './nagios-range.js';

/** The statuses a value itself can be at; NODATA is about the absence of values. */
export type Level = Exclude<AlarmStatus, 'NODATA'>;

/**
 * The level of `value` for a series currently at `status`. A raised alarm
 * holds until the value is `margin` back inside its bound, so a value
 * hovering at the bound does not flap; hysteresis only ever holds a level,
 * it never delays a rise.
 */
export function levelOf(value: number, thresholds: Thresholds, status: AlarmStatus, margin: number): Level {
  const { warning, critical } = thresholds;
  if (critical !== undefined && (alerts(critical, value) || (status === 'CRITICAL' && !clearsWithMargin(critical, value, margin)))) {
    return 'CRITICAL';
  }
  const raised = status === 'CRITICAL' || status === 'WARNING';
  if (warning !== undefined && (alerts(warning, value) || (raised && !clearsWithMargin(warning, value, margin)))) return 'WARNING';
  return 'OK';
}

/**
 * What `value` broke to be at `level`, for people (`> 80`); null for OK.
 * A WARNING with no warning range (a state restored under a rule since
 * changed) is described by the critical range rather than not at all.
 */
export function breachText(thresholds: Thresholds, level: Level, value: number): string | null {
  if (level === 'OK') return null;
  const range = level === 'CRITICAL' ? thresholds.critical : (thresholds.warning ?? thresholds.critical);
  return range === undefined ? null : describeBreach(range, value);
}
