/**
 * Reading series: GET /api/v1/series lists them, GET /api/v1/fetch returns
 * several in one answer at the resolution that gives about `points` rows.
 * A fetch never answers 500 for a series: an unknown (or impossible) name is
 * 404, an archive that cannot be read (damaged, a folder in its place) 409,
 * one that cannot be read for now (a failing disk) 503; the server log has
 * the details.
 *
 * What one fetch may cost is bounded before any row is read: start and end
 * lie within the times an archive can hold (EARLIEST_START, 1980, to
 * LATEST_FETCH_TIME, 2255), and the rows the archives would answer, counted
 * from their headers after the `points` choice of RRA, stay within
 * `limits.fetchMaxRows` across all the series, or the answer is a 400 naming
 * `querystring/end` (or `querystring/points`) that says how to ask. The
 * answer is then read as compact values and streamed (fetch-answer.ts).
 *
 * A chart asks with `width` (its pixel width) and `format=compact`: the RRA
 * nearest (end - start) / width is read, as with `points`, and its rows
 * consolidated into at most `width` buckets with their MIN/MAX envelope
 * (fetch-compact.ts). limits.fetchMaxRows bounds the rows read either way.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { CONSOLIDATION_FUNCTIONS, EARLIEST_START, InvalidQueryError, LATEST_FETCH_TIME, type ConsolidationFunction, type FetchedValues, type FetchOptions, type FetchPlan } from '../../archive/index.js';
import { DEFAULT_LIMITS } from '../config/index.js';
import { checkSeriesGlob } from '../config-schema/index.js';
import { ApiError } from '../errors.js';
import { mayRetry, UnknownSeriesError, type HeldSeries, type SeriesReader } from '../store/index.js';
import { formatDuration } from '../../lib/duration.js';
import { fetchCsv } from './fetch-csv.js';
import { sendCsv, wantsCsv } from '../http/csv-negotiation.js';
import { fetchAnswer, type FetchedSeries } from './fetch-answer.js';
import { fetchCompact } from './fetch-compact.js';
import { envelopeRows } from './fetch-envelope.js';
import { SeriesOut } from './series-schema.js';
import type { UnitLookup } from '../units/index.js';

export interface QueryOptions {
  readonly store: SeriesReader;
  readonly now?: () => number;
  /** limits.fetchMaxRows: most rows one fetch answers, all its series together. */
  readonly fetchMaxRows?: number;
  /** Counted into as fetches are refused. */
  readonly fetchStats?: FetchStats;
  /** The units of series (server/units); without it no series lists a unit. */
  readonly units?: UnitLookup;
}

/** What GET /fetch refused, for /metrics. */
export interface FetchStats {
  /** Fetches answered 400 before a row was read: past limits.fetchMaxRows, or outside the query's bounds. */
  refused: number;
}

const DAY = 86_400;
/** The widest chart a fetch consolidates for, in pixels: an 8K screen, and then some. */
const MAX_WIDTH = 10_000;

/** The fetch's `format`: the CSV negotiation's json and csv, and the chart's compact answer. */
const FetchFormat = Type.Optional(
  Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('compact')], {
    description:
      'json (default): rows as [time, value], values to 12 significant digits. csv: one record a value, series,ds,time,value, RFC 4180 with a header, values exact; ' +
      'without `format`, an Accept header that asks for text/csv and not JSON gets CSV. compact: per series { series, start, step, values, min, max }, ' +
      'value i covering (start + i·step, start + (i+1)·step], null for unknown, to 7 significant digits; with `width`, min and max are the envelope of the rows each value consolidates',
  }),
);

/** JSON has no NaN: min/max "none" become null. */
function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
}

