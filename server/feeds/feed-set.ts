/**
 * The feeds a server serves: the built-in `alarms` (every transition) and
 * those of the `feeds` section, each compiled once at start: its patterns
 * matched by one matcher, its token file read (a bad one is a ConfigError
 * naming `feeds[i].tokenFile`, so the server does not start).
 */
import type { AlarmStatus } from '../alarms/index.js';
import { ALARM_STATUSES } from '../alarms/index.js';
import { ConfigError, seriesGlob } from '../config-schema/index.js';
import { BUILT_IN_FEED, DEFAULT_FEED_ENTRIES, type FeedSettings } from './config-section.js';
import { FeedToken, FeedTokenError } from './feed-token.js';

export interface FeedDefinition {
  readonly name: string;
  readonly title: string;
  /** In words, for the feed's subtitle: `transitions to CRITICAL of testbed.**`. */
  readonly subtitle: string;
  readonly wanted: (series: string) => boolean;
  readonly statuses: readonly AlarmStatus[];
  /** Entries when the request does not ask for fewer or more. */
  readonly entries: number;
  /** Its URL token; undefined: a viewer token only. */
  readonly token?: FeedToken;
}

/** Feeds by name; `get` of a name no feed has is undefined. */
export type FeedSet = ReadonlyMap<string, FeedDefinition>;

function subtitle(statuses: readonly AlarmStatus[], match: readonly string[]): string {
  const to = statuses.length === ALARM_STATUSES.length ? 'Alarm transitions' : `Transitions to ${statuses.join(', ')}`;
  return `${to} of ${match.join(', ')}`;
}

/**
 * Compiles the section (validated by its check). `onTokenFault` hears of a
 * token file that turned bad while the server runs (its message names the
 * file, never the token). Throws ConfigError for a token file that cannot
 * serve now.
 */
export function compileFeeds(settings: FeedSettings, onTokenFault: (message: string) => void): FeedSet {
  const feeds = new Map<string, FeedDefinition>();
  feeds.set(BUILT_IN_FEED, {
    name: BUILT_IN_FEED,
    title: 'ringmon: alarm transitions',
    subtitle: subtitle(ALARM_STATUSES, ['**']),
    wanted: () => true,
    statuses: ALARM_STATUSES,
    entries: DEFAULT_FEED_ENTRIES,
  });
  const problems: { key: string; message: string }[] = [];
  settings.forEach((setting, i) => {
    const match = typeof setting.match === 'string' ? [setting.match] : setting.match;
    const matchers = match.map(seriesGlob);
    let token: FeedToken | undefined;
    if (setting.tokenFile !== undefined) {
      try {
        token = new FeedToken(setting.tokenFile, onTokenFault);
      } catch (e) {
        if (!(e instanceof FeedTokenError)) throw e;
        problems.push({ key: `feeds[${i}].tokenFile`, message: e.message });
      }
    }
    feeds.set(setting.name, {
      name: setting.name,
      title: setting.title ?? `ringmon: ${setting.name}`,
      subtitle: subtitle(setting.statuses, match),
      wanted: (series) => matchers.some((m) => m.test(series)),
      statuses: setting.statuses,
      entries: setting.entries,
      ...(token === undefined ? {} : { token }),
    });
  });
  if (problems.length > 0) throw new ConfigError(undefined, problems);
  return feeds;
}
