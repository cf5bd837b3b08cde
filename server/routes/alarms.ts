/**
 * /api/v1/alarms, /alarms/history and /rules (viewer role): the current
 * state of every alarmed series with the downtime in force, the stored
 * transitions, and the rules as the server compiled them.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AlarmEngine, AlarmView } from '../alarms/index.js';
import { ALARM_STATUSES, isNodeItem, type AlarmRule, type Thresholds } from '../alarms/index.js';
import { describeRange, type NagiosRange } from '../alarms/nagios-range.js';
import { parseInstant } from '../downtimes/index.js';
import { ApiError } from '../errors.js';
import { AckEventOut, ackEventOut, AckOut, ackOut, alarmAckRoutes } from './alarm-acks.js';
import { formatParameter, sendCsv, wantsCsv } from '../http/csv-negotiation.js';
import { ALARM_HISTORY_CSV_HEADER, alarmHistoryCsv } from './alarm-history-csv.js';
import { Nullable, TimeOut, timeOut } from './schema-parts.js';

export interface AlarmRoutesOptions {
  readonly alarms: AlarmEngine;
  /** The series' last message (a check's state line, kept by the store); absent: none shown. */
  readonly messageOf?: (series: string) => string | undefined;
}

const Status = Type.Enum(ALARM_STATUSES);
const DowntimeKind = Type.Union([Type.Literal('planned'), Type.Literal('unplanned')]);

const Range = Type.Object({
  range: Type.String({ description: 'Nagios range syntax: 80 (alert outside 0..80), ~:80 (above 80), 5: (below 5), @10:20 (inside)' }),
  low: Nullable(Type.Number(), 'the lower line to draw: values below it alert (above it, for an inside range); null: none'),
  high: Nullable(Type.Number(), 'the upper line to draw; null: none'),
  inside: Type.Boolean({ description: '@: the alert is inside [low, high]' }),
  text: Type.String({ description: 'the range in the words the alarm history and mails use: > 80, < 5, < 5 or > 80, inside 10:20' }),
});

const DowntimeRef = Type.Object({
  id: Type.Integer(),
  kind: DowntimeKind,
  reason: Type.String(),
  end: Nullable(TimeOut, 'end of the window in force; null while an unplanned one is open'),
});

const AlarmOut = Type.Object({
  series: Type.String(),
  rule: Type.String({ description: "the rule's name; `offered` for thresholds a slurper offered; `node-down` for a node's own alarm (series `node:<name>`)" }),
  state: Status,
  since: TimeOut,
  value: Nullable(Type.Number(), 'the value that caused the state; null for NODATA'),
  threshold: Nullable(Type.String(), 'what is broken: > 95, < 5, inside 10:20, no data for 10m'),
  thresholds: Type.Object({ warning: Type.Optional(Range), critical: Type.Optional(Range) }),
  lastSample: Nullable(TimeOut, 'time of the last sample; null when none was seen'),
  downtime: Nullable(DowntimeRef, 'the downtime in force now: a planned one first, else an unplanned one'),
  suppressed: Type.Boolean({ description: 'the last change was kept quiet by the planned downtime in force' }),
  inhibitedBy: Nullable(Type.String(), 'the node, late or down now, whose absence keeps the changes of this series from being told (its own node or a nodes.dependencies one); null: none'),
  message: Type.Optional(Type.String({ description: "the series' last message (a check's state line, `<instance>.state`); in memory only" })),
  displayName: Type.Optional(Type.String({ description: "the display name of the series' node (its `name` in the metadata file, docs/metadata.md)" })),
  acknowledgement: Type.Optional(AckOut),
  unit: Type.Optional(Type.String({ description: "the unit of the series' values (its rule's `unit`); absent when it has none" })),
});

