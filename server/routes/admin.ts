/**
 * Admin operations on the write-behind store:
 *   POST /admin/flush    like rrdcached's FLUSHALL: write every pending sample
 *                        to its archive now (before a backup, or to measure),
 *                        instead of at the next timed flush
 *   POST /admin/reshape  give the archive of a series, or of every series
 *                        matching a pattern, a new definition keeping its
 *                        history (a series whose cadence changed); every bound
 *                        is checked before anything changes
 *   POST /admin/reload   re-read the config file, as SIGHUP does
 *                        (server/reload/reloader.ts): a file that fails a
 *                        check is a 400 naming the key and changes nothing
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../errors.js';
import type { ReloadOutcome } from '../reload/reloader.js';
import {
  InvalidReshapeError,
  MAX_MATCH_LENGTH,
  MAX_RESHAPE_BYTES,
  MAX_RESHAPE_RRAS,
  MAX_RESHAPE_SERIES,
  RESHAPE_HEARTBEAT_RANGE,
  RESHAPE_STEP_RANGE,
  type ReshapeOutcome,
  type Store,
} from '../store/index.js';

const FlushResultSchema = Type.Object({
  series: Type.Integer({ description: 'Series whose archives took samples.' }),
  samples: Type.Integer({ description: 'Samples written to archives.' }),
  ms: Type.Number({ description: 'How long the flush took, including the file-system sync.' }),
});

const ReshapeBodySchema = Type.Object(
  {
    series: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_MATCH_LENGTH, description: 'One series by name. Give this or match.' })),
    match: Type.Optional(
      Type.String({ minLength: 1, maxLength: MAX_MATCH_LENGTH, description: `Every series matching this pattern (* within a segment, ** across segments), at most ${MAX_RESHAPE_SERIES} of them.` }),
    ),
    step: Type.Integer({ ...RESHAPE_STEP_RANGE, description: 'The new step, seconds. Without rras: the built-in archive for this step.' }),
    heartbeat: Type.Optional(
      Type.Integer({ ...RESHAPE_HEARTBEAT_RANGE, description: "Every data source's new heartbeat, seconds, at least the step. Default: the built-in 3 × step (at least 30 s); with rras, kept (scaled with the step)." }),
    ),
    rras: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
        minItems: 1,
        maxItems: MAX_RESHAPE_RRAS,
        description: `rrdtool RRA strings RRA:CF:xff:steps:rows (durations allowed, as in archive rules), read against the new step; the archive at most ${MAX_RESHAPE_BYTES / 2 ** 20} MiB.`,
      }),
    ),
    dryRun: Type.Optional(Type.Boolean({ description: 'Report what would change; write nothing.' })),
  },
  { additionalProperties: false },
);

const ShapeSchema = Type.Object({
  step: Type.Integer({ description: 'seconds' }),
  heartbeat: Type.Integer({ description: 'seconds' }),
  bytes: Type.Integer({ description: "The file's size; in a dry run's after, the most it will take." }),
});

const STATUSES = ['reshaped', 'planned', 'unchanged', 'skipped', 'failed'] as const;

const OutcomeSchema = Type.Object({
  series: Type.String(),
  status: Type.Enum(STATUSES, { description: 'planned: a dry run would reshape it; unchanged: it has that definition already' }),
  before: Type.Optional(ShapeSchema),
  after: Type.Optional(ShapeSchema),
  rowsKept: Type.Optional(Type.Integer({ description: 'Rows of the new archive holding a value (all RRAs), re-consolidated from the old ones.' })),
  reason: Type.Optional(Type.String({ description: 'Why a series was skipped or failed.' })),
});

const ReshapeAnswerSchema = Type.Object({
  dryRun: Type.Boolean(),
  counts: Type.Object({ reshaped: Type.Integer(), planned: Type.Integer(), unchanged: Type.Integer(), skipped: Type.Integer(), failed: Type.Integer() }),
  series: Type.Array(OutcomeSchema),
});

function countByStatus(outcomes: readonly ReshapeOutcome[]): Record<ReshapeOutcome['status'], number> {
  const counts = { reshaped: 0, planned: 0, unchanged: 0, skipped: 0, failed: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}

const ReloadAnswerSchema = Type.Object({
  applied: Type.Array(Type.String(), { description: 'Config keys now in force (alarms.rules, alarms.recipients, alarms.offered, slurpers.dirs; slurpers.instances with what changed: `slurpers.instances (started a; stopped b; restarted c)`).' }),
  restartNeeded: Type.Array(Type.String(), { description: 'Config keys that differ from the running config and take effect only after a restart (listen, dataDir, ...).' }),
});

export interface AdminOptions {
  readonly store: Pick<Store, 'flush' | 'reshape'>;
  /** Re-reads the config file; without it POST /admin/reload is absent. */
  readonly reload?: () => Promise<ReloadOutcome>;
}

