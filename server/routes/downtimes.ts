/**
 * /api/v1/downtimes: filing, changing, ending and cancelling downtimes
 * (operator role; the author is the token's name), listing them and the
 * graph question `?series=S&from=&to=` (viewer role). DELETE cancels: the
 * downtime and its history stay. Invalid input is a 400 naming each field
 * at fault and stores nothing.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  DowntimeConflictError,
  DowntimeLimitError,
  InvalidDowntimeError,
  parseInstant,
  UnknownDowntimeError,
  type DowntimeChanges,
  type Downtimes,
} from '../downtimes/index.js';
import { ApiError, type Problem } from '../errors.js';
import { CreateBody, downtimeOut, HistoryOut, IdParams, ListOut, ListQuery, MAX_DOWNTIMES_PAGE, PatchBody, revisionOut, DowntimeOut } from './downtime-schemas.js';

export interface DowntimeRoutesOptions {
  readonly downtimes: Downtimes;
  /** The clock, in Unix seconds. */
  readonly now?: () => number;
}

/** Runs a downtime operation, answering its errors from the catalogue; `where` prefixes field names (`body`). */
async function answer<T>(where: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (e) {
    if (e instanceof InvalidDowntimeError) invalid(e.problems.map((p) => ({ field: `${where}/${p.field}`, message: p.message })));
    if (e instanceof UnknownDowntimeError) throw new ApiError('not_found', e.message, [{ field: 'params/id', message: e.message }]);
    if (e instanceof DowntimeConflictError) throw new ApiError('conflict', e.message);
    // A count limit: the request is well formed, the server's state refuses it (409, naming the setting).
    if (e instanceof DowntimeLimitError) throw new ApiError('conflict', e.message, [{ field: where, message: e.message }]);
    throw e;
  }
}

