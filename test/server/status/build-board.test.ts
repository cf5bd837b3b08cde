/**
 * The board from fake sources (server/status/build-board.ts), and its page
 * (page.ts): items chosen by the groups' patterns in name order, nodes
 * before series; status.maxItems over all groups with the rest counted;
 * one entry per downtime window with the items it covers, past windows
 * left out, reasons hidden with status.reasons false; maintenance now; a
 * history past MAX_CHANGES, or windows a listing refuses, give no uptime; every text escaped on the page.
 */
import { describe, expect, it } from 'vitest';
import { MAX_CHANGES, boardBuilder } from '../../../server/status/build-board.js';
import { DEFAULT_STATUS, type StatusSettings } from '../../../server/status/config-section.js';
import type { PlannedWindow, StatusSources } from '../../../server/status/model.js';
import { statusPageHtml } from '../../../server/status/page.js';

const NOW = 1_800_000_000;
const { title, refreshSeconds: refresh, upcomingSeconds: upcoming, reasons, maxItems } = DEFAULT_STATUS;
const settings = (more: Partial<StatusSettings>): StatusSettings => ({ title, refresh, upcoming, reasons, maxItems, groups: [], ...more });

function sources(over: Partial<StatusSources> = {}): StatusSources {
  return {
    nodes: () => [
      { kind: 'agent', name: 'gw02', state: 'late', since: NOW - 60 },
      { kind: 'agent', name: 'gw01', state: 'up', since: NOW - 600 },
      { kind: 'instance', name: 'gw01', state: 'down', since: NOW - 120 },
      { kind: 'agent', name: 'db1', state: 'up', since: NOW - 600 },
    ],
    series: () => [
      { series: 'site.b.latency', status: 'NODATA', since: NOW - 30 },
      { series: 'site.a.latency', status: 'OK', since: NOW - 900, displayName: 'Site A' },
    ],
    stateOf: () => undefined,
    history: async () => [],
    planned: async () => [],
    displayName: (node) => (node === 'gw01' ? 'Gateway <one>' : undefined),
    now: () => NOW + 0.7,
    ...over,
  };
}

const itemOf = (node: { kind: string; name: string }) => `node:${node.kind === 'agent' ? node.name : `instance:${node.name}`}`;

