/**
 * The web client's logic that needs no browser: the page state in the URL,
 * series patterns, thinning a series to the chart's width, the state an icon shows, the overview's groups, sorting
 * downtimes into now / upcoming / past, which form field an API problem
 * belongs to, and that the client imports nothing from the server's code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Alarm, Downtime, SeriesInfo } from '../../web/src/api-types.js';
import { decimate } from '../../web/src/chart/decimate.js';
import { draftOf, sortProblems } from '../../web/src/downtime-form-fields.js';
import { sortDowntimes } from '../../web/src/downtime-lists.js';
import { groupSeries } from '../../web/src/series-groups.js';
import { seriesGlob } from '../../web/src/series-glob.js';
import { countByKind, seriesStatuses } from '../../web/src/series-status.js';
import { resolveRange } from '../../web/src/time-range.js';
import { DEFAULT_STATE, readState, writeState } from '../../web/src/url-state.js';

const NOW = 1_800_000_000;
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

const info = (series: string, lastUpdate: number, lastValue: number | null = 1): SeriesInfo => ({
  series,
  lastUpdate,
  lastValue,
  definition: { step: 10, dataSources: [{ name: 'value', heartbeat: 20 }] },
});

const downtime = (id: number, over: Partial<Downtime>): Downtime => ({
  id,
  kind: 'planned',
  status: 'filed',
  scope: { series: ['a.*'], agents: [] },
  start: iso(NOW - 100),
  end: iso(NOW + 100),
  rrule: null,
  timezone: 'UTC',
  reason: 'r',
  author: 'x',
  created: iso(NOW - 1000),
  updated: iso(NOW - 1000),
  ...over,
});

const alarm = (series: string, state: Alarm['state'], over: Partial<Alarm> = {}): Alarm => ({
  series,
  rule: 'r',
  state,
  since: iso(NOW - 60),
  value: 1,
  thresholds: {},
  downtime: null,
  suppressed: false,
  ...over,
});

describe('page state in the URL', () => {
  it('round-trips every field and leaves defaults out', () => {
    const state = { view: 'graph', filter: 'web 01', states: ['CRITICAL', 'NODATA'], series: ['a.b', 'c.d'], range: { from: 100, to: 200 }, cf: 'MAX' } as const;
    const search = writeState(state);
    expect(search).toBe('?view=graph&q=web+01&state=CRITICAL%2CNODATA&s=a.b&s=c.d&from=100&to=200&cf=MAX');
    expect(readState(search)).toEqual(state);
    expect(writeState(DEFAULT_STATE)).toBe('');
    expect(readState(writeState({ ...DEFAULT_STATE, range: { preset: '1w' } })).range).toEqual({ preset: '1w' });
  });

  it('reads nonsense as the defaults', () => {
    expect(readState('?view=admin&range=2d&cf=SUM&state=BAD,OK&from=9&to=3')).toEqual({ ...DEFAULT_STATE, states: ['OK'] });
  });

  it('resolves presets against the clock and custom ranges as given', () => {
    expect(resolveRange({ preset: '1h' }, NOW + 0.7)).toEqual({ start: NOW - 3600, end: NOW });
    expect(resolveRange({ from: 5, to: 9 }, NOW)).toEqual({ start: 5, end: 9 });
  });
});

describe('series patterns', () => {
  it('match as the API matches them', () => {
    expect(seriesGlob('host.*.cpu')?.test('host.web01.cpu')).toBe(true);
    expect(seriesGlob('host.*.cpu')?.test('host.web01.disk.cpu')).toBe(false);
    expect(seriesGlob('host.**')?.test('host.a.b')).toBe(true);
    expect(seriesGlob('host.**')?.test('host')).toBe(false);
    expect(seriesGlob('web*')?.test('web')).toBe(true);
    expect(seriesGlob('a[0-9]')).toBeNull();
  });
});

describe('what the icon shows', () => {
  const series = [info('a.ok', NOW - 5), info('a.stale', NOW - 60), info('a.unknown', NOW - 5, null), info('b.x', NOW - 5)];

  it('without alarms: OK while data arrives, NODATA after the heartbeat or for an unknown value, the downtime icon when covered', () => {
    const active = [downtime(1, { scope: { series: ['b.*'], agents: [] } })];
    const kinds = seriesStatuses(series, null, active, NOW).map((s) => [s.series, s.kind]);
    expect(kinds).toEqual([
      ['a.ok', 'OK'],
      ['a.stale', 'NODATA'],
      ['a.unknown', 'NODATA'],
      ['b.x', 'DOWNTIME'],
    ]);
  });

  it('with alarms: the worst rule wins, a firing alarm shows through an unplanned downtime, a silenced one shows the downtime', () => {
    const alarms = [
      alarm('a.ok', 'WARNING'),
      alarm('a.ok', 'CRITICAL', { rule: 'other' }),
      alarm('b.x', 'CRITICAL', { downtime: { id: 2, kind: 'unplanned', reason: 'fire', end: null } }),
      alarm('a.stale', 'CRITICAL', { suppressed: true, downtime: { id: 3, kind: 'planned', reason: 'work', end: iso(NOW + 60) } }),
    ];
    const statuses = seriesStatuses(series, alarms, [], NOW);
    expect(statuses.map((s) => [s.series, s.state, s.kind])).toEqual([
      ['a.ok', 'CRITICAL', 'CRITICAL'],
      ['a.stale', 'CRITICAL', 'DOWNTIME'],
      ['a.unknown', 'NODATA', 'NODATA'],
      ['b.x', 'CRITICAL', 'CRITICAL'],
    ]);
    expect(countByKind(statuses)).toEqual({ CRITICAL: 2, WARNING: 0, NODATA: 1, DOWNTIME: 1, OK: 0 });
  });

  it('groups by two prefix levels, each group showing its most urgent member', () => {
    const root = groupSeries(seriesStatuses([info('s.h1.a', NOW), info('s.h1.b.c', NOW - 600), info('s.h2.a', NOW), info('t', NOW)], null, [], NOW));
    expect(root.members.map((m) => m.series)).toEqual(['t']);
    const s = root.groups[0];
    expect([s.prefix, s.worst, s.total]).toEqual(['s', 'NODATA', 3]);
    expect(s.groups.map((g) => [g.prefix, g.worst, g.members.map((m) => m.series)])).toEqual([
      ['s.h1', 'NODATA', ['s.h1.b.c', 's.h1.a']],
      ['s.h2', 'OK', ['s.h2.a']],
    ]);
  });

  it('puts problems first at every level: CRITICAL, WARNING, NODATA, drift or held, downtime, OK, then by name', () => {
    const drifting: SeriesInfo = { ...info('a.drift.x', NOW), drift: { kind: 'slow', observedInterval: 60, step: 10, heartbeat: 20, since: NOW - 600 } };
    const series = [info('a.ok.x', NOW), info('a.crit.x', NOW), info('a.warn.x', NOW), info('a.nodata.x', NOW - 600), drifting, info('a.down.x', NOW), info('b.ok.x', NOW), info('c.warn.x', NOW)];
    const alarms = [alarm('a.crit.x', 'CRITICAL'), alarm('a.warn.x', 'WARNING'), alarm('c.warn.x', 'WARNING'), alarm('a.ok.x', 'OK'), alarm('b.ok.x', 'OK'), alarm('a.down.x', 'OK'), alarm('a.drift.x', 'OK')];
    const root = groupSeries(seriesStatuses(series, alarms, [downtime(1, { scope: { series: ['a.down.*'], agents: [] } })], NOW));
    expect(root.groups.map((g) => [g.prefix, g.worst])).toEqual([
      ['a', 'CRITICAL'],
      ['c', 'WARNING'],
      ['b', 'OK'],
    ]);
    expect(root.groups[0].groups.map((g) => g.prefix)).toEqual(['a.crit', 'a.warn', 'a.nodata', 'a.drift', 'a.down', 'a.ok']);
    // Within a group, members too: one group of every state.
    const flat = groupSeries(seriesStatuses(series.map((i) => ({ ...i, series: i.series.replace(/^a\.(\w+)\.x$/, 'z.h.$1') })), alarms.map((a) => ({ ...a, series: a.series.replace(/^a\.(\w+)\.x$/, 'z.h.$1') })), [downtime(1, { scope: { series: ['z.h.down'], agents: [] } })], NOW));
    expect(flat.groups.find((g) => g.prefix === 'z')?.groups[0].members.map((m) => [m.series, m.kind])).toEqual([
      ['z.h.crit', 'CRITICAL'],
      ['z.h.warn', 'WARNING'],
      ['z.h.nodata', 'NODATA'],
      ['z.h.drift', 'OK'],
      ['z.h.down', 'DOWNTIME'],
      ['z.h.ok', 'OK'],
    ]);
  });
});

describe('downtime lists', () => {
  it('sorts downtimes into now, upcoming (next window) and past', () => {
    const now = downtime(1, {});
    const justEnded = downtime(2, { end: iso(NOW - 1), windows: [{ start: iso(NOW - 100), end: iso(NOW - 1) }] });
    const weekly = downtime(3, { start: iso(NOW - 86_400 * 7), end: iso(NOW - 86_400 * 7 + 3600), rrule: 'FREQ=WEEKLY' });
    const later = downtime(4, { start: iso(NOW + 600), end: iso(NOW + 1200) });
    const over = downtime(5, { start: iso(NOW - 900), end: iso(NOW - 600) });
    const lists = sortDowntimes(
      [now, justEnded, weekly, later, over],
      [{ ...now, windows: [{ start: now.start, end: now.end }] }, justEnded],
      [
        { ...weekly, windows: [{ start: iso(NOW + 3600), end: iso(NOW + 7200) }] },
        { ...later, windows: [{ start: later.start, end: later.end }] },
      ],
      NOW,
    );
    expect(lists.active.map((l) => l.downtime.id)).toEqual([1]);
    expect(lists.upcoming.map((l) => [l.downtime.id, l.window.start])).toEqual([
      [4, iso(NOW + 600)],
      [3, iso(NOW + 3600)],
    ]);
    expect(lists.past.map((l) => l.downtime.id)).toEqual([2, 5]);
  });
});

describe('the downtime form', () => {
  it('puts each API problem next to its field and the rest above the form', () => {
    const sorted = sortProblems([
      { field: 'body/scope/series/0', message: 'bad pattern' },
      { field: 'body/end', message: 'must be after start' },
      { field: 'body/end', message: 'too long' },
      { field: 'body/rrule', message: 'does not parse' },
      { field: 'query/x', message: 'odd' },
    ]);
    expect(sorted.byField).toEqual({ scope: 'bad pattern', end: 'must be after start; too long', recurrence: 'does not parse' });
    expect(sorted.other).toEqual(['query/x: odd']);
  });

  it('sends patterns as a list and leaves out what is empty', () => {
    expect(draftOf({ kind: 'unplanned', scope: 'a.*, b.c  d.e', start: '', end: '', rrule: '', timezone: '', reason: 'x' })).toEqual({
      kind: 'unplanned',
      scope: { series: ['a.*', 'b.c', 'd.e'] },
      reason: 'x',
      timezone: 'UTC',
    });
  });
});

describe('thinning a series to the chart width', () => {
  const points = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i === 333 ? 500 : i >= 600 && i < 610 ? null : i % 7 }));

  it('keeps each column\'s lowest and highest value and its gaps, in time order', () => {
    const thin = decimate(points, 0, 1000, 100);
    expect(thin.length).toBeLessThanOrEqual(300);
    expect(thin.length).toBeGreaterThanOrEqual(190);
    expect(thin.map((p) => p.x)).toEqual([...thin.map((p) => p.x)].sort((a, b) => a - b));
    expect(thin.find((p) => p.x === 333)?.y).toBe(500);
    expect(Math.min(...thin.filter((p) => p.y !== null).map((p) => p.y as number))).toBe(0);
    expect(thin.filter((p) => p.y === null).map((p) => p.x)).toEqual([600]);
    expect(thin.every((p) => points[p.x] === p)).toBe(true);
  });

  it('leaves a series with at most two points per column as it is', () => {
    expect(decimate(points, 0, 1000, 500)).toBe(points);
  });
});

describe('the client source', () => {
  it('imports only its own files and its packages, never the server, archive or slurpers', () => {
    const src = fileURLToPath(new URL('../../web/src/', import.meta.url));
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(20);
    const outside: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(src, file), 'utf8');
      for (const [, spec] of text.matchAll(/(?:from|import)\s+'([^']+)'/g)) {
        if (spec.startsWith('.')) {
          if (relative(src, resolve(dirname(join(src, file)), spec)).startsWith('..')) outside.push(`${file}: ${spec}`);
        } else if (!/^(lit|chart\.js|chartjs-adapter-date-fns)(\/|$)/.test(spec)) outside.push(`${file}: ${spec}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