export const queryRoutes: FastifyPluginAsyncTypebox<QueryOptions> = async (app, options) => {
  const now = options.now ?? (() => Date.now() / 1000);
  const maxRows = options.fetchMaxRows ?? DEFAULT_LIMITS.fetchMaxRows;
  app.get(
    '/series',
    {
      onRequest: app.requireRole('viewer'),
      schema: {
        summary: 'List series with their definition, last update and last value',
        description:
          "Each series also says why its graph may be empty: `drift` while its recent samples do not fit its archive, `held` while its samples wait for its cadence to be learned; and `unit`, the unit of its stored values, when known.",
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
      const listed = await options.store.list(match);
      const units = options.units;
      const withUnits = units === undefined ? listed : listed.map((s) => withUnit(s, units.storedUnitOf(s.series, s.definition.dataSources[0].type)));
      return { series: jsonSafe(withUnits) as Static<typeof SeriesOut>[] };
    },
  );

  app.get(
    '/fetch',
    {
      onRequest: app.requireRole('viewer'),
      // Every 400 of a fetch, the schema's included, is answered before any row is read.
      onResponse: async (_request, reply) => {
        if (reply.statusCode === 400 && options.fetchStats !== undefined) options.fetchStats.refused++;
      },
      schema: {
        summary: 'Fetch rows of one or more series',
        description:
          'Rows as [time, value] from start+step to end, null for unknown; the RRA whose resolution gives about `points` rows is chosen. ' +
          "Each series has `unit`, the unit of its values (a rate kind's per second: `B/s`), when known. " +
          `At most ${maxRows} rows in all (limits.fetchMaxRows), counted before anything is read: beyond, a 400 naming querystring/end (or querystring/points); ask a narrower range or fewer points.`,
        tags: ['query'],
        querystring: Type.Object({
          series: Type.Array(Type.String(), { minItems: 1, maxItems: 100 }),
          cf: Type.Optional(Type.Union(CONSOLIDATION_FUNCTIONS.map((c) => Type.Literal(c)))),
          start: Type.Optional(Type.Integer({ minimum: EARLIEST_START, maximum: LATEST_FETCH_TIME, description: 'Unix seconds, from 1980 (no archive holds earlier rows); default: end - 1 day' })),
          end: Type.Optional(Type.Integer({ minimum: EARLIEST_START, maximum: LATEST_FETCH_TIME, description: `Unix seconds, after start; default: now. The rows from start to end stay within limits.fetchMaxRows (${maxRows})` })),
          points: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'About how many rows per series: the RRA whose resolution is nearest (end - start) / points is read' })),
          width: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: MAX_WIDTH,
              description:
                'The chart\'s width in pixels, with format=compact: the RRA whose resolution is nearest (end - start) / width is read and its rows consolidated into at most `width` buckets, ' +
                'each with the CF\'s value and the MIN/MAX envelope of its rows (a bucket is unknown only when all its rows are). Not with `points`',
            }),
          ),
          format: FetchFormat,
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const end = q.end ?? Math.floor(now());
      const start = q.start ?? end - DAY;
      if (end <= start) throw new ApiError('invalid_request', `querystring/end: ${end} must be after start ${start}`, [{ field: 'querystring/end', message: 'must be after start' }]);
      checkWidth(q);
      const perRange = q.width ?? q.points;
      const resolution = perRange ? Math.max(1, Math.floor((end - start) / perRange)) : 1;
      const cf = q.cf ?? 'AVERAGE';
      const fetchOptions: FetchOptions = { cf, start, end, resolution };
      const read = async <T>(series: string, how: (series: string, options: FetchOptions) => Promise<T>): Promise<T> => {
        try {
          return await how(series, fetchOptions);
        } catch (e) {
          throw readError(series, e, request.log);
        }
      };
      // Count first, from the headers: a refused fetch reads no row.
      const plans: [string, FetchPlan][] = [];
      for (const series of q.series) plans.push([series, await read(series, (s, o) => options.store.fetchPlan(s, o))]);
      checkRows(plans, maxRows, q.points !== undefined, q.width !== undefined);
      const answer: FetchedSeries[] = [];
      for (const series of q.series) {
        const values = await read(series, (s, o) => options.store.fetchValues(s, o));
        answer.push(withUnit({ series, values }, options.units?.storedUnitOf(series, values.dsTypes[0])));
      }
      // A flush between counting and reading may have moved an archive's last update (and so its RRA): count again.
      checkRows(answer.map((a) => [a.series, a.values]), maxRows, q.points !== undefined, q.width !== undefined);
      if (q.format === 'compact') {
        const lines = q.width === undefined ? answer : await withEnvelopes(answer, maxRows, (series, cf) => read(series, (s, o) => options.store.fetchValues(s, { ...o, cf })), (series, cf) => planOrNull(series, cf, read, options.store));
        return reply.type('application/json; charset=utf-8').send(fetchCompact(lines, cf, q.width));
      }
      if (wantsCsv(q.format, request.headers.accept)) return sendCsv(reply, fetchCsv(answer));
      return reply.type('application/json; charset=utf-8').send(fetchAnswer(answer));
    },
  );
};

/** `item` with `unit` when it is known; as it is when not (an answer leaves an unknown unit out). */
function withUnit<T extends object>(item: T, unit: string | undefined): T | (T & { unit: string }) {
  return unit === undefined ? item : { ...item, unit };
}

type Read = <T>(series: string, how: (series: string, options: FetchOptions) => Promise<T>) => Promise<T>;

