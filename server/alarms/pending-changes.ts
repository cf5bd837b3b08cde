/**
 * What the database has not recorded yet: the transitions the evaluator
 * found, and the series whose stored row is behind (a notice time already
 * told, a state whose changes folded away). The engine takes all of it at
 * each flush and puts it back when the commit fails, so while the database
 * refuses writes (a full disk, a closed connection) it waits here; this is
 * where the engine's memory is bounded.
 *
 * Up to `limit` transitions are kept as they came. Past it, each series'
 * waiting transitions fold into one, from the oldest one's `from` to the
 * newest one's `to` (with the newest one's time, value and threshold): the
 * state the series is in now is what gets recorded and told, against what
 * was recorded and told before. A series that ends where it began folds
 * away (its state row is still written), and a notice about a state that no
 * longer holds is never sent. Every transition folded away is counted in
 * `dropped`. So whatever the length of an outage, what waits is at most one
 * transition and one name per alarmed series (the evaluator holds a state
 * for each anyway), or `limit` transitions, whichever is more.
 *
 * It also answers whether a series has a change not yet recorded (waiting,
 * or taken by a commit still under way): the timer leaves such a series to
 * that change's notice rather than remind of a state no one was told.
 */
import type { Transition } from './model.js';

/** Transitions kept one by one while the database is behind; a storm of this many distinct series still folds nothing. */
export const DEFAULT_MAX_PENDING_TRANSITIONS = 10_000;

export interface PendingBatch {
  /** In the order they happened. */
  readonly transitions: readonly Transition[];
  /** Series whose state row must be written even without a transition. */
  readonly series: ReadonlySet<string>;
}

export class PendingChanges {
  private transitions: Transition[] = [];
  private series = new Set<string>();
  /** The series of `transitions`. */
  private changed = new Set<string>();
  /** The series of the transitions taken by a commit under way. */
  private taken: ReadonlySet<string> = new Set();
  /** Fold when there are more than this: `limit`, or twice what the last fold kept, so folding costs O(1) a transition. */
  private foldAbove: number;
  /** Transitions folded away since the start. */
  dropped = 0;

  constructor(readonly limit: number = DEFAULT_MAX_PENDING_TRANSITIONS) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`alarms: the pending transitions limit must be a whole number ≥ 1, not ${limit}`);
    this.foldAbove = limit;
  }

  /** Transitions waiting. */
  get size(): number {
    return this.transitions.length;
  }

  get isEmpty(): boolean {
    return this.transitions.length === 0 && this.series.size === 0;
  }

  add(transition: Transition): void {
    this.transitions.push(transition);
    this.changed.add(transition.series);
    if (this.transitions.length > this.foldAbove) this.fold();
  }

  /** A series whose state row must be written at the next commit. */
  touch(series: string): void {
    this.series.add(series);
  }

  /** Whether `series` has a transition waiting or being committed. */
  hasChange(series: string): boolean {
    return this.changed.has(series) || this.taken.has(series);
  }

  /** Everything waiting, for one commit; nothing waits afterwards. Then committed() or putBack(). */
  take(): PendingBatch {
    const batch: PendingBatch = { transitions: this.transitions, series: this.series };
    this.taken = this.changed;
    this.transitions = [];
    this.series = new Set();
    this.changed = new Set();
    this.foldAbove = this.limit;
    return batch;
  }

  /** The batch taken last is recorded. */
  committed(): void {
    this.taken = new Set();
  }

  /** A batch the commit refused, back in front of whatever came since. */
  putBack(batch: PendingBatch): void {
    this.transitions = batch.transitions.concat(this.transitions);
    for (const series of batch.series) this.series.add(series);
    for (const series of this.taken) this.changed.add(series);
    this.taken = new Set();
    if (this.transitions.length > this.foldAbove) this.fold();
  }

  private fold(): void {
    // Re-inserting a series moves it last: the folded list stays in the order of each series' newest change.
    const folded = new Map<string, Transition>();
    for (const t of this.transitions) {
      const older = folded.get(t.series);
      if (older === undefined) folded.set(t.series, t);
      else {
        folded.delete(t.series);
        folded.set(t.series, { ...t, from: older.from });
      }
    }
    const kept: Transition[] = [];
    for (const t of folded.values()) {
      if (t.from !== t.to) kept.push(t);
      else {
        this.series.add(t.series);
        this.changed.delete(t.series);
      }
    }
    this.dropped += this.transitions.length - kept.length;
    this.transitions = kept;
    this.foldAbove = Math.max(this.limit, 2 * kept.length);
  }
}
