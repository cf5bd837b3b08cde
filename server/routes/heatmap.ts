/**
 * Heatmaps (viewer role): GET /api/v1/heatmap answers the grid of the series
 * a pattern matches × time buckets, one value a cell consolidated with a CF
 * (server/heatmap/grid.ts), as JSON or as a PNG (`format=png`, or an Accept
 * header asking for image/png and not JSON); GET /api/v1/heatmaps lists the
 * configured views (config `heatmaps.views`) a request may name by `view`.
 *
 * Every parameter is bounded at the door with a 400 naming it: the pattern
 * (its length and syntax), the times (1980 to 2255), the bucket (1 min to
 * 366 d), the bucket count (heatmaps.maxBuckets), the series count
 * (heatmaps.maxSeries), the rows read (limits.fetchMaxRows, counted from the
 * archives' headers before any row is read) and the picture's size; a
 * refused request reads no row. Refusals count in /metrics with the
 * fetch's (ringmon_fetches_refused_total).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CONSOLIDATION_FUNCTIONS, EARLIEST_START, LATEST_FETCH_TIME } from '../../archive/index.js';
import { DEFAULT_LIMITS } from '../config/index.js';
import { checkSeriesGlob } from '../config-schema/index.js';
import { ApiError } from '../errors.js';
import {
  BUCKET_RANGE,
  classLabels,
  classOf,
  DEFAULT_CELL,
  DEFAULT_HEATMAPS,
  DEFAULT_SCALE,
  heatmapGrid,
  HeatmapQueryError,
  imageSize,
  MAX_IMAGE_SIDE,
  readClassText,
  renderHeatmapPng,
  viewScale,
  type ColourScale,
  type HeatmapSources,
  type HeatmapsSettings,
  type HeatmapView,
} from '../heatmap/index.js';
import { readDuration } from '../../lib/duration.js';
import type { FetchStats } from './query.js';

export interface HeatmapRoutesOptions extends HeatmapSources {
  /** The `heatmaps` section: limits and named views. */
  readonly settings?: HeatmapsSettings;
  /** limits.fetchMaxRows. */
  readonly fetchMaxRows?: number;
  readonly fetchStats?: FetchStats;
  readonly now?: () => number;
}

const Cf = Type.Enum(CONSOLIDATION_FUNCTIONS);
const ClassOut = Type.Object({
  max: Type.Optional(Type.Number({ description: 'largest value of the class (inclusive); absent on the last class, which takes every larger value' })),
  colour: Type.String({ description: '#rrggbb' }),
  label: Type.String({ description: 'what the legend says: the configured label, or the bounds with the unit' }),
});
const ScaleOut = {
  noData: Type.String({ description: '#rrggbb of a cell without data' }),
  classes: Type.Array(ClassOut),
};
const ViewOut = Type.Object({
  name: Type.String(),
  title: Type.Optional(Type.String()),
  match: Type.String(),
  bucket: Type.Integer({ description: 'seconds a column covers' }),
  range: Type.Integer({ description: 'seconds a heatmap of this view covers by default' }),
  cf: Cf,
  ds: Type.Optional(Type.String()),
  unit: Type.Optional(Type.String()),
  ...ScaleOut,
});

const duration = (text: string, field: string, range: { minimum: number; maximum: number }): number => {
  const seconds = readDuration(text);
  const problem =
    typeof seconds === 'string' ? seconds : !Number.isInteger(seconds) ? 'must be whole seconds' : seconds < range.minimum || seconds > range.maximum ? `must be from ${range.minimum} s (1m) to ${range.maximum} s (366d), got ${seconds} s` : undefined;
  if (problem !== undefined) throw refusal(field, problem);
  return seconds as number;
};

function refusal(field: string, message: string): ApiError {
  return new ApiError('invalid_request', `querystring/${field}: ${message}`, [{ field: `querystring/${field}`, message }]);
}

const scaleOut = (scale: ColourScale, unit?: string) => {
  const labels = classLabels(scale.classes, unit);
  return { noData: scale.noData, classes: scale.classes.map((c, i) => ({ ...(c.max === undefined ? {} : { max: c.max }), colour: c.colour, label: labels[i] })) };
};

const viewOut = (v: HeatmapView) => ({
  name: v.name,
  ...(v.title === undefined ? {} : { title: v.title }),
  match: v.match,
  bucket: v.bucket,
  range: v.range,
  cf: v.cf,
  ...(v.ds === undefined ? {} : { ds: v.ds }),
  ...(v.unit === undefined ? {} : { unit: v.unit }),
  ...scaleOut(viewScale(v), v.unit),
});

