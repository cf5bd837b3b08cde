/**
 * A FIFO of jobs with a cap on how many run at once. Each key (an instance
 * name) is queued or running at most once: a run that is still going when
 * its next turn comes makes that turn a skip, not a pile-up.
 */

/** A concurrency-capped queue of keyed async jobs. */
export interface RunQueue {
  /** Queues `job` under `key`; false (and nothing queued) when `key` is already queued or running. */
  offer(key: string, job: () => Promise<void>): boolean;
  /** Drops what has not started; resolves when the jobs that had started have settled. */
  drain(): Promise<void>;
  /** Jobs running now. */
  readonly running: number;
}

export function createRunQueue(concurrency: number): RunQueue {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a whole number >= 1, got ${concurrency}`);
  const waiting: Array<{ key: string; job: () => Promise<void> }> = [];
  const busy = new Set<string>();
  const inFlight = new Set<Promise<void>>();

  const pump = (): void => {
    while (inFlight.size < concurrency && waiting.length > 0) {
      const { key, job } = waiting.shift()!;
      // A job that throws is the caller's bug; it must still free its slot and its key.
      const done: Promise<void> = job()
        .catch(() => {})
        .finally(() => {
          inFlight.delete(done);
          busy.delete(key);
          pump();
        });
      inFlight.add(done);
    }
  };

  return {
    offer(key, job) {
      if (busy.has(key)) return false;
      busy.add(key);
      waiting.push({ key, job });
      pump();
      return true;
    },
    async drain() {
      for (const { key } of waiting.splice(0)) busy.delete(key);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    get running() {
      return inFlight.size;
    },
  };
}
