/** Atom and RSS feeds of alarm transitions (docs/feeds.md): the `feeds` section, the feeds compiled from it, and their documents. */
export { BUILT_IN_FEED, DEFAULT_FEED_ENTRIES, feedsSection, MAX_FEED_ENTRIES, type FeedSetting, type FeedSettings } from './config-section.js';
export { buildFeed, type FeedNarrowing, type FeedSources } from './build-feed.js';
export { FEED_CONTENT_TYPES, renderFeed, type FeedFormat, type FeedModel } from './feed-document.js';
export { MAX_SCANNED_ROWS } from './feed-entries.js';
export { compileFeeds, type FeedDefinition, type FeedSet } from './feed-set.js';
export { MAX_PRESENTED_TOKEN } from './feed-token.js';