export const heatmapRoutes: FastifyPluginAsyncTypebox<HeatmapRoutesOptions> = async (app, options) => {
  const now = options.now ?? (() => Date.now() / 1000);
  const settings = options.settings ?? { ...DEFAULT_HEATMAPS, views: [] };
  const limits = { maxSeries: settings.maxSeries, maxBuckets: settings.maxBuckets, maxRows: options.fetchMaxRows ?? DEFAULT_LIMITS.fetchMaxRows };
  const views = new Map(settings.views.map((v) => [v.name, v]));

  app.get(
    '/heatmaps',
    {
      onRequest: app.requireRole('viewer'),
      schema: {
        summary: 'The configured heatmap views (heatmaps.views)',
        tags: ['query'],
        response: { 200: Type.Object({ views: Type.Array(ViewOut) }) },
      },
    },
    async () => ({ views: settings.views.map(viewOut) }),
  );

  app.get(
    '/heatmap',
    {
      onRequest: app.requireRole('viewer'),
      onResponse: async (_request, reply) => {
        if (reply.statusCode === 400 && options.fetchStats !== undefined) options.fetchStats.refused++;
      },
      schema: {
        summary: 'A heatmap: series × time buckets, one consolidated value a cell, as JSON or PNG',
        description:
          'Rows are the series `match` (or the view) matches, sorted by name, with the display name of their node; columns are buckets of `bucket` seconds aligned to the Unix epoch (UTC days for 1d) from `from` to `to`; ' +
          'each value is the CF of the archive rows in the bucket (AVERAGE weighted by time), null where nothing was imported. ' +
          `At most heatmaps.maxSeries rows (${limits.maxSeries}), heatmaps.maxBuckets columns (${limits.maxBuckets}), limits.fetchMaxRows archive rows (${limits.maxRows}): beyond, a 400 naming the parameter. ` +
          'format=png (or Accept: image/png) answers the picture: one rectangle a cell in its class colour.',
        tags: ['query'],
        querystring: Type.Object(
          {
            view: Type.Optional(Type.String({ maxLength: 64, description: 'a configured view (GET /api/v1/heatmaps): its match, bucket, range, CF, unit and classes are the defaults of the other parameters' })),
            match: Type.Optional(Type.String({ maxLength: 1024, description: 'series glob: * within a segment, ** across segments; required without view' })),
            from: Type.Optional(Type.Integer({ minimum: EARLIEST_START, maximum: LATEST_FETCH_TIME, description: "Unix seconds, rounded down to the bucket; default: to minus the view's range, or 30 buckets" })),
            to: Type.Optional(Type.Integer({ minimum: EARLIEST_START, maximum: LATEST_FETCH_TIME, description: 'Unix seconds, rounded up to the bucket; default now' })),
            bucket: Type.Optional(Type.String({ maxLength: 16, description: 'seconds a column covers, or a duration (1h, 1d): 1m to 366d; default the view\'s, or 1d' })),
            cf: Type.Optional(Cf),
            ds: Type.Optional(Type.String({ maxLength: 19, description: "the data source; default each archive's first" })),
            classes: Type.Optional(Type.String({ maxLength: 400, description: 'colour classes MAX:RRGGBB, ascending, the last *:RRGGBB (0:1f5fd6,10:f2c511,*:d7261e); default the view\'s, or that one' })),
            noData: Type.Optional(Type.String({ pattern: '^#?[0-9a-fA-F]{6}$', description: 'colour RRGGBB of a cell without data; default 000000' })),
            unit: Type.Optional(Type.String({ maxLength: 16, description: "the values' unit, shown by clients; default the view's" })),
            format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('png')], { description: 'json (default) or png' })),
            cellWidth: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, description: `PNG: pixels a cell is wide (default ${DEFAULT_CELL.cellWidth})` })),
            cellHeight: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, description: `PNG: pixels a cell is high (default ${DEFAULT_CELL.cellHeight})` })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            view: Type.Optional(Type.String()),
            title: Type.Optional(Type.String()),
            match: Type.String(),
            from: Type.Integer({ description: "first bucket's start, Unix seconds" }),
            to: Type.Integer({ description: "last bucket's end, Unix seconds" }),
            bucket: Type.Integer({ description: 'seconds a column covers' }),
            columns: Type.Integer({ description: 'buckets: every row has this many values' }),
            cf: Cf,
            ds: Type.Optional(Type.String()),
            unit: Type.Optional(Type.String()),
            ...ScaleOut,
            series: Type.Array(
              Type.Object({
                series: Type.String(),
                node: Type.Optional(Type.String({ description: "the series' node (metadata.key)" })),
                displayName: Type.Optional(Type.String({ description: "its node's display name" })),
                values: Type.Array(Type.Union([Type.Null(), Type.Number()]), { description: 'one a bucket; null where nothing was imported' }),
                cellClasses: Type.Array(Type.Integer({ minimum: -1 }), { description: 'the class of each value: its index in `classes`, -1 for no data' }),
                problem: Type.Optional(Type.String({ description: 'why the row is empty: no archive, no such CF or DS, an archive that cannot be read' })),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const view = q.view === undefined ? undefined : views.get(q.view);
      if (q.view !== undefined && view === undefined) {
        throw refusal('view', `no heatmap view '${q.view}' (heatmaps.views has ${settings.views.length === 0 ? 'none' : settings.views.map((v) => v.name).join(', ')})`);
      }
      const match = q.match ?? view?.match;
      if (match === undefined) throw refusal('match', 'give a series pattern, or a view');
      const globProblem = checkSeriesGlob(match);
      if (globProblem !== undefined) throw refusal('match', globProblem);
      const bucket = q.bucket === undefined ? (view?.bucket ?? DEFAULT_HEATMAPS.bucket) : duration(q.bucket, 'bucket', BUCKET_RANGE);
      const to = q.to ?? Math.floor(now());
      const from = q.from ?? to - (view?.range ?? 30 * bucket);
      if (to <= from) throw refusal('to', `${to} must be after from ${from}`);
      let scale: ColourScale = view === undefined ? DEFAULT_SCALE : viewScale(view);
      if (q.classes !== undefined) {
        const classes = readClassText(q.classes);
        if (typeof classes === 'string') throw refusal('classes', classes);
        scale = { ...scale, classes };
      }
      if (q.noData !== undefined) scale = { ...scale, noData: `#${q.noData.replace(/^#/, '').toLowerCase()}` };
      const png = q.format === undefined ? wantsPng(request.headers.accept) : q.format === 'png';
      const cell = { cellWidth: q.cellWidth ?? DEFAULT_CELL.cellWidth, cellHeight: q.cellHeight ?? DEFAULT_CELL.cellHeight };
      const cf = q.cf ?? view?.cf ?? 'AVERAGE';
      const ds = q.ds ?? view?.ds;
      let grid;
      try {
        grid = await heatmapGrid(options, { match, from, to, bucket, cf, ...(ds === undefined ? {} : { ds }) }, limits);
      } catch (e) {
        if (e instanceof HeatmapQueryError) throw refusal(e.field, e.message);
        throw e;
      }
      if (png) {
        const { width, height } = imageSize(grid.columns, grid.rows.length, cell);
        if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
          const field = width > MAX_IMAGE_SIDE ? 'cellWidth' : 'cellHeight';
          throw refusal(field, `the picture would be ${width}×${height} pixels; at most ${MAX_IMAGE_SIDE} a side: ask smaller cells, a larger bucket or fewer series`);
        }
        // A Buffer is sent as it is: the JSON schema of the 200 answer does not apply (the cast says so to the type provider).
        return reply.type('image/png').send(renderHeatmapPng(grid, scale, cell) as never);
      }
      const unit = q.unit ?? view?.unit;
      return {
        ...(view === undefined ? {} : { view: view.name, ...(view.title === undefined ? {} : { title: view.title }) }),
        match,
        from: grid.from,
        to: grid.to,
        bucket,
        columns: grid.columns,
        cf,
        ...(ds === undefined ? {} : { ds }),
        ...(unit === undefined ? {} : { unit }),
        ...scaleOut(scale, unit),
        // The class of each cell too, so a client colours cells as the PNG does without knowing the rule.
        series: grid.rows.map((row) => ({ ...row, cellClasses: row.values.map((v) => classOf(scale.classes, v)) })),
      };
    },
  );
};

/** PNG when, without `format`, the Accept header names image/png and not JSON. */
function wantsPng(accept: string | undefined): boolean {
  return accept !== undefined && /\bimage\/png\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
}
