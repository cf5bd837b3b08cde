/**
 * Reshapes in the running store: the series a request names (one name, or
 * every series matching a pattern: archives on disk and series held for
 * their cadence), each reshaped alone inside WriteBehind.exclusive
 * (reshape-series.ts), with a turn of the event loop between two series so
 * requests (/healthz, ingests) are answered in milliseconds while thousands
 * are reshaped, and flushes queued meanwhile run between them.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { checkSeriesName, seriesGlob } from '../config-schema/index.js';
import type { StoreConfig } from './config-section.js';
import { watchDrift } from './drift.js';
import { reshapeSeries, type ReshapeOutcome } from './reshape-series.js';
import { InvalidReshapeError, MAX_RESHAPE_SERIES, reshapeTarget, type ReshapeRequest, type ReshapeTarget } from './reshape-target.js';
import { archivePath, scanArchives } from './series-paths.js';
import type { SeriesTable } from './series-table.js';
import type { StoreLogger } from './store-stats.js';
import type { WriteBehind } from './write-behind.js';

export class Reshaper {
  constructor(
    private readonly table: SeriesTable,
    private readonly writeBehind: WriteBehind,
    private readonly config: StoreConfig,
    private readonly log: StoreLogger,
    /** Unix seconds. */
    private readonly now: () => number,
  ) {}

  /** See Store.reshape. */
  async reshape(request: ReshapeRequest): Promise<ReshapeOutcome[]> {
    const target = reshapeTarget(request);
    const names = request.series !== undefined ? [request.series] : await this.matching(request.match ?? '');
    const outcomes: ReshapeOutcome[] = [];
    for (const name of names) outcomes.push(await this.reshapeOne(name, target, request.dryRun === true));
    return outcomes;
  }

  /**
   * Reshapes one series to `target` with the archives to itself, counts it
   * and judges its drift again; resolves after a turn of the event loop (the
   * exclusive queue resolves in microtasks, which would starve I/O across
   * thousands of series).
   */
  async reshapeOne(name: string, target: ReshapeTarget, dryRun: boolean): Promise<ReshapeOutcome> {
    const outcome = await this.reshapeAlone(name, target, dryRun);
    await nextTurn();
    return outcome;
  }

  private async reshapeAlone(name: string, target: ReshapeTarget, dryRun: boolean): Promise<ReshapeOutcome> {
    const problem = checkSeriesName(name, this.config.limits.seriesNameLength);
    if (problem !== undefined) return { series: name, status: 'skipped', reason: `no such series: ${problem}` };
    return this.writeBehind.exclusive(async () => {
      const entry = this.table.get(name);
      const path = entry?.path ?? archivePath(this.table.root, name);
      const outcome = reshapeSeries(this.table.handles, { name, path, pendingSamples: entry?.pending.length ?? 0 }, target, dryRun);
      if (outcome.status !== 'reshaped' || outcome.after === undefined) return outcome;
      this.table.counters.seriesReshaped++;
      // Its drift was judged against the old archive: judge the same recent gaps against the new one (cleared when they fit).
      if (entry !== undefined) watchDrift(entry, [], outcome.after, this.now(), this.table.counters, this.log);
      return outcome;
    });
  }

  /** The series matching `match`, sorted; refuses more than MAX_RESHAPE_SERIES before anything changes. */
  private async matching(match: string): Promise<string[]> {
    const glob = seriesGlob(match);
    const unsettled = this.table.unsettled().map((e) => e.name);
    const names = [...new Set([...(await scanArchives(this.table.root)), ...unsettled])].filter((name) => glob.test(name)).sort();
    if (names.length > MAX_RESHAPE_SERIES) {
      throw new InvalidReshapeError('match', `matches ${names.length} series, more than ${MAX_RESHAPE_SERIES} per call; nothing was reshaped: narrow the pattern`);
    }
    return names;
  }
}
