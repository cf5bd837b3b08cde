/**
 * The downtimes in the database: each change validated, written with its
 * history entry in one transaction, or not at all.
 *
 * The `downtimes` row is the current version; `downtime_revisions` keeps a
 * snapshot of every version with who made it and why (created, updated,
 * ended, cancelled), so nothing is ever overwritten without a trace and
 * nothing is deleted: DELETE in the API is a cancellation.
 *
 * Ids are max + 1 inside the writing transaction, which needs no
 * dialect-specific identity column; SQLite runs transactions one at a time.
 * Updates are conditional on the revision read, so a concurrent writer on a
 * server database is refused rather than lost.
 *
 * The downtimes that count against the limits are counted inside the
 * writing transaction, so one writer cannot have more than
 * `downtimes.maxFiledPerAuthor` nor everyone together more than
 * `downtimes.maxFiled`. Those in effect or still to come count (filed, and
 * open, ending after now or recurring: a recurring one until it is
 * cancelled), and so does every one filed in the last day, over or
 * cancelled: filing past downtimes, or filing and cancelling in a loop,
 * cannot grow the database without bound either. A downtime takes at most
 * MAX_REVISIONS versions by change (PATCH); it can still be ended or cancelled.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.js';
import { DEFAULT_DOWNTIMES } from './config-section.js';
import { DowntimeConflictError, DowntimeLimitError, UnknownDowntimeError } from './errors.js';
import { draftOf, type Downtime, type DowntimeChanges, type DowntimeDraft, type DowntimeKind, type Revision, type RevisionAction } from './model.js';
import { downtimeToRow, rowToDowntime, rowToRevision } from './rows.js';
import { validateDowntime, type DowntimeLimits } from './validate.js';

/** Which downtimes list() returns; the time window is a coarse SQL filter (recurring ones always pass it). */
export interface StoreFilter {
  readonly includeCancelled?: boolean;
  readonly kind?: DowntimeKind;
  /** Only downtimes that may touch [from, to). */
  readonly from?: number;
  readonly to?: number;
  /** Only downtimes after this one in start-then-id order (a page's end). */
  readonly after?: DowntimeCursor;
  /** At most this many. */
  readonly limit?: number;
}

/** Where a listing in start-then-id order stopped: the last downtime's start and id. */
export interface DowntimeCursor {
  readonly start: number;
  readonly id: number;
}

type Tx = Transaction<Database>;

/** Versions one downtime may have: each change stores a whole snapshot. */
export const MAX_REVISIONS = 1000;
/** How long a downtime filed counts against the limits even when it is over or cancelled. */
const RECENT = 86_400;

/** Whether a downtime counts against the limits at `now`: filed and not over, or filed within the last day. */
function counts(d: Downtime, now: number): boolean {
  return (d.status === 'filed' && (d.end === null || d.end > now || d.rrule !== null)) || d.createdAt > now - RECENT;
}

