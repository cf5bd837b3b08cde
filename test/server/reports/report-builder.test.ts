/**
 * buildReport: which series are listed, how they are grouped, counted and
 * ordered, the subject in each case, the bodies, and a CSV that reads back
 * to exactly what went in. Here each series held its current state all the
 * window (no history); period-sweep.test.ts has the changes over a day.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatElapsed as humanDuration } from '../../../lib/duration.js';
import { buildReport, CSV_HEADER, type AlarmEntry } from '../../../server/reports/index.js';
import { definition, entry, parseCsv, periodOf, RUN_AT } from './fixtures.js';

/** A day of trouble on two sites, in no particular order, with OK and other-prefix series mixed in. */
function trouble(): AlarmEntry[] {
  return [
    entry('s2.db01.disk.root', 'CRITICAL', { rule: 'disk', value: 97.25, threshold: '> 95' }),
    entry('s1.web02.cpu.load', 'WARNING'),
    entry('s1.web01.mem.free', 'OK'),
    entry('s1.web01.ping.rtt', 'NODATA', { since: RUN_AT - (3 * 86400 + 4 * 3600 + 59) }),
    entry('s1.web01.cpu.load', 'CRITICAL', { rule: 'a-second-rule' }),
    entry('s2.db01.disk.var', 'WARNING', { rule: 'disk', downtime: { id: 12, kind: 'planned', reason: 'resize' } }),
    entry('lab.box.cpu.load', 'CRITICAL'),
  ];
}

describe('listing and grouping', () => {
  const built = buildReport(definition({ match: ['s1.**', 's2.**'] }), periodOf(trouble()), RUN_AT);

  it('keeps the matched entries of the listed statuses, grouped by the first two segments, groups and series in order', () => {
    expect(built.groups.map((g) => [g.name, g.lines.map((l) => `${l.series}/${l.worst}`)])).toEqual([
      ['s1.web01', ['s1.web01.cpu.load/CRITICAL', 's1.web01.ping.rtt/NODATA']],
      ['s1.web02', ['s1.web02.cpu.load/WARNING']],
      ['s2.db01', ['s2.db01.disk.root/CRITICAL', 's2.db01.disk.var/WARNING']],
    ]);
    expect(built.matched).toBe(6);
    expect(built.notOk).toBe(5);
  });

  it('counts each group by status', () => {
    expect(built.groups.map((g) => g.counts)).toEqual([{ CRITICAL: 1, NODATA: 1 }, { WARNING: 1 }, { CRITICAL: 1, WARNING: 1 }]);
  });

  it('says how many are not OK in how many groups', () => {
    expect(built.report.subject).toBe('[ringmon] daily: 5 not OK in 3 groups');
    const one = buildReport(definition({ title: 'Morning check', match: 's1.web02.**' }), periodOf(trouble()), RUN_AT);
    expect(one.report.subject).toBe('[ringmon] Morning check: 1 not OK in 1 group');
  });

  it('groups by as many segments as groupBy says, and a short series by all of its own', () => {
    const bySite = buildReport(definition({ groupBy: 1 }), periodOf([...trouble(), entry('x', 'WARNING')]), RUN_AT);
    expect(bySite.groups.map((g) => [g.name, g.lines.length])).toEqual([
      ['lab', 1],
      ['s1', 3],
      ['s2', 2],
      ['x', 1],
    ]);
  });

  it('lists only the statuses asked for, OK among them if asked', () => {
    const critical = buildReport(definition({ statuses: ['CRITICAL'] }), periodOf(trouble()), RUN_AT);
    expect(critical.groups.flatMap((g) => g.lines.map((l) => l.worst))).toEqual(['CRITICAL', 'CRITICAL', 'CRITICAL']);
    const withOk = buildReport(definition({ statuses: ['OK', 'WARNING'], match: 's1.**' }), periodOf(trouble()), RUN_AT);
    expect(withOk.groups.map((g) => g.counts)).toEqual([{ OK: 1 }, { WARNING: 1 }]);
    expect(withOk.report.subject).toBe('[ringmon] daily: 1 not OK in 1 group');
  });
});

