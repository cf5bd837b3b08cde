/**
 * list(): the series the store knows, from the archives on disk and the
 * samples pending, with each one's last update, last value and definition,
 * and why a graph may be empty: drift (samples that no longer fit the
 * archive, drift.ts) and samples held while the cadence is learned (cadence.ts).
 */
import { openArchive, type ArchiveDefinition, type ArchiveFile } from '../../archive/index.js';
import { seriesGlob } from '../config-schema/index.js';
import type { PendingSample } from './apply.js';
import type { SeriesDrift } from './drift.js';
import type { HandleCache } from './handle-cache.js';
import { lastDsValue, lastUpdateTime } from './sample-time.js';
import { archivePath, scanArchives } from './series-paths.js';
import type { StoreLogger } from './store-stats.js';

export interface SeriesInfo {
  readonly series: string;
  /** Unix seconds of the newest sample, pending or archived; the archive's start when it has none. */
  readonly lastUpdate: number;
  /** That sample's value; null when unknown. */
  readonly lastValue: number | null;
  readonly definition: ArchiveDefinition;
  /** The last message the series' samples carried (a check's state line), when memory has one. */
  readonly message?: string;
  /** Set while the series' recent samples do not fit its archive (drift.ts). */
  readonly drift?: SeriesDrift;
  /** Set while the series has no archive yet: its samples are held until its cadence is known (cadence.ts). */
  readonly held?: HeldSamples;
}

/** A series' samples held while its cadence is learned. */
export interface HeldSamples {
  readonly samples: number;
  /** Unix seconds (server clock) since when the first of them waits. */
  readonly since: number;
}

/** What memory knows of a series beyond its archive. */
export interface SeriesMemory {
  /** Its newest sample not yet in the archive. */
  readonly last: PendingSample | undefined;
  readonly message: string | undefined;
  /** The definition a new archive would get. */
  readonly definition: () => ArchiveDefinition;
  readonly drift?: SeriesDrift;
  readonly held?: HeldSamples;
}

/** What the store holds in memory about a series. */
export type PendingView = (series: string) => SeriesMemory;

/**
 * The series under `root` or pending, matching `glob`, sorted by name. An
 * archive that cannot be read is left out and logged. Throws Error for a bad
 * pattern.
 */
export async function listSeries(root: string, glob: string | undefined, handles: HandleCache, log: StoreLogger, pending: PendingView, known: Iterable<string>): Promise<SeriesInfo[]> {
  const match = glob === undefined ? undefined : seriesGlob(glob);
  const names = new Set([...(await scanArchives(root)), ...known]);
  const out: SeriesInfo[] = [];
  for (const series of [...names].sort()) {
    if (match && !match.test(series)) continue;
    const { last, message, definition, drift, held } = pending(series);
    const path = archivePath(root, series);
    let archived: { definition: ArchiveDefinition; lastUpdate: number; lastValue: number | null } | undefined;
    try {
      archived = readArchive(path, handles);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        log.warn({ err: e, series }, 'series store: cannot read the archive; left out of the list');
        continue;
      }
    }
    const said = { ...(message === undefined ? {} : { message }), ...(drift === undefined ? {} : { drift }), ...(held === undefined || archived ? {} : { held }) };
    if (last && (!archived || last.time > archived.lastUpdate)) {
      out.push({ series, lastUpdate: last.time, lastValue: last.value, definition: archived?.definition ?? definition(), ...said });
    } else if (archived) {
      out.push({ series, ...archived, ...said });
    }
  }
  return out;
}

function readArchive(path: string, handles: HandleCache): { definition: ArchiveDefinition; lastUpdate: number; lastValue: number | null } {
  const describe = (file: ArchiveFile) => ({ definition: file.definition, lastUpdate: lastUpdateTime(file.state), lastValue: lastDsValue(file.state.lastDs[0]) });
  if (handles.has(path)) return describe(handles.get(path));
  const file = openArchive(path);
  try {
    return describe(file);
  } finally {
    file.close();
  }
}