export class DowntimeStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: DowntimeLimits,
  ) {}

  /** Files a new downtime. Throws InvalidDowntimeError (nothing stored). */
  async create(input: DowntimeDraft, author: string, now: number): Promise<Downtime> {
    const { draft } = validateDowntime(input, this.limits);
    return this.db.transaction().execute(async (trx) => {
      const { last } = await trx.selectFrom('downtimes').select((eb) => eb.fn.max('id').as('last')).executeTakeFirstOrThrow();
      const at = Math.floor(now);
      const downtime: Downtime = { id: Number(last ?? 0) + 1, status: 'filed', ...draft, author, createdAt: at, updatedBy: author, updatedAt: at, revision: 1 };
      if (counts(downtime, at)) await this.checkRoom(trx, author, at);
      await trx.insertInto('downtimes').values(downtimeToRow(downtime)).execute();
      await this.record(trx, downtime, 'created');
      return downtime;
    });
  }

  /** Changes the given fields. Throws UnknownDowntimeError, DowntimeConflictError (cancelled), InvalidDowntimeError. */
  async update(id: number, changes: DowntimeChanges, author: string, now: number): Promise<Downtime> {
    return this.change(id, 'updated', author, now, (current) => {
      if (current.status === 'cancelled') throw new DowntimeConflictError(`downtime ${id} is cancelled and cannot be changed`);
      const { draft } = validateDowntime({ ...draftOf(current), ...changes }, this.limits);
      return draft;
    });
  }

  /** Ends a downtime that is in progress at `now` (open unplanned ones above all): its end becomes now. */
  async end(id: number, author: string, now: number): Promise<Downtime> {
    const at = Math.floor(now);
    return this.change(id, 'ended', author, now, (current) => {
      const conflict = (why: string): never => {
        throw new DowntimeConflictError(`downtime ${id} ${why}`);
      };
      if (current.status === 'cancelled') conflict('is cancelled');
      if (current.rrule !== null) conflict('recurs: change its rrule (UNTIL or COUNT) or cancel it');
      if (current.start >= at) conflict('has not started yet: cancel it instead');
      if (current.end !== null && current.end <= at) conflict(`is already over (it ended at ${new Date(current.end * 1000).toISOString()})`);
      return { ...draftOf(current), end: at };
    });
  }

  /** Cancels a downtime: it stays, with its history, but queries leave it out. Throws DowntimeConflictError when already cancelled. */
  async cancel(id: number, author: string, now: number): Promise<Downtime> {
    return this.change(id, 'cancelled', author, now, (current) => {
      if (current.status === 'cancelled') throw new DowntimeConflictError(`downtime ${id} is already cancelled`);
      return draftOf(current);
    });
  }

  /** Throws UnknownDowntimeError. */
  async get(id: number): Promise<Downtime> {
    const row = await this.db.selectFrom('downtimes').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new UnknownDowntimeError(id);
    return rowToDowntime(row);
  }

  /** Downtimes by start, then id. */
  async list(filter: StoreFilter = {}): Promise<Downtime[]> {
    let query = this.db.selectFrom('downtimes').selectAll();
    if (!filter.includeCancelled) query = query.where('status', '=', 'filed');
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    if (filter.to !== undefined) query = query.where('start_at', '<', filter.to);
    const from = filter.from;
    if (from !== undefined) {
      query = query.where((eb) => eb.or([eb('end_at', 'is', null), eb('end_at', '>', from), eb('rrule', 'is not', null)]));
    }
    const after = filter.after;
    if (after !== undefined) query = query.where((eb) => eb.or([eb('start_at', '>', after.start), eb.and([eb('start_at', '=', after.start), eb('id', '>', after.id)])]));
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    const rows = await query.orderBy('start_at').orderBy('id').execute();
    return rows.map(rowToDowntime);
  }

  /** Every version of a downtime, oldest first. Throws UnknownDowntimeError. */
  async history(id: number): Promise<Revision[]> {
    const rows = await this.db.selectFrom('downtime_revisions').selectAll().where('downtime_id', '=', id).orderBy('revision').execute();
    if (rows.length === 0) throw new UnknownDowntimeError(id);
    return rows.map(rowToRevision);
  }

  /** Reads the current version, lets `next` decide the new fields (or throw), and writes it with its history entry. */
  private async change(id: number, action: RevisionAction, author: string, now: number, next: (current: Downtime) => DowntimeDraft): Promise<Downtime> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('downtimes').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new UnknownDowntimeError(id);
      const current = rowToDowntime(row);
      // Ending and cancelling stay possible: they are the way out.
      if (action === 'updated' && current.revision >= MAX_REVISIONS) throw new DowntimeConflictError(`downtime ${id} has ${MAX_REVISIONS} versions, the most one may have: file a new one`);
      const draft = next(current);
      const updated: Downtime = {
        ...current,
        ...draft,
        status: action === 'cancelled' ? 'cancelled' : current.status,
        updatedBy: author,
        updatedAt: Math.floor(now),
        revision: current.revision + 1,
      };
      // A change that brings one that is over back counts like filing it anew.
      if (!counts(current, updated.updatedAt) && counts(updated, updated.updatedAt)) await this.checkRoom(trx, current.author, updated.updatedAt);
      const { id: _id, ...fields } = downtimeToRow(updated);
      const result = await trx.updateTable('downtimes').set(fields).where('id', '=', id).where('revision', '=', current.revision).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new DowntimeConflictError(`downtime ${id} was changed meanwhile; try again`);
      await this.record(trx, updated, action);
      return updated;
    });
  }

  /** Throws DowntimeLimitError when `author`, or everyone, already has as many downtimes counting at `now` as allowed. */
  private async checkRoom(trx: Tx, author: string, now: number): Promise<void> {
    const counted = (byAuthor: boolean) => {
      let query = trx
        .selectFrom('downtimes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'filed'), eb.or([eb('end_at', 'is', null), eb('end_at', '>', now), eb('rrule', 'is not', null)])]),
            eb('created_at', '>', now - RECENT),
          ]),
        );
      if (byAuthor) query = query.where('author', '=', author);
      return query.executeTakeFirstOrThrow().then(({ n }) => Number(n));
    };
    const perAuthor = this.limits.maxFiledPerAuthor ?? DEFAULT_DOWNTIMES.maxFiledPerAuthor;
    if ((await counted(true)) >= perAuthor) {
      throw new DowntimeLimitError(
        'downtimes.maxFiledPerAuthor',
        `${author} already has ${perAuthor} downtimes in effect, to come or filed in the last day, the most one token may have (downtimes.maxFiledPerAuthor): cancel one to come, or wait`,
      );
    }
    const overall = this.limits.maxFiled ?? DEFAULT_DOWNTIMES.maxFiled;
    if ((await counted(false)) >= overall) {
      throw new DowntimeLimitError('downtimes.maxFiled', `${overall} downtimes are in effect, to come or filed in the last day, the most the server keeps (downtimes.maxFiled): cancel one to come, or wait`);
    }
  }

  private async record(trx: Tx, downtime: Downtime, action: RevisionAction): Promise<void> {
    await trx
      .insertInto('downtime_revisions')
      .values({ downtime_id: downtime.id, revision: downtime.revision, action, author: downtime.updatedBy, at: downtime.updatedAt, snapshot: JSON.stringify(downtime) })
      .execute();
  }
}
