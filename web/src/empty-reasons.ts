/**
 * Why a series draws no line in a graph's range, from what the API said:
 * its fetch (rows, or a 404 with the server's words) and its listing (last
 * sample, definition, drift, held samples). In order of what explains it:
 *
 *   404, listed as held or the server says so     held while its cadence is learned
 *   404 otherwise                                 no samples yet (an unknown series)
 *   two rows in a row have values                 a line is drawn: no reason
 *   last sample before or after the range         no samples in this range (with a range that has it)
 *   the server reports slow drift                 samples come further apart than the heartbeat
 *   otherwise                                     every row is unknown (gaps longer than the heartbeat)
 */
import type { FetchOutcome, SeriesDrift, SeriesInfo } from './api-types.js';

export type EmptyReason =
  | { readonly kind: 'never'; readonly series: string }
  | { readonly kind: 'held'; readonly series: string; readonly message: string }
  | { readonly kind: 'outside'; readonly series: string; readonly lastUpdate: number; readonly suggested: { readonly from: number; readonly to: number } }
  | { readonly kind: 'drift'; readonly series: string; readonly drift: SeriesDrift; readonly lastUpdate: number }
  | { readonly kind: 'unknown'; readonly series: string; readonly step: number; readonly heartbeat: number | null; readonly lastUpdate: number | null };

export type EmptyKind = EmptyReason['kind'];

/** How far past the last sample a suggested range reaches, as a share of its length: the sample is not on the edge. */
const MARGIN = 0.05;

/**
 * Whether a series draws no line: no rows, or no two neighbouring rows with
 * values. A lone value between unknowns is no line (the chart draws no
 * dots), and is what a series whose samples come further apart than the
 * heartbeat gets: its first sample's row.
 */
export function drawsNothing(outcome: FetchOutcome): boolean {
  if (!('fetched' in outcome)) return true;
  const { values } = outcome.fetched;
  return !values.some((v, i) => v !== null && i + 1 < values.length && values[i + 1] !== null);
}

/** Why `outcome` draws nothing in [start, end] (Unix seconds), or null when it draws something. */
export function whyEmpty(outcome: FetchOutcome, info: SeriesInfo | undefined, start: number, end: number): EmptyReason | null {
  const { series } = outcome;
  if (!('fetched' in outcome)) {
    if (info?.held || /\bheld\b/.test(outcome.missing)) return { kind: 'held', series, message: outcome.missing };
    return { kind: 'never', series };
  }
  if (!drawsNothing(outcome)) return null;
  if (info && (info.lastUpdate < start || info.lastUpdate > end)) {
    const span = end - start;
    const to = Math.ceil(info.lastUpdate + span * MARGIN);
    return { kind: 'outside', series, lastUpdate: info.lastUpdate, suggested: { from: to - span, to } };
  }
  if (info?.drift?.kind === 'slow') return { kind: 'drift', series, drift: info.drift, lastUpdate: info.lastUpdate };
  const heartbeat = info?.definition.dataSources[0]?.heartbeat ?? null;
  return { kind: 'unknown', series, step: info?.definition.step ?? outcome.fetched.step, heartbeat, lastUpdate: info?.lastUpdate ?? null };
}
