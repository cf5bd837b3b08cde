/**
 * Reshaping one series' archive inside the running store, keeping its
 * history (archive/reshape.ts does the work; this is only how the store
 * lets it happen safely).
 *
 * The caller runs reshapeSeries inside WriteBehind.exclusive, so no flush,
 * settle or archive creation touches the file meanwhile, and the function
 * itself is synchronous from the moment it drops the cached handle to the
 * rename: nothing else in the process (a listing, an ingest's header read)
 * can reopen the old file in between. The old handle is discarded first, so
 * no later write goes to the replaced inode; the next access opens the new
 * file.
 *
 * Samples pending for the series stay pending and are applied by the next
 * flush to the new file: every one of them is later than the archive's last
 * update (ingest refuses anything else), and the reshape carries that last
 * update, so their order is kept, and they land at the new step (a series
 * reshaped from 10 s to 60 s gets its pending 60 s samples as values, not as
 * UNKNOWN gaps of the old heartbeat). The journal keeps them until then.
 *
 * Crash safety is the archive's: the new file is written beside the old one,
 * synced, renamed over it and the directory synced (lib/durable-file via
 * ArchiveFile.write), so a kill at any instant leaves the whole old archive
 * or the whole new one; a replay of the journal after either applies the
 * samples the archive does not hold yet (apply.ts skips the rest).
 */
import { existsSync, statSync } from 'node:fs';
import { openArchive, reshapeArchive, reshapeFromFile, rrdtoolFileSize, type ArchiveDefinition } from '../../archive/index.js';
import type { HandleCache } from './handle-cache.js';
import { sameDefinition, type ReshapeTarget } from './reshape-target.js';

/** An archive's shape as an answer shows it: seconds and bytes. */
export interface ArchiveShape {
  readonly step: number;
  /** The first data source's heartbeat (series archives have one). */
  readonly heartbeat: number;
  /** The file's size; in a dry run's `after`, the most it will take (rrdtool's size for the definition, which a ringmon archive never exceeds). */
  readonly bytes: number;
}

/** What a reshape did to one series. */
export interface ReshapeOutcome {
  readonly series: string;
  /**
   * reshaped; planned (a dry run would reshape it); unchanged (it has that
   * definition already); skipped (no archive, or the target refuses it);
   * failed (the archive could not be read or written; the old file is whole).
   */
  readonly status: 'reshaped' | 'planned' | 'unchanged' | 'skipped' | 'failed';
  readonly before?: ArchiveShape;
  readonly after?: ArchiveShape;
  /** Rows of the new archive that hold a value (all RRAs), re-consolidated from the old ones. */
  readonly rowsKept?: number;
  /** Why a series was skipped or failed. */
  readonly reason?: string;
}

/** The series as the reshape sees it: its name, archive path, and samples held while its cadence is learned. */
export interface SeriesToReshape {
  readonly name: string;
  readonly path: string;
  readonly pendingSamples: number;
}

function shape(def: ArchiveDefinition, bytes: number): ArchiveShape {
  return { step: def.step, heartbeat: def.dataSources[0].heartbeat, bytes };
}

/**
 * Reshapes `series` to `target` (see the header); `dryRun` writes nothing.
 * Never throws for a series: a missing archive is a skipped outcome, a
 * damaged one or a failing disk a failed one, with the reason.
 */
export function reshapeSeries(handles: HandleCache, series: SeriesToReshape, target: ReshapeTarget, dryRun: boolean): ReshapeOutcome {
  const { name, path } = series;
  if (!existsSync(path)) {
    const reason =
      series.pendingSamples > 0
        ? `no archive yet: ${series.pendingSamples} samples are held while its cadence is learned (archives.inferWithin); its archive will fit the cadence`
        : 'no such series';
    return { series: name, status: 'skipped', reason };
  }
  try {
    const old = openArchive(path);
    let after: ArchiveDefinition;
    const before = shape(old.definition, statSync(path).size);
    try {
      const wanted = target(old.definition);
      if ('skip' in wanted) return { series: name, status: 'skipped', before, reason: wanted.skip };
      if (sameDefinition(old.definition, wanted)) return { series: name, status: 'unchanged', before, after: before };
      after = wanted;
      if (dryRun) return { series: name, status: 'planned', before, after: shape(after, rrdtoolFileSize(after)), rowsKept: reshapeFromFile(old, after).knownValues };
    } finally {
      old.close();
    }
    // From here to the rename nothing can reopen the old file: this is synchronous.
    handles.discard(path);
    const result = reshapeArchive(path, after);
    return { series: name, status: 'reshaped', before, after: shape(result.after, statSync(path).size), rowsKept: result.knownValues };
  } catch (e) {
    // A damaged archive, a DS the definition does not fit, a full disk: the old file is whole (the swap is atomic).
    handles.discard(path);
    return { series: name, status: 'failed', reason: e instanceof Error ? e.message : String(e) };
  }
}
