/**
 * POST /api/v1/rules/try (operator): what an alarm rule would have done over
 * a past range — transitions, notices, time in each status per series —
 * before it is deployed (server/alarms/rule-trial.ts does the trying).
 *
 * Rows: each series' finest archive that covers the range (resolution 1, as
 * GET /fetch chooses), LAST where the archive keeps LAST rows, else AVERAGE;
 * the answer says the step and CF of every series. Planned downtimes are
 * respected when the server has its downtime database (the in-memory
 * lookup alarms use; ended downtimes count, cancelled ones do not), and
 * settings `{ meta: ... }` resolved against the node metadata in force.
 *
 * Bounded at the door, before a row is read: the range (TRIAL_LIMITS
 * .maxRangeSeconds), the series the rule matches (maxSeries), the rows all
 * of them would read, counted from the archive headers (maxRows), and the
 * answer (maxListed transitions and notices, then counts). One trial runs
 * at a time (a second is a 429); series are read one at a time and their
 * rows tried a slice at a time with a turn of the event loop between, so
 * /healthz and ingest keep their turn. A series that cannot be read is
 * skipped and listed, not a failure of the trial.
 *
 * Operator, not viewer: it reads no more than GET /fetch does, but it is
 * the most CPU a single request can ask for (up to maxRows rows through the
 * evaluator), and a viewer route is open to anyone under auth.openReads;
 * trying rules is the work of those who deploy them.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Type } from 'typebox';
import { EARLIEST_START, type ConsolidationFunction, type FetchOptions } from '../../archive/index.js';
import { formatDuration } from '../../lib/duration.js';
import type { AlarmRuleSetting } from '../alarms/config-section.js';
import { ALARM_STATUSES, NOTICE_KINDS } from '../alarms/index.js';
import { RuleTrial, type TrialResult } from '../alarms/rule-trial.js';
import type { DowntimeQuestions } from '../alarms/index.js';
import { ApiError } from '../errors.js';
import type { MetadataSnapshot } from '../metadata/index.js';
import type { SeriesInfo, SeriesReader } from '../store/index.js';
import { trialRule, trialTime } from './rule-trial-input.js';
import { Nullable, TimeOut, timeOut } from './schema-parts.js';

const DAY = 86_400;

/** What one trial may cost. */
export interface TrialLimits {
  /** Longest range from `from` to `until`. */
  readonly maxRangeSeconds: number;
  /** Most series the rule may match. */
  readonly maxSeries: number;
  /** Most rows all those series may read, counted from their archive headers. */
  readonly maxRows: number;
  /** Transitions and notices listed in the answer, each; beyond, counted only. */
  readonly maxListed: number;
  /** Rows tried between two turns of the event loop. */
  readonly rowsPerSlice: number;
}

export const TRIAL_LIMITS: TrialLimits = {
  maxRangeSeconds: 31 * DAY,
  maxSeries: 1000,
  // 1,000 series of a week of one-minute rows, read one series at a time: some 2 s of CPU.
  maxRows: 20_000_000,
  maxListed: 500,
  rowsPerSlice: 50_000,
};

export interface RuleTrialRoutesOptions {
  readonly store: SeriesReader;
  /** The downtime database; without it no downtime is respected (the answer says so). */
  readonly downtimes?: Pick<DowntimeQuestions, 'activePlannedDowntime'>;
  /** The agent a series comes from, for downtimes scoped to an agent. */
  readonly agentOf?: (series: string) => string | undefined;
  /** The node metadata in force, for settings `{ meta: ... }`; without it, their defaults. */
  readonly metadata?: () => MetadataSnapshot;
  readonly now?: () => number;
  /** Tests make them small. */
  readonly limits?: Partial<TrialLimits>;
}

const Status = Type.Enum(ALARM_STATUSES);
const Times = Type.Object(Object.fromEntries(ALARM_STATUSES.map((s) => [s, Type.Number({ description: `seconds in ${s}` })])) as Record<(typeof ALARM_STATUSES)[number], ReturnType<typeof Type.Number>>);
const Counts = Type.Object({ ...Object.fromEntries(NOTICE_KINDS.map((k) => [k, Type.Integer()])), total: Type.Integer() });

const TrialBody = Type.Object({
  rule: Type.Object({}, { additionalProperties: true, maxProperties: 32, description: 'an alarms.rules entry, as in ringmon.yaml (durations may be text: 10m); checked as the config checks it' }),
  from: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 64 })], { description: 'Unix seconds or ISO 8601; default: until - 7 days' })),
  until: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 64 })], { description: 'Unix seconds or ISO 8601; default and latest: now' })),
});

