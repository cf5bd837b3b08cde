/**
 * Builds the SlurperContext of one run.
 *
 *     const { context, dispose } = createRunContext({ instance: 'web01', timeoutSeconds: 5 });
 *     try { await slurper.collect(context, options); } finally { dispose(); }
 *
 * - `context.signal` aborts after `timeoutSeconds` (reason: a TimeoutError
 *   "timed out after 5 s"), or when the caller's `signal` aborts (shutdown;
 *   its reason is passed on), or at dispose().
 * - `context.fetch` is undici's fetch with the run's signal applied; a
 *   signal the slurper passes is combined with it, never replaces it.
 * - `context.runCommand` spawns without a shell, kills the process group
 *   when the run's signal aborts, and bounds the output (run-command.ts).
 * - `context.stateDir` is `<stateRoot>/<instance>`, created the first time
 *   the run reads it (state-dir.ts), so instances that keep no state leave
 *   no empty folders.
 * - dispose() clears the timer and aborts the signal, so whatever the
 *   slurper left running (an unread body, a forgotten child) is stopped.
 *   Call it exactly once, when collect has settled.
 */
import { fetch as undiciFetch } from 'undici';
import type { SlurperContext, SlurperLogger } from '../contract.js';
import { runCommand } from './run-command.js';
import { silentLogger } from './silent-logger.js';
import { defaultStateRoot, makeStateDir } from './state-dir.js';

/** What one run's context is made from. */
export interface RunContextOptions {
  /** Instance name: told to the slurper, and the prefix of its series. */
  readonly instance: string;
  /** The run's time limit, in seconds (fractions allowed). */
  readonly timeoutSeconds: number;
  /** Defaults to a logger that discards everything. */
  readonly log?: SlurperLogger;
  /** The run's start time, Unix seconds; defaults to the current time. */
  readonly now?: number;
  /** The host's shutdown signal: aborting it aborts the run. */
  readonly signal?: AbortSignal;
  /** Where instances' state folders live (the context's stateDir is `<stateRoot>/<instance>`); default: under the temp dir. */
  readonly stateRoot?: string;
}

/** A run's context and the one call that ends it. */
export interface RunContextHandle {
  readonly context: SlurperContext;
  /** Clears the timer and aborts the run's signal; idempotent. */
  dispose(): void;
}

/** The reason a run's signal carries when its time is up. */
export class RunTimeoutError extends Error {
  override name = 'TimeoutError';
}

export function createRunContext(options: RunContextOptions): RunContextHandle {
  const controller = new AbortController();
  const { signal } = controller;
  const timeoutMs = Math.max(0, options.timeoutSeconds * 1000);
  const timer = setTimeout(() => controller.abort(new RunTimeoutError(`timed out after ${options.timeoutSeconds} s`)), timeoutMs);
  const shutdown = options.signal;
  const onShutdown = (): void => controller.abort(shutdown?.reason ?? new Error('the host is shutting down'));
  if (shutdown?.aborted) onShutdown();
  else shutdown?.addEventListener('abort', onShutdown, { once: true });

  const fetch: typeof undiciFetch = (input, init) => {
    const own = init?.signal;
    return undiciFetch(input, { ...init, signal: own ? AbortSignal.any([signal, own]) : signal });
  };

  let stateDir: string | undefined;
  const context: SlurperContext = {
    signal,
    log: options.log ?? silentLogger,
    now: options.now ?? Date.now() / 1000,
    timeoutSeconds: options.timeoutSeconds,
    instance: options.instance,
    get stateDir() {
      stateDir ??= makeStateDir(options.stateRoot ?? defaultStateRoot(), options.instance);
      return stateDir;
    },
    fetch,
    runCommand: (file, args, commandOptions = {}) => runCommand(file, args, commandOptions, signal),
  };

  return {
    context,
    dispose() {
      clearTimeout(timer);
      shutdown?.removeEventListener('abort', onShutdown);
      if (!signal.aborted) controller.abort(new Error('the run has finished'));
    },
  };
}
