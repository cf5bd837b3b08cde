/**
 * POST /api/v1/samples: a JSON batch of samples. Validated whole by its
 * schema (any bad sample: 400 listing each by index, nothing stored);
 * samples not newer than their series' last update are reported in the 200
 * body as rejected, the rest are durable in the journal before the answer.
 */
import type { DsType } from '../../archive/index.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SERIES_NAME_PATTERN } from '../config/index.js';
import type { SeriesStore } from '../store/index.js';
/** rrdtool refuses times before 1980. */
const EARLIEST = 315_360_000;

export interface IngestOptions {
  readonly store: SeriesStore;
  readonly samplesPerRequest: number;
  readonly seriesNameLength: number;
  /** The clock, for samples without a time. */
  readonly now?: () => number;
  /** Where thresholds offered with samples go (the alarm engine), before the samples are ingested. */
  readonly offer?: (series: string, thresholds: { readonly warning?: string; readonly critical?: string }) => void;
}

export const ingestRoutes: FastifyPluginAsyncTypebox<IngestOptions> = async (app, options) => {
  const now = options.now ?? (() => Date.now() / 1000);
  const Sample = Type.Object(
    {
      series: Type.String({ pattern: SERIES_NAME_PATTERN, maxLength: options.seriesNameLength, description: 'dotted series name' }),
      t: Type.Optional(Type.Number({ minimum: EARLIEST, description: 'Unix seconds; default: now' })),
      v: Type.Union([Type.Number(), Type.Null()], { description: 'the value; null is unknown' }),
      kind: Type.Optional(
        Type.Union([Type.Literal('GAUGE'), Type.Literal('COUNTER'), Type.Literal('DERIVE'), Type.Literal('ABSOLUTE'), Type.Literal('DCOUNTER'), Type.Literal('DDERIVE')], {
          description: "the series' data-source type when its archive is created (a slurper's COUNTER); a config rule matching the series wins. Default GAUGE",
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
    },
    { additionalProperties: false },
  );
  app.post(
    '/samples',
    {
      onRequest: app.requireRole('writer'),
      schema: {
        summary: 'Ingest a batch of samples',
        tags: ['ingest'],
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
      let kinds: Map<string, DsType> | undefined;
      for (const s of request.body) {
        if (s.kind !== undefined && s.kind !== 'GAUGE') (kinds ??= new Map()).set(s.series, s.kind);
        if (s.thresholds !== undefined) options.offer?.(s.series, s.thresholds);
      }
      return options.store.ingest(
        request.body.map((s) => ({ series: s.series, time: s.t ?? t, value: s.v })),
        { kinds },
      );
    },
  );
};
