/**
 * GET /api/v1/admin/quarantine: the acknowledged samples the store could
 * never apply (server/store/quarantine.ts), newest first, for a series name
 * or pattern, at most `limit` of them. Admin only: a reason names files and
 * errors of the server's disk; the counts are in /metrics for a viewer. The
 * files are read from their end in pieces (quarantine-reader.ts), so a
 * listing holds no more than what it returns.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { checkSeriesGlob, seriesGlob } from '../config-schema/index.js';
import { ApiError } from '../errors.js';
import { listQuarantine } from '../store/quarantine-reader.js';

/** Most samples one listing returns. */
export const MAX_QUARANTINE_LIMIT = 1000;
const DEFAULT_LIMIT = 100;
/** Longest `series` pattern, as for GET /api/v1/series. */
const MAX_PATTERN_LENGTH = 1024;

export interface QuarantineRouteOptions {
  /** The data directory whose quarantine is read. */
  readonly dataDir: string;
}

const QuarantinedOut = Type.Object({
  at: Type.Number({ description: 'When it was quarantined, Unix seconds.' }),
  series: Type.String(),
  t: Type.Number({ description: "The sample's time, Unix seconds." }),
  v: Type.Union([Type.Number(), Type.String(), Type.Null()], { description: 'Its value: a number, null (unknown), or "inf", "-inf", "nan".' }),
  reason: Type.String({ description: 'Why the store could not apply it.' }),
});

const ListingOut = Type.Object({
  samples: Type.Array(QuarantinedOut, { description: 'Newest first.' }),
  more: Type.Boolean({ description: 'Whether older samples match too (ask for a larger limit, at most 1000, or a narrower pattern).' }),
  bytes: Type.Integer({ description: 'Bytes of the quarantine files (samples.jsonl and samples.jsonl.1); at most 2 × quarantine.maxBytes.' }),
});

export const quarantineRoutes: FastifyPluginAsyncTypebox<QuarantineRouteOptions> = async (app, options) => {
  app.get(
    '/admin/quarantine',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        summary: 'List quarantined samples, newest first',
        description:
          'Samples that were acknowledged but that their archive can never take (damaged, refusing the value), kept in <dataDir>/quarantine/samples.jsonl and the file before it. Samples rotated away past quarantine.maxBytes are no longer listed; /metrics counts them.',
        tags: ['admin'],
        querystring: Type.Object({
          series: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PATTERN_LENGTH, description: 'A series name or pattern (* within a segment, ** across segments); default every series.' })),
          limit: Type.Integer({ minimum: 1, maximum: MAX_QUARANTINE_LIMIT, default: DEFAULT_LIMIT, description: `Most samples returned (1 to ${MAX_QUARANTINE_LIMIT}).` }),
        }),
        response: { 200: ListingOut },
      },
    },
    async (request) => {
      const { series, limit } = request.query;
      const problem = series === undefined ? undefined : checkSeriesGlob(series);
      if (problem !== undefined) throw new ApiError('invalid_request', `querystring/series: ${problem}`, [{ field: 'querystring/series', message: problem }]);
      const pattern = series === undefined ? undefined : seriesGlob(series);
      return listQuarantine(options.dataDir, { limit, matches: pattern && ((name) => pattern.test(name)) });
    },
  );
};
