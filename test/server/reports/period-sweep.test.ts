/**
 * A report over a scripted day, checked against times worked out by hand:
 * the series listed are exactly those ever not OK in the window (one that
 * recovered before the run too), with their time not OK, first and last
 * bad time, spells and availability, planned downtime taken out. Then the
 * history read a page at a time gives what one read gives, ties at a page
 * boundary included.
 */
import { describe, expect, it } from 'vitest';
import { buildReport, readPeriod, type PlannedDowntime, type StateChange } from '../../../server/reports/index.js';
import type { AlarmStatus } from '../../../server/alarms/model.js';
import { definition, entry, parseCsv, periodOf, RUN_AT } from './fixtures.js';

/** The run at 00:30 on the 24th covers the 23rd 00:30 to the 24th 00:30. */
const at = (hh: number, mm = 0, day = 23): number => Date.UTC(2026, 10, day, hh, mm) / 1000;
const WINDOW = { from: at(0, 30), to: RUN_AT };

let id = 0;
const change = (series: string, from: AlarmStatus, to: AlarmStatus, t: number, value: number | null = 3, threshold: string | null = to === 'OK' ? null : '> 2'): StateChange => ({
  id: ++id,
  series,
  rule: 'node-state',
  from,
  to,
  at: t,
  value,
  threshold,
});

/** The day's changes, oldest first (the history gives them newest first). */
const DAY: StateChange[] = [
  change('broker.h2.state', 'WARNING', 'OK', at(1, 30), 0),
  change('broker.h1.state', 'OK', 'CRITICAL', at(3), 3),
  change('broker.h1.state', 'CRITICAL', 'OK', at(4), 0),
  change('broker.h6.state', 'OK', 'WARNING', at(5), 2, '> 1'),
  change('broker.h6.state', 'WARNING', 'CRITICAL', at(5), 3),
  change('broker.h6.state', 'CRITICAL', 'OK', at(6), 0),
  change('broker.h4.state', 'OK', 'NODATA', at(10), null, 'no data for 10m'),
  change('broker.h4.state', 'NODATA', 'OK', at(10, 30), 1),
  change('broker.h2.state', 'OK', 'CRITICAL', at(22), 4),
];
const newestFirst = (changes: readonly StateChange[]): StateChange[] => [...changes].sort((a, b) => b.at - a.at || b.id - a.id);

/** The states at the run. h3 was OK all along; h2 went bad at 22:00 and still is. */
const NOW = [
  entry('broker.h1.state', 'OK', { since: at(4), value: 0, threshold: null, rule: 'node-state' }),
  entry('broker.h2.state', 'CRITICAL', { since: at(22), value: 4, threshold: '> 2', rule: 'node-state', displayName: 'Hospital two' }),
  entry('broker.h3.state', 'OK', { since: at(12, 0, 20), value: 0, threshold: null, rule: 'node-state' }),
  entry('broker.h4.state', 'OK', { since: at(10, 30), value: 1, threshold: null, rule: 'node-state' }),
  entry('broker.h6.state', 'OK', { since: at(6), value: 0, threshold: null, rule: 'node-state' }),
];

/** Planned maintenance of h4 from 09:00 to 12:00. */
const MAINTENANCE: PlannedDowntime = { id: 7, reason: 'firmware', windows: [{ from: at(9), to: at(12) }], covers: (series) => series.startsWith('broker.h4.') };

const report = () => buildReport(definition({ match: 'broker.**', groupBy: 2 }), periodOf(NOW, newestFirst(DAY), WINDOW, [MAINTENANCE]), RUN_AT);

