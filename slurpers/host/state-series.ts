/**
 * A run's check state as a series, so that it reaches alarms like any
 * value: `<instance>.state` is 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the
 * Nagios exit codes), a GAUGE whose sample carries the state's message and
 * offers thresholds, so the server's implicit `offered` alarm rule judges
 * it unless a rule of the config matches the series:
 *
 *   warning  `0`      alert outside 0..0: WARNING at 1 and 3
 *   critical `@2:2`   alert at 2 only: CRITICAL at 2
 *
 * UNKNOWN is a WARNING, not a CRITICAL: the check could not judge (bad
 * arguments, a plugin that cannot run, a timeout), which someone must look
 * at, but it does not say the service is down, so it should not page as if
 * it were; nor is it OK, which would hide a blind spot.
 */
import { MAX_MESSAGE_LENGTH, type CheckState, type CheckStatus, type OfferedThresholds } from '../contract.js';
import type { Sample } from './collect-result.js';

/** The series name, relative to the instance (one of HOST_SERIES). */
export const STATE_SERIES = 'state';

export const STATE_CODES: Readonly<Record<CheckStatus, number>> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

export const STATE_THRESHOLDS: OfferedThresholds = { warning: '0', critical: '@2:2' };

/** The sample `<instance>.state` at `time` for `state`, its message cut to MAX_MESSAGE_LENGTH characters. */
export function stateSample(instance: string, state: CheckState, time: number): Sample {
  const message = state.message.length > MAX_MESSAGE_LENGTH ? `${state.message.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : state.message;
  return { series: `${instance}.${STATE_SERIES}`, value: STATE_CODES[state.status], time, thresholds: STATE_THRESHOLDS, message };
}

/**
 * Which runs write `<instance>.state`: every run whose slurper gave a state,
 * and a failed run (state UNKNOWN with the error) of an instance whose
 * slurper has given one since the host started. A slurper that never gives
 * a state gets no state series (its failures are `<instance>.up` = 0), so a
 * failure cannot leave it a state no later run would clear.
 */
export class StateSeries {
  private readonly stating = new Set<string>();

  /** The run's samples, with its state sample added when it writes one. */
  samplesOf(instance: string, outcome: { readonly ok: boolean; readonly samples: readonly Sample[]; readonly state?: CheckState }): readonly Sample[] {
    if (outcome.state === undefined) return outcome.samples;
    if (outcome.ok) this.stating.add(instance);
    else if (!this.stating.has(instance)) return outcome.samples;
    const up = outcome.samples.find((s) => s.series === `${instance}.up`);
    return [...outcome.samples, stateSample(instance, outcome.state, up?.time ?? Date.now() / 1000)];
  }
}
