/**
 * Runs every instance on time, a bounded number at once, each isolated from
 * the others, and hands the samples to a sink it is given (the scheduler
 * knows nothing of the server):
 *
 *     const scheduler = startScheduler({ instances, sink: (samples) => store.append(samples), log });
 *     ...
 *     await scheduler.stop();   // aborts runs in flight, resolves when they have finished
 *
 * - `every` instances fire on the multiples of their interval plus a stable
 *   per-instance jitter (schedule-timing.ts); `cron` instances fire when
 *   node-cron says, delayed by the same kind of jitter.
 * - A turn that comes while the instance's previous run is still queued or
 *   running is skipped (and counted), never stacked.
 * - Each run goes through runOnce: a slurper that throws, hangs or returns
 *   garbage yields `<instance>.up = 0` and the others carry on.
 * - Runs cut short by stop() are not sunk: a shutdown is not an outage.
 * - Instances can be added and removed while it runs (a reload): remove()
 *   cuts the instance's run in flight as stop() does and resolves once it
 *   and its sink have settled, so the name can be added again with new
 *   settings and never runs twice at once.
 * - A run's check state is sunk as the sample `<instance>.state` with its
 *   message (state-series.ts).
 * - Every sample carries its instance's cadence (`interval`: the `every`,
 *   or a cron schedule's shortest gap; schedule-interval.ts), so a new
 *   series gets an archive that fits it.
 */
import { createTask, type ScheduledTask } from 'node-cron';
import type { SlurperLogger } from '../contract.js';
import type { Sample } from './collect-result.js';
import { errorText } from './error-text.js';
import { HealthBook, type InstanceHealth } from './instance-health.js';
import type { ScheduledInstance } from './prepare-instances.js';
import { createRunQueue } from './run-queue.js';
import { runOnce, type RunOutcome } from './run-once.js';
import { scheduleInterval } from './schedule-interval.js';
import { jitterMs, nextSlot, slotTime } from './schedule-timing.js';
import { silentLogger } from './silent-logger.js';
import { StateSeries } from './state-series.js';

/**
 * Where a run's samples go (the server's ingest, an agent's upload). Called
 * once per finished run, also for failed runs (their up/duration samples);
 * `samples` are the outcome's plus `<instance>.state` when the run has one.
 * A rejection is logged (once per change) and the samples are lost; the
 * scheduler does not retry, as the next run brings fresher ones.
 */
export type SampleSink = (samples: readonly Sample[], instance: string, outcome: RunOutcome) => Promise<void>;

/** What the scheduler needs; only instances and sink are required. */
export interface SchedulerOptions {
  readonly instances: readonly ScheduledInstance[];
  readonly sink: SampleSink;
  readonly log?: SlurperLogger;
  /** Most runs at once (default 16). */
  readonly concurrency?: number;
  /** Upper bound of the per-instance jitter, in seconds (default 10). */
  readonly maxJitterSeconds?: number;
  /** Where each instance's ctx.stateDir is made (`<stateRoot>/<instance>`); default: under the temp dir. */
  readonly stateRoot?: string;
}

/** A running scheduler. */
export interface Scheduler {
  /** Stops the timers, drops queued runs, aborts running ones; resolves when they and their sinks have settled. Idempotent. */
  stop(): Promise<void>;
  /** Each instance's run-time record, as of now. */
  health(): InstanceHealth[];
  /** Starts running `instance` on its schedule; throws when an instance of that name runs already. */
  add(instance: ScheduledInstance): void;
  /**
   * Stops running the instance `name`: its timers end, a turn still queued
   * is dropped, a run in flight is aborted and not sunk. Resolves once that
   * run and its sink have settled; at once for a name not running.
   */
  remove(name: string): Promise<void>;
}

/** One instance as the scheduler runs it: its own abort (remove or stop), timers, cron task and run in flight. */
interface Entry {
  readonly instance: ScheduledInstance;
  readonly abort: AbortController;
  readonly timers: Set<NodeJS.Timeout>;
  cron?: ScheduledTask;
  running?: Promise<void>;
}

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_MAX_JITTER_SECONDS = 10;