describe('a report over a scripted day', () => {
  it('lists exactly the series ever not OK in the window, recovered ones too', () => {
    const built = report();
    expect(built.groups.flatMap((g) => g.lines.map((l) => l.series))).toEqual(['broker.h1.state', 'broker.h2.state', 'broker.h4.state', 'broker.h6.state']);
    expect(built.matched).toBe(5);
    expect(built.report.subject).toBe('[ringmon] daily: 4 not OK in 4 groups');
  });

  it('gives each its worst state, time not OK, first and last bad time, spells and availability, as worked out by hand', () => {
    const rows = parseCsv(report().csv);
    const header = rows[0];
    const byName = rows.slice(1).map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
    const pick = (r: Record<string, string>) => [r.series, r.worst_status, r.not_ok_seconds, r.first_bad, r.last_bad, r.bad_spells, r.availability_percent, r.planned_downtime_seconds, r.not_ok_in_planned_downtime_seconds, r.status_at_end, r.worst_value];
    expect(byName.map(pick)).toEqual([
      // 03:00 to 04:00: 3600 s of 86400; 100 × (1 − 3600/86400) = 95.833 %.
      ['broker.h1.state', 'CRITICAL', '3600', '2026-11-23T03:00:00Z', '2026-11-23T04:00:00Z', '1', '95.833', '0', '0', 'OK', '3'],
      // WARNING from before the window to 01:30 (3600 s), CRITICAL from 22:00 to the end (9000 s): 12600 s; 85.416 %.
      ['broker.h2.state', 'CRITICAL', '12600', '2026-11-23T00:30:00Z', '2026-11-24T00:30:00Z', '2', '85.416', '0', '0', 'CRITICAL', '4'],
      // NODATA 10:00 to 10:30, inside the planned 09:00 to 12:00: not held against it, 100 %.
      ['broker.h4.state', 'NODATA', '1800', '2026-11-23T10:00:00Z', '2026-11-23T10:30:00Z', '1', '100', '10800', '1800', 'OK', ''],
      // WARNING then CRITICAL at the same instant, OK an hour later: one spell of 3600 s.
      ['broker.h6.state', 'CRITICAL', '3600', '2026-11-23T05:00:00Z', '2026-11-23T06:00:00Z', '1', '95.833', '0', '0', 'OK', '3'],
    ]);
    expect(byName[2].planned_downtime_ids).toBe('7');
  });

  it('shows the group of a node with its display name, and its time not OK once however many series', () => {
    const h2 = report().groups.find((g) => g.name === 'broker.h2');
    expect(h2).toMatchObject({ displayName: 'Hospital two', worst: 'CRITICAL', notOkSeconds: 12600, availability: 85.416 });
    expect(report().report.html).toContain('<h2>Hospital two (broker.h2): CRITICAL 1</h2>');
    expect(report().report.html).toContain('3h 30m (12600 s)');
  });

  it('over a range in the past, tells the state at its end from the changes after it', () => {
    // 02:00 to 03:30: h1 bad from 03:00; h2 OK since 01:30; the changes after 03:30 only say where the states went.
    const built = buildReport(definition({ match: 'broker.**' }), periodOf(NOW, newestFirst(DAY), { from: at(2), to: at(3, 30) }), at(3, 30));
    expect(built.groups.flatMap((g) => g.lines.map((l) => [l.series, l.notOkSeconds, l.end.status, l.end.since, l.availability]))).toEqual([['broker.h1.state', 1800, 'CRITICAL', at(3), 66.666]]);
  });
});

describe('readPeriod', () => {
  /** A history as the store answers it: newest first, at in [from, to), at most limit. */
  const store = (changes: readonly StateChange[]) => {
    const sorted = newestFirst(changes);
    return async ({ from, to, limit }: { from: number; to?: number; limit: number }) => sorted.filter((c) => c.at >= from && (to === undefined || c.at < to)).slice(0, limit);
  };

  it('reads page after page, changes at one instant across a page boundary neither lost nor read twice', async () => {
    const flapping: StateChange[] = [];
    // 12,001 changes of three series; 3,000 of them at one instant, where a page of 5,000 ends.
    for (let i = 0; i < 12_001; i++) {
      const series = `s.n${i % 3}.x`;
      const t = i >= 2000 && i < 5000 ? at(8) : at(1) + i;
      const bad = Math.floor(i / 3) % 2 === 0;
      flapping.push(change(series, bad ? 'OK' : 'WARNING', bad ? 'WARNING' : 'OK', t));
    }
    const all = flapping.sort((a, b) => a.at - b.at || a.id - b.id);
    const once = periodOf([], newestFirst(all), WINDOW).series;
    const paged = await readPeriod(WINDOW, [], true, store(all));
    expect(paged.map((s) => [s.series, s.worst, s.badSpells])).toEqual(once.map((s) => [s.series, s.worst, s.badSpells]));
    let asked = 0;
    await readPeriod(WINDOW, [], true, async (query) => {
      asked += 1;
      return store(all)(query);
    });
    expect(asked).toBeGreaterThanOrEqual(3);
  });

  it('refuses a window holding more changes than it reads, naming the limit', async () => {
    await expect(readPeriod(WINDOW, [], true, store(DAY), 5)).rejects.toThrow('the window holds more than 5 alarm changes, the most one report reads: ask for a shorter range');
  });
});