describe('boardBuilder', () => {
  it('chooses the items by pattern, nodes then series, by name, with levels and the worst of each group', async () => {
    const build = boardBuilder(settings({ groups: [{ name: 'mixed', nodes: 'gw*', series: 'site.*.latency' }] }), sources(), itemOf);
    const board = await build();
    expect(board.generatedAt).toBe(NOW);
    const [group] = board.groups;
    expect(group.items.map((i) => [i.kind, i.name, i.state, i.level, i.displayName])).toEqual([
      ['node', 'gw01', 'up', 'ok', 'Gateway <one>'],
      ['node', 'gw01', 'down', 'critical', 'Gateway <one>'],
      ['node', 'gw02', 'late', 'warning', undefined],
      ['series', 'site.a.latency', 'OK', 'ok', 'Site A'],
      ['series', 'site.b.latency', 'NODATA', 'unknown', undefined],
    ]);
    expect(group.level).toBe('critical');
    expect(board.level).toBe('critical');
    expect(group.items[0].uptime?.last30d).toEqual({ percent: 100, downSeconds: 0, plannedSeconds: 0 });
  });

  it('stops at maxItems over all groups and counts what it left out', async () => {
    const build = boardBuilder(settings({ maxItems: 3, groups: [{ name: 'a', nodes: 'gw*' }, { name: 'b', series: '**' }] }), sources(), itemOf);
    const board = await build();
    expect(board.groups.map((g) => [g.items.length, g.omitted])).toEqual([
      [3, 0],
      [0, 2],
    ]);
  });

  it('lists each window in force or coming once, with the items it covers; past ones, and reasons when asked, left out', async () => {
    const windows: Record<string, PlannedWindow[]> = {
      'site.a.latency': [
        { id: 1, reason: 'past work', start: NOW - 7200, end: NOW - 3600 },
        { id: 2, reason: 'switch swap', start: NOW - 60, end: NOW + 600 },
        { id: 3, reason: 'upgrade', start: NOW + 86_400, end: NOW + 90_000 },
        { id: 4, reason: 'far away', start: NOW + 30 * 86_400, end: null },
      ],
      'site.b.latency': [{ id: 2, reason: 'switch swap', start: NOW - 60, end: NOW + 600 }],
    };
    const s = sources({ planned: async (item) => windows[item] ?? [] });
    const board = await boardBuilder(settings({ groups: [{ name: 'web', series: 'site.**' }] }), s, itemOf)();
    expect(board.groups[0].downtimes).toEqual([
      { start: NOW - 60, end: NOW + 600, reason: 'switch swap', items: ['site.a.latency', 'site.b.latency'] },
      { start: NOW + 86_400, end: NOW + 90_000, reason: 'upgrade', items: ['site.a.latency'] },
    ]);
    expect(board.groups[0].items.map((i) => i.maintenance)).toEqual([true, true]);
    const hidden = await boardBuilder(settings({ reasons: false, groups: [{ name: 'web', series: 'site.**' }] }), s, itemOf)();
    expect(hidden.groups[0].downtimes.map((d) => d.reason)).toEqual([null, null]);
  });

  it('gives no uptime for a history past MAX_CHANGES, and asks for one more than that', async () => {
    let asked = 0;
    const history: StatusSources['history'] = async (_item, _from, _to, limit) => {
      asked = limit;
      return Array.from({ length: limit }, (_, i) => ({ at: NOW - i, from: 'OK', to: 'CRITICAL' }));
    };
    const board = await boardBuilder(settings({ groups: [{ name: 'web', series: 'site.a.*' }] }), sources({ history }), itemOf)();
    expect(asked).toBe(MAX_CHANGES + 1);
    expect(board.groups[0].items[0].uptime).toBeNull();
  });

  it('gives no uptime, and builds the rest, when the planned windows cannot be listed', async () => {
    const planned: StatusSources['planned'] = async (item) => {
      if (item === 'site.a.latency') throw new Error('more than 10000 downtime windows');
      return [];
    };
    const board = await boardBuilder(settings({ groups: [{ name: 'web', series: 'site.*.latency' }] }), sources({ planned }), itemOf)();
    expect(board.groups[0].items.map((i) => i.uptime === null)).toEqual([true, false]);
  });
});

describe('statusPageHtml', () => {
  it('escapes every text it shows', async () => {
    const s = sources({ planned: async () => [{ id: 9, reason: '<img src=x onerror=alert(1)>', start: NOW + 60, end: NOW + 120 }] });
    const board = await boardBuilder(settings({ title: 'Lab & <b>friends</b>', groups: [{ name: 'gw', title: '"quoted" <i>', nodes: 'gw01' }] }), s, itemOf)();
    const html = statusPageHtml(board, false);
    expect(html).not.toMatch(/<(img|b|i)[ >]/);
    expect(html).toContain('Lab &#38; &#60;b&#62;friends&#60;/b&#62;');
    expect(html).toContain('Gateway &#60;one&#62;');
    expect(html).not.toContain('<script');
  });

  it('reloads itself only when asked, and each form links to the other', async () => {
    const board = await boardBuilder(settings({ groups: [{ name: 'gw', nodes: 'gw01' }] }), sources({}), itemOf)();
    const still = statusPageHtml(board, false);
    expect(still).not.toContain('http-equiv="refresh"');
    expect(still).toContain('<a id="reload" href="/status?reload=1">Reload every 1m</a>');
    const reloading = statusPageHtml(board, true);
    expect(reloading).toContain('<meta http-equiv="refresh" content="60">');
    expect(reloading).toContain('<a id="reload" href="/status">stop reloading</a>');
  });
});
