/**
 * The read half of the store: a series' rows, with its pending samples
 * applied first (so a read never misses an acknowledged sample) — whole
 * (fetch), or planned from the archive's header (fetchPlan) then read as
 * compact stored values (fetchValues) for a caller that bounds the answer
 * before it costs anything — and the
 * list of known series with what memory knows of each (pending samples,
 * last message) merged over what their archives say.
 */
import { existsSync } from 'node:fs';
import { fetchArchive, planFetchArchive, readFetchArchive, type FetchedValues, type FetchOptions, type FetchPlan, type FetchResult } from '../../archive/index.js';
import { checkSeriesName } from '../config-schema/index.js';
import { definitionForSeries } from './archive-rules.js';
import { readyToApply } from './cadence.js';
import type { StoreConfig } from './config-section.js';
import { UnknownSeriesError } from './errors.js';
import { listSeries, type SeriesInfo } from './series-listing.js';
import { archivePath } from './series-paths.js';
import type { SeriesTable } from './series-table.js';
import type { SeriesReader } from './store.js';
import type { StoreLogger } from './store-stats.js';
import type { WriteBehind } from './write-behind.js';

export class SeriesReads implements SeriesReader {
  constructor(
    private readonly table: SeriesTable,
    private readonly writeBehind: WriteBehind,
    private readonly config: StoreConfig,
    private readonly log: StoreLogger,
  ) {}

  async fetch(series: string, options: FetchOptions): Promise<FetchResult> {
    return fetchArchive(await this.readablePath(series), options);
  }

  async fetchPlan(series: string, options: FetchOptions): Promise<FetchPlan> {
    return planFetchArchive(await this.readablePath(series), options);
  }

  async fetchValues(series: string, options: FetchOptions): Promise<FetchedValues> {
    return readFetchArchive(await this.readablePath(series), options);
  }

  /** The archive of `series` with its pending samples applied; UnknownSeriesError (with why, when held) for none. */
  private async readablePath(series: string): Promise<string> {
    if (checkSeriesName(series, this.config.limits.seriesNameLength) !== undefined) throw new UnknownSeriesError(series);
    const entry = this.table.get(series);
    // A flush under way may hold this series' samples (`flushing`): settle waits for it rather than read around it.
    if (entry) await this.writeBehind.settle(entry);
    const path = entry?.path ?? archivePath(this.table.root, series);
    if (!existsSync(path)) {
      // No archive yet, but samples: the series is held while its cadence is learned; say so rather than "no such series".
      const held = entry !== undefined && entry.pending.length > 0 ? { samples: entry.pending.length, since: entry.pendingSince ?? Date.now(), inferWithin: this.config.archives.inferWithin } : undefined;
      throw new UnknownSeriesError(series, held);
    }
    return path;
  }

  lastMessage(series: string): string | undefined {
    return this.table.get(series)?.message;
  }

  list(glob?: string): Promise<SeriesInfo[]> {
    const { table } = this;
    return listSeries(table.root, glob, table.handles, this.log, (name) => {
      const entry = table.get(name);
      const last = entry?.pending.at(-1) ?? entry?.flushing.at(-1);
      // Held: samples that wait for the series' cadence (readyToApply answers as the flush will).
      const held = entry !== undefined && entry.pending.length > 0 && !readyToApply(this.config, entry, Date.now()) ? { samples: entry.pending.length, since: Math.floor((entry.pendingSince ?? Date.now()) / 1000) } : undefined;
      // The step readyToApply decided (entry.step) is the one the flush creates the archive with: listed, not the template's.
      return { last, message: entry?.message, definition: () => definitionForSeries(this.config, name, undefined, entry?.step), drift: entry?.drift, held };
    }, table.unsettled().map((e) => e.name));
  }
}
