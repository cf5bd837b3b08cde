/**
 * How every sender's batch enters the store (the HTTP ingest route, the
 * slurpers the server runs): thresholds offered with a sample go to the
 * alarms first, so the sample is judged against them; kinds other than
 * GAUGE travel with the batch, so a new series' archive is created with its
 * kind (IngestOptions.kinds); labels (fields of a series' node) go to the
 * node metadata, and when they change a node the batch waits for the rules
 * to be compiled again against them; then the batch is ingested. Units of
 * the samples accepted go to the units (server/units) last, so a refused
 * sample declares nothing.
 */
import type { DsType } from '../../archive/index.js';
import { SERVER_SERIES_PREFIX } from './sample-check.js';
import type { IngestResult, SampleSink, StoreSample } from './store.js';

/** Nagios ranges a sender offers for a series; alarm rules of the config override them. */
export interface OfferedThresholds {
  readonly warning?: string;
  readonly critical?: string;
}

/** Where offered thresholds go (the alarm engine); told before the samples they belong to are ingested. */
export type ThresholdOffer = (series: string, thresholds: OfferedThresholds) => void;

/**
 * Where a batch's labels go (the node metadata: MetadataSource.offerLabels),
 * all at once before the batch is ingested; a promise, when it returns one,
 * is awaited first (the rules compiled again for a node whose fields changed).
 * Refuses nothing: a label it will not take is its own to log.
 */
export type LabelOffer = (labelled: readonly { readonly series: string; readonly labels: Readonly<Record<string, unknown>> }[]) => Promise<void> | undefined;

/** Where declared units go (server/units SeriesUnits.declare): told of each accepted sample that declares one; must not throw or wait. */
export type UnitOffer = (series: string, unit: string) => void;

/** A sample with what its sender says about its series. */
export interface OfferedSample extends StoreSample {
  readonly kind?: DsType;
  /** The unit of the value as sent (slurpers/contract.ts checkUnit), checked by the sender's door. */
  readonly unit?: string;
  readonly thresholds?: OfferedThresholds;
  /** Fields of the series' node (slurpers/contract.ts SampleLabels). */
  readonly labels?: Readonly<Record<string, unknown>>;
}

/** Offers the batch's thresholds to `offer` and its labels to `labels`, then ingests it with its kinds as sent by `writer` (a token's name: IngestOptions.writer), then tells `units` the units of the samples accepted; resolves and rejects as SampleSink.ingest. */
export async function ingestOffered(sink: SampleSink, samples: readonly OfferedSample[], offer?: ThresholdOffer, writer?: string, labels?: LabelOffer, units?: UnitOffer): Promise<IngestResult> {
  let kinds: Map<string, DsType> | undefined;
  let labelled: { series: string; labels: Readonly<Record<string, unknown>> }[] | undefined;
  for (const s of samples) {
    if (s.kind !== undefined && s.kind !== 'GAUGE') (kinds ??= new Map()).set(s.series, s.kind);
    if (s.thresholds !== undefined) offer?.(s.series, s.thresholds);
    // A sample under the server's own prefix is refused by the store: its labels are not taken either.
    if (s.labels !== undefined && labels !== undefined && !s.series.startsWith(SERVER_SERIES_PREFIX)) (labelled ??= []).push({ series: s.series, labels: s.labels });
  }
  if (labelled !== undefined) await labels?.(labelled);
  const result = await sink.ingest(samples, writer === undefined ? { kinds } : { kinds, writer });
  if (units !== undefined) declareUnits(samples, result, units);
  return result;
}

/** Tells `units` the unit of each accepted sample that declares one. */
function declareUnits(samples: readonly OfferedSample[], result: IngestResult, units: UnitOffer): void {
  const refused = result.rejected.length === 0 ? undefined : new Set(result.rejected.map((r) => r.index));
  for (let i = 0; i < samples.length; i++) {
    const unit = samples[i].unit;
    if (unit !== undefined && refused?.has(i) !== true) units(samples[i].series, unit);
  }
}
