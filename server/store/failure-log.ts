/**
 * How the write-behind reports archives that fail with an error that may
 * pass, their samples kept pending (a failure that never passes is the
 * quarantine's, logged once per series there): a full disk fails every
 * archive of a flush, so within a flush the first few are named one by one
 * and the rest counted in one line at its end, not 100,000 lines. Outside a
 * flush (a read applying one series) every failure is named.
 */
import type { StoreLogger } from './store-stats.js';

/** Failing archives named one by one per flush. */
export const FAILURES_LOGGED_PER_FLUSH = 5;

export class FailureLog {
  private budget = Infinity;
  private notLogged = 0;

  constructor(private readonly log: StoreLogger) {}

  /** A flush begins: name the next FAILURES_LOGGED_PER_FLUSH failures. */
  beginFlush(): void {
    this.budget = FAILURES_LOGGED_PER_FLUSH;
    this.notLogged = 0;
  }

  /** An archive failed: named while the budget lasts, counted after. */
  failed(fields: object, message: string): void {
    if (this.budget > 0) {
      this.budget--;
      this.log.error(fields, message);
    } else this.notLogged++;
  }

  /** The flush is over: one line for the failures not named. */
  endFlush(): void {
    if (this.notLogged > 0) this.log.error({ archives: this.notLogged }, `series store: ${this.notLogged} more archives could not be updated in this flush; their samples stay pending`);
    this.budget = Infinity;
    this.notLogged = 0;
  }
}
