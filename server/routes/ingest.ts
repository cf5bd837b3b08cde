/**
 * POST /api/v1/samples: a JSON batch of samples. Validated whole by its
 * schema and the store's time rule (any bad sample: 400 listing each by
 * field, `body/3/t`, nothing stored): a time before 1980-01-27 or more than
 * `limits.maxFutureSeconds` ahead of the server clock would poison its
 * series. Samples not newer than their series' last update are reported in
 * the 200 body as rejected, the rest are durable in the journal before the answer.
 * Samples of new series the store has no room for (archives.diskHeadroom,
 * archives.maxSeries: server/store/series-admission.ts) are rejected too, and
 * so are those past the token's archives.maxNewSeriesPerMinute; when nothing
 * of the batch was accepted the answer is 507 (no room) or 429 (the rate)
 * saying why.
 * Thresholds, kinds, units and messages a sample carries go with it (ingest-offered.ts);
 * a unit over MAX_UNIT_LENGTH or with a control character is a 400 naming
 * it (`body/3/unit`), nothing stored.
 * Labels (fields of the series' node, server/metadata/node-labels.ts) are
 * checked by the mapping file's field rules: a refused one is a 400 naming
 * it (`body/3/labels/contacts`), nothing stored.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { INTERVAL_RANGE, MAX_MESSAGE_LENGTH, MAX_UNIT_LENGTH, UNIT_PATTERN } from '../../slurpers/contract.js';
import { SERIES_NAME_PATTERN } from '../config/index.js';
import { ApiError, type Problem } from '../errors.js';
import { checkLabels, MAX_FIELDS, MAX_LIST_ITEMS, MAX_STRING } from '../metadata/index.js';
import { DEFAULT_MAX_FUTURE_SECONDS, EARLIEST_SAMPLE_TIME, ingestOffered, timeProblem, type LabelOffer, type SampleSink, type ThresholdOffer, type UnitOffer } from '../store/index.js';

export interface IngestOptions {
  readonly store: SampleSink;
  readonly samplesPerRequest: number;
  readonly seriesNameLength: number;
  /** `limits.maxFutureSeconds`: how far ahead of the clock a sample's time may be (default DEFAULT_MAX_FUTURE_SECONDS). */
  readonly maxFutureSeconds?: number;
  /** The clock, for samples without a time and the future limit. */
  readonly now?: () => number;
  /** Where thresholds offered with samples go (the alarm engine), before the samples are ingested. */
  readonly offer?: ThresholdOffer;
  /** Where labels carried by samples go (the node metadata), before the samples are ingested; without it labels are checked and dropped. */
  readonly labels?: LabelOffer;
  /** Where the units of accepted samples go (server/units); without it units are checked and dropped. */
  readonly units?: UnitOffer;
}

/**
 * A declared cadence, in seconds: the step of a new series' archive
 * (snapped to the ladder, server/store/step-ladder.ts). Up to a day, the
 * ladder's last step; a slower series needs an archives rule.
 */
const Interval = (description: string) => Type.Number({ minimum: INTERVAL_RANGE.min, maximum: INTERVAL_RANGE.max, description });

/** A label's value as the schema bounds it; names, contacts and the rest are the mapping file's rules (checkLabels). */
const LabelScalar = Type.Union([Type.Number(), Type.String({ maxLength: MAX_STRING })]);
const Labels = Type.Record(Type.String(), Type.Union([LabelScalar, Type.Array(LabelScalar, { maxItems: MAX_LIST_ITEMS })]), {
  maxProperties: MAX_FIELDS,
  description:
    "fields of the series' node (docs/metadata.md): `name` (display name), `owner`, `contacts` (e-mail addresses), any number, string or list of them; the mapping file's field rules apply and the file wins for the same field",
});

