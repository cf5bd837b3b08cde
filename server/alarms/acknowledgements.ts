/**
 * The acknowledgements in force, held beside the alarm states (the engine
 * asks `of()` at each reminder tick and each view), and the ends the server
 * finds, owed to the database until the engine's next commit.
 *
 * An acknowledgement holds while its series stays in the status it was
 * given for: any change of status ends it (a WARNING acknowledged does not
 * hide a later CRITICAL, and a return to OK ends it), found with the
 * transition (changed()); so does its `until` passing, an unack, or its
 * series no longer being alarmed (sweep()). A series decided afresh to the
 * status it has (its node back) keeps it. While one holds, the notice
 * policy sends no reminders (notice-policy.ts); changes are told as ever.
 */
import type { AckEnd, AckEvent, Acknowledgement } from './ack-records.js';
import { AckConflictError } from './ack-records.js';
import type { AckStore } from './ack-store.js';
import type { AlarmStatus, Transition } from './model.js';

/** A series' status now; undefined: not alarmed. */
export type StatusOf = (series: string) => AlarmStatus | undefined;

export class Acknowledgements {
  private readonly current = new Map<string, Acknowledgement>();
  private owed: AckEnd[] = [];

  private constructor(readonly store: AckStore) {}

  /** The stored acknowledgements; those that no longer hold (the state changed while the server was off, or expired) are owed ends. */
  static async open(store: AckStore, statusOf: StatusOf, now: number): Promise<Acknowledgements> {
    const acks = new Acknowledgements(store);
    for (const ack of await store.current()) acks.current.set(ack.series, ack);
    acks.sweep(now, statusOf);
    return acks;
  }

  /** The acknowledgement of `series` if it holds for `status` at `now`. */
  of(series: string, status: AlarmStatus, now: number): Acknowledgement | undefined {
    const ack = this.current.get(series);
    return ack !== undefined && ack.status === status && (ack.until === null || ack.until > now) ? ack : undefined;
  }

  /** How many are in force. */
  get size(): number {
    return this.current.size;
  }

  /**
   * Records `ack` and puts it in force, replacing any other of its series;
   * `stillHolds` is asked once it is written (the state may have changed
   * meanwhile: the ack then ends at once, recorded as ended).
   */
  async give(ack: Omit<Acknowledgement, 'id'>, stillHolds: () => boolean): Promise<Acknowledgement> {
    const given = await this.store.give(ack);
    if (stillHolds()) this.current.set(ack.series, given);
    else this.owed.push(endOf(given, 'ended', ack.at, 'the state changed as it was acknowledged'));
    return given;
  }

  /** Ends the acknowledgement of `series` by `author`'s unack; throws AckConflictError when none holds. */
  async withdraw(series: string, author: string, comment: string | null, now: number): Promise<AckEvent> {
    const ack = this.current.get(series);
    if (ack === undefined) throw new AckConflictError(`'${series}' is not acknowledged`);
    const end: AckEnd = { ack, event: { series, action: 'unack', status: ack.status, author, comment, at: now, until: null } };
    await this.store.withdraw(end);
    if (this.current.get(series) === ack) this.current.delete(series);
    return { ...end.event, id: ack.id };
  }

  /** A transition found: a change of status ends the acknowledgement of its series. */
  changed(t: Transition): void {
    const ack = this.current.get(t.series);
    if (ack === undefined || (t.from === t.to && t.to === ack.status)) return;
    this.current.delete(t.series);
    this.owed.push(endOf(ack, 'ended', t.at, `state changed to ${t.to}`));
  }

  /** Ends those past their until, and those whose series is no longer alarmed or no longer in their status; true when any ended. */
  sweep(now: number, statusOf: StatusOf): boolean {
    const before = this.owed.length;
    for (const [series, ack] of this.current) {
      const status = statusOf(series);
      if (ack.until !== null && ack.until <= now) this.owed.push(endOf(ack, 'expired', ack.until, null));
      else if (status !== ack.status) this.owed.push(endOf(ack, 'ended', now, status === undefined ? 'no longer alarmed' : `state changed to ${status}`));
      else continue;
      this.current.delete(series);
    }
    return this.owed.length > before;
  }

  /** Whether ends wait for a commit. */
  get owes(): boolean {
    return this.owed.length > 0;
  }

  /** The ends owed, for one commit; then putBack() if it failed. */
  takeOwed(): AckEnd[] {
    const owed = this.owed;
    this.owed = [];
    return owed;
  }

  putBack(ends: readonly AckEnd[]): void {
    this.owed = [...ends, ...this.owed];
  }
}

function endOf(ack: Acknowledgement, action: 'expired' | 'ended', at: number, comment: string | null): AckEnd {
  return { ack, event: { series: ack.series, action, status: ack.status, author: null, comment, at, until: ack.until } };
}
