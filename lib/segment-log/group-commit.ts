/**
 * Group commit: callers submit items one at a time, and everything submitted
 * while a commit is under way goes into the next commit together. So N
 * concurrent appends cost as many fdatasyncs as the disk finishes meanwhile,
 * not N, and a lone append still commits at once. One commit runs at a time.
 */

/**
 * Makes `items` durable together, resolving with one result per item in the
 * same order. If it rejects, every item of the group rejects with that error;
 * later groups are still attempted (the commit function decides whether it
 * can go on).
 */
export type CommitFunction<T, R> = (items: readonly T[]) => Promise<readonly R[]>;

interface Waiter<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommit<T, R> {
  private queue: Waiter<T, R>[] = [];
  private running: Promise<void> | undefined;

  /**
   * @param sizeOf   an item's weight (its bytes) for `maxGroup`
   * @param maxGroup largest total weight of one group; a single heavier item still goes alone
   */
  constructor(
    private readonly commit: CommitFunction<T, R>,
    private readonly sizeOf: (item: T) => number,
    private readonly maxGroup: number,
  ) {}

  /** Queues `item`; settles as its group's commit does. Not cancellable: once queued, it is committed or rejected. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.running ??= this.run();
    });
  }

  /** Resolves once everything submitted so far has been committed or rejected. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    // Let the rest of this tick's submits join the first group.
    await Promise.resolve();
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup();
        let results: readonly R[];
        try {
          results = await this.commit(group.map((w) => w.item));
        } catch (e) {
          for (const w of group) w.reject(e);
          continue;
        }
        group.forEach((w, i) => w.resolve(results[i]));
      }
    } finally {
      this.running = undefined;
    }
  }

  private takeGroup(): Waiter<T, R>[] {
    let n = 0;
    let size = 0;
    while (n < this.queue.length) {
      size += this.sizeOf(this.queue[n].item);
      if (n > 0 && size > this.maxGroup) break;
      n++;
    }
    return this.queue.splice(0, n);
  }
}
