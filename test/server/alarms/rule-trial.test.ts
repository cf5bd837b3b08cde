/**
 * Trying a rule against history (server/alarms/rule-trial.ts) on histories
 * whose answers are known by construction: a sine crossing 80 seven times,
 * bad runs shorter and longer than `for`, a value hovering at the bound
 * with and without hysteresis, a gap longer than nodata, a long bad spell
 * with renotify, a planned downtime, and the bounded lists.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmRuleSetting } from '../../../server/alarms/config-section.js';
import { RuleTrial, type SeriesRows } from '../../../server/alarms/rule-trial.js';
import { compileNodeKey, metadataSnapshot, readMetadata } from '../../../server/metadata/index.js';

const STEP = 60;
const DAY = 86_400;
const FROM = 1_800_000_000 - (1_800_000_000 % DAY);

function rule(extra: Partial<AlarmRuleSetting> = {}): AlarmRuleSetting {
  return { name: 'cpu-high', match: 'host.*.cpu', critical: '> 80', for: 0, hysteresis: 0, notify: ['ops'], ...extra };
}

/** Rows from FROM + STEP, one per STEP, of `value(k)` for k = 1..count (NaN: unknown). */
function rows(series: string, count: number, value: (k: number) => number, step = STEP): SeriesRows {
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = value(i + 1);
  return { series, start: FROM, step, values };
}

/** 50 + 40 sin: above 80 for a while once a period, starting and ending at 50. */
const sine = (periodRows: number) => (k: number): number => 50 + 40 * Math.sin((2 * Math.PI * k) / periodRows);

/** Runs of `bad` (90) rows, each `lengths[i]` long, between runs of 30 OK (50) rows. */
function runs(lengths: readonly number[]): (k: number) => number {
  const values: number[] = [];
  for (const length of lengths) values.push(...Array<number>(30).fill(50), ...Array<number>(length).fill(90));
  values.push(...Array<number>(30).fill(50));
  return (k) => values[k - 1] ?? 50;
}

/** 95 (critical) from 1 h to 6 h at one-minute rows, 50 otherwise. */
const spell = (k: number): number => (k >= 60 && k < 360 ? 95 : 50);

function tryOn(setting: AlarmRuleSetting, series: SeriesRows, until: number, planned?: (series: string, t: number) => number | undefined) {
  const trial = new RuleTrial(setting, { from: FROM, until }, { maxListed: 1000, plannedDowntime: planned });
  trial.add(series);
  return trial.result();
}

