/**
 * Downtimes: the database and the in-memory index kept in step. Every change
 * goes to the database first (validated, with its history entry) and then
 * to the index, so the alarm question never sees a downtime the database
 * refused, and a restart rebuilds the same index from the database.
 */
import { partDatabase, type DatabaseSource, type PartDatabase } from '../database/index.js';
import type { Kysely } from 'kysely';
import { migrateToLatest, type Database } from './database.js';
import { DowntimeIndex, type ActiveDowntime } from './downtime-index.js';
import { DowntimeStore, type DowntimeCursor } from './downtime-store.js';
import type { Downtime, DowntimeChanges, DowntimeDraft, DowntimeKind, Occurrence, Revision } from './model.js';
import { formatDuration } from '../../lib/duration.js';
import { DEFAULT_DOWNTIMES } from './config-section.js';
import { InvalidDowntimeError } from './errors.js';
import { compileRecurrence, scopeCovers, windowsPaced } from './occurrences.js';
import type { DowntimeLimits } from './validate.js';

/** Which downtimes list() returns. Without a time range, every one that matches the rest. */
export interface DowntimeQuery {
  /** Only downtimes covering this series. */
  readonly series?: string;
  /** The agent `series` comes from, so downtimes scoped to the agent count too. */
  readonly agent?: string;
  /** Only downtimes with a window overlapping [from, to); their windows are listed. */
  readonly from?: number;
  readonly to?: number;
  readonly kind?: DowntimeKind;
  readonly includeCancelled?: boolean;
}

/** A downtime, with its windows in the asked range when the query had one. */
export interface DowntimeListing {
  readonly downtime: Downtime;
  readonly windows?: readonly Occurrence[];
}

const cursorOf = (downtime: Downtime): DowntimeCursor => ({ start: downtime.start, id: downtime.id });

export class Downtimes {
  private constructor(
    private readonly database: PartDatabase<Database>,
    private readonly store: DowntimeStore,
    private readonly index: DowntimeIndex,
    private readonly limits: DowntimeLimits,
    /** The migrations this open applied (empty when the schema was current). */
    readonly migrated: readonly string[],
  ) {}

  /**
   * Opens the database (a file, created if missing, or the server's shared connection), brings its
   * schema up to date and loads the index. Throws DowntimeMigrationError
   * when the schema cannot be brought up to date; the file is then closed.
   */
  static async open(source: DatabaseSource, limits: DowntimeLimits): Promise<Downtimes> {
    const database = partDatabase<Database>(source);
    try {
      const migrated = await migrateToLatest(database.db);
      const store = new DowntimeStore(database.db, limits);
      return new Downtimes(database, store, new DowntimeIndex(await store.list()), limits, migrated);
    } catch (e) {
      await database.close();
      throw e;
    }
  }

  /** Filed downtimes held by the index. */
  get size(): number {
    return this.index.size;
  }

  async create(draft: DowntimeDraft, author: string, now: number): Promise<Downtime> {
    return this.indexed(await this.store.create(draft, author, now));
  }

  async update(id: number, changes: DowntimeChanges, author: string, now: number): Promise<Downtime> {
    return this.indexed(await this.store.update(id, changes, author, now));
  }

  async end(id: number, author: string, now: number): Promise<Downtime> {
    return this.indexed(await this.store.end(id, author, now));
  }

  async cancel(id: number, author: string, now: number): Promise<Downtime> {
    return this.indexed(await this.store.cancel(id, author, now));
  }

  get(id: number): Promise<Downtime> {
    return this.store.get(id);
  }

  history(id: number): Promise<Revision[]> {
    return this.store.history(id);
  }

  /** The alarm question: the planned downtime `series` is in at `t`, if any. Synchronous and cached. */
  activePlannedDowntime(series: string, t: number, agent?: string): ActiveDowntime | undefined {
    return this.index.activePlannedDowntime(series, t, agent);
  }