function invalid(problems: readonly Problem[]): never {
  throw new ApiError('invalid_request', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}

/** Reads the time fields present in `input` as Unix seconds, with all their problems at once. */
function readTimes<K extends string>(input: Partial<Record<K, number | string | null>>, keys: readonly K[], zone: string, where: string): Partial<Record<K, number | null>> {
  const out: Partial<Record<K, number | null>> = {};
  const problems: Problem[] = [];
  for (const key of keys) {
    const value = input[key];
    if (value === undefined || value === null) {
      if (value === null) out[key] = null;
      continue;
    }
    const t = parseInstant(value, zone);
    if (typeof t === 'string') problems.push({ field: `${where}/${key}`, message: t });
    else out[key] = t;
  }
  if (problems.length > 0) invalid(problems);
  return out;
}

export const downtimeRoutes: FastifyPluginAsyncTypebox<DowntimeRoutesOptions> = async (app, options) => {
  const { downtimes } = options;
  const now = options.now ?? (() => Date.now() / 1000);
  const author = (principal: { name: string } | null): string => principal?.name ?? 'anonymous';
  const tags = ['downtimes'];

  app.post(
    '/downtimes',
    { onRequest: app.requireRole('operator'), schema: { summary: 'File a downtime', tags, body: CreateBody, response: { 201: DowntimeOut } } },
    async (request, reply) => {
      const b = request.body;
      const zone = b.timezone ?? 'UTC';
      const times = readTimes(b, ['start', 'end'] as const, zone, 'body');
      const t = now();
      const draft = {
        kind: b.kind ?? 'planned',
        scope: { series: b.scope.series ?? [], agents: b.scope.agents ?? [] },
        start: times.start ?? Math.floor(t),
        end: times.end ?? null,
        rrule: b.rrule ?? null,
        timezone: zone,
        reason: b.reason,
      };
      const created = await answer('body', () => downtimes.create(draft, author(request.principal), t));
      return reply.code(201).send(downtimeOut({ downtime: created }));
    },
  );

  app.get(
    '/downtimes',
    {
      onRequest: app.requireRole('viewer'),
      schema: {
        summary: 'List downtimes, a page at a time (limit, after); with series, from and to: the windows to draw on a graph',
        description: 'Windows are half-open [start, end): a downtime ending when the range starts is not listed. Recurring downtimes are expanded into their windows. Cancelled ones are left out unless include=cancelled.',
        tags,
        querystring: ListQuery,
        response: { 200: ListOut },
      },
    },
    async (request) => {
      const q = request.query;
      if ((q.from === undefined) !== (q.to === undefined)) invalid([{ field: `query/${q.from === undefined ? 'from' : 'to'}`, message: 'from and to go together' }]);
      if (q.active && q.from !== undefined) invalid([{ field: 'query/active', message: 'cannot be combined with from and to' }]);
      const paged = q.limit !== undefined || q.after !== undefined;
      if (paged && (q.from !== undefined || q.active)) {
        invalid([{ field: `query/${q.limit !== undefined ? 'limit' : 'after'}`, message: 'pages the listing without a range only: cannot be combined with from and to, or active' }]);
      }
      if (q.from === undefined && !q.active) {
        // Without a range, a page at a time: the number stored has no bound but the count limits.
        const [start, id] = q.after === undefined ? [] : q.after.split(':').map(Number);
        const query = { series: q.series, agent: q.agent, kind: q.kind, includeCancelled: q.include === 'cancelled' };
        const page = await answer('query', () => downtimes.listPage(query, q.limit ?? MAX_DOWNTIMES_PAGE, q.after === undefined ? undefined : { start, id }));
        const out = { downtimes: page.listed.map(downtimeOut) };
        return page.next === undefined ? out : { ...out, next: `${page.next.start}:${page.next.id}` };
      }
      let { from, to } = readTimes(q, ['from', 'to'] as const, 'UTC', 'query');
      if (q.active) {
        from = Math.floor(now());
        to = from + 1;
      }
      if (from != null && to != null && to <= from) invalid([{ field: 'query/to', message: 'must be after from' }]);
      const query = { series: q.series, agent: q.agent, from: from ?? undefined, to: to ?? undefined, kind: q.kind, includeCancelled: q.include === 'cancelled' };
      const listed = await answer('query', () => downtimes.list(query));
      return { downtimes: listed.map(downtimeOut) };
    },
  );

  app.get(
    '/downtimes/:id',
    { onRequest: app.requireRole('viewer'), schema: { summary: 'One downtime', tags, params: IdParams, response: { 200: DowntimeOut } } },
    async (request) => downtimeOut({ downtime: await answer('params', () => downtimes.get(request.params.id)) }),
  );

  app.get(
    '/downtimes/:id/history',
    { onRequest: app.requireRole('viewer'), schema: { summary: 'Every version of a downtime, oldest first', tags, params: IdParams, response: { 200: HistoryOut } } },
    async (request) => ({ revisions: (await answer('params', () => downtimes.history(request.params.id))).map(revisionOut) }),
  );

  app.patch(
    '/downtimes/:id',
    {
      onRequest: app.requireRole('operator'),
      schema: { summary: 'Change a downtime (the old version stays in its history)', tags, params: IdParams, body: PatchBody, response: { 200: DowntimeOut } },
    },
    async (request) => {
      const b = request.body;
      const id = request.params.id;
      const current = await answer('params', () => downtimes.get(id));
      const times = readTimes(b, ['start', 'end'] as const, b.timezone ?? current.timezone, 'body');
      const changes: DowntimeChanges = {
        ...(b.kind !== undefined && { kind: b.kind }),
        ...(b.scope !== undefined && { scope: { series: b.scope.series ?? [], agents: b.scope.agents ?? [] } }),
        ...(times.start != null && { start: times.start }),
        ...(times.end !== undefined && { end: times.end }),
        ...(b.rrule !== undefined && { rrule: b.rrule }),
        ...(b.timezone !== undefined && { timezone: b.timezone }),
        ...(b.reason !== undefined && { reason: b.reason }),
      };
      return downtimeOut({ downtime: await answer('body', () => downtimes.update(id, changes, author(request.principal), now())) });
    },
  );

  app.delete(
    '/downtimes/:id',
    { onRequest: app.requireRole('operator'), schema: { summary: 'Cancel a downtime (it stays, with its history)', tags, params: IdParams, response: { 200: DowntimeOut } } },
    async (request) => downtimeOut({ downtime: await answer('params', () => downtimes.cancel(request.params.id, author(request.principal), now())) }),
  );

  app.post(
    '/downtimes/:id/end',
    {
      onRequest: app.requireRole('operator'),
      schema: { summary: 'End a downtime in progress now (an open unplanned one, above all)', tags, params: IdParams, response: { 200: DowntimeOut } },
    },
    async (request) => downtimeOut({ downtime: await answer('params', () => downtimes.end(request.params.id, author(request.principal), now())) }),
  );
};