export const ingestRoutes: FastifyPluginAsyncTypebox<IngestOptions> = async (app, options) => {
  const now = options.now ?? (() => Date.now() / 1000);
  const maxFuture = options.maxFutureSeconds ?? DEFAULT_MAX_FUTURE_SECONDS;
  const Sample = Type.Object(
    {
      series: Type.String({ pattern: SERIES_NAME_PATTERN, maxLength: options.seriesNameLength, description: 'dotted series name' }),
      t: Type.Optional(
        Type.Number({ description: `Unix seconds, from ${EARLIEST_SAMPLE_TIME} (1980-01-27) to limits.maxFutureSeconds ahead of the server clock; default: now` }),
      ),
      v: Type.Union([Type.Number(), Type.Null()], { description: 'the value; null is unknown' }),
      interval: Type.Optional(Interval("seconds between this series' samples (1 to 2678400, 31 days), as the sender knows it: a new series' archive gets its step from it instead of waiting for its samples to show it; overrides the batch's `interval`")),
      kind: Type.Optional(
        Type.Union([Type.Literal('GAUGE'), Type.Literal('COUNTER'), Type.Literal('DERIVE'), Type.Literal('ABSOLUTE'), Type.Literal('DCOUNTER'), Type.Literal('DDERIVE')], {
          description: "the series' data-source type when its archive is created (a slurper's COUNTER); a config rule matching the series wins. Default GAUGE",
        }),
      ),
      unit: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: MAX_UNIT_LENGTH,
          pattern: UNIT_PATTERN,
          description:
            "the unit of `v` as sent, one line: `B`, `s`, `%`, `count`, `bit`, `°C` or short free text; base units (B, not KiB). Kept per series (a change is kept too); a rate kind's series lists it per second (`B` → `B/s`); the config's `units` section wins",
        }),
      ),
      thresholds: Type.Optional(
        Type.Object(
          {
            warning: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            critical: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          },
          { additionalProperties: false, description: "thresholds the sender's plugin offers (Nagios range syntax); alarm rules of the config override them" },
        ),
      ),
      labels: Type.Optional(Labels),
      message: Type.Optional(
        Type.String({
          maxLength: MAX_MESSAGE_LENGTH,
          description: "a line about the sample (a check's state message, with `<instance>.state`); kept as the series' last message, shown by GET /api/v1/series; in memory only",
        }),
      ),
    },
    { additionalProperties: false },
  );
  app.post(
    '/samples',
    {
      onRequest: app.requireRole('ingest'),
      schema: {
        summary: 'Ingest a batch of samples',
        tags: ['ingest'],
        querystring: Type.Object(
          { interval: Type.Optional(Interval("seconds between samples (1 to 2678400, 31 days) of every series in the batch, unless a sample gives its own `interval`")) },
          { additionalProperties: false },
        ),
        body: Type.Array(Sample, { maxItems: options.samplesPerRequest }),
        response: {
          200: Type.Object({
            accepted: Type.Integer(),
            rejected: Type.Array(Type.Object({ index: Type.Integer(), series: Type.String(), reason: Type.String() })),
          }),
        },
      },
    },
    async (request) => {
      const t = now();
      const problems: Problem[] = [];
      request.body.forEach((s, i) => {
        const problem = s.t === undefined ? undefined : timeProblem(s.t, t, maxFuture);
        if (problem !== undefined) problems.push({ field: `body/${i}/t`, message: problem });
        const labels = s.labels === undefined ? undefined : checkLabels(s.labels, true);
        if (labels !== undefined && !('fields' in labels)) problems.push({ field: `body/${i}/labels${labels.label === undefined ? '' : `/${labels.label.slice(0, 64)}`}`, message: labels.problem });
      });
      if (problems.length > 0) {
        const more = problems.length > 10 ? `; and ${problems.length - 10} more samples` : '';
        // The answer names the first 100: enough to see the pattern, bounded however large the batch.
        throw new ApiError('invalid_request', `${problems.slice(0, 10).map((p) => `${p.field}: ${p.message}`).join('; ')}${more}`, problems.slice(0, 100));
      }
      const batchInterval = request.query.interval;
      const samples = request.body.map((s) => {
        const interval = s.interval ?? batchInterval;
        const sample = { series: s.series, time: s.t ?? t, value: s.v, kind: s.kind, unit: s.unit, thresholds: s.thresholds, labels: s.labels, message: s.message };
        return interval === undefined ? sample : { ...sample, interval };
      });
      const result = await ingestOffered(options.store, samples, options.offer, request.principal?.name, options.labels, options.units);
      if (result.accepted === 0 && result.noRoom !== undefined) throw new ApiError('insufficient_storage', result.noRoom);
      if (result.accepted === 0 && result.overRate !== undefined) throw new ApiError('too_many_requests', result.overRate);
      return result;
    },
  );
};