const TrialAnswer = Type.Object({
  rule: Type.String(),
  notify: Type.Array(Type.String(), { description: 'who the notices would have gone to' }),
  from: TimeOut,
  until: TimeOut,
  plannedDowntimes: Type.Boolean({ description: 'planned downtimes were respected (the server has its downtime database)' }),
  steps: Type.Array(Type.Integer(), { description: 'the row steps the series were tried at, seconds, finest first' }),
  series: Type.Array(
    Type.Object({
      series: Type.String(),
      cf: Type.String({ description: 'the consolidation of the rows read: LAST where the archive keeps it, else AVERAGE' }),
      step: Type.Integer(),
      rows: Type.Integer(),
      transitions: Type.Integer(),
      notices: Type.Integer(),
      timeIn: Times,
      status: Status,
    }),
  ),
  transitions: Type.Array(
    Type.Object({
      series: Type.String(),
      from: Status,
      to: Status,
      at: TimeOut,
      value: Nullable(Type.Number(), 'null for NODATA'),
      threshold: Nullable(Type.String(), 'null for a change to OK'),
      quietBy: Nullable(Type.Integer(), 'the planned downtime that would have kept it quiet'),
    }),
  ),
  notices: Type.Array(
    Type.Object({
      series: Type.String(),
      kind: Type.Enum(NOTICE_KINDS),
      status: Status,
      at: TimeOut,
      value: Nullable(Type.Number(), 'null for NODATA'),
      threshold: Nullable(Type.String(), 'null for a recovery'),
    }),
  ),
  listed: Type.Object({ transitions: Type.Integer(), notices: Type.Integer() }, { description: 'how many of each are listed; totals has them all' }),
  totals: Type.Object({ series: Type.Integer(), rows: Type.Integer(), transitions: Type.Integer(), quiet: Type.Integer(), notices: Counts }),
  skipped: Type.Array(Type.Object({ series: Type.String(), reason: Type.String() }), { description: 'series matched but not tried (held, unreadable)' }),
  notes: Type.Array(Type.String()),
});

/** A 400 naming `field`. */
const refuse = (field: string, message: string): ApiError => new ApiError('invalid_request', `${field}: ${message}`, [{ field, message }]);

export const ruleTrialRoutes: FastifyPluginAsyncTypebox<RuleTrialRoutesOptions> = async (app, options) => {
  const limits: TrialLimits = { ...TRIAL_LIMITS, ...options.limits };
  const now = options.now ?? (() => Date.now() / 1000);
  let running = false;
  app.post(
    '/rules/try',
    {
      onRequest: app.requireRole('operator'),
      bodyLimit: 64 * 1024,
      schema: {
        summary: 'Try an alarm rule against history: what it would have sent',
        description:
          'Runs the rule over the archived rows of the series it matches, as the alarm engine would have, and answers the transitions, the notices, and the time in each status per series. ' +
          `At most ${formatDuration(limits.maxRangeSeconds)} of range, ${limits.maxSeries} series and ${limits.maxRows} rows (counted before reading), ${limits.maxListed} transitions and notices listed; one trial at a time (429).`,
        tags: ['alarms'],
        body: TrialBody,
        response: { 200: TrialAnswer },
      },
    },
    async (request) => {
      const body = request.body;
      const latest = Math.floor(now());
      const until = Math.min(trialTime('until', body.until) ?? latest, latest);
      const from = trialTime('from', body.from) ?? until - 7 * DAY;
      if (from < EARLIEST_START) throw refuse('body/from', `must be after ${timeOut(EARLIEST_START)}: no archive holds earlier rows`);
      if (until <= from) throw refuse('body/until', `must be after from (${timeOut(from)}), and until is at most now`);
      if (until - from > limits.maxRangeSeconds) {
        throw refuse('body/from', `the range is ${formatDuration(until - from)}; a trial covers at most ${formatDuration(limits.maxRangeSeconds)}: try a shorter one`);
      }
      const setting = trialRule(body.rule);
      if (running) throw new ApiError('too_many_requests', 'another rule trial is running on this server; try again when it is done');
      running = true;
      try {
        return answer(await runTrial(options, limits, setting, from, until), options.downtimes !== undefined);
      } finally {
        running = false;
      }
    },
  );
};

interface Tried {
  readonly result: TrialResult;
  readonly cf: ReadonlyMap<string, ConsolidationFunction>;
  readonly skipped: { series: string; reason: string }[];
  readonly notes: string[];
}

