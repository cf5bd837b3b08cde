/**
 * Drift: a series whose samples no longer fit its archive. The store keeps,
 * per series, the gaps between its last few applied sample times (a ring of
 * RECENT_GAPS numbers: cheap for 100,000 series) and judges them at each
 * flush against the archive's step and heartbeat:
 *
 *   slow   the median gap > heartbeat      its samples become UNKNOWN: an empty graph
 *   fast   the median gap ≤ step / 4       a step averages four samples or more: detail lost
 *          (a fast series is back in line only once the median gap > step / 2,
 *          so one near the threshold does not flap)
 *
 * Nothing is judged before MIN_GAPS gaps are known, and the median is taken
 * over the most recent odd number of them (up to RECENT_GAPS), so it is
 * always one real gap and one missed run, or one outage, never decides:
 * most of the recent gaps must agree. The heartbeat of an archive with
 * several data sources is the shortest of theirs (the first to turn gaps
 * into UNKNOWN); a ringmon series has one.
 *
 * watchDrift is called by the flush after each series' samples are applied
 * (write-behind.ts); it logs once per drift episode (warn when it starts,
 * info when it ends), never per sample, and keeps the counters of /metrics.
 */
import { formatDuration } from '../../lib/duration.js';
import { snapToLadder } from './step-ladder.js';
import type { StoreStats } from './store-stats.js';

export interface SeriesDrift {
  /** 'slow': samples arrive further apart than the heartbeat (they become UNKNOWN); 'fast': far closer than the step (detail is averaged away). */
  readonly kind: 'slow' | 'fast';
  /** The median gap between the series' recent samples, in seconds. */
  readonly observedInterval: number;
  /** The archive's step and heartbeat, in seconds. */
  readonly step: number;
  readonly heartbeat: number;
  /** Unix seconds (server clock) when this drift was first seen. */
  readonly since: number;
}

/** The gaps kept per series. Odd, so a full ring has a true median. */
export const RECENT_GAPS = 9;
/** Gaps needed before a series is judged at all. */
export const MIN_GAPS = 3;
/** Fast when the median gap is at most step / FAST_ENTER; back in line once above step / FAST_LEAVE. */
const FAST_ENTER = 4;
const FAST_LEAVE = 2;

/** The recent gaps of one series, in seconds; `last` is the newest applied sample time (Unix s). */
export interface GapRecord {
  last: number;
  /** RECENT_GAPS slots, allocated once (the record takes about 180 bytes); the first `count` hold gaps, oldest first until full. */
  readonly gaps: number[];
  count: number;
  /** Once full, the slot of the oldest gap, overwritten next. */
  next: number;
}

/** What drift is judged against: an archive's step and (shortest) heartbeat, in seconds. */
export interface DriftBasis {
  readonly step: number;
  readonly heartbeat: number;
}

/** An archive definition's DriftBasis (the shortest heartbeat of its data sources). */
export function driftBasis(definition: { readonly step: number; readonly dataSources: readonly { readonly heartbeat: number }[] }): DriftBasis {
  let heartbeat = Infinity;
  for (const ds of definition.dataSources) heartbeat = Math.min(heartbeat, ds.heartbeat);
  return { step: definition.step, heartbeat };
}

/**
 * Adds the gaps before each of `samples` (rising times) to `record`, made
 * if undefined; times not after record.last are passed over. Only the last
 * RECENT_GAPS + 1 samples are looked at: earlier gaps would be overwritten.
 */
export function recordGaps(record: GapRecord | undefined, samples: readonly { readonly time: number }[]): GapRecord | undefined {
  const from = Math.max(0, samples.length - RECENT_GAPS - 1);
  for (let i = from; i < samples.length; i++) {
    const time = samples[i].time;
    if (record === undefined) {
      record = { last: time, gaps: new Array<number>(RECENT_GAPS).fill(0), count: 0, next: 0 };
      continue;
    }
    if (!(time > record.last)) continue;
    // A jump over earlier samples (from > 0) starts afresh at the first one looked at: its gap from `last` is not a real one.
    if (i > from || from === 0) {
      const gap = time - record.last;
      if (record.count < RECENT_GAPS) record.gaps[record.count++] = gap;
      else {
        record.gaps[record.next] = gap;
        record.next = (record.next + 1) % RECENT_GAPS;
      }
    }
    record.last = time;
  }
  return record;
}