describe('a rule tried on a known history', () => {
  it('counts a threshold at 80 over a sine crossing it 7 times: 7 problems, 7 recoveries', () => {
    const count = 7 * (DAY / STEP);
    const result = tryOn(rule(), rows('host.a.cpu', count, sine(DAY / STEP)), FROM + 7 * DAY);
    expect(result.totals.transitions).toBe(14);
    expect(result.totals.notices).toEqual({ problem: 7, recovery: 7, reminder: 0, 'downtime-over': 0, total: 14 });
    expect(result.transitions.map((t) => t.to)).toEqual(Array.from({ length: 14 }, (_, i) => (i % 2 === 0 ? 'CRITICAL' : 'OK')));
    const [series] = result.series;
    expect(series).toMatchObject({ series: 'host.a.cpu', step: STEP, rows: count, transitions: 14, notices: 14, status: 'OK' });
    // sin > 0.75 for (π − 2·asin 0.75)/2π of each period, to a row.
    const expected = 7 * DAY * ((Math.PI - 2 * Math.asin(0.75)) / (2 * Math.PI));
    expect(Math.abs(series.timeIn.CRITICAL - expected)).toBeLessThanOrEqual(7 * STEP);
    expect(series.timeIn.OK + series.timeIn.CRITICAL).toBe(7 * DAY);
  });

  it('with for: 10m, only the bad runs held 10 minutes are problems', () => {
    const history = rows('host.a.cpu', 400, runs([5, 15, 9, 10, 30]));
    expect(tryOn(rule(), history, FROM + 400 * STEP).totals.notices.problem).toBe(5);
    const held = tryOn(rule({ for: 600 }), history, FROM + 400 * STEP);
    // Runs of 15 and 30 rows; not 5, 9 nor 10 (its last row is 9 minutes after its first).
    expect(held.totals.notices).toMatchObject({ problem: 2, recovery: 2 });
    expect(held.transitions.filter((t) => t.to === 'CRITICAL').length).toBe(2);
  });

  it('counts a value hovering at the bound as many problems, and as one with hysteresis', () => {
    const hover = (k: number): number => (k < 10 ? 50 : k < 110 ? (k % 2 === 0 ? 81 : 79) : 50);
    const history = rows('host.a.cpu', 200, hover);
    expect(tryOn(rule(), history, FROM + 200 * STEP).totals.notices).toMatchObject({ problem: 50, recovery: 50 });
    expect(tryOn(rule({ hysteresis: 5 }), history, FROM + 200 * STEP).totals.notices).toMatchObject({ problem: 1, recovery: 1 });
  });

  it('goes NODATA once in a gap longer than nodata, told and recovered, and counts the time', () => {
    const gap = (k: number): number => (k > 100 && k <= 160 ? NaN : 50);
    const result = tryOn(rule({ nodata: 300 }), rows('host.a.cpu', 300, gap), FROM + 300 * STEP);
    expect(result.transitions.map((t) => `${t.from}>${t.to}`)).toEqual(['OK>NODATA', 'NODATA>OK']);
    // Last sample at row 100; silent for more than 5 min at row 106 (checked at the rows); back at row 161.
    expect(result.transitions[0].at).toBe(FROM + 106 * STEP);
    expect(result.transitions[1].at).toBe(FROM + 161 * STEP);
    expect(result.totals.notices).toMatchObject({ problem: 1, recovery: 1 });
    expect(result.series[0].timeIn.NODATA).toBe(55 * STEP);
  });

  it('does not see NODATA between rows when nodata is shorter than the rows step, only in unknown rows', () => {
    const gap = (k: number): number => (k === 50 ? NaN : 50);
    const result = tryOn(rule({ nodata: 120 }), rows('host.a.cpu', 100, gap, 300), FROM + 100 * 300);
    expect(result.transitions.map((t) => t.to)).toEqual(['NODATA', 'OK']);
    expect(result.notes.join(' ')).toMatch(/nodata 2m is shorter than the rows' step 5m/);
  });

  it('sends a reminder every renotify while the alarm stays bad', () => {
    // Bad from row 60 (1h) to row 359 at one-minute rows: told at 1h, reminded at 2h, 3h, 4h, 5h, recovered at 6h (no reminder then).
    const result = tryOn(rule({ renotify: 3600 }), rows('host.a.cpu', 480, spell), FROM + 480 * STEP);
    expect(result.totals.notices).toEqual({ problem: 1, recovery: 1, reminder: 4, 'downtime-over': 0, total: 6 });
    expect(result.notices.map((n) => [n.kind, (n.at - FROM) / 3600])).toEqual([
      ['problem', 1],
      ['reminder', 2],
      ['reminder', 3],
      ['reminder', 4],
      ['reminder', 5],
      ['recovery', 6],
    ]);
  });

  it('keeps a change in a planned downtime quiet and tells what is still bad when it is over', () => {
    // Planned downtime 7 from 30 min to 3 h: the rise at 1h is quiet, downtime-over at the first row after 3 h.
    const planned = (_series: string, t: number): number | undefined => (t >= FROM + 1800 && t < FROM + 3 * 3600 ? 7 : undefined);
    const result = tryOn(rule(), rows('host.a.cpu', 480, spell), FROM + 480 * STEP, planned);
    expect(result.totals.notices).toMatchObject({ problem: 0, 'downtime-over': 1, recovery: 1 });
    expect(result.totals.quiet).toBe(1);
    expect(result.transitions[0]).toMatchObject({ to: 'CRITICAL', quietBy: 7 });
    expect(result.notices.map((n) => [n.kind, n.at - FROM])).toEqual([
      ['downtime-over', 3 * 3600],
      ['recovery', 6 * 3600],
    ]);
  });

  it('sums several series, lists at most maxListed transitions and notices, and counts them all', () => {
    const trial = new RuleTrial(rule(), { from: FROM, until: FROM + 7 * DAY }, { maxListed: 5 });
    for (const host of ['a', 'b', 'c']) trial.add(rows(`host.${host}.cpu`, 7 * (DAY / STEP), sine(DAY / STEP)));
    const result = trial.result();
    expect(result.totals).toMatchObject({ series: 3, transitions: 42, notices: { total: 42 } });
    expect(result.transitions).toHaveLength(5);
    expect(result.notices).toHaveLength(5);
    expect(result.listed).toEqual({ transitions: 5, notices: 5 });
    expect(result.notify).toEqual(['ops']);
  });

  it('matches series as the rule set does, and takes rows only inside the range', () => {
    const trial = new RuleTrial(rule({ match: ['host.*.cpu', 'db.**'] }), { from: FROM + 10 * STEP, until: FROM + 20 * STEP }, { maxListed: 10 });
    expect([trial.matches('host.a.cpu'), trial.matches('db.x.y.z'), trial.matches('host.a.mem')]).toEqual([true, true, false]);
    trial.add(rows('host.a.cpu', 100, (k) => (k === 5 || k === 30 ? 99 : 50)));
    const result = trial.result();
    expect(result.totals.transitions).toBe(0);
    expect(result.series[0].rows).toBe(10);
    expect(result.series[0].timeIn.OK).toBe(10 * STEP);
  });

  it('can be run a slice of rows at a time, with the same answer', () => {
    const whole = tryOn(rule({ renotify: 3600, nodata: 600 }), rows('host.a.cpu', 2000, sine(700)), FROM + 2000 * STEP);
    const trial = new RuleTrial(rule({ renotify: 3600, nodata: 600 }), { from: FROM, until: FROM + 2000 * STEP }, { maxListed: 1000 });
    const run = trial.start(rows('host.a.cpu', 2000, sine(700)));
    let slices = 0;
    while (!run.advance(128)) slices++;
    expect(slices).toBeGreaterThan(10);
    expect(trial.result()).toEqual(whole);
  });

  it('takes settings from node metadata per series, as the engine does, and notes a field it refuses', () => {
    const metadata = metadataSnapshot(readMetadata('a: { max_load: "> 95" }\nc: { max_load: lots }\n', 'yaml'), compileNodeKey('host.{node}.cpu'));
    const setting = rule({ critical: { meta: 'max_load', default: '> 80' } } as Partial<AlarmRuleSetting>);
    const trial = new RuleTrial(setting, { from: FROM, until: FROM + 7 * DAY }, { maxListed: 100, metadata });
    for (const host of ['a', 'b', 'c']) trial.add(rows(`host.${host}.cpu`, 7 * (DAY / STEP), sine(DAY / STEP)));
    const result = trial.result();
    // a: 95 is above the sine's 90; b: no field, the default 80; c: a field that is no threshold, the default.
    expect(result.series.map((s) => [s.series, s.transitions])).toEqual([
      ['host.a.cpu', 0],
      ['host.b.cpu', 14],
      ['host.c.cpu', 14],
    ]);
    expect(result.notes.join('\n')).toMatch(/^metadata: .*max_load.*\(its default was used\)$/m);
  });
});
