/**
 * `feeds`: Atom and RSS feeds of alarm transitions that a feed reader polls
 * (server/routes/feeds.ts, docs/feeds.md). Each feed names the series it
 * shows (`match`) and the states changed to (`statuses`); a viewer token
 * reads every feed, and a feed with a `tokenFile` can also be read with that
 * file's token in its URL, since feed readers cannot send headers. That
 * token reads its feed and nothing else.
 *
 * The built-in feed `alarms` (every transition) needs no entry here, so its
 * name is taken.
 */
import { Type } from 'typebox';
import { ALARM_STATUSES } from '../alarms/model.js';
import { checkMatch, defineSection, filePath, matchSchema, nameSchema, strictObject, type SectionValue } from '../config-schema/index.js';

/** The feed every server has: all transitions, readable with a viewer token only. */
export const BUILT_IN_FEED = 'alarms';

/** Entries in a feed when its setting does not say; a reader polls often, so a day of a small fleet's changes. */
export const DEFAULT_FEED_ENTRIES = 50;
/** Most entries one feed document holds (the `entries` setting and the `limit` parameter alike). */
export const MAX_FEED_ENTRIES = 500;

export const FeedSchema = strictObject({
  /** The URL's name: /api/v1/feeds/NAME.atom and NAME.rss. */
  name: nameSchema('a feed name', { maxLength: 64 }),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  match: matchSchema({ default: '**' }),
  /** The states a transition changes to that the feed shows (OK: recoveries). */
  statuses: Type.Array(Type.Enum(ALARM_STATUSES), { minItems: 1, default: [...ALARM_STATUSES] }),
  entries: Type.Integer({ minimum: 1, maximum: MAX_FEED_ENTRIES, default: DEFAULT_FEED_ENTRIES }),
  /** An owner-only file holding the feed's read-only URL token (feed-token.ts); absent: a viewer token only. */
  tokenFile: Type.Optional(filePath()),
});

export const feedsSection = defineSection({
  schema: Type.Array(FeedSchema, { default: [], maxItems: 100 }),
  check: (feeds, report) => {
    const names = new Set<string>();
    feeds.forEach((feed, i) => {
      if (feed.name === BUILT_IN_FEED) report([i, 'name'], `'${BUILT_IN_FEED}' is the built-in feed of every transition; choose another name`);
      else if (names.has(feed.name)) report([i, 'name'], `'${feed.name}' names another feed too; feed names must be unique`);
      names.add(feed.name);
      checkMatch(feed.match, [i, 'match'], report);
      const statuses = new Set<string>();
      feed.statuses.forEach((status, j) => {
        if (statuses.has(status)) report([i, 'statuses', j], `'${status}' is listed twice`);
        statuses.add(status);
      });
    });
  },
});

/** The `feeds` section as loaded. */
export type FeedSettings = SectionValue<typeof feedsSection.schema>;
export type FeedSetting = FeedSettings[number];
