/**
 * The words for a series whose samples do not fit its archive (drift) or
 * that has no archive yet (held), shared by the overview's badges and the
 * graph's notes so both say the same thing. Every figure carries its unit
 * (format.ts formatDuration).
 */
import type { HeldSamples, SeriesDrift, SeriesInfo } from './api-types.js';
import { formatDuration, formatTime } from './format.js';

/** Whether the series' samples miss its archive (drift) or wait for one (held). */
export function hasArchiveProblem(info: SeriesInfo | undefined): boolean {
  return info?.drift !== undefined || info?.held !== undefined;
}

/** The badge: "samples every 60 s; archive expects 10 s" (slow) or "samples every 10 s; archive keeps 1 h" (fast). */
export function driftBadge(drift: SeriesDrift): string {
  const every = `samples every ${formatDuration(drift.observedInterval)}`;
  return drift.kind === 'slow' ? `${every}; archive expects ${formatDuration(drift.step)}` : `${every}; archive keeps ${formatDuration(drift.step)}`;
}

/** What the drift does to the graph, for a tooltip or a note. */
export function driftEffect(drift: SeriesDrift): string {
  return drift.kind === 'slow'
    ? `each gap is longer than the heartbeat, and a longer gap is stored as unknown; seen since ${formatTime(drift.since)}`
    : `the archive keeps one point per ${formatDuration(drift.step)}, so the detail between is averaged away; seen since ${formatTime(drift.since)}`;
}

/**
 * How to make the archive fit: reshape it to the samples' interval, through
 * the admin API while the server runs or the command on a stopped server's
 * archive file. The step is given in whole seconds, which the command reads.
 */
export function reshapeAdvice(drift: SeriesDrift): string {
  const step = Math.max(1, Math.round(drift.observedInterval));
  return `Reshape its archive to a ${formatDuration(step)} step, keeping its history: POST /api/v1/admin/reshape (admin token), or “ringmon archive reshape FILE --step ${step}” with the server stopped.`;
}

/** The held badge's text: "held: 2 samples since 11:30". */
export function heldBadge(held: HeldSamples): string {
  return `held: ${held.samples} sample${held.samples === 1 ? '' : 's'} since ${formatTime(held.since)}`;
}

/** Why a held series has no graph yet, when the server's own words are not at hand. */
export function heldEffect(held: HeldSamples): string {
  return `${heldBadge(held)} while its cadence is learned: its archive is created at its third sample or after a wait, and nothing held is lost`;
}
