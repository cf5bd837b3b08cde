/**
 * Which step a new series' archive gets, and whether its samples must wait
 * for it: the store asks before it creates an archive (write-behind.ts).
 *
 *   the series has an archive, or the config decides it
 *   (a matching rule, a configured archives.default)   apply now
 *   its source declared an interval                    snap it (step-ladder.ts), apply now
 *   three samples pending                              the median of their gaps, apply now
 *   `archives.inferWithin` passed since the first
 *   pending sample arrived: two samples                their gap, apply now
 *                           one sample                 slower than inferWithin: 3 × inferWithin, snapped
 *   otherwise                                          hold: the samples stay pending
 *
 * Held samples are already durable in the journal, and the checkpoint never
 * passes a pending sample, so a restart replays them (with their declared
 * interval, journaled with them); the journal keeps no arrival time, so a
 * replayed sample's wait counts from its own time, or now if that is later
 * (series-store.ts replay). Once decided, the
 * step is kept on the series' entry until its archive exists.
 */
import { existsSync } from 'node:fs';
import { configDecides, type ArchiveRules } from './archive-rules.js';
import type { SeriesEntry } from './series-table.js';
import { snapToLadder } from './step-ladder.js';

/** Samples whose gaps decide at once. */
const DECIDING_SAMPLES = 3;
/** The median is taken over the gaps of at most this many first samples (a backfill may bring thousands). */
const MOST_SAMPLES_LOOKED_AT = 11;
/** A lone sample after inferWithin: its series is slower than that; this many times inferWithin is taken. */
const LONE_SAMPLE_FACTOR = 3;

/** What the cadence rules read of the config. */
export interface CadenceConfig {
  readonly archives: ArchiveRules & { readonly inferWithin: number };
}

/**
 * Whether `entry`'s pending samples may be applied now (`nowMs`: the
 * server clock, in milliseconds); true also sets entry.step when the
 * template will need one. Never throws.
 */
export function readyToApply(config: CadenceConfig, entry: SeriesEntry, nowMs: number): boolean {
  if (entry.step !== undefined || entry.hasArchive) return true;
  entry.hasArchive ??= existsSync(entry.path);
  if (entry.hasArchive) return true;
  entry.configDecides ??= configDecides(config, entry.name);
  if (entry.configDecides) return true;
  const step = decideStep(entry, config.archives.inferWithin, nowMs);
  if (step === undefined) return false;
  entry.step = step;
  return true;
}

/** The step for a series without an archive, or undefined to hold its samples. */
function decideStep(entry: SeriesEntry, inferWithin: number, nowMs: number): number | undefined {
  if (entry.interval !== undefined) return snapToLadder(entry.interval);
  const { pending } = entry;
  if (pending.length >= DECIDING_SAMPLES) return stepFromTimes(pending.map((s) => s.time));
  const waited = (nowMs - (entry.pendingSince ?? nowMs)) / 1000;
  if (waited < inferWithin) return undefined;
  if (pending.length === 2) return snapToLadder(pending[1].time - pending[0].time);
  return snapToLadder(LONE_SAMPLE_FACTOR * inferWithin);
}

/**
 * The ladder step of the median gap between the first of `times` (rising,
 * at least two), for a series whose archive must be created before it has
 * shown more (a declared kind: write-behind.ts createDeclared).
 */
export function stepFromTimes(times: readonly number[]): number {
  return snapToLadder(medianGap(times.slice(0, MOST_SAMPLES_LOOKED_AT)));
}

/** The median of the gaps between `times` (at least two, rising), in seconds. */
function medianGap(times: readonly number[]): number {
  const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return gaps.length % 2 === 1 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
}
