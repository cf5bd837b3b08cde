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
import { DowntimeStore } from './downtime-store.js';
import type { Downtime, DowntimeChanges, DowntimeDraft, DowntimeKind, Occurrence, Revision } from './model.js';
import { compileRecurrence, scopeCovers, windowsTouching } from './occurrences.js';
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

export class Downtimes {
  private constructor(
    private readonly database: PartDatabase<Database>,
    private readonly store: DowntimeStore,
    private readonly index: DowntimeIndex,
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
      return new Downtimes(database, store, new DowntimeIndex(await store.list()), migrated);
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

  /** Downtimes by start then id, as the query asks. */
  async list(query: DowntimeQuery = {}): Promise<DowntimeListing[]> {
    const { series, agent, from, to, kind } = query;
    const ranged = from !== undefined && to !== undefined;
    if (series !== undefined && ranged && !query.includeCancelled) {
      // The graph question: the index has every filed downtime.
      return this.index.touching(series, from, to, agent).filter((t) => kind === undefined || t.downtime.kind === kind);
    }
    const rows = await this.store.list({ includeCancelled: query.includeCancelled, kind, from, to });
    const out: DowntimeListing[] = [];
    for (const downtime of rows) {
      if (series !== undefined && !scopeCovers(downtime, series, agent)) continue;
      if (!ranged) {
        out.push({ downtime });
        continue;
      }
      const windows = windowsTouching(downtime, compileRecurrence(downtime), from, to);
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
