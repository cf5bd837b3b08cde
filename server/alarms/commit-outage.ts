/**
 * The log of a run of failed commits (a full disk, a closed database) and of
 * the transitions folded away meanwhile (pending-changes.ts): one error when
 * the first commit fails, one warning when the first transition is dropped,
 * and one line when a commit works again saying how many failed and how many
 * were dropped, however many ticks the run lasts. Drops without failures
 * (a storm larger than the limit while a commit is slow) are told by that
 * last line too.
 */
import type { AlarmLogger } from './ports.js';

export class CommitOutage {
  /** Commits failed since the last one that worked. */
  private failures = 0;
  /** The drop count at the last commit that worked. */
  private droppedBefore = 0;
  private dropsLogged = false;

  constructor(
    private readonly log: AlarmLogger,
    /** The pending transitions' limit, for the messages. */
    private readonly limit: number,
  ) {}

  /** A commit failed with `error`; `waiting` transitions wait, `dropped` have been folded away since the start. */
  failed(error: unknown, waiting: number, dropped: number): void {
    if (++this.failures === 1) this.log.error({ err: error, transitions: waiting }, 'alarms: could not record transitions; keeping them and retrying at every tick');
    if (!this.dropsLogged && dropped > this.droppedBefore) {
      this.dropsLogged = true;
      this.log.warn({ limit: this.limit }, `alarms: more than ${this.limit} transitions wait for the database; keeping the newest per series, counting the rest as dropped`);
    }
  }

  /** A commit worked; `dropped` as for failed(). */
  worked(dropped: number): void {
    const lost = dropped - this.droppedBefore;
    if (this.failures === 0 && lost === 0) return;
    this.log[lost > 0 ? 'warn' : 'info']({ failures: this.failures, dropped: lost }, `alarms: transitions recorded again after ${this.failures} failed commits; ${lost} folded away meanwhile`);
    this.failures = 0;
    this.droppedBefore = dropped;
    this.dropsLogged = false;
  }
}