/** A series' plan for `cf`, null where its archive has no RRA for it. */
async function planOrNull(series: string, cf: ConsolidationFunction, read: Read, store: SeriesReader): Promise<FetchPlan | null> {
  try {
    return await read(series, (s, o) => store.fetchPlan(s, { ...o, cf }));
  } catch (e) {
    if (e instanceof ApiError && e.statusCode === 400) return null;
    throw e;
  }
}

/** Each series with the MIN/MAX rows of its line where the archive keeps them, while the rows read stay within `maxRows`. */
async function withEnvelopes(
  answer: readonly FetchedSeries[],
  maxRows: number,
  values: (series: string, cf: ConsolidationFunction) => Promise<FetchedValues>,
  plan: (series: string, cf: ConsolidationFunction) => Promise<FetchPlan | null>,
): Promise<FetchedSeries[]> {
  let budget = maxRows - answer.reduce((n, a) => n + a.values.rowCount, 0);
  const out: FetchedSeries[] = [];
  for (const one of answer) {
    const envelope = await envelopeRows(one.values, { plan: (cf) => plan(one.series, cf), values: (cf) => values(one.series, cf) }, budget);
    if (envelope) budget -= envelope.lowest.rowCount + envelope.highest.rowCount;
    out.push({ ...one, envelope });
  }
  return out;
}

/** `width` consolidates for the compact answer alone, and says what `points` says: one of them. */
function checkWidth(q: { width?: number; points?: number; format?: string }): void {
  if (q.width === undefined) return;
  const problem = q.points !== undefined ? 'give width or points, not both' : q.format !== 'compact' ? 'width consolidates for format=compact only: add format=compact, or ask points=N for rows' : null;
  if (problem !== null) throw new ApiError('invalid_request', `querystring/width: ${problem}`, [{ field: 'querystring/width', message: problem }]);
}

/** The 400 for a fetch whose rows, all series together, pass limits.fetchMaxRows; names the series that weigh most. */
function checkRows(plans: readonly [string, FetchPlan][], maxRows: number, withPoints: boolean, withWidth: boolean): void {
  const total = plans.reduce((sum, [, p]) => sum + p.rowCount, 0);
  if (total <= maxRows) return;
  const heaviest = [...plans].sort((a, b) => b[1].rowCount - a[1].rowCount).slice(0, 3);
  const which = heaviest.map(([series, p]) => `'${series}' ${p.rowCount} at ${formatDuration(p.step)}`).join(', ');
  const field = withWidth ? 'querystring/width' : withPoints ? 'querystring/points' : 'querystring/end';
  const how = withPoints || withWidth
    ? 'ask a narrower range (these archives keep no coarser rows for it) or fewer series'
    : 'ask a narrower range, or points=N for about N consolidated rows per series (points=1000 draws a chart 1,000 pixels wide)';
  const message = `this fetch would answer ${total} rows (${which}${plans.length > 3 ? ', ...' : ''}); limits.fetchMaxRows is ${maxRows}: ${how}`;
  throw new ApiError('invalid_request', `${field}: ${message}`, [{ field, message }]);
}

/** What a series that cannot be read answers: 404 unknown (or held), 400 a query its archive refuses, 503 for now, 409 for good. */
function readError(series: string, e: unknown, log: { warn(fields: object, message: string): void }): ApiError {
  if (e instanceof UnknownSeriesError && e.held) return heldSeriesError(series, e.held);
  if (e instanceof UnknownSeriesError) return new ApiError('not_found', `no series '${series}'`, [{ field: 'query/series', message: `unknown series '${series}'` }]);
  if (e instanceof InvalidQueryError) return new ApiError('invalid_request', e.message);
  log.warn({ err: e, series }, 'fetch: cannot read the archive');
  const why = (e as NodeJS.ErrnoException).code ?? (e as Error).name;
  if (mayRetry(e)) return new ApiError('unavailable', `series '${series}': its archive cannot be read now (${why}); try again later`, [{ field: 'query/series', message: `archive of '${series}' unreadable for now` }]);
  return new ApiError('conflict', `series '${series}': its archive cannot be read (${why}); see the server log`, [{ field: 'query/series', message: `archive of '${series}' unreadable` }]);
}

/** A 404 that says why there are no rows yet: the series' samples are held until its archive can fit its cadence. */
function heldSeriesError(series: string, held: HeldSeries): ApiError {
  const since = new Date(held.since).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const why =
    `series '${series}' has ${held.samples} sample${held.samples === 1 ? '' : 's'} held since ${since} while its cadence is learned: ` +
    `its archive is created at its third sample, or ${formatDuration(held.inferWithin)} (archives.inferWithin) after its first, and nothing held is lost; ` +
    `send an interval with the samples to skip the wait`;
  return new ApiError('not_found', why, [{ field: 'query/series', message: `'${series}' is held until its cadence is known` }]);
}