describe('when nothing is wrong', () => {
  it('still makes a report, saying all OK and how many series were looked at', () => {
    const entries = [entry('s1.web01.cpu.load', 'OK'), entry('s1.web02.cpu.load', 'OK')];
    const built = buildReport(definition(), periodOf(entries), RUN_AT);
    expect(built.report.subject).toBe('[ringmon] daily: all OK (2 series)');
    expect(built.groups).toEqual([]);
    expect(parseCsv(built.csv)).toEqual([[...CSV_HEADER]]);
    expect(built.report.text).toContain('Nothing to list.');
    expect(built.report.attachments).toHaveLength(1);
  });

  it('names the statuses it looked for when they are not all the bad ones', () => {
    const built = buildReport(definition({ statuses: ['CRITICAL', 'NODATA'] }), periodOf([entry('s1.a.b', 'WARNING')]), RUN_AT);
    expect(built.report.subject).toBe('[ringmon] daily: none CRITICAL or NODATA (1 series)');
  });

  it('points at the patterns when no series matched at all', () => {
    const built = buildReport(definition({ match: 'nowhere.**' }), periodOf(trouble()), RUN_AT);
    expect(built.report.subject).toBe('[ringmon] daily: all OK (0 series)');
    expect(built.report.text).toContain("No series matched: check the report's match patterns.");
  });
});