async function runTrial(options: RuleTrialRoutesOptions, limits: TrialLimits, setting: AlarmRuleSetting, from: number, until: number): Promise<Tried> {
  const { store, downtimes, agentOf } = options;
  const trial = new RuleTrial(setting, { from, until }, {
    maxListed: limits.maxListed,
    metadata: options.metadata?.(),
    plannedDowntime: downtimes && ((series, t) => downtimes.activePlannedDowntime(series, t, agentOf?.(series))?.downtime.id),
  });
  const skipped: { series: string; reason: string }[] = [];
  const notes: string[] = [];
  const matched = await matchedSeries(store, trial, limits.maxSeries, skipped);
  // Count first, from the headers: a refused trial reads no row.
  const plans: { series: string; options: FetchOptions }[] = [];
  let rows = 0;
  for (const info of matched) {
    const fetchOptions: FetchOptions = { cf: info.definition.rras.some((r) => r.cf === 'LAST') ? 'LAST' : 'AVERAGE', start: from, end: until, resolution: 1 };
    try {
      rows += (await store.fetchPlan(info.series, fetchOptions)).rowCount;
      plans.push({ series: info.series, options: fetchOptions });
    } catch (e) {
      skipped.push({ series: info.series, reason: unreadable(e) });
    }
  }
  if (rows > limits.maxRows) {
    throw refuse('body/from', `the ${plans.length} series matched would read ${rows} rows; a trial reads at most ${limits.maxRows}: try a shorter range or a narrower match`);
  }
  const cf = new Map<string, ConsolidationFunction>();
  for (const { series, options: fetchOptions } of plans) {
    let values;
    try {
      values = await store.fetchValues(series, fetchOptions);
    } catch (e) {
      skipped.push({ series, reason: unreadable(e) });
      continue;
    }
    const row = new Float64Array(values.rowCount).fill(NaN);
    const width = values.ds.length;
    for (let k = 0; k < values.storedRows; k++) row[values.firstStored + k] = values.stored[k * width];
    cf.set(series, fetchOptions.cf);
    const run = trial.start({ series, start: values.start, step: values.step, values: row });
    while (!run.advance(limits.rowsPerSlice)) await nextTurn();
    await nextTurn();
  }
  if (matched.length === 0) notes.push('no series with an archive matches the rule');
  if ([...cf.values()].includes('AVERAGE')) notes.push('AVERAGE rows smooth what happens within a step: a short spike the server would alarm on may not show');
  return { result: trial.result(), cf, skipped, notes };
}

/** The series the rule matches that have an archive (held ones are listed in `skipped`); a 400 past maxSeries. */
async function matchedSeries(store: SeriesReader, trial: RuleTrial, maxSeries: number, skipped: { series: string; reason: string }[]): Promise<SeriesInfo[]> {
  const found = new Map<string, SeriesInfo>();
  for (const pattern of trial.rule.match) {
    for (const info of await store.list(pattern)) if (trial.matches(info.series)) found.set(info.series, info);
    if (found.size > maxSeries) {
      throw refuse('body/rule/match', `matches more than ${maxSeries} series; a trial takes at most ${maxSeries}: narrow the pattern`);
    }
  }
  const withArchive: SeriesInfo[] = [];
  for (const info of [...found.values()].sort((a, b) => (a.series < b.series ? -1 : 1))) {
    if (info.held) skipped.push({ series: info.series, reason: 'held: no archive yet while its cadence is learned' });
    else withArchive.push(info);
  }
  return withArchive;
}

function unreadable(e: unknown): string {
  const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  return `its archive cannot be read (${why})`;
}

function answer({ result, cf, skipped, notes }: Tried, plannedDowntimes: boolean) {
  return {
    rule: result.rule,
    notify: [...result.notify],
    from: timeOut(result.from),
    until: timeOut(result.until),
    plannedDowntimes,
    steps: [...result.steps],
    series: result.series.map((s) => ({ ...s, cf: cf.get(s.series) ?? 'AVERAGE', timeIn: { ...s.timeIn } })),
    transitions: result.transitions.map((t) => ({ series: t.series, from: t.from, to: t.to, at: timeOut(t.at), value: t.value, threshold: t.threshold, quietBy: t.quietBy })),
    notices: result.notices.map((n) => ({ ...n, at: timeOut(n.at) })),
    listed: result.listed,
    totals: result.totals,
    skipped,
    notes: [...result.notes, ...notes, ...(plannedDowntimes ? [] : ['this server has no downtime database: no downtime was respected'])],
  };
}