const TransitionOut = Type.Object({
  id: Type.Integer(),
  series: Type.String(),
  rule: Type.String(),
  from: Status,
  to: Status,
  at: TimeOut,
  value: Nullable(Type.Number(), 'null for NODATA'),
  threshold: Nullable(Type.String(), 'null for a change to OK'),
  downtime: Nullable(Type.Object({ id: Type.Integer(), kind: DowntimeKind }), 'the downtime in force at the time'),
  suppressed: Type.Boolean({ description: 'a planned downtime kept it quiet: no notice was sent then' }),
  inhibitedBy: Nullable(Type.String(), 'the node, late or down then, that kept it from being told; null: none'),
});

const RuleOut = Type.Object({
  name: Type.String(),
  match: Type.Array(Type.String()),
  warning: Type.Optional(Range),
  critical: Type.Optional(Range),
  for: Type.Number({ description: 'seconds out of bounds before the state changes' }),
  hysteresis: Type.Number(),
  nodata: Nullable(Type.Number(), 'seconds without a sample before NODATA; null: never'),
  notify: Type.Array(Type.String()),
  renotify: Nullable(Type.Number(), 'seconds between reminders; null: none'),
  states: Type.Optional(Type.Object({
    ok: Type.Array(Type.Number(), { description: 'the good values' }),
    window: Type.Number({ description: 'seconds of sample time judged' }),
    require: Type.Union([Type.Literal('all'), Type.Literal('any')]),
    level: Type.Union([Type.Literal('WARNING'), Type.Literal('CRITICAL')]),
  }, { description: 'a set of good values in a window, judged instead of thresholds (docs/alarms.md)' })),
  builtIn: Type.Optional(Type.Literal(true, { description: "present on `node-down`, the server's own rule: each node's alarm, the item `node:<name>` (`node:instance:<name>` for a server-run instance), told to nodes.notify every nodes.renotify; its match names those items, no series" })),
});

/** What the node-down rule alarms, for people: every node item. */
const NODE_ITEMS = 'node:**';

const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);
const rangeOut = (r: NagiosRange) => ({ range: r.text, low: finite(r.low), high: finite(r.high), inside: r.inside, text: describeRange(r) });
const thresholdsOut = (t: Thresholds) => ({ ...(t.warning ? { warning: rangeOut(t.warning) } : {}), ...(t.critical ? { critical: rangeOut(t.critical) } : {}) });

function alarmOut(a: AlarmView, message: string | undefined, unit: string | undefined) {
  const d = a.downtime;
  return {
    series: a.series,
    rule: a.rule,
    state: a.status,
    since: timeOut(a.since),
    value: a.value,
    threshold: a.threshold,
    thresholds: thresholdsOut(a.thresholds),
    lastSample: Number.isFinite(a.lastSampleAt) ? timeOut(a.lastSampleAt) : null,
    downtime: d ? { id: d.downtime.id, kind: d.downtime.kind, reason: d.downtime.reason, end: d.window.end === null ? null : timeOut(d.window.end) } : null,
    suppressed: a.suppressed,
    inhibitedBy: a.inhibitedBy,
    ...(message === undefined ? {} : { message }),
    ...(a.displayName === undefined ? {} : { displayName: a.displayName }),
    ...(a.acknowledgement === undefined ? {} : { acknowledgement: ackOut(a.acknowledgement) }),
    ...(unit === undefined ? {} : { unit }),
  };
}

function ruleOut(r: AlarmRule) {
  return {
    name: r.name,
    match: [...r.match],
    ...thresholdsOut(r.thresholds),
    for: r.forSeconds,
    hysteresis: r.hysteresis,
    nodata: r.nodataSeconds ?? null,
    notify: [...r.notify],
    renotify: r.renotifySeconds ?? null,
    ...(r.states ? { states: { ok: [...r.states.ok], window: r.states.windowSeconds, require: r.states.require, level: r.states.level } } : {}),
  };
}

/** A time in a query string, or a 400 naming the parameter. */
function queryTime(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = parseInstant(value, 'UTC');
  if (typeof t === 'string') throw new ApiError('invalid_request', `querystring/${name}: ${t}`, [{ field: `querystring/${name}`, message: t }]);
  return t;
}

