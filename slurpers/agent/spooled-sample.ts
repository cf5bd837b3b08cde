/**
 * A run's sample as the agent spools it: GAUGE, the default, is left out,
 * and a threshold the server's ingest would refuse (empty, or longer than
 * MAX_THRESHOLD_LENGTH) is dropped here. The server refuses a request with
 * one bad sample whole, so passing it on would cost the run's samples, not
 * just the threshold. A message (a check state's line) is carried as it
 * is: the host gives one only with `<instance>.state`, already cut to
 * MAX_MESSAGE_LENGTH (host/state-series.ts). Labels (fields of the series'
 * node) are checked by the server's own rules (lib/node-fields.ts): labels
 * it would refuse are dropped here, told to `refuse`, the sample kept.
 * A unit was checked by the host (checkUnit) and is carried as it is.
 */
import { checkLabels } from '../../lib/node-fields.js';
import { MAX_THRESHOLD_LENGTH, type OfferedThresholds } from '../contract.js';
import type { Sample } from '../host/collect-result.js';
import type { SpooledSample, SpooledThresholds } from './spool-format.js';

/** Told about each threshold or set of labels dropped: the series and why. */
export type ThresholdRefusal = (series: string, why: string) => void;

function sendable(series: string, thresholds: OfferedThresholds, refuse: ThresholdRefusal): SpooledThresholds | undefined {
  const kept: { warning?: string; critical?: string } = {};
  for (const level of ['warning', 'critical'] as const) {
    const range = thresholds[level];
    if (range === undefined) continue;
    if (range.length === 0 || range.length > MAX_THRESHOLD_LENGTH) refuse(series, `${level} threshold must be 1 to ${MAX_THRESHOLD_LENGTH} characters, got ${range.length}`);
    else kept[level] = range;
  }
  return kept.warning === undefined && kept.critical === undefined ? undefined : kept;
}

export function spooledSample(sample: Sample, refuse: ThresholdRefusal): SpooledSample {
  const thresholds = sample.thresholds && sendable(sample.series, sample.thresholds, refuse);
  const labels = sample.labels && checkLabels(sample.labels, true);
  if (labels !== undefined && !('fields' in labels)) refuse(sample.series, `labels not sent: ${labels.label === undefined ? '' : `label '${labels.label.slice(0, 64)}': `}${labels.problem}`);
  return {
    series: sample.series,
    t: sample.time,
    v: sample.value,
    ...(sample.kind && sample.kind !== 'GAUGE' ? { kind: sample.kind } : {}),
    ...(sample.unit === undefined ? {} : { unit: sample.unit }),
    ...(thresholds ? { thresholds } : {}),
    ...(sample.message === undefined ? {} : { message: sample.message }),
    ...(sample.interval === undefined ? {} : { interval: sample.interval }),
    ...(labels !== undefined && 'fields' in labels ? { labels: labels.fields } : {}),
  };
}