export const adminRoutes: FastifyPluginAsyncTypebox<AdminOptions> = async (app, options) => {
  app.post(
    '/admin/flush',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        summary: 'Write every pending sample to its archive now and sync them to disk',
        description: 'Waits for a flush already under way, then flushes what is pending; answers once the archives are on disk and the journal checkpointed.',
        tags: ['admin'],
        response: { 200: FlushResultSchema },
      },
    },
    async (request) => {
      const result = await options.store.flush();
      request.log.info(result, 'flushed on request');
      return result;
    },
  );

  app.post(
    '/admin/reshape',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        summary: "Give series' archives a new definition, keeping their history",
        description:
          'Each archive is rebuilt from its old RRAs (re-consolidated) and swapped atomically, one series at a time while the server keeps running; ' +
          'samples pending for it are applied to the new archive. Exactly one of series and match. A request over a bound is a 400 naming the field, and changes nothing.',
        tags: ['admin'],
        body: ReshapeBodySchema,
        response: { 200: ReshapeAnswerSchema },
      },
    },
    async (request) => {
      const started = performance.now();
      const body = request.body;
      let outcomes: ReshapeOutcome[];
      try {
        outcomes = await options.store.reshape(body);
      } catch (e) {
        if (!(e instanceof InvalidReshapeError)) throw e;
        const field = `body/${e.field}`;
        throw new ApiError('invalid_request', `${field}: ${e.problem}`, [{ field, message: e.problem }]);
      }
      const counts = countByStatus(outcomes);
      const failed = outcomes.filter((o) => o.status === 'failed').slice(0, 3).map((o) => `${o.series}: ${o.reason}`);
      request.log.info(
        { series: body.series, match: body.match, step: body.step, heartbeat: body.heartbeat, rras: body.rras?.length, dryRun: body.dryRun === true, ...counts, ms: Math.round(performance.now() - started), failed },
        `reshape: ${body.dryRun === true ? `${counts.planned} would be reshaped` : `${counts.reshaped} reshaped`} of ${outcomes.length} series`,
      );
      return { dryRun: body.dryRun === true, counts, series: outcomes };
    },
  );

  const { reload } = options;
  if (reload === undefined) return;
  app.post(
    '/admin/reload',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        summary: 'Re-read the config file, as SIGHUP does',
        description:
          'The file is checked as at a start (ringmon config check) before anything changes. Alarm rules and recipients are applied in place, and slurper instances started, stopped or restarted, ' +
          'keeping the states of series a rule still alarms; what else differs is listed as needing a restart. A file that fails a check is a 400 naming the key; the running config is kept.',
        tags: ['admin'],
        response: { 200: ReloadAnswerSchema },
      },
    },
    async () => {
      const outcome = await reload();
      if (!outcome.valid) {
        const problems = outcome.error.problems.map((p) => ({ field: p.key === '' ? 'config' : `config/${p.key}`, message: p.message }));
        throw new ApiError('invalid_request', `the config file was refused, the running config is kept: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
      }
      return { applied: [...outcome.applied], restartNeeded: [...outcome.restartNeeded] };
    },
  );
};
