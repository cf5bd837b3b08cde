/**
 * One run of one instance, isolated: whatever the slurper does — throws,
 * hangs past its timeout, returns garbage, has options that do not fit its
 * schema — runOnce resolves (never rejects) with a RunOutcome.
 *
 *     const outcome = await runOnce(httpSlurper, { name: 'web01', timeoutSeconds: 5, options: { url } });
 *     // outcome.samples: web01.status, web01.total_seconds, ..., web01.up = 1, web01.duration_seconds
 *
 * The samples are prefixed `<instance>.` and timed (default: the run's
 * start); `<instance>.up` (1 when the run succeeded, 0 when not) and
 * `<instance>.duration_seconds` are always added. A failed run keeps none
 * of the slurper's samples — half a result is not trusted — and reports
 * state UNKNOWN with the error, as Nagios does for a check that cannot run.
 */
import type { CheckState, SlurperDefinition, SlurperLogger } from '../contract.js';
import { checkCollectResult, type Sample } from './collect-result.js';
import { errorText } from './error-text.js';
import { prepareOptions } from './options.js';
import { createRunContext } from './run-context.js';

/** The instance being run: its name (the series prefix), time limit and options as configured. */
export interface RunInstance {
  readonly name: string;
  readonly timeoutSeconds: number;
  /** Raw or already prepared; the schema's defaults are applied either way. */
  readonly options?: unknown;
}

/** What the host lends a run; everything is optional for tests. */
export interface RunDeps {
  readonly log?: SlurperLogger;
  /** The host's shutdown signal; aborting it aborts the run. */
  readonly signal?: AbortSignal;
  /** The clock, in Unix seconds (default: Date.now() / 1000); read once, at the start. */
  readonly now?: () => number;
  /** Where instances' state folders live (ctx.stateDir = `<stateRoot>/<instance>`); default: under the temp dir. */
  readonly stateRoot?: string;
}

/** The result of one run, success or not. */
export interface RunOutcome {
  /** True when collect resolved in time with a well-formed result. */
  readonly ok: boolean;
  /** Prefixed and timed; on failure only `<instance>.up` = 0 and `<instance>.duration_seconds`. */
  readonly samples: readonly Sample[];
  /** The slurper's own state on success; UNKNOWN with the error on failure; absent when the slurper gave none. */
  readonly state?: CheckState;
  /** Why the run failed, one line: `timed out after 5 s`, `returned garbage: samples[0].value: ...`. */
  readonly error?: string;
  readonly durationSeconds: number;
}

function message(error: unknown): string {
  const text = errorText(error);
  return text.split('\n').join('; ') || 'failed with an empty error';
}

/** Rejects when `signal` aborts, with its reason: the run's deadline for a collect that ignores its signal. */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export async function runOnce<S extends SlurperDefinition>(slurper: S, instance: RunInstance, deps: RunDeps = {}): Promise<RunOutcome> {
  const now = deps.now?.() ?? Date.now() / 1000;
  const started = performance.now();
  const { context, dispose } = createRunContext({
    instance: instance.name,
    timeoutSeconds: instance.timeoutSeconds,
    log: deps.log,
    signal: deps.signal,
    now,
    stateRoot: deps.stateRoot,
  });
  let ok = false;
  let samples: readonly Sample[] = [];
  let state: CheckState | undefined;
  let error: string | undefined;
  try {
    const options = prepareOptions(slurper.options, instance.options, `slurpers.${instance.name}.options`);
    const collecting = Promise.resolve().then(() => slurper.collect(context, options));
    // Once the deadline wins, the collect promise is left to settle alone; its rejection must not go unhandled.
    collecting.catch(() => {});
    const raw: unknown = await Promise.race([collecting, whenAborted(context.signal)]);
    ({ samples, state } = checkCollectResult(raw, instance.name, now));
    ok = true;
  } catch (caught) {
    error = caught instanceof Error && caught.name === 'GarbageResultError' ? `returned garbage: ${message(caught)}` : message(caught);
    state = { status: 'UNKNOWN', message: error };
  } finally {
    dispose();
  }
  const durationSeconds = Math.round(performance.now() - started) / 1000;
  // up (1/0) and state (a Nagios code) are codes, not quantities: no unit.
  const health: Sample[] = [
    { series: `${instance.name}.up`, value: ok ? 1 : 0, time: now },
    { series: `${instance.name}.duration_seconds`, value: durationSeconds, time: now, unit: 's' },
  ];
  return {
    ok,
    samples: [...samples, ...health],
    ...(state === undefined ? {} : { state }),
    ...(error === undefined ? {} : { error }),
    durationSeconds,
  };
}
