/**
 * The alarm tables: states loaded at start, and each batch of transitions
 * written with the states they leave behind in one transaction, so the
 * history and the current state never disagree. Ids are max + 1, assigned
 * here (the only writer), as the downtime store does, for dialects without
 * a shared identity syntax.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSource, PartDatabase } from '../database/index.js';
import { AckStore } from './ack-store.js';
import { openAlarmDatabase, type AlarmDatabase } from './database.js';
import type { HistoryQuery, NewTransition, RecordedTransition, StoredAlarm } from './records.js';
import { alarmToRow, rowToAlarm, rowToTransition, transitionToRow } from './rows.js';

export class AlarmStore {
  private nextId = 0;

  private readonly db: Kysely<AlarmDatabase>;
  /** The acknowledgements, in the same database (set by open). */
  acks!: AckStore;

  private constructor(private readonly database: PartDatabase<AlarmDatabase>) {
    this.db = database.db;
  }

  static async open(source: DatabaseSource): Promise<AlarmStore> {
    const database = await openAlarmDatabase(source);
    const { db } = database;
    const store = new AlarmStore(database);
    const { last } = await db.selectFrom('alarm_transitions').select((eb) => eb.fn.max('id').as('last')).executeTakeFirstOrThrow();
    store.nextId = Number(last ?? 0) + 1;
    store.acks = await AckStore.open(db);
    return store;
  }

  async states(): Promise<StoredAlarm[]> {
    const rows = await this.db.selectFrom('alarm_states').selectAll().execute();
    return rows.map(rowToAlarm);
  }

  /** Transitions whose notice never reached the outbox (the process stopped in between). */
  async unnoticed(): Promise<RecordedTransition[]> {
    const rows = await this.db.selectFrom('alarm_transitions').selectAll().where('noticed', '=', 0).orderBy('id').execute();
    return rows.map(rowToTransition);
  }

  /** Writes the transitions (ids assigned in order) and the states, in one transaction; `alongside` (acknowledgements ended by them) in it too. */
  async commit(transitions: readonly NewTransition[], states: readonly StoredAlarm[], alongside?: (trx: Transaction<AlarmDatabase>) => Promise<void>): Promise<RecordedTransition[]> {
    if (transitions.length === 0 && states.length === 0 && alongside === undefined) return [];
    const recorded = transitions.map((t) => ({ ...t, id: this.nextId++ }));
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const rows of chunks(recorded.map(transitionToRow), 500)) await trx.insertInto('alarm_transitions').values(rows).execute();
        for (const rows of chunks(states.map(alarmToRow), 500)) {
          await trx
            .insertInto('alarm_states')
            .values(rows)
            .onConflict((oc) =>
              oc.column('series').doUpdateSet((eb) => ({
                rule: eb.ref('excluded.rule'),
                status: eb.ref('excluded.status'),
                since: eb.ref('excluded.since'),
                value: eb.ref('excluded.value'),
                threshold: eb.ref('excluded.threshold'),
                last_sample_at: eb.ref('excluded.last_sample_at'),
                notified: eb.ref('excluded.notified'),
                last_notified_at: eb.ref('excluded.last_notified_at'),
                suppressed_by: eb.ref('excluded.suppressed_by'),
              })),
            )
            .execute();
        }
        await alongside?.(trx);
      });
    } catch (e) {
      this.nextId -= recorded.length;
      throw e;
    }
    return recorded;
  }

  async markNoticed(ids: readonly number[]): Promise<void> {
    for (const chunk of chunks(ids, 500)) await this.db.updateTable('alarm_transitions').set({ noticed: 1 }).where('id', 'in', chunk).execute();
  }

  /** Series no rule alarms any more (the config changed): their states go; their history stays. */
  async forget(series: readonly string[]): Promise<void> {
    for (const chunk of chunks(series, 500)) await this.db.deleteFrom('alarm_states').where('series', 'in', chunk).execute();
  }

  async history(query: HistoryQuery): Promise<RecordedTransition[]> {
    let q = this.db.selectFrom('alarm_transitions').selectAll();
    if (query.series !== undefined) q = q.where('series', '=', query.series);
    if (query.from !== undefined) q = q.where('at', '>=', query.from);
    if (query.to !== undefined) q = q.where('at', '<', query.to);
    if (query.statuses !== undefined) q = q.where('to_status', 'in', query.statuses);
    const { before } = query;
    if (before !== undefined) q = q.where((eb) => eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]));
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(rowToTransition);
  }

  close(): Promise<void> {
    return this.database.close();
  }
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
