/**
 * Reading series: GET /api/v1/series lists them, GET /api/v1/fetch returns
 * several in one answer at the resolution that gives about `points` rows.
 * A fetch never answers 500 for a series: an unknown (or impossible) name is
 * 404, an archive that cannot be read (damaged, a folder in its place) 409,
 * one that cannot be read for now (a failing disk) 503; the server log has
 * the details.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { CONSOLIDATION_FUNCTIONS, InvalidQueryError } from '../../archive/index.js';
import { checkSeriesGlob } from '../config-schema/index.js';
import { ApiError } from '../errors.js';
import { mayRetry, UnknownSeriesError, type HeldSeries, type SeriesReader } from '../store/index.js';
import { formatDuration } from '../../lib/duration.js';
import { SeriesOut } from './series-schema.js';

export interface QueryOptions {
  readonly store: SeriesReader;
  readonly now?: () => number;
}

const DAY = 86_400;

/** JSON has no NaN: min/max "none" become null. */
function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
}

export const queryRoutes: FastifyPluginAsyncTypebox<QueryOptions> = async (app, options) => {
  const now = options.now ?? (() => Date.now() / 1000);
  app.get(
    '/series',
    {
      onRequest: app.requireRole('viewer'),
      schema: {
        summary: 'List series with their definition, last update and last value',
        description: 'Each series also says why its graph may be empty: `drift` while its recent samples do not fit its archive, `held` while its samples wait for its cadence to be learned.',
        tags: ['query'],
        querystring: Type.Object({ match: Type.Optional(Type.String({ maxLength: 1024, description: 'glob: * within a segment, ** across segments' })) }),
        response: { 200: Type.Object({ series: Type.Array(SeriesOut) }) },
      },
    },
    async (request) => {
      const { match } = request.query;
      // A pattern the glob cannot compile is the caller's mistake: a 400 naming it, not a 500 from deep in the listing.
      const problem = match === undefined ? undefined : checkSeriesGlob(match);
      if (problem !== undefined) throw new ApiError('invalid_request', `querystring/match: ${problem}`, [{ field: 'querystring/match', message: problem }]);
      return { series: jsonSafe(await options.store.list(match)) as Static<typeof SeriesOut>[] };
    },
  );

  app.get(
    '/fetch',
    {
      onRequest: app.requireRole('viewer'),
      schema: {
        summary: 'Fetch rows of one or more series',
        description: 'Rows as [time, value] from start+step to end, null for unknown; the RRA whose resolution gives about `points` rows is chosen.',
        tags: ['query'],
        querystring: Type.Object({
          series: Type.Array(Type.String(), { minItems: 1, maxItems: 100 }),
          cf: Type.Optional(Type.Union(CONSOLIDATION_FUNCTIONS.map((c) => Type.Literal(c)))),
          start: Type.Optional(Type.Integer({ minimum: 0 })),
          end: Type.Optional(Type.Integer({ minimum: 0 })),
          points: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
        }),
      },
    },
    async (request) => {
      const q = request.query;
      const end = q.end ?? Math.floor(now());
      const start = q.start ?? end - DAY;
      if (end <= start) throw new ApiError('invalid_request', `query/end: ${end} must be after start ${start}`, [{ field: 'query/end', message: 'must be after start' }]);
      const resolution = q.points ? Math.max(1, Math.floor((end - start) / q.points)) : 1;
      const results = [];
      for (const series of q.series) {
        try {
          results.push({ series, ...(await options.store.fetch(series, { cf: q.cf ?? 'AVERAGE', start, end, resolution })) });
        } catch (e) {
          if (e instanceof UnknownSeriesError && e.held) throw heldSeriesError(series, e.held);
          if (e instanceof UnknownSeriesError) throw new ApiError('not_found', `no series '${series}'`, [{ field: 'query/series', message: `unknown series '${series}'` }]);
          if (e instanceof InvalidQueryError) throw new ApiError('invalid_request', e.message);
          request.log.warn({ err: e, series }, 'fetch: cannot read the archive');
          const why = (e as NodeJS.ErrnoException).code ?? (e as Error).name;
          if (mayRetry(e)) throw new ApiError('unavailable', `series '${series}': its archive cannot be read now (${why}); try again later`, [{ field: 'query/series', message: `archive of '${series}' unreadable for now` }]);
          throw new ApiError('conflict', `series '${series}': its archive cannot be read (${why}); see the server log`, [{ field: 'query/series', message: `archive of '${series}' unreadable` }]);
        }
      }
      return { series: results };
    },
  );
};

/** A 404 that says why there are no rows yet: the series' samples are held until its archive can fit its cadence. */
function heldSeriesError(series: string, held: HeldSeries): ApiError {
  const since = new Date(held.since).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const why =
    `series '${series}' has ${held.samples} sample${held.samples === 1 ? '' : 's'} held since ${since} while its cadence is learned: ` +
    `its archive is created at its third sample, or ${formatDuration(held.inferWithin)} (archives.inferWithin) after its first, and nothing held is lost; ` +
    `send an interval with the samples to skip the wait`;
  return new ApiError('not_found', why, [{ field: 'query/series', message: `'${series}' is held until its cadence is known` }]);
}
