/**
 * GET /api/v1/feeds/NAME.atom and NAME.rss: a feed of alarm transitions
 * (server/feeds, docs/feeds.md), newest first, for a feed reader to poll.
 *
 * Read with a viewer token in the Authorization header, or, for a feed with
 * a `tokenFile`, with that token as `?token=` (feed readers cannot send
 * headers). The URL token is checked here, before the role check, against
 * the feed the path names only: it makes the request's principal
 * `feed:NAME` with the viewer role for this one request of this one route,
 * and no other route looks at the query for a token, so elsewhere it is
 * nothing. A wrong one is a 401 even when a header is sent too. The
 * request log never holds it (server/http/log-serializers.ts).
 *
 * The request may narrow the feed (a pattern, states, fewer or more
 * entries), never widen it: a series must match the feed's patterns and
 * the request's, a state be among the feed's and the request's.
 */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ALARM_STATUSES, type AlarmEngine } from '../alarms/index.js';
import { authFailure } from '../auth/errors.js';
import { checkSeriesGlob, MAX_GLOB_LENGTH, seriesGlob } from '../config-schema/index.js';
import { ApiError } from '../errors.js';
import { graphLink } from '../../lib/public-url.js';
import { buildFeed, FEED_CONTENT_TYPES, MAX_FEED_ENTRIES, MAX_PRESENTED_TOKEN, MAX_SCANNED_ROWS, renderFeed, type FeedFormat, type FeedSet } from '../feeds/index.js';

export interface FeedRoutesOptions {
  readonly alarms: Pick<AlarmEngine, 'history' | 'rules' | 'unitOf'>;
  readonly feeds: FeedSet;
  /** alarms.publicUrl: links are absolute from it; without it they are paths on the host the reader asked (docs/feeds.md). */
  readonly publicUrl?: string;
  /** The clock, in Unix seconds. */
  readonly now?: () => number;
}

const FEED_FILE = '^[a-z0-9][a-z0-9_-]{0,63}\\.(atom|rss)$';

const Params = Type.Object({
  feed: Type.String({ pattern: FEED_FILE, description: 'NAME.atom (Atom 1.0) or NAME.rss (RSS 2.0): a feed of the `feeds` section, or `alarms`, every transition' }),
});

const Query = Type.Object({
  token: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PRESENTED_TOKEN, description: "the feed's read-only token (its feeds[].tokenFile), for readers that cannot send an Authorization header; good for this feed only" })),
  match: Type.Optional(Type.String({ maxLength: MAX_GLOB_LENGTH, description: "only series matching this pattern too (* within a segment, ** across segments); narrows the feed's own" })),
  state: Type.Optional(Type.Array(Type.Enum(ALARM_STATUSES), { maxItems: ALARM_STATUSES.length, description: "only transitions to these states (repeat for several); narrows the feed's own" })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FEED_ENTRIES, description: "how many entries, newest first; default the feed's `entries`" })),
});

const nameOf = (file: string): [name: string, format: FeedFormat] => {
  const dot = file.lastIndexOf('.');
  return [file.slice(0, dot), file.slice(dot + 1) as FeedFormat];
};

export const feedRoutes: FastifyPluginAsyncTypebox<FeedRoutesOptions> = async (app, options) => {
  const { alarms, feeds, publicUrl } = options;
  const now = options.now ?? (() => Date.now() / 1000);
  // Without a public URL, '' makes paths (/?view=graph&s=...) that a reader resolves against the feed's own URL.
  const site = publicUrl?.replace(/\/+$/, '') ?? '';
  const sources = {
    history: (query: Parameters<AlarmEngine['history']>[0]) => alarms.history(query),
    displayNameOf: (series: string) => alarms.rules.displayNameOf(series),
    unitOf: (series: string) => alarms.unitOf(series),
    // graphLink of '' is the path alone.
    graphUrl: (series: string) => graphLink(site, series) ?? '',
    siteUrl: () => site,
    now,
  };

  /** The feed's own token in the URL, checked before the role check; nothing without one. */
  const urlToken = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    // Not validated yet (hooks run before validation): checked here as the schema would.
    const presented = (request.query as { token?: unknown }).token;
    if (presented === undefined) return undefined;
    if (typeof presented !== 'string' || presented.length === 0 || presented.length > MAX_PRESENTED_TOKEN) {
      const message = `must be given once, 1 to ${MAX_PRESENTED_TOKEN} characters`;
      throw new ApiError('invalid_request', `querystring/token: ${message}`, [{ field: 'querystring/token', message }]);
    }
    const { feed: file } = request.params as { feed?: unknown };
    const feed = typeof file === 'string' && new RegExp(FEED_FILE).test(file) ? feeds.get(nameOf(file)[0]) : undefined;
    if (feed?.token?.matches(presented) !== true) {
      // Never quotes the token; says nothing of whether the feed exists.
      const { status, body } = authFailure('unauthorized', 'the token in the URL does not open this feed');
      reply.log.info({ refused: 'unauthorized' }, 'feed: a token in the URL that does not open the feed');
      return reply.code(status).send(body);
    }
    request.principal = { name: `feed:${feed.name}`, role: 'viewer' };
    request.log = request.log.child({ principal: request.principal.name });
    reply.log = request.log;
    return undefined;
  };

  app.get(
    '/feeds/:feed',
    {
      onRequest: [urlToken, app.requireRole('viewer')],
      schema: {
        summary: 'A feed of alarm transitions, Atom or RSS',
        description:
          `Newest first, at most ${MAX_FEED_ENTRIES} entries, each transition one entry with a stable id. The history's newest ${MAX_SCANNED_ROWS} transitions to the feed's states are searched for its series. ` +
          'A feed with a tokenFile can also be read with `?token=` (that feed only).',
        tags: ['alarms'],
        params: Params,
        querystring: Query,
      },
    },
    async (request, reply) => {
      const [name, format] = nameOf(request.params.feed);
      const feed = feeds.get(name);
      if (feed === undefined) throw new ApiError('not_found', `params/feed: no feed named '${name}' (the feeds section names them; 'alarms' is built in)`);
      const { match, state, limit } = request.query;
      const problem = match === undefined ? undefined : checkSeriesGlob(match);
      if (problem !== undefined) throw new ApiError('invalid_request', `querystring/match: ${problem}`, [{ field: 'querystring/match', message: problem }]);
      const model = await buildFeed(feed, { match: match === undefined ? undefined : seriesGlob(match), statuses: state, limit }, sources);
      const text = renderFeed(model, format);
      // Readers poll: an unchanged feed is a 304 for the one that sends back the tag.
      const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type(FEED_CONTENT_TYPES[format]).send(text);
    },
  );
};
