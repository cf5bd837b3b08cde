/**
 * What the store knows of each series, shared by intake, write-behind and
 * reads: its last accepted time, its samples waiting for the archive, and
 * its last message. Entries are created on first sight and never removed,
 * so an entry found before an await is still the series' own after it.
 */
import { existsSync } from 'node:fs';
import type { JournaledSample } from '../journal/index.js';
import type { PendingSample } from './apply.js';
import type { GapRecord, SeriesDrift } from './drift.js';
import type { HandleCache } from './handle-cache.js';
import { archivePath } from './series-paths.js';
import { lastUpdateKey, lastUpdateTime, timeKey } from './sample-time.js';
import type { StoreLogger, StoreStats } from './store-stats.js';

/** What the store knows of one series. */
export interface SeriesEntry {
  readonly name: string;
  readonly path: string;
  /** timeKey of the last accepted sample or of the archive's last update; -Infinity for none. */
  lastKey: number;
  lastTime: number;
  /** Whether the archive's header has been read (or found missing) into lastKey. */
  headerLoaded: boolean;
  /** Durable samples not yet in the archive, in journal order (so in time order). */
  pending: PendingSample[];
  /** The number of the last ingest batch that claimed a time of this series. */
  claimBatch: number;
  /** The samples a flush is applying right now. */
  flushing: readonly PendingSample[];
  /** The message of the last accepted sample that carried one (a check's state line); kept in memory only. */
  message: string | undefined;
  /** The last interval a sample of the series declared (JournaledSample.interval), in seconds. */
  interval?: number;
  /** When (server clock, ms) the oldest of the samples now pending was recorded: how long a new series has been held (cadence.ts). */
  pendingSince?: number;
  /** Whether the archive file exists, once known (set by the header load, an archive creation, cadence.ts). */
  hasArchive?: boolean;
  /** Whether a rule or a configured default decides the archive, once asked (cadence.ts). */
  configDecides?: boolean;
  /** The step cadence.ts chose for the archive the template will create; unset while the series is held. */
  step?: number;
  /** How the series' samples stopped fitting its archive, while they do not (drift.ts); unset when they fit or too few are known. */
  drift?: SeriesDrift;
  /** The gaps between its last applied samples, from which drift is judged (drift.ts); in memory only. */
  gaps?: GapRecord;
}

/** The counters the parts of the store bump; openArchives is the handle cache's. */
export type StoreCounters = Omit<StoreStats, 'openArchives'>;

export class SeriesTable {
  private readonly entries = new Map<string, SeriesEntry>();
  /** The highest journal seq whose samples are recorded in `pending` (or already flushed). */
  recordedSeq = 0;

  constructor(
    /** `<dataDir>/archives`. */
    readonly root: string,
    readonly handles: HandleCache,
    readonly counters: StoreCounters,
    private readonly log: StoreLogger,
  ) {}

  /** The entry of `name` if the store has met it. */
  get(name: string): SeriesEntry | undefined {
    return this.entries.get(name);
  }

  /** The entry of `name`, created on first sight; with `load`, reads the archive's last update if not done yet. */
  entry(name: string, load: boolean): SeriesEntry {
    let entry = this.entries.get(name);
    if (!entry) {
      entry = { name, path: archivePath(this.root, name), lastKey: -Infinity, lastTime: -Infinity, headerLoaded: false, pending: [], flushing: [], claimBatch: 0, message: undefined };
      this.entries.set(name, entry);
    }
    if (load && !entry.headerLoaded) this.loadHeader(entry);
    return entry;
  }

  /**
   * Adds `s`, durable in journal batch `seq`, to its entry's pending
   * samples; `arrivedMs` is when it arrived (server clock, ms), which starts
   * the wait of a held series (cadence.ts) when none is pending.
   */
  record(entry: SeriesEntry, seq: number, s: JournaledSample, arrivedMs = Date.now()): void {
    if (entry.pending.length === 0) entry.pendingSince = arrivedMs;
    if (s.interval !== undefined) entry.interval = s.interval;
    entry.pending.push({ seq, time: s.time, value: s.value });
    const key = timeKey(s.time);
    if (key > entry.lastKey) Object.assign(entry, { lastKey: key, lastTime: s.time });
    this.counters.pending++;
  }

  /** Every entry met so far. */
  all(): IterableIterator<SeriesEntry> {
    return this.entries.values();
  }

  /** The entries with samples pending or being applied. */
  unsettled(): SeriesEntry[] {
    return [...this.entries.values()].filter((e) => e.pending.length + e.flushing.length > 0);
  }

  private loadHeader(entry: SeriesEntry): void {
    if (!existsSync(entry.path)) {
      entry.headerLoaded = true;
      entry.hasArchive = false;
      return;
    }
    try {
      const state = this.handles.get(entry.path).state;
      if (lastUpdateKey(state) > entry.lastKey) Object.assign(entry, { lastKey: lastUpdateKey(state), lastTime: lastUpdateTime(state) });
      entry.headerLoaded = true;
      entry.hasArchive = true;
    } catch (e) {
      // Accepted against the pending samples alone; the flush will report the archive, and the next ingest tries again.
      this.log.warn({ err: e, series: entry.name }, 'series store: cannot read the archive header');
    }
  }
}
