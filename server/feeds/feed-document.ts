/**
 * One feed as Atom (RFC 4287) or RSS 2.0, from one model, so both say the
 * same. Ids are name-based UUIDs (RFC 4122 version 5), so an entry keeps
 * its id from poll to poll and a reader shows it once: a transition's from
 * its database id, series and time (a data directory made anew numbers
 * again from 1, and the series and time keep those apart), the feed's from
 * its name and the server's public URL. Times are the transitions' own, to
 * the millisecond; the feed's `updated` is its newest entry's, or `now`
 * when it has none.
 *
 * Text is escaped for XML, and the characters XML 1.0 cannot carry at all
 * (most control characters, unpaired surrogates) are dropped first.
 */
import { createHash } from 'node:crypto';
import type { AlarmStatus } from '../alarms/index.js';
import { escapeHtml } from '../notify/format.js';

export interface FeedEntry {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** Unix seconds. */
  readonly at: number;
  readonly status: AlarmStatus;
  /** Where a reader goes from it (the series' graph). */
  readonly link: string;
}

export interface FeedModel {
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  /** The web client. */
  readonly link: string;
  /** Unix seconds. */
  readonly updated: number;
  /** Newest first. */
  readonly entries: readonly FeedEntry[];
}

export type FeedFormat = 'atom' | 'rss';

export const FEED_CONTENT_TYPES: Readonly<Record<FeedFormat, string>> = {
  atom: 'application/atom+xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
};

/** Ringmon's namespace for its name-based UUIDs (random, fixed forever). */
const NAMESPACE = Buffer.from('3d0c8a52e6f14b7e9a1f5c2d7b8e4f60', 'hex');

/** `urn:uuid:…` of `name` in ringmon's namespace (RFC 4122 §4.3, SHA-1). */
export function nameUuid(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of a transition's entry, the same in every feed that shows it. */
export function transitionEntryId(t: { readonly id: number; readonly series: string; readonly at: number }): string {
  return nameUuid(`transition ${t.id} ${t.series} ${t.at}`);
}

// XML 1.0 Char: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, and pairs of surrogates.
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\ud800-\udbff\udc00-\udfff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text safe as XML character data and in double-quoted attributes. */
function xml(text: string): string {
  return escapeHtml(text.replace(NOT_XML, ''));
}

const iso = (t: number): string => new Date(Math.round(t * 1000)).toISOString();
const rfc822 = (t: number): string => new Date(Math.round(t * 1000)).toUTCString();

export function renderFeed(model: FeedModel, format: FeedFormat): string {
  switch (format) {
    case 'atom':
      return atom(model);
    case 'rss':
      return rss(model);
    default: {
      const unknown: never = format;
      throw new Error(`unknown feed format ${String(unknown)}`);
    }
  }
}

function atom(model: FeedModel): string {
  const entries = model.entries.map((e) =>
    [
      '  <entry>',
      `    <id>${e.id}</id>`,
      `    <title>${xml(e.title)}</title>`,
      `    <updated>${iso(e.at)}</updated>`,
      `    <published>${iso(e.at)}</published>`,
      `    <link rel="alternate" type="text/html" href="${xml(e.link)}"/>`,
      `    <category term="${e.status}"/>`,
      `    <summary type="text">${xml(e.summary)}</summary>`,
      '  </entry>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${model.id}</id>`,
    `  <title>${xml(model.title)}</title>`,
    `  <subtitle>${xml(model.subtitle)}</subtitle>`,
    `  <updated>${iso(model.updated)}</updated>`,
    `  <link rel="alternate" type="text/html" href="${xml(model.link)}"/>`,
    '  <author><name>ringmon</name></author>',
    '  <generator>ringmon</generator>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}

function rss(model: FeedModel): string {
  const items = model.entries.map((e) =>
    [
      '    <item>',
      `      <title>${xml(e.title)}</title>`,
      `      <link>${xml(e.link)}</link>`,
      `      <guid isPermaLink="false">${e.id}</guid>`,
      `      <pubDate>${rfc822(e.at)}</pubDate>`,
      `      <category>${e.status}</category>`,
      `      <description>${xml(e.summary)}</description>`,
      '    </item>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0">',
    '  <channel>',
    `    <title>${xml(model.title)}</title>`,
    `    <link>${xml(model.link)}</link>`,
    `    <description>${xml(model.subtitle)}</description>`,
    `    <lastBuildDate>${rfc822(model.updated)}</lastBuildDate>`,
    '    <generator>ringmon</generator>',
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}