  /**
   * The unplanned downtime `series` is in at `t`, if any: alarms record it
   * beside a transition (it explains, it does not silence).
   */
  activeUnplannedDowntime(series: string, t: number, agent?: string): ActiveDowntime | undefined {
    for (const { downtime, windows } of this.index.touching(series, t, t + 1, agent)) {
      if (downtime.kind !== 'unplanned') continue;
      const window = windows.find((w) => w.start <= t && (w.end === null || w.end > t));
      if (window) return { downtime, window };
    }
    return undefined;
  }

  /**
   * One page of the listing without a range (the query's from and to are
   * ignored): at most `limit` downtimes after `after`, by start then id, and
   * where the next page starts when more follow. Read from the database
   * `limit` + 1 rows at a time, so a page holds about that many whatever
   * the number stored, a series filter included.
   */
  async listPage(query: DowntimeQuery, limit: number, after?: DowntimeCursor): Promise<{ listed: DowntimeListing[]; next?: DowntimeCursor }> {
    const { series, agent, kind, includeCancelled } = query;
    const listed: DowntimeListing[] = [];
    let from = after;
    for (;;) {
      const rows = await this.store.list({ includeCancelled, kind, after: from, limit: limit + 1 });
      for (const downtime of rows) {
        if (series !== undefined && !scopeCovers(downtime, series, agent)) continue;
        // One more than the page: more follow, and the page ends at the one before it.
        if (listed.length === limit) return { listed, next: cursorOf(listed[limit - 1].downtime) };
        listed.push({ downtime });
      }
      if (rows.length <= limit) return { listed };
      from = cursorOf(rows[rows.length - 1]);
    }
  }

  /**
   * Downtimes by start then id, as the query asks. A range wider than
   * `downtimes.maxListRange`, or holding more windows than
   * `downtimes.maxListedWindows`, throws InvalidDowntimeError naming `to`.
   * Recurring downtimes are expanded one at a time with a turn of the event
   * loop between (and a long range a year at a time), so a listing never
   * holds the loop for long.
   */
  async list(query: DowntimeQuery = {}): Promise<DowntimeListing[]> {
    const { series, agent, from, to, kind } = query;
    if (from === undefined || to === undefined) {
      const rows = await this.store.list({ includeCancelled: query.includeCancelled, kind });
      return rows.filter((downtime) => series === undefined || scopeCovers(downtime, series, agent)).map((downtime) => ({ downtime }));
    }
    const maxRange = this.limits.maxListRangeSeconds ?? DEFAULT_DOWNTIMES.maxListRangeSeconds;
    if (to - from > maxRange) {
      throw new InvalidDowntimeError([{ field: 'to', message: `the range is ${formatDuration(to - from)} long; the widest a listing may ask for is ${formatDuration(maxRange)} (downtimes.maxListRange)` }]);
    }
    // The graph question asks the index, which has every filed downtime with its rule compiled.
    const candidates =
      series !== undefined && !query.includeCancelled
        ? this.index.covering(series, agent)
        : (await this.store.list({ includeCancelled: query.includeCancelled, kind, from, to }))
            .filter((downtime) => series === undefined || scopeCovers(downtime, series, agent))
            .map((downtime) => ({ downtime, recurrence: compileRecurrence(downtime) }));
    const maxWindows = this.limits.maxListedWindows ?? DEFAULT_DOWNTIMES.maxListedWindows;
    let left = maxWindows;
    const out: DowntimeListing[] = [];
    for (const { downtime, recurrence } of candidates) {
      if (kind !== undefined && downtime.kind !== kind) continue;
      if (recurrence) await new Promise((resolve) => setImmediate(resolve));
      const windows = await windowsPaced(downtime, recurrence, from, to, left + 1);
      if (windows.length > left) {
        throw new InvalidDowntimeError([{ field: 'to', message: `the range holds more than ${maxWindows} downtime windows, the most one listing expands (downtimes.maxListedWindows): ask for a shorter one` }]);
      }
      left -= windows.length;
      if (windows.length > 0) out.push({ downtime, windows });
    }
    return out;
  }

  /** Closes the database (a connection of its own); the object is unusable afterwards. */
  async close(): Promise<void> {
    await this.database.close();
  }

  private indexed(downtime: Downtime): Downtime {
    this.index.put(downtime);
    return downtime;
  }
}
