/**
 * How every sender's batch enters the store (the HTTP ingest route, the
 * slurpers the server runs): thresholds offered with a sample go to the
 * alarms first, so the sample is judged against them; kinds other than
 * GAUGE travel with the batch, so a new series' archive is created with its
 * kind (IngestOptions.kinds); then the batch is ingested.
 */
import type { DsType } from '../../archive/index.js';
import type { IngestResult, SampleSink, StoreSample } from './store.js';

/** Nagios ranges a sender offers for a series; alarm rules of the config override them. */
export interface OfferedThresholds {
  readonly warning?: string;
  readonly critical?: string;
}

/** Where offered thresholds go (the alarm engine); told before the samples they belong to are ingested. */
export type ThresholdOffer = (series: string, thresholds: OfferedThresholds) => void;

/** A sample with what its sender says about its series. */
export interface OfferedSample extends StoreSample {
  readonly kind?: DsType;
  readonly thresholds?: OfferedThresholds;
}

/** Offers the batch's thresholds to `offer`, then ingests it with its kinds as sent by `writer` (a token's name: IngestOptions.writer); resolves and rejects as SampleSink.ingest. */
export function ingestOffered(sink: SampleSink, samples: readonly OfferedSample[], offer?: ThresholdOffer, writer?: string): Promise<IngestResult> {
  let kinds: Map<string, DsType> | undefined;
  for (const s of samples) {
    if (s.kind !== undefined && s.kind !== 'GAUGE') (kinds ??= new Map()).set(s.series, s.kind);
    if (s.thresholds !== undefined) offer?.(s.series, s.thresholds);
  }
  return sink.ingest(samples, writer === undefined ? { kinds } : { kinds, writer });
}
