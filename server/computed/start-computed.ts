/**
 * Running the computed series: the store's listing read once at start (in
 * the background: it reads every archive's header) to seed the members'
 * last samples and heartbeats, then one step timer per distinct step. Until
 * the listing is in, nothing is written, so a restart does not write counts
 * made of only the members heard since. With no computed series configured
 * nothing runs and `observe` does nothing.
 */
import { everyStep, type StepTimer } from '../../lib/step-timer.js';
import type { SampleSink, SeriesInfo } from '../store/index.js';
import type { ArchiveRules } from '../store/archive-rules.js';
import { ComputedSeries, type ComputedLogger } from './computed-series.js';
import type { ComputedSettings } from './config-section.js';
import type { ObservedSample } from './member-index.js';

export interface RunningComputed {
  /** Hand it the store's accepted samples (Store.onAccepted); quick. */
  observe(samples: readonly ObservedSample[]): void;
  /** Whether some computed series' pattern matches `series`: the server writes its own series (node states) only when one does. */
  covers(series: string): boolean;
  /** Stops the timers; a write under way finishes. */
  stop(): void;
}

export interface StartComputedOptions {
  readonly computed: ComputedSettings;
  readonly archives: ArchiveRules;
  /** Where the computed samples go, and the listing that seeds the members (the store). */
  readonly store: SampleSink & { list(): Promise<SeriesInfo[]> };
  readonly log: ComputedLogger;
}

export function startComputed(options: StartComputedOptions): RunningComputed {
  if (options.computed.length === 0) return { observe: () => {}, covers: () => false, stop: () => {} };
  const engine = new ComputedSeries({ computed: options.computed, archives: options.archives, sink: options.store, log: options.log });
  const timers: StepTimer[] = [];
  let stopped = false;
  options.store.list().then(
    (listed) => {
      if (stopped) return;
      engine.seed(listed);
      for (const step of engine.steps()) timers.push(everyStep(step, (at) => void engine.writeAt(at, step)));
      options.log.info({ computed: options.computed.length, steps: engine.steps() }, 'computed series running');
    },
    (e: unknown) => options.log.warn({ err: e }, 'computed series: could not read the series list; none is computed until a restart'),
  );
  return {
    observe: (samples) => engine.observe(samples),
    covers: (series) => engine.index.covers(series),
    stop: () => {
      stopped = true;
      for (const t of timers) t.stop();
    },
  };
}
