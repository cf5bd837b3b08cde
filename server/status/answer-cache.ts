/**
 * A value built at most once per `ttlMs` and shared: every caller within
 * that time after a build started gets the same promise, a build in
 * progress included, and a failed build is kept as long as a good one (so
 * a failing source is asked once per `ttlMs`, never once per request).
 * This is what bounds the work anonymous requests can cause.
 */
export interface AnswerCache<T> {
  /** The value of the build started within `ttlMs`, or of a new one. */
  get(): Promise<T>;
  /** Builds started so far (for tests and measurements). */
  readonly builds: number;
}

export function answerCache<T>(ttlMs: number, build: () => Promise<T>, nowMs: () => number = Date.now): AnswerCache<T> {
  let current: { readonly at: number; readonly value: Promise<T> } | undefined;
  let builds = 0;
  return {
    get() {
      const now = nowMs();
      if (current === undefined || now - current.at >= ttlMs || now < current.at) {
        builds += 1;
        const value = build();
        // Seen by whoever awaits it; this keeps an unawaited failure from being reported as unhandled.
        value.catch(() => undefined);
        current = { at: now, value };
      }
      return current.value;
    },
    get builds() {
      return builds;
    },
  };
}
