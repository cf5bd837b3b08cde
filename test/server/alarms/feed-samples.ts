/** Samples fed to an AlarmEvaluator by the evaluator's tests, and the transitions they cause in compact form. */
import type { AlarmEvaluator } from '../../../server/alarms/evaluator.js';
import type { AlarmStatus, Transition } from '../../../server/alarms/model.js';

export type Sample = readonly [time: number, value: number | null];

/** Feeds samples of one series; the transitions, in order. */
export function feed(evaluator: AlarmEvaluator, series: string, samples: readonly Sample[]): Transition[] {
  const transitions: Transition[] = [];
  for (const [time, value] of samples) {
    const transition = evaluator.observe(series, time, value);
    if (transition) transitions.push(transition);
  }
  return transitions;
}

/** The (at, to) of each transition, for compact expectations. */
export const changes = (transitions: readonly Transition[]): Array<[number, AlarmStatus]> => transitions.map((t) => [t.at, t.to]);

/** Samples every `step` seconds from `start`, one per value. */
export const every = (step: number, values: readonly (number | null)[], start = 0): Sample[] => values.map((v, i) => [start + i * step, v]);