export function startScheduler(options: SchedulerOptions): Scheduler {
  const log = options.log ?? silentLogger;
  const maxJitterMs = (options.maxJitterSeconds ?? DEFAULT_MAX_JITTER_SECONDS) * 1000;
  const queue = createRunQueue(options.concurrency ?? DEFAULT_CONCURRENCY);
  const book = new HealthBook(log);
  const states = new StateSeries();
  const shutdown = new AbortController();
  const entries = new Map<string, Entry>();
  let stopping: Promise<void> | undefined;

  const after = (entry: Entry, ms: number, fn: () => void): void => {
    if (entry.abort.signal.aborted) return;
    const timer = setTimeout(() => {
      entry.timers.delete(timer);
      fn();
    }, Math.max(0, ms));
    entry.timers.add(timer);
  };

  const intervals = new Map<string, number | undefined>();
  const withInterval = (samples: readonly Sample[], interval: number | undefined): readonly Sample[] =>
    interval === undefined ? samples : samples.map((sample) => ({ ...sample, interval }));

  const run = async (entry: Entry): Promise<void> => {
    const { instance, abort } = entry;
    // Removed while its turn was queued.
    if (abort.signal.aborted) return;
    const startedAt = Date.now() / 1000;
    const outcome = await runOnce(instance.slurper, instance, { log, signal: abort.signal, now: () => startedAt, stateRoot: options.stateRoot });
    if (abort.signal.aborted) return;
    book.recordRun(instance.name, startedAt, outcome);
    try {
      await options.sink(withInterval(states.samplesOf(instance.name, outcome), intervals.get(instance.name)), instance.name, outcome);
      book.recordSink(instance.name, undefined);
    } catch (error) {
      book.recordSink(instance.name, errorText(error));
    }
  };

  const turn = (entry: Entry): void => {
    if (entry.abort.signal.aborted) return;
    const job = (): Promise<void> => {
      const running = run(entry);
      entry.running = running;
      return running;
    };
    if (!queue.offer(entry.instance.name, job)) book.recordSkip(entry.instance.name);
  };

  const scheduleEvery = (entry: Entry, everySeconds: number): void => {
    const interval = everySeconds * 1000;
    const jitter = jitterMs(entry.instance.name, interval, maxJitterMs);
    const arm = (previous?: number): void => {
      const slot = nextSlot(Date.now(), interval, jitter, previous);
      after(entry, slotTime(slot, interval, jitter) - Date.now(), () => {
        turn(entry);
        arm(slot);
      });
    };
    arm();
  };

  const scheduleCron = (entry: Entry, expression: string): void => {
    const { instance } = entry;
    let delay = 0;
    const task = createTask(expression, () => after(entry, delay, () => turn(entry)), {
      name: `ringmon:${instance.name}`,
      // Late and overlapping turns are the scheduler's business (skips), not node-cron's console warnings.
      suppressMissedWarning: true,
      logger: { info: () => {}, warn: (m) => log.warn(m), error: (m) => log.error(String(m)), debug: () => {} },
    });
    const [first, second] = task.getNextRuns(2);
    const gapMs = first && second ? second.getTime() - first.getTime() : maxJitterMs;
    delay = jitterMs(instance.name, gapMs, maxJitterMs);
    entry.cron = task;
    void task.start();
  };

  const add = (instance: ScheduledInstance): void => {
    if (entries.has(instance.name)) throw new Error(`instance '${instance.name}' is running already`);
    if (shutdown.signal.aborted) return;
    const entry: Entry = { instance, abort: new AbortController(), timers: new Set() };
    entries.set(instance.name, entry);
    intervals.set(instance.name, scheduleInterval(instance.schedule));
    book.add(instance.name, instance.slurper.name);
    if ('every' in instance.schedule) scheduleEvery(entry, instance.schedule.every);
    else scheduleCron(entry, instance.schedule.cron);
  };

  /** Ends `entry`'s timers and cron task and aborts its run; resolves once that run has settled. */
  const halt = async (entry: Entry, reason: string): Promise<void> => {
    entry.abort.abort(new Error(reason));
    for (const timer of entry.timers) clearTimeout(timer);
    entry.timers.clear();
    await entry.cron?.destroy();
    await entry.running?.catch(() => {});
  };

  for (const instance of options.instances) add(instance);

  return {
    stop() {
      stopping ??= (async () => {
        shutdown.abort(new Error('the scheduler is stopping'));
        await Promise.allSettled([...entries.values()].map((entry) => halt(entry, 'the scheduler is stopping')));
        await queue.drain();
      })();
      return stopping;
    },
    health: () => book.snapshot(),
    add,
    async remove(name) {
      const entry = entries.get(name);
      if (entry === undefined) return;
      entries.delete(name);
      await halt(entry, `instance '${name}' is removed`);
      // Unless added again meanwhile (a restart), its record goes with it.
      if (!entries.has(name)) {
        book.forget(name);
        intervals.delete(name);
      }
    },
  };
}
