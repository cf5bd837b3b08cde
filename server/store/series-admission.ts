/**
 * Whether the store may take a NEW series, asked at the door (intake.ts)
 * before any of its samples is acknowledged: an archive is preallocated
 * whole at its first flush, so a series acknowledged now is disk promised
 * later, and 50,000 of them acknowledged in half a second once filled the
 * disk at the flush, with their samples stuck pending. Known series never
 * ask: their archives exist, and the headroom is kept for them (and the
 * journal that carries their samples).
 *
 * A new series is refused when
 *   free − promised − archives.diskHeadroom < its archive's size
 * where free is the data directory's file system's (statfs, for
 * unprivileged users, read at most once a STATFS_CACHE_MS so the ingest
 * path stays cheap) and promised is what the series admitted but without
 * an archive yet will take (held for their cadence, or waiting for the
 * flush). A promise is let go, at the next statfs, once the series has its
 * archive (statfs then counts it) or has nothing pending (its samples were
 * quarantined). Or when `archives.maxSeries` is set and that many series
 * exist (archives counted once at open, plus those admitted since). Or
 * when its writer's token has made archives.maxNewSeriesPerMinute new series
 * this minute (new-series-rate.ts).
 *
 * The size is the archive the series will get: its rule's or
 * archives.default's, else the built-in template's at the step its sample
 * declares, else the largest the template may give (archive-room.ts), so a
 * promise is never less than the archive. Each episode of refusals is
 * logged once, when it begins and when series are taken again (a rate's,
 * once per writer per minute); each refusal is counted (seriesRefusedDisk,
 * seriesRefusedLimit, seriesRefusedRate).
 */
import { existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { rrdtoolFileSize } from '../../archive/index.js';
import { formatByteSize } from '../../lib/byte-size.js';
import { largestArchiveBytes, megabytes } from './archive-room.js';
import { configDecides, definitionForSeries } from './archive-rules.js';
import { NewSeriesRate } from './new-series-rate.js';
import type { StoreConfig } from './config-section.js';
import { scanArchives } from './series-paths.js';
import type { SeriesEntry, SeriesTable } from './series-table.js';
import type { StoreLogger } from './store-stats.js';
import { snapToLadder } from './step-ladder.js';

/** `archives.diskHeadroom` by default: 1 GiB kept free for the series that exist and the journal. */
export const DEFAULT_DISK_HEADROOM = 2 ** 30;

/** How long a statfs answer is used: the ingest path asks for every new series. */
export const STATFS_CACHE_MS = 1000;

/** The file system holding `path`: its free bytes for unprivileged users, and its block size. */
export type FreeSpace = (path: string) => { readonly free: number; readonly blockSize: number };

const statfsSpace: FreeSpace = (path) => {
  const fs = statfsSync(path);
  return { free: fs.bavail * fs.bsize, blockSize: fs.bsize };
};

/** Why a new series was refused: for want of room (`disk`, `limit`: archives.maxSeries) or for its writer's rate (`rate`). */
export interface Refusal {
  readonly reason: 'disk' | 'limit' | 'rate';
  readonly message: string;
}

export interface AdmissionOptions {
  /** The clock, ms (default Date.now). */
  readonly nowMs?: () => number;
  /** Default: statfs. */
  readonly freeSpace?: FreeSpace;
}

export class SeriesAdmission {
  /** Admitted series without an archive yet, and the bytes promised to each. */
  private readonly promised = new Map<SeriesEntry, number>();
  private promisedBytes = 0;
  private free = 0;
  /** An archive takes whole blocks: a 2.5 kB one takes 4 KiB of a disk with 4 KiB blocks. */
  private blockSize = 1;
  private statAt = -Infinity;
  /** Series that exist: archives at open plus those admitted since; counted only with archives.maxSeries. */
  private seriesCount: number;
  /** Why new series are refused now, while an episode lasts; logged when it begins. */
  private refusing: string | undefined;
  private readonly templateBytes = new Map<number, number>();
  private readonly largestTemplate: number;
  private readonly nowMs: () => number;
  private readonly freeSpace: FreeSpace;
  private readonly rate: NewSeriesRate;

  private constructor(
    private readonly table: SeriesTable,
    private readonly config: StoreConfig,
    private readonly log: StoreLogger,
    archivesAtOpen: number,
    options: AdmissionOptions,
  ) {
    this.seriesCount = archivesAtOpen;
    this.nowMs = options.nowMs ?? Date.now;
    this.freeSpace = options.freeSpace ?? statfsSpace;
    this.largestTemplate = largestArchiveBytes(undefined);
    this.rate = new NewSeriesRate(config.archives.maxNewSeriesPerMinute, this.nowMs);
  }

  /**
   * After the journal's replay: the series it brought back without an
   * archive were admitted before the restart, and are promised again (the
   * largest archive they may get). Counts the archives on disk only when
   * archives.maxSeries needs the number.
   */
  static async open(table: SeriesTable, config: StoreConfig, log: StoreLogger, options: AdmissionOptions = {}): Promise<SeriesAdmission> {
    const count = config.archives.maxSeries === undefined ? 0 : (await scanArchives(table.root)).length;
    const admission = new SeriesAdmission(table, config, log, count, options);
    admission.refresh();
    for (const entry of table.unsettled()) {
      if (existsSync(entry.path)) continue;
      const bytes = admission.archiveBytes(entry.name, entry.interval);
      admission.promised.set(entry, bytes);
      admission.promisedBytes += bytes;
      admission.seriesCount++;
    }
    return admission;
  }

  /** The headroom kept free: archives.diskHeadroom, or DEFAULT_DISK_HEADROOM. */
  get headroom(): number {
    return this.config.archives.diskHeadroom ?? DEFAULT_DISK_HEADROOM;
  }

  /**
   * Whether `entry` is a series new to the store: no archive and nothing
   * pending or promised. Such a series must be admitted before its samples
   * are taken; any other never asks.
   */
  isNew(entry: SeriesEntry): boolean {
    return entry.hasArchive === false && entry.pending.length === 0 && entry.flushing.length === 0 && !this.promised.has(entry);
  }

  /**
   * Admits the new series `entry` (isNew) whose first sample declares
   * `interval`, sent by `writer` (a token's name, or undefined), promising
   * its archive's bytes, or says why not (a sentence naming the free and
   * needed bytes, or the count, and the setting). Never throws: a statfs
   * that fails lets the series in (the flush reports the disk).
   */
  admit(entry: SeriesEntry, interval: number | undefined, writer?: string): Refusal | undefined {
    const counters = this.table.counters;
    const overRate = this.rate.problem(writer);
    if (overRate !== undefined) {
      counters.seriesRefusedRate++;
      if (overRate.firstInWindow) this.log.warn({ writer }, `series store: ${overRate.message}`);
      return { reason: 'rate', message: overRate.message };
    }
    this.refresh();
    const maxSeries = this.config.archives.maxSeries;
    const bytes = this.archiveBytes(entry.name, interval);
    let problem: Refusal | undefined;
    if (maxSeries !== undefined && this.seriesCount >= maxSeries) {
      counters.seriesRefusedLimit++;
      problem = { reason: 'limit', message: `new series refused: the store holds ${this.seriesCount} series, archives.maxSeries is ${maxSeries}` };
    } else if (this.free - this.promisedBytes - this.headroom < bytes) {
      counters.seriesRefusedDisk++;
      const room = Math.max(0, this.free - this.promisedBytes);
      const message =
        `new series refused: the data directory's disk has ${megabytes(this.free)} free` +
        (this.promisedBytes > 0 ? ` (${megabytes(room)} once the ${this.promised.size} new series waiting for their archives have them)` : '') +
        `, archives.diskHeadroom keeps ${formatByteSize(this.headroom)} of it, and this series' archive needs ${megabytes(bytes)}; known series are still stored`;
      problem = { reason: 'disk', message };
    }
    if (problem !== undefined) {
      if (this.refusing === undefined) this.log.warn({ free: this.free, promised: this.promisedBytes, headroom: this.headroom, needed: bytes }, `series store: ${problem.message}`);
      this.refusing = problem.message;
      return problem;
    }
    if (this.refusing !== undefined) {
      this.refusing = undefined;
      this.log.info({ free: this.free, promised: this.promisedBytes }, 'series store: new series are taken again');
    }
    this.promised.set(entry, bytes);
    this.promisedBytes += bytes;
    this.seriesCount++;
    this.rate.made(writer);
    return undefined;
  }

  /** Reads the free bytes again once STATFS_CACHE_MS has passed, letting go of the promises kept or dropped since. */
  private refresh(): void {
    const now = this.nowMs();
    if (now - this.statAt < STATFS_CACHE_MS) return;
    this.statAt = now;
    for (const [entry, bytes] of this.promised) {
      if (entry.hasArchive === true || entry.pending.length + entry.flushing.length === 0) {
        this.promised.delete(entry);
        this.promisedBytes -= bytes;
        // Its samples were quarantined and no archive was made: the series does not exist after all.
        if (entry.hasArchive !== true) this.seriesCount--;
      }
    }
    const space = this.statfs(this.table.root) ?? { free: Infinity, blockSize: 1 };
    this.free = space.free;
    this.blockSize = space.blockSize;
    this.table.counters.diskFreeBytes = Number.isFinite(this.free) ? this.free : 0;
  }

  /** The file system `path` will be on: its own, or (before the first archive makes it) its nearest existing parent's; undefined when statfs fails. */
  private statfs(path: string): ReturnType<FreeSpace> | undefined {
    for (let at = path; ; at = dirname(at)) {
      try {
        return this.freeSpace(at);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) return undefined;
      }
    }
  }

  /** Bytes of disk the archive `series` will get will take (see the header), in whole blocks. */
  private archiveBytes(series: string, interval: number | undefined): number {
    const bytes = configDecides(this.config, series)
      ? rrdtoolFileSize(definitionForSeries(this.config, series))
      : interval === undefined
        ? this.largestTemplate
        : this.templateSize(snapToLadder(interval));
    return Math.ceil(bytes / this.blockSize) * this.blockSize;
  }

  private templateSize(step: number): number {
    let bytes = this.templateBytes.get(step);
    if (bytes === undefined) this.templateBytes.set(step, (bytes = rrdtoolFileSize(definitionForSeries({ archives: { rules: [] } }, 'any', undefined, step))));
    return bytes;
  }
}