/** The median of the most recent odd number of recorded gaps, rounded to the millisecond; undefined below MIN_GAPS. */
export function medianGap(record: GapRecord | undefined): number | undefined {
  if (record === undefined || record.count < MIN_GAPS) return undefined;
  // Until the ring is full the oldest gap is gaps[0]: left out for an odd count. A full ring (RECENT_GAPS is odd) is all used.
  const recent = record.gaps.slice(record.count % 2 === 0 ? 1 : 0, record.count);
  recent.sort((a, b) => a - b);
  return Math.round(recent[recent.length >> 1] * 1000) / 1000;
}

/**
 * The drift of a series whose recent gaps are `record`, judged against
 * `basis`; `current` is its drift so far (kept, with its `since`, while the
 * kind holds; the same object when nothing changed). `now`: Unix seconds.
 */
export function judgeDrift(record: GapRecord | undefined, basis: DriftBasis, current: SeriesDrift | undefined, now: number): SeriesDrift | undefined {
  const median = medianGap(record);
  if (median === undefined) return current;
  const { step, heartbeat } = basis;
  let kind: SeriesDrift['kind'] | undefined;
  if (median > heartbeat) kind = 'slow';
  else if (median <= step / (current?.kind === 'fast' ? FAST_LEAVE : FAST_ENTER)) kind = 'fast';
  if (kind === undefined) return undefined;
  if (current?.kind === kind && current.observedInterval === median && current.step === step && current.heartbeat === heartbeat) return current;
  return { kind, observedInterval: median, step, heartbeat, since: current?.kind === kind ? current.since : now };
}

/** What watchDrift reads and sets on a series' entry (SeriesEntry has these). */
export interface DriftWatched {
  readonly name: string;
  drift?: SeriesDrift;
  gaps?: GapRecord;
}

/** The counters watchDrift keeps. */
export type DriftCounters = Pick<StoreStats, 'seriesDriftingSlow' | 'seriesDriftingFast' | 'driftDetected'>;

/** The part of the logger watchDrift writes to. */
export interface DriftLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Records `applied` (the samples just applied to `entry`'s archive, rising
 * times; none to judge again, e.g. after a reshape changed `basis`),
 * re-judges the entry's drift, and reports a change: counted, and logged
 * once. `now`: Unix seconds. Never throws.
 */
export function watchDrift(entry: DriftWatched, applied: readonly { readonly time: number }[], basis: DriftBasis, now: number, counters: DriftCounters, log: DriftLog): void {
  entry.gaps = recordGaps(entry.gaps, applied);
  const before = entry.drift;
  const after = judgeDrift(entry.gaps, basis, before, now);
  if (after === before) return;
  entry.drift = after;
  if (before?.kind === after?.kind) return;
  if (before !== undefined) {
    if (before.kind === 'slow') counters.seriesDriftingSlow--;
    else counters.seriesDriftingFast--;
  }
  if (after === undefined) {
    const median = medianGap(entry.gaps);
    log.info({ series: entry.name, observedIntervalSeconds: median, stepSeconds: basis.step, heartbeatSeconds: basis.heartbeat }, `series store: ${entry.name}: its samples fit its archive again (every ${median === undefined ? '?' : formatDuration(median)}; step ${formatDuration(basis.step)}, heartbeat ${formatDuration(basis.heartbeat)})`);
    return;
  }
  if (after.kind === 'slow') counters.seriesDriftingSlow++;
  else counters.seriesDriftingFast++;
  counters.driftDetected++;
  log.warn({ series: entry.name, drift: after.kind, observedIntervalSeconds: after.observedInterval, stepSeconds: after.step, heartbeatSeconds: after.heartbeat }, driftMessage(entry.name, after));
}

/** The warning for a drift that starts: what is wrong and what the user can do. */
function driftMessage(series: string, drift: SeriesDrift): string {
  const every = formatDuration(drift.observedInterval);
  const archive = `step ${formatDuration(drift.step)}, heartbeat ${formatDuration(drift.heartbeat)}`;
  const what =
    drift.kind === 'slow'
      ? `its samples arrive every ${every}, further apart than its archive's heartbeat (${archive}): they are stored as UNKNOWN and its graph stays empty`
      : `its samples arrive every ${every}, far closer than its archive's step (${archive}): each step keeps only their average`;
  const step = snapToLadder(drift.observedInterval);
  return (
    `series store: ${series}: ${what}. Reshape its archive to a ${formatDuration(step)} step, keeping its history: ` +
    `POST /api/v1/admin/reshape {"series":"${series}","step":${step}}, or \`ringmon archive reshape FILE --step ${formatDuration(step)}\`; ` +
    'with archives.adapt enabled the server does it for a built-in archive; an archives rule sets the archive of new series'
  );
}
