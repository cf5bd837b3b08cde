/**
 * A timer that fires at each multiple of a step on the wall clock (Unix
 * time), as rrdtool's and Graphite's aligned steps are: `tick(boundary)`
 * is called a little after each boundary (`lagMs`, so samples stamped at
 * the boundary itself have arrived), with the boundary in Unix seconds.
 * The next boundary is taken from the clock each time, so the timer does
 * not drift; boundaries missed by a blocked event loop are skipped, not
 * caught up. The timer does not keep the process alive.
 */

export interface StepTimer {
  /** No tick after this; safe to call twice. */
  stop(): void;
}

export interface StepTimerOptions {
  /** Milliseconds after each boundary at which to fire (default: a tenth of the step, at most 250 ms). */
  readonly lagMs?: number;
  /** The clock in milliseconds (default Date.now). */
  readonly nowMs?: () => number;
}

/** Calls `tick` after every boundary of `stepSeconds` (> 0) from the next one on, until stopped; `tick` must not throw. */
export function everyStep(stepSeconds: number, tick: (boundary: number) => void, options: StepTimerOptions = {}): StepTimer {
  const stepMs = stepSeconds * 1000;
  const lagMs = options.lagMs ?? Math.min(250, stepMs / 10);
  const nowMs = options.nowMs ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** The boundary last ticked: a timeout may fire a millisecond before the wall clock says it is due, and must not tick it twice. */
  let last = -Infinity;
  const schedule = (): void => {
    const now = nowMs();
    const next = Math.max((Math.floor((now - lagMs) / stepMs) + 1) * stepMs, last + stepMs);
    timer = setTimeout(() => {
      if (stopped) return;
      last = next;
      tick(next / 1000);
      schedule();
    }, Math.max(0, next + lagMs - now));
    timer.unref();
  };
  schedule();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
