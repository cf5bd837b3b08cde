/**
 * The acknowledgement tables (migration 2026-12-08-acknowledgements):
 * `alarm_acks` holds the one in force per series, `alarm_ack_events` every
 * ack, unack and end. An ack and an unack are written at once, each in a
 * transaction of its own; the ends the server finds are written inside the
 * engine's commit of the transitions that caused them (endsWriter), so a
 * stored ack never outlives a recorded change of its state. A row of
 * `alarm_acks` is removed only by the event that gave it (event_id): an end
 * written late never removes a newer ack. Event ids are max + 1, assigned
 * here, as the alarm store does; never reused, so a failed write leaves a gap.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AckEnd, AckEvent, Acknowledgement, NewAckEvent } from './ack-records.js';
import type { AlarmAckEventsTable, AlarmDatabase } from './database.js';
import type { HistoryQuery } from './records.js';

export class AckStore {
  private constructor(
    private readonly db: Kysely<AlarmDatabase>,
    private nextId: number,
  ) {}

  static async open(db: Kysely<AlarmDatabase>): Promise<AckStore> {
    const { last } = await db.selectFrom('alarm_ack_events').select((eb) => eb.fn.max('id').as('last')).executeTakeFirstOrThrow();
    return new AckStore(db, Number(last ?? 0) + 1);
  }

  async current(): Promise<Acknowledgement[]> {
    const rows = await this.db.selectFrom('alarm_acks').selectAll().execute();
    return rows.map((r) => ({ id: r.event_id, series: r.series, status: r.status, author: r.author, comment: r.comment, at: r.at, until: r.until }));
  }

  /** Records `ack` (its event, and it as the one in force for its series, replacing any); returns it with its id. */
  async give(ack: Omit<Acknowledgement, 'id'>): Promise<Acknowledgement> {
    const given = { ...ack, id: this.nextId++ };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('alarm_ack_events').values(eventRow({ ...ack, id: given.id, action: 'ack' })).execute();
      const row = { series: ack.series, event_id: given.id, status: ack.status, author: ack.author, comment: ack.comment, at: ack.at, until: ack.until };
      await trx
        .insertInto('alarm_acks')
        .values(row)
        .onConflict((oc) => oc.column('series').doUpdateSet(row))
        .execute();
    });
    return given;
  }

  /** Records the end of `ack` by `event` (an unack), in a transaction of its own. */
  async withdraw(end: AckEnd): Promise<void> {
    await this.db.transaction().execute((trx) => this.writeEnds(trx, [end]));
  }

  /** What writes `ends` inside another transaction (the engine's commit, alarm-store.ts). */
  endsWriter(ends: readonly AckEnd[]): ((trx: Transaction<AlarmDatabase>) => Promise<void>) | undefined {
    return ends.length === 0 ? undefined : (trx) => this.writeEnds(trx, ends);
  }

  /** Events, newest first, by the history's filters (`at` in [from, to)). */
  async history(query: HistoryQuery): Promise<AckEvent[]> {
    let q = this.db.selectFrom('alarm_ack_events').selectAll();
    if (query.series !== undefined) q = q.where('series', '=', query.series);
    if (query.from !== undefined) q = q.where('at', '>=', query.from);
    if (query.to !== undefined) q = q.where('at', '<', query.to);
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(rowToEvent);
  }

  private async writeEnds(trx: Transaction<AlarmDatabase>, ends: readonly AckEnd[]): Promise<void> {
    for (const { ack, event } of ends) {
      await trx.insertInto('alarm_ack_events').values(eventRow({ ...event, id: this.nextId++ })).execute();
      await trx.deleteFrom('alarm_acks').where('series', '=', ack.series).where('event_id', '=', ack.id).execute();
    }
  }
}

function eventRow(e: NewAckEvent & { readonly id: number }): Selectable<AlarmAckEventsTable> {
  return { id: e.id, series: e.series, action: e.action, status: e.status, author: e.author, comment: e.comment, at: e.at, until: e.until };
}

function rowToEvent(r: Selectable<AlarmAckEventsTable>): AckEvent {
  return { id: r.id, series: r.series, action: r.action, status: r.status, author: r.author, comment: r.comment, at: r.at, until: r.until };
}
