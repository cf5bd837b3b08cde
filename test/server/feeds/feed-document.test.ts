/**
 * The feed documents themselves: what a real feed parser (rss-parser, on
 * xml2js) reads back from Atom and RSS, with text that XML must escape and
 * characters XML 1.0 cannot carry at all; and ids that are name-based
 * UUIDs, the same for the same transition and different otherwise.
 */
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { nameUuid, renderFeed, transitionEntryId, type FeedModel } from '../../../server/feeds/feed-document.js';

const parser = new Parser();
const T = 1_800_000_000.25;

const model: FeedModel = {
  id: nameUuid('feed test'),
  title: 'Ward <3> & "east"',
  subtitle: 'Transitions to CRITICAL of ward.**',
  link: 'https://monitor.example.test/',
  updated: T,
  entries: [
    {
      id: transitionEntryId({ id: 2, series: 'ward.a.temp', at: T }),
      title: "CRITICAL: O'Brien \u0007& <co>\uffff: ward.a.temp = 95 (> 90)",
      summary: 'line one\nline two \ud800 lone',
      at: T,
      status: 'CRITICAL',
      link: 'https://monitor.example.test/?view=graph&s=ward.a.temp',
    },
    { id: transitionEntryId({ id: 1, series: 'ward.a.temp', at: T - 60 }), title: 'OK: ward.a.temp = 20 (was CRITICAL)', summary: '🌡 ok', at: T - 60, status: 'OK', link: '/?view=graph&s=ward.a.temp' },
  ],
};

describe('renderFeed', () => {
  it('writes Atom a feed parser reads back, text intact but for what XML cannot carry', async () => {
    const feed = await parser.parseString(renderFeed(model, 'atom'));
    expect(feed.title).toBe('Ward <3> & "east"');
    expect(feed.items.map((i) => i.title)).toEqual(["CRITICAL: O'Brien & <co>: ward.a.temp = 95 (> 90)", 'OK: ward.a.temp = 20 (was CRITICAL)']);
    expect(feed.items.map((i) => i.link)).toEqual(['https://monitor.example.test/?view=graph&s=ward.a.temp', '/?view=graph&s=ward.a.temp']);
    expect(feed.items.map((i) => i.isoDate)).toEqual(['2027-01-15T08:00:00.250Z', '2027-01-15T07:59:00.250Z']);
    expect(feed.items.map((i) => i.summary)).toEqual(['line one\nline two  lone', '🌡 ok']);
    expect(feed.items.map((i) => (i as { id?: string }).id)).toEqual(model.entries.map((e) => e.id));
  });

  it('writes RSS 2.0 saying the same', async () => {
    const feed = await parser.parseString(renderFeed(model, 'rss'));
    expect(feed.title).toBe('Ward <3> & "east"');
    expect(feed.items.map((i) => [i.title, i.link, i.guid, i.isoDate])).toEqual([
      ["CRITICAL: O'Brien & <co>: ward.a.temp = 95 (> 90)", model.entries[0].link, model.entries[0].id, '2027-01-15T08:00:00.000Z'],
      ['OK: ward.a.temp = 20 (was CRITICAL)', model.entries[1].link, model.entries[1].id, '2027-01-15T07:59:00.000Z'],
    ]);
  });
});

describe('ids', () => {
  it('are version 5 UUIDs, one per name', () => {
    const id = transitionEntryId({ id: 7, series: 'a.b', at: T });
    expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(transitionEntryId({ id: 7, series: 'a.b', at: T })).toBe(id);
    expect(transitionEntryId({ id: 7, series: 'a.b', at: T + 1 })).not.toBe(id);
    expect(transitionEntryId({ id: 7, series: 'a.c', at: T })).not.toBe(id);
    expect(transitionEntryId({ id: 8, series: 'a.b', at: T })).not.toBe(id);
  });
});
