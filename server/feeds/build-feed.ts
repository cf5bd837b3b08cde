/**
 * One feed document's model: the feed's transitions (feed-entries.ts),
 * narrowed by what the request asks (a pattern, states, a count), each as
 * an entry with its node's display name and a link to its graph.
 */
import type { AlarmStatus } from '../alarms/index.js';
import type { SeriesMatcher } from '../config-schema/index.js';
import { entrySummary, entryTitle } from './entry-text.js';
import { feedTransitions, type HistoryReader } from './feed-entries.js';
import { nameUuid, transitionEntryId, type FeedModel } from './feed-document.js';
import type { FeedDefinition } from './feed-set.js';

/** What a feed is made from; each asked at every document, so a reload's rules and metadata show at once. */
export interface FeedSources {
  readonly history: HistoryReader;
  readonly displayNameOf: (series: string) => string | undefined;
  /** The unit of its values as notices show it (AlarmEngine.unitOf: its rule's `unit`, else the series'). */
  readonly unitOf: (series: string) => string | undefined;
  /** The series' graph in the web client, from the public URL. */
  readonly graphUrl: (series: string) => string;
  /** The web client's address: the public URL, or the listen address without one. */
  readonly siteUrl: () => string;
  /** Unix seconds. */
  readonly now: () => number;
}

/** What a request narrows a feed to; every part optional. */
export interface FeedNarrowing {
  readonly match?: SeriesMatcher;
  readonly statuses?: readonly AlarmStatus[];
  readonly limit?: number;
}

export async function buildFeed(feed: FeedDefinition, narrowing: FeedNarrowing, sources: FeedSources): Promise<FeedModel> {
  const { match } = narrowing;
  const asked = narrowing.statuses;
  const statuses = asked === undefined ? feed.statuses : feed.statuses.filter((s) => asked.includes(s));
  const wanted = match === undefined ? feed.wanted : (series: string) => feed.wanted(series) && match.test(series);
  const transitions = statuses.length === 0 ? [] : await feedTransitions(sources.history, { wanted, statuses, limit: narrowing.limit ?? feed.entries });
  const site = sources.siteUrl();
  const entries = transitions.map((t) => {
    const displayName = sources.displayNameOf(t.series);
    const unit = sources.unitOf(t.series);
    return { id: transitionEntryId(t), title: entryTitle(t, displayName, unit), summary: entrySummary(t, displayName, unit), at: t.at, status: t.to, link: sources.graphUrl(t.series) };
  });
  return {
    id: nameUuid(`feed ${site} ${feed.name}`),
    title: feed.title,
    subtitle: feed.subtitle,
    link: `${site}/`,
    updated: entries[0]?.at ?? sources.now(),
    entries,
  };
}
