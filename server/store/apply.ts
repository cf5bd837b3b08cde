/**
 * Applying one series' pending samples to its archive: create the archive
 * on first use, skip what it already holds (a journal replay after a crash
 * between an archive update and the checkpoint), then one updateArchiveFile.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DIR_MODE } from '../../lib/durable-file.js';
import { createArchive, InvalidUpdateError, updateArchiveFile, type ArchiveDefinition, type ArchiveFile, type Sample } from '../../archive/index.js';
import type { HandleCache } from './handle-cache.js';
import { lastUpdateKey, timeKey } from './sample-time.js';

/** A sample waiting for its archive, with the journal batch that holds it. */
export interface PendingSample {
  readonly seq: number;
  readonly time: number;
  readonly value: number | null;
}

export interface ApplyResult {
  /** Samples now in the archive. */
  readonly applied: number;
  /** Samples the archive already held (its last update is at or after them). */
  readonly skipped: number;
  /** Samples the archive refuses for good (InvalidUpdateError), with the reason; dropped so they do not hold back the rest. */
  readonly dropped: readonly { sample: PendingSample; reason: string }[];
}

const toSample = (s: PendingSample): Sample => ({ time: s.time, values: [s.value] });

/**
 * Creates a series' archive starting one step before its first sample, so
 * that sample covers a whole step and is kept (a start just before it would
 * leave its step mostly unknown, and rrdtool's rules drop it).
 */
export function createArchiveForSamples(path: string, definition: ArchiveDefinition, firstTime: number, options: { sync: boolean }): void {
  mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE });
  createArchive(path, definition, { start: Math.floor(firstTime) - definition.step, sync: options.sync });
}

/**
 * Applies `samples` (any order) to the archive at `path`, creating it with
 * `definition()` when there is none (createArchiveForSamples). Throws whatever opening, creating or writing the archive throws
 * (CorruptArchiveError, ENOSPC, ...); then nothing was applied by this call
 * or a prefix in time order was, which the next call skips.
 */
export function applyToArchive(handles: HandleCache, path: string, definition: () => ArchiveDefinition, samples: readonly PendingSample[]): ApplyResult {
  const sorted = [...samples].sort((a, b) => a.time - b.time);
  if (sorted.length === 0) return { applied: 0, skipped: 0, dropped: [] };
  let file: ArchiveFile;
  try {
    file = handles.get(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    // No fsync per new archive: the journal holds these samples until the flush has synced the file system.
    createArchiveForSamples(path, definition(), sorted[0].time, { sync: false });
    file = handles.get(path);
  }
  let last = lastUpdateKey(file.state);
  const fresh: PendingSample[] = [];
  for (const sample of sorted) {
    const key = timeKey(sample.time);
    if (key <= last) continue;
    fresh.push(sample);
    last = key;
  }
  const skipped = sorted.length - fresh.length;
  try {
    updateArchiveFileOnce(file, fresh);
    return { applied: fresh.length, skipped, dropped: [] };
  } catch (e) {
    if (!(e instanceof InvalidUpdateError)) throw e;
  }
  // The archive refused the call as a whole and wrote nothing: apply one by one, dropping only what it refuses.
  let applied = 0;
  const dropped: { sample: PendingSample; reason: string }[] = [];
  for (const sample of fresh) {
    try {
      updateArchiveFileOnce(file, [sample]);
      applied++;
    } catch (e) {
      if (!(e instanceof InvalidUpdateError)) throw e;
      dropped.push({ sample, reason: e.message });
    }
  }
  return { applied, skipped, dropped };
}

function updateArchiveFileOnce(file: ArchiveFile, samples: readonly PendingSample[]): void {
  if (samples.length > 0) updateArchiveFile(file, samples.map(toSample));
}