describe('the CSV', () => {
  it("names a series' node by its display name in the CSV and both bodies", () => {
    const built = buildReport(definition({ match: 'broker.**' }), periodOf([entry('broker.b01.age', 'CRITICAL', { displayName: 'Broker one' })]), RUN_AT);
    const [header, row] = parseCsv(built.csv);
    expect(Object.fromEntries(header.map((name, i) => [name, row[i]]))).toMatchObject({ series: 'broker.b01.age', display_name: 'Broker one' });
    expect(built.report.text).toContain('Broker one (broker.b01): CRITICAL 1; not OK 1h');
    expect(built.report.text).toContain('  Broker one: broker.b01.age\n    worst: CRITICAL (7.5 > 5)\n');
    expect(built.report.html).toContain('<td style="padding:2px 8px;text-align:left">Broker one: broker.b01.age</td>');
  });

  it('has the header, one row per listed entry in report order, times in UTC and the attachment name', () => {
    const built = buildReport(definition({ match: 's2.**' }), periodOf(trouble()), RUN_AT);
    expect(parseCsv(built.csv)).toEqual([
      [...CSV_HEADER],
      // Bad the last hour of the day: 3600 s, 95.833 % available; still bad at the end, so the last bad time is the window's end.
      ['s2.db01', 's2.db01.disk.root', 'CRITICAL', '3600', '2026-11-23T23:30:00Z', '2026-11-24T00:30:00Z', '1', '95.833', '0', '0', '', '97.25', '> 95', 'CRITICAL', '2026-11-23T23:30:00Z', '97.25', '> 95', 'disk', '', '', '', '2026-11-23T00:30:00Z', '2026-11-24T00:30:00Z'],
      ['s2.db01', 's2.db01.disk.var', 'WARNING', '3600', '2026-11-23T23:30:00Z', '2026-11-24T00:30:00Z', '1', '95.833', '0', '0', '', '7.5', '> 5', 'WARNING', '2026-11-23T23:30:00Z', '7.5', '> 5', 'disk', '12', 'resize', '', '2026-11-23T00:30:00Z', '2026-11-24T00:30:00Z'],
    ]);
    expect(built.csv.endsWith('\r\n')).toBe(true);
    expect(built.csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(built.report.attachments).toEqual([{ filename: 'daily-2026-11-24T0030Z.csv', content: built.csv, contentType: 'text/csv' }]);
  });

  it('reads back to the input whatever commas, quotes and line breaks the rule and reason hold (a formula start defused)', () => {
    const tricky = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é', ';', '=', '-', '@') });
    // Text a spreadsheet would run as a formula is read back with the ' that defuses it (lib/csv.ts).
    const defused = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
    fc.assert(
      fc.property(tricky, tricky, fc.integer({ min: 1, max: 1e6 }), (rule, reason, id) => {
        const input = entry('s1.web01.cpu.load', 'CRITICAL', { rule, downtime: { id, kind: 'unplanned', reason } });
        const [header, row, ...rest] = parseCsv(buildReport(definition(), periodOf([input]), RUN_AT).csv);
        expect(header).toEqual([...CSV_HEADER]);
        expect(rest).toEqual([]);
        expect(Object.fromEntries(header.map((name, i) => [name, row[i]]))).toMatchObject({ rule: defused(rule), downtime_id: String(id), downtime_reason: defused(reason) });
      }),
      { numRuns: 300 },
    );
  });

  it('defuses a downtime reason a spreadsheet would run as a formula', () => {
    const input = entry('s1.web01.cpu.load', 'CRITICAL', { downtime: { id: 1, kind: 'planned', reason: '=HYPERLINK("http://evil.example","fix")' } });
    expect(buildReport(definition(), periodOf([input]), RUN_AT).csv).toContain(`,1,"'=HYPERLINK(""http://evil.example"",""fix"")",`);
  });

  it('quotes a field with a comma, a quote and a newline as RFC 4180 says', () => {
    const input = entry('s1.web01.cpu.load', 'CRITICAL', { downtime: { id: 1, kind: 'planned', reason: 'swap "disk", then\nreboot' } });
    expect(buildReport(definition(), periodOf([input]), RUN_AT).csv).toContain(',1,"swap ""disk"", then\nreboot",,2026-11-23T00:30:00Z,2026-11-24T00:30:00Z\r\n');
  });
});

describe('the bodies', () => {
  const reason = '<b>move</b> & "tidy" the rack';
  const built = buildReport(definition({ match: 's1.**', timezone: 'Europe/Berlin' }), periodOf([...trouble(), entry('s1.web03.x', 'CRITICAL', { downtime: { id: 3, kind: 'planned', reason } })]), RUN_AT);

  it('list each series with its worst status, time not OK with units, first and last bad time, availability and its state at the end', () => {
    const text = built.report.text;
    expect(text).toContain('Report daily from 2026-11-23T00:30:00Z to 2026-11-24T00:30:00Z (1d; 23 Nov 2026, 01:30 Europe/Berlin to 24 Nov 2026, 01:30 Europe/Berlin).');
    expect(text).toContain('s1.web01: CRITICAL 1, NODATA 1; not OK 1d, availability 0.000 %');
    // NODATA since three days before the window: all of it, its cause older than the window.
    expect(text).toContain(
      ['  s1.web01.ping.rtt', '    worst: NODATA (no data for 10m)', '    not OK: 1d (86400 s)', '    first bad: 2026-11-23T00:30:00Z', '    last bad: 2026-11-24T00:30:00Z', '    spells: 1', '    availability: 0.000 %', '    planned downtime: -', '    at the end: NODATA since 2026-11-20T20:29:01Z'].join('\n'),
    );
    expect(text).toContain(`[in downtime #3 (planned): ${reason}]`);
    expect(text.indexOf('s1.web01:')).toBeLessThan(text.indexOf('s1.web02:'));
  });

  it('escape what operators typed in the HTML', () => {
    expect(built.report.html).toContain('in downtime #3 (planned): &lt;b&gt;move&lt;/b&gt; &amp; &quot;tidy&quot; the rack');
    expect(built.report.html).not.toContain('<b>move');
    expect(built.report.html).toContain('<h2>s1.web01: CRITICAL 1, NODATA 1</h2>');
    expect(built.report.html).toContain('<meta charset="utf-8">');
  });

  it('show durations in their two largest units, never negative', () => {
    expect([59, 60, 3 * 86400 + 4 * 3600 + 59, 7200, 90061, 0, -5].map(humanDuration)).toEqual(['59s', '1m', '3d 4h', '2h', '1d 1h', '0s', '0s']);
  });

  it('leave out a series whose state began after the window (nothing of it in the window)', () => {
    const future = buildReport(definition(), periodOf([entry('s1.a.b', 'WARNING', { since: RUN_AT + 60 })]), RUN_AT);
    expect(future.groups).toEqual([]);
    expect(future.report.subject).toBe('[ringmon] daily: all OK (1 series)');
  });
});