export const alarmRoutes: FastifyPluginAsyncTypebox<AlarmRoutesOptions> = async (app, options) => {
  const { alarms } = options;
  const tags = ['alarms'];
  await app.register(alarmAckRoutes, { alarms });
  app.get(
    '/alarms',
    {
      onRequest: app.requireRole('viewer'),
      schema: {
        summary: 'The current state of every alarmed series',
        tags,
        querystring: Type.Object({
          state: Type.Optional(Type.Array(Status, { description: 'only these states (repeat the parameter for several)' })),
          series: Type.Optional(Type.String({ maxLength: 255, description: 'only this series' })),
        }),
        response: { 200: Type.Object({ alarms: Type.Array(AlarmOut) }) },
      },
    },
    async (request) => {
      const wanted = request.query.state === undefined ? undefined : new Set(request.query.state);
      const views = request.query.series === undefined ? alarms.current() : [alarms.get(request.query.series)].filter((a) => a !== undefined);
      const chosen = views.filter((a) => !wanted || wanted.has(a.status)).sort((x, y) => (x.series < y.series ? -1 : x.series > y.series ? 1 : 0));
      return { alarms: chosen.map((a) => alarmOut(a, options.messageOf?.(a.series), isNodeItem(a.series) ? undefined : alarms.rules.ruleFor(a.series)?.unit)) };
    },
  );
  app.get(
    '/alarms/history',
    {
      onRequest: app.requireRole('viewer'),
      schema: {
        summary: 'Stored alarm transitions, newest first',
        tags,
        querystring: Type.Object({
          series: Type.Optional(Type.String({ maxLength: 255 })),
          from: Type.Optional(Type.String({ description: 'ISO 8601 or Unix seconds; inclusive' })),
          to: Type.Optional(Type.String({ description: 'ISO 8601 or Unix seconds; exclusive' })),
          limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
          format: formatParameter(`one record a transition, ${ALARM_HISTORY_CSV_HEADER.join(',')}`),
        }),
        response: {
          200: Type.Object({
            transitions: Type.Array(TransitionOut),
            acknowledgements: Type.Array(AckEventOut, { description: 'acks, unacks and their ends in the same range, newest first, at most limit' }),
          }),
        },
      },
    },
    async (request, reply) => {
      const { series, limit } = request.query;
      const from = queryTime('from', request.query.from);
      const to = queryTime('to', request.query.to);
      if (from !== undefined && to !== undefined && to <= from) {
        const message = 'must be after from';
        throw new ApiError('invalid_request', `querystring/to: ${message}`, [{ field: 'querystring/to', message }]);
      }
      const rows = await alarms.history({ series, from, to, limit });
      if (wantsCsv(request.query.format, request.headers.accept)) return sendCsv(reply, alarmHistoryCsv(rows, (s) => alarms.rules.displayNameOf(s)));
      const acks = await alarms.ackHistory({ series, from, to, limit });
      return { acknowledgements: acks.map(ackEventOut), transitions: rows.map((t) => ({ id: t.id, series: t.series, rule: t.rule, from: t.from, to: t.to, at: timeOut(t.at), value: t.value, threshold: t.threshold, downtime: t.downtime, suppressed: t.suppressed, inhibitedBy: t.inhibitedBy })) };
    },
  );
  app.get(
    '/rules',
    { onRequest: app.requireRole('viewer'), schema: { summary: 'The alarm rules in force (the config, compiled)', tags, response: { 200: Type.Object({ rules: Type.Array(RuleOut) }) } } },
    async () => {
      const offered = alarms.rules.offeredRule();
      // The node-down rule last: not in the config, yet the rule of every node: item.
      const nodeDown = { ...ruleOut(alarms.nodeRule), match: [NODE_ITEMS], builtIn: true as const };
      return { rules: [...[...alarms.rules.rules, ...(offered ? [offered] : [])].map(ruleOut), nodeDown] };
    },
  );
};
