/**
 * The public status page (docs/status-page.md), the only routes besides
 * /healthz that need no token whatever auth.openReads says:
 *
 *   GET /api/v1/status     the board as JSON
 *   GET /status            the board as an HTML page (no script)
 *   GET /status/style.css  the page's stylesheet
 *
 * They take no parameters (a query string is ignored) and answer what the
 * board held when last built: at most one build per status.refresh, shared
 * by every request (server/status answer-cache.ts), and each build's JSON
 * and HTML are rendered once. They show only the items the `status` section
 * names; registered only when it names a group.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { STATUS_PAGE_PATH, STATUS_STYLESHEET, STATUS_STYLESHEET_PATH, statusPageHtml, type StatusBoard, type StatusPage } from '../status/index.js';
import { Nullable, TimeOut, timeOut } from './schema-parts.js';

export interface StatusRoutesOptions {
  readonly page: StatusPage;
}

const LEVEL = Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('critical'), Type.Literal('unknown')], {
  description: 'ok; warning (a node late, a series WARNING); critical (a node down, a series CRITICAL); unknown (a series NODATA). A group: its worst item',
});

const UptimeOut = Type.Object({
  percent: Nullable(Type.Number(), '100 × (counted − down) / counted, three decimals; null when planned downtime covered the whole window'),
  downSeconds: Type.Number({ description: 'seconds down (a node down; a series CRITICAL or NODATA) outside planned downtime' }),
  plannedSeconds: Type.Number({ description: 'seconds in planned downtime, left out of the count' }),
});

const ItemOut = Type.Object({
  kind: Type.Union([Type.Literal('node'), Type.Literal('series')]),
  name: Type.String(),
  displayName: Type.Optional(Type.String({ description: "the node's display name (metadata `name`)" })),
  state: Type.String({ description: 'a node: up, late or down; a series: OK, WARNING, CRITICAL or NODATA' }),
  level: LEVEL,
  since: TimeOut,
  maintenance: Type.Boolean({ description: 'a planned downtime covers it now' }),
  uptime: Nullable(Type.Object({ last24h: UptimeOut, last30d: UptimeOut }), 'null when its 30 days hold more transitions than are read'),
});

const DowntimeOut = Type.Object({
  start: TimeOut,
  end: Nullable(TimeOut, 'null: until further notice'),
  reason: Nullable(Type.String(), "the downtime's reason; null when status.reasons is false"),
  items: Type.Array(Type.String(), { description: "the group's items it covers" }),
});

const BoardOut = Type.Object({
  title: Type.String(),
  generatedAt: TimeOut,
  refreshSeconds: Type.Integer({ description: 'the answer is built again after this many seconds' }),
  level: LEVEL,
  groups: Type.Array(
    Type.Object({
      name: Type.String(),
      title: Type.String(),
      level: LEVEL,
      items: Type.Array(ItemOut),
      omitted: Type.Integer({ description: 'items left out by status.maxItems' }),
      downtimes: Type.Array(DowntimeOut, { description: 'planned downtime windows in force or starting within status.upcoming' }),
    }),
  ),
});

const StatusPageQuery = Type.Object({
  reload: Type.Optional(Type.Literal('1', { description: 'the page reloads itself every minute (for a wall display); without it, it stays until reloaded' })),
});

/** The board in the API's terms: times as ISO 8601. */
function boardJson(board: StatusBoard): string {
  const time = (t: number | null) => (t === null ? null : timeOut(t));
  return JSON.stringify({
    ...board,
    generatedAt: timeOut(board.generatedAt),
    groups: board.groups.map((g) => ({
      ...g,
      items: g.items.map((i) => ({ ...i, since: timeOut(i.since) })),
      downtimes: g.downtimes.map((d) => ({ ...d, start: timeOut(d.start), end: time(d.end) })),
    })),
  });
}

export const statusRoutes: FastifyPluginAsyncTypebox<StatusRoutesOptions> = async (app, options) => {
  const rendered = new WeakMap<StatusBoard, { json: string; html: string; reloadingHtml: string }>();
  const answer = async (): Promise<{ json: string; html: string; reloadingHtml: string; refresh: number }> => {
    const board = await options.page.get();
    let forms = rendered.get(board);
    if (forms === undefined) rendered.set(board, (forms = { json: boardJson(board), html: statusPageHtml(board, false), reloadingHtml: statusPageHtml(board, true) }));
    return { ...forms, refresh: board.refreshSeconds };
  };
  const tags = ['status'];

  app.get(
    '/api/v1/status',
    { schema: { summary: 'The public status page as JSON: the configured groups, each item with its state, uptime and planned downtimes', tags, response: { 200: BoardOut } } },
    async (_request, reply) => {
      const { json, refresh } = await answer();
      // Rendered once per build: fastify sends a string as it is (it serialises objects only); the cast is the type provider's object type.
      return reply.header('cache-control', `public, max-age=${refresh}`).type('application/json; charset=utf-8').send(json as never);
    },
  );
  app.get(
    STATUS_PAGE_PATH,
    { schema: { summary: 'The public status page (HTML, no script)', tags, produces: ['text/html'], querystring: StatusPageQuery } },
    async (request, reply) => {
      const { html, reloadingHtml, refresh } = await answer();
      return reply
        .header('cache-control', `public, max-age=${refresh}`)
        .type('text/html; charset=utf-8')
        .send(request.query.reload === '1' ? reloadingHtml : html);
    },
  );
  app.get(STATUS_STYLESHEET_PATH, { schema: { summary: "The status page's stylesheet", tags, produces: ['text/css'] } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(STATUS_STYLESHEET),
  );
};
