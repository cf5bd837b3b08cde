/** The alarm evaluator: levels, `for`, hysteresis, nodata, offered thresholds and restored states. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlarmEvaluator, type RestoredAlarm } from '../../../server/alarms/evaluator.js';
import type { AlarmStatus } from '../../../server/alarms/model.js';
import { alerts, parseThreshold, type NagiosRange } from '../../../server/alarms/nagios-range.js';
import { changes, every, feed } from './feed-samples.js';
import { ruleSet } from './fixtures.js';

const cpu = (settings: { for?: number; hysteresis?: number; nodata?: number } = {}): AlarmEvaluator =>
  new AlarmEvaluator(ruleSet([{ name: 'cpu', match: 'host.*.cpu', warning: '> 80', critical: '> 90', ...settings }]));

describe('AlarmEvaluator levels', () => {
  it('leaves a series without a rule alone', () => {
    const evaluator = cpu();
    expect(feed(evaluator, 'host.a.load', every(10, [1, 1000, null, -5]))).toEqual([]);
    expect(evaluator.get('host.a.load')).toBeUndefined();
    expect([...evaluator.all()]).toEqual([]);
  });

  it('starts a series OK at its first sample, without a transition', () => {
    const evaluator = cpu();
    expect(evaluator.observe('host.a.cpu', 100, 42)).toBeUndefined();
    expect(evaluator.get('host.a.cpu')).toEqual({
      series: 'host.a.cpu',
      rule: 'cpu',
      status: 'OK',
      since: 100,
      value: 42,
      lastSampleAt: 100,
      threshold: null,
      thresholds: { warning: parseThreshold('> 80'), critical: parseThreshold('> 90') },
    });
  });

  it('raises a first value that is already bad at once', () => {
    const evaluator = cpu();
    expect(evaluator.observe('host.a.cpu', 100, 95)).toEqual({ series: 'host.a.cpu', rule: 'cpu', from: 'OK', to: 'CRITICAL', at: 100, value: 95, threshold: '> 90' });
    expect(evaluator.get('host.a.cpu')).toMatchObject({ status: 'CRITICAL', since: 100, threshold: '> 90' });
  });

  it('follows the level of each value up and down', () => {
    const evaluator = cpu();
    const transitions = feed(evaluator, 'host.a.cpu', every(10, [50, 85, 86, 95, 99, 85, 50, 95, 10]));
    expect(transitions.map(({ from, to, at, value, threshold }) => ({ from, to, at, value, threshold }))).toEqual([
      { from: 'OK', to: 'WARNING', at: 10, value: 85, threshold: '> 80' },
      { from: 'WARNING', to: 'CRITICAL', at: 30, value: 95, threshold: '> 90' },
      { from: 'CRITICAL', to: 'WARNING', at: 50, value: 85, threshold: '> 80' },
      { from: 'WARNING', to: 'OK', at: 60, value: 50, threshold: null },
      { from: 'OK', to: 'CRITICAL', at: 70, value: 95, threshold: '> 90' },
      { from: 'CRITICAL', to: 'OK', at: 80, value: 10, threshold: null },
    ]);
    expect(evaluator.get('host.a.cpu')).toMatchObject({ status: 'OK', since: 80, value: 10, lastSampleAt: 80 });
  });

  it('keeps the series of one evaluator apart', () => {
    const evaluator = cpu();
    expect(changes(feed(evaluator, 'host.a.cpu', [[0, 95]]))).toEqual([[0, 'CRITICAL']]);
    expect(feed(evaluator, 'host.b.cpu', [[0, 10]])).toEqual([]);
    expect([...evaluator.all()].map((a) => [a.series, a.status])).toEqual([
      ['host.a.cpu', 'CRITICAL'],
      ['host.b.cpu', 'OK'],
    ]);
  });

  it('describes the side a two-sided range is broken on, now', () => {
    const evaluator = new AlarmEvaluator(ruleSet([{ name: 'temp', match: 'temp', critical: '< 5 or > 30' }]));
    expect(evaluator.observe('temp', 0, 35)?.threshold).toBe('> 30');
    expect(evaluator.observe('temp', 10, 2)).toBeUndefined();
    expect(evaluator.get('temp')?.threshold).toBe('< 5');
  });

  it('alarms inside an @ range', () => {
    const evaluator = new AlarmEvaluator(ruleSet([{ name: 'gap', match: 'gap', critical: '@10:20' }]));
    expect(changes(feed(evaluator, 'gap', every(1, [5, 10, 20, 21])))).toEqual([
      [1, 'CRITICAL'],
      [3, 'OK'],
    ]);
    expect(evaluator.observe('gap', 4, 15)?.threshold).toBe('inside 10:20');
  });

  it('takes null and NaN as no data: nothing changes', () => {
    const evaluator = cpu();
    expect(evaluator.observe('host.a.cpu', 0, null)).toBeUndefined();
    expect(evaluator.get('host.a.cpu')).toBeUndefined();
    feed(evaluator, 'host.a.cpu', [[10, 95]]);
    expect(feed(evaluator, 'host.a.cpu', [[20, null], [30, Number.NaN]])).toEqual([]);
    expect(evaluator.get('host.a.cpu')).toMatchObject({ status: 'CRITICAL', value: 95, lastSampleAt: 10 });
  });

  it('returns snapshots that later samples do not change', () => {
    const evaluator = cpu();
    evaluator.observe('host.a.cpu', 0, 10);
    const before = evaluator.get('host.a.cpu');
    evaluator.observe('host.a.cpu', 10, 95);
    expect(before).toMatchObject({ status: 'OK', value: 10, lastSampleAt: 0 });
    expect(Object.isFrozen(before)).toBe(true);
  });
});

describe('AlarmEvaluator for', () => {
  it('raises only after the value stayed bad for `for` seconds of sample time', () => {
    const evaluator = cpu({ for: 60 });
    expect(feed(evaluator, 'host.a.cpu', every(10, [85, 85, 85, 85, 85, 85]))).toEqual([]);
    expect(evaluator.get('host.a.cpu')).toMatchObject({ status: 'OK', pending: { status: 'WARNING', since: 0 } });
    expect(changes(feed(evaluator, 'host.a.cpu', [[60, 85]]))).toEqual([[60, 'WARNING']]);
    expect(evaluator.get('host.a.cpu')?.pending).toBeUndefined();
  });

  it('starts over when a value comes back below the level', () => {
    const evaluator = cpu({ for: 60 });
    expect(feed(evaluator, 'host.a.cpu', [[0, 85], [50, 85], [55, 70], [60, 85], [119, 85]])).toEqual([]);
    expect(changes(feed(evaluator, 'host.a.cpu', [[120, 85]]))).toEqual([[120, 'WARNING']]);
  });

  it('does not count null values as a way back', () => {
    const evaluator = cpu({ for: 60 });
    expect(changes(feed(evaluator, 'host.a.cpu', [[0, 85], [30, null], [60, 85]]))).toEqual([[60, 'WARNING']]);
  });

  it('goes straight to CRITICAL when the value was critical all along', () => {
    const evaluator = cpu({ for: 60 });
    expect(changes(feed(evaluator, 'host.a.cpu', every(30, [95, 95, 95])))).toEqual([[60, 'CRITICAL']]);
  });

  it('times WARNING and CRITICAL separately', () => {
    const evaluator = cpu({ for: 60 });
    expect(changes(feed(evaluator, 'host.a.cpu', [[0, 85], [30, 95], [60, 95]]))).toEqual([[60, 'WARNING']]);
    expect(evaluator.get('host.a.cpu')?.pending).toEqual({ status: 'CRITICAL', since: 30 });
    // Back to warning only: the critical run ends, the warning status stays.
    expect(feed(evaluator, 'host.a.cpu', [[70, 85], [80, 95], [130, 95]])).toEqual([]);
    expect(changes(feed(evaluator, 'host.a.cpu', [[140, 95]]))).toEqual([[140, 'CRITICAL']]);
  });

  it('lowers the status at once', () => {
    const evaluator = cpu({ for: 60 });
    feed(evaluator, 'host.a.cpu', every(30, [95, 95, 95]));
    expect(changes(feed(evaluator, 'host.a.cpu', [[100, 85]]))).toEqual([[100, 'WARNING']]);
    expect(changes(feed(evaluator, 'host.a.cpu', [[110, 95], [120, 10]]))).toEqual([[120, 'OK']]);
  });

  it('does not wait at all with for 0, and then has nothing pending', () => {
    const evaluator = cpu({ for: 0 });
    expect(changes(feed(evaluator, 'host.a.cpu', [[0, 85]]))).toEqual([[0, 'WARNING']]);
    expect(evaluator.get('host.a.cpu')?.pending).toBeUndefined();
  });
});

describe('AlarmEvaluator hysteresis', () => {
  it('holds WARNING until the value is the margin back inside', () => {
    const evaluator = cpu({ hysteresis: 5 });
    expect(changes(feed(evaluator, 'host.a.cpu', every(10, [70, 81, 79, 76, 80, 75.5, 75])))).toEqual([
      [10, 'WARNING'],
      [60, 'OK'],
    ]);
  });

  it('holds CRITICAL, then WARNING, each until cleared with the margin', () => {
    const evaluator = cpu({ hysteresis: 5 });
    const transitions = feed(evaluator, 'host.a.cpu', every(10, [91, 88, 86, 85, 83, 77, 75.1, 75]));
    expect(transitions.map((t) => [t.at, t.to, t.threshold])).toEqual([
      [0, 'CRITICAL', '> 90'],
      [30, 'WARNING', '> 80'],
      [70, 'OK', null],
    ]);
  });

  it('describes a WARNING held below the bound by the bound it broke', () => {
    const evaluator = cpu({ hysteresis: 5 });
    const [, fall] = feed(evaluator, 'host.a.cpu', [[0, 95], [10, 78]]);
    expect(fall).toMatchObject({ from: 'CRITICAL', to: 'WARNING', threshold: '> 80' });
    expect(evaluator.get('host.a.cpu')?.threshold).toBe('> 80');
  });

  it('never delays a rise', () => {
    const evaluator = cpu({ hysteresis: 5 });
    expect(changes(feed(evaluator, 'host.a.cpu', [[0, 80.5], [10, 90.5]]))).toEqual([
      [0, 'WARNING'],
      [10, 'CRITICAL'],
    ]);
  });

  it('drops CRITICAL to OK at once when the value is well clear of both', () => {
    const evaluator = cpu({ hysteresis: 5 });
    expect(changes(feed(evaluator, 'host.a.cpu', [[0, 95], [10, 70]]))).toEqual([
      [0, 'CRITICAL'],
      [10, 'OK'],
    ]);
  });

  it('widens an @ range by the margin', () => {
    const evaluator = new AlarmEvaluator(ruleSet([{ name: 'gap', match: 'gap', critical: '@10:20', hysteresis: 2 }]));
    expect(changes(feed(evaluator, 'gap', every(1, [15, 21, 22, 8, 7.9])))).toEqual([
      [0, 'CRITICAL'],
      [4, 'OK'],
    ]);
  });
});

describe('AlarmEvaluator nodata', () => {
  const silent = (nodata = 600): AlarmEvaluator => new AlarmEvaluator(ruleSet([{ name: 'beat', match: 'beat.*', critical: '> 90', for: 60, nodata }]));

  it('goes NODATA once the last sample is more than nodata old, and only once', () => {
    const evaluator = silent();
    feed(evaluator, 'beat.a', [[0, 1], [100, 2]]);
    expect(evaluator.checkNodata(700)).toEqual([]);
    expect(evaluator.checkNodata(700.5)).toEqual([{ series: 'beat.a', rule: 'beat', from: 'OK', to: 'NODATA', at: 700.5, value: null, threshold: 'no data for 10m' }]);
    expect(evaluator.checkNodata(5000)).toEqual([]);
    expect(evaluator.get('beat.a')).toMatchObject({ status: 'NODATA', since: 700.5, threshold: 'no data for 10m', value: 2, lastSampleAt: 100 });
  });

  it('is kept off by samples, but not by null ones', () => {
    const evaluator = silent();
    for (let t = 0; t <= 3000; t += 100) {
      evaluator.observe('beat.a', t, 1);
      evaluator.observe('beat.b', t, t < 1000 ? 1 : null);
      const due = evaluator.checkNodata(t + 1).map((transition) => transition.series);
      // beat.b's last value came at 900.
      expect(due, `at ${t}`).toEqual(t === 1500 ? ['beat.b'] : []);
    }
  });

  it('leaves NODATA for the level of the first value back, without for', () => {
    const evaluator = silent();
    feed(evaluator, 'beat.a', [[0, 1]]);
    evaluator.checkNodata(601);
    expect(feed(evaluator, 'beat.a', [[700, 95]])).toEqual([{ series: 'beat.a', rule: 'beat', from: 'NODATA', to: 'CRITICAL', at: 700, value: 95, threshold: '> 90' }]);
    // It is watched again.
    expect(changes(evaluator.checkNodata(1301))).toEqual([[1301, 'NODATA']]);
    expect(changes(feed(evaluator, 'beat.a', [[1400, 5]]))).toEqual([[1400, 'OK']]);
  });

  it('stays at the level it came back to while `for` would still be running', () => {
    const evaluator = silent();
    feed(evaluator, 'beat.a', [[0, 1]]);
    evaluator.checkNodata(601);
    expect(feed(evaluator, 'beat.a', [[700, 95], [710, 95], [720, 99]]).map((t) => t.to)).toEqual(['CRITICAL']);
  });

  it('comes back from NODATA without hysteresis', () => {
    const evaluator = new AlarmEvaluator(ruleSet([{ name: 'beat', match: 'beat', warning: '> 80', critical: '> 90', hysteresis: 5, nodata: 60 }]));
    feed(evaluator, 'beat', [[0, 95]]);
    evaluator.checkNodata(61);
    // 88 would hold CRITICAL and 78 WARNING, were the series still raised.
    expect(evaluator.observe('beat', 100, 88)).toMatchObject({ from: 'NODATA', to: 'WARNING' });
    evaluator.checkNodata(161);
    expect(evaluator.observe('beat', 200, 78)).toMatchObject({ from: 'NODATA', to: 'OK' });
  });

  it('goes NODATA from a raised status too', () => {
    const evaluator = silent();
    feed(evaluator, 'beat.a', every(60, [95, 95]));
    expect(evaluator.checkNodata(661).map((t) => [t.from, t.to])).toEqual([['CRITICAL', 'NODATA']]);
  });

  it('gives silent series their transitions, in deadline order, among many', () => {
    const evaluator = silent(60);
    const quiet = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const series = `beat.s${i}`;
      evaluator.observe(series, i % 7, 1);
      if (i % 3 === 0) quiet.add(series);
    }
    for (let t = 10; t <= 100; t += 10) for (let i = 0; i < 2000; i += 1) if (i % 3 !== 0) evaluator.observe(`beat.s${i}`, t, 1);
    const transitions = evaluator.checkNodata(100);
    expect(new Set(transitions.map((t) => t.series))).toEqual(quiet);
    expect(transitions).toHaveLength(quiet.size);
    expect(evaluator.checkNodata(159)).toEqual([]);
    expect(evaluator.checkNodata(161)).toHaveLength(2000 - quiet.size);
  });

  it('counts from the last sample before a restart, given by seen()', () => {
    const evaluator = silent();
    evaluator.seen('beat.a', 100);
    evaluator.seen('other', 100);
    expect(evaluator.get('beat.a')).toMatchObject({ status: 'OK', since: 100, lastSampleAt: 100, value: null });
    expect(evaluator.get('other')).toBeUndefined();
    expect(changes(evaluator.checkNodata(701))).toEqual([[701, 'NODATA']]);
  });

  it('moves a known series last sample only later with seen()', () => {
    const evaluator = silent();
    feed(evaluator, 'beat.a', [[500, 1]]);
    evaluator.seen('beat.a', 300);
    expect(evaluator.checkNodata(1000)).toEqual([]);
    evaluator.seen('beat.a', 800);
    expect(evaluator.get('beat.a')?.lastSampleAt).toBe(800);
    expect(evaluator.checkNodata(1101)).toEqual([]);
    expect(changes(evaluator.checkNodata(1401))).toEqual([[1401, 'NODATA']]);
  });

  it('creates no state with seen() for a rule without nodata; the first sample does', () => {
    const evaluator = cpu();
    evaluator.seen('host.a.cpu', 100);
    expect(evaluator.get('host.a.cpu')).toBeUndefined();
    expect(evaluator.observe('host.a.cpu', 200, 10)).toBeUndefined();
    expect(evaluator.get('host.a.cpu')).toMatchObject({ since: 200, lastSampleAt: 200 });
  });

  it('never goes NODATA under a rule without nodata', () => {
    const evaluator = cpu();
    feed(evaluator, 'host.a.cpu', [[0, 1]]);
    expect(evaluator.checkNodata(1e9)).toEqual([]);
  });
});

describe('AlarmEvaluator offered thresholds', () => {
  it('alarms a series with no config rule by the offered rule', () => {
    const evaluator = new AlarmEvaluator(ruleSet([], { for: 0 }));
    expect(evaluator.offer('nagios.disk', { warning: '80', critical: '90' })).toBeUndefined();
    expect(evaluator.observe('nagios.disk', 0, 95)).toMatchObject({ rule: 'offered', from: 'OK', to: 'CRITICAL', threshold: '> 90' });
    // A bare number is 0:N: below zero breaks it too.
    expect(evaluator.observe('nagios.disk', 10, -1)).toBeUndefined();
    expect(evaluator.get('nagios.disk')).toMatchObject({ status: 'CRITICAL', threshold: '< 0' });
  });

  it('takes the offered rule `for`', () => {
    const evaluator = new AlarmEvaluator(ruleSet([], { for: 60 }));
    evaluator.offer('x', { critical: '~:90' });
    expect(changes(feed(evaluator, 'x', every(30, [95, 95, 95])))).toEqual([[60, 'CRITICAL']]);
  });

  it('does not alarm offered thresholds when they are disabled', () => {
    const evaluator = new AlarmEvaluator(ruleSet([], { enabled: false }));
    evaluator.offer('x', { critical: '90' });
    expect(evaluator.observe('x', 0, 95)).toBeUndefined();
    expect(evaluator.get('x')).toBeUndefined();
  });

  it('fills in only a level the config rule leaves out', () => {
    const evaluator = new AlarmEvaluator(ruleSet([{ name: 'disk', match: 'disk.*', critical: '> 95' }]));
    evaluator.offer('disk.root', { warning: '~:70', critical: '~:80' });
    expect(evaluator.observe('disk.root', 0, 85)).toMatchObject({ rule: 'disk', to: 'WARNING', threshold: '> 70' });
    expect(evaluator.get('disk.root')?.thresholds).toEqual({ warning: parseThreshold('~:70'), critical: parseThreshold('> 95') });
  });

  it('ignores offers for a level the config rule gives', () => {
    const evaluator = new AlarmEvaluator(ruleSet([{ name: 'disk', match: 'disk.*', warning: '> 90', critical: '> 95' }]));
    evaluator.observe('disk.root', 0, 10);
    evaluator.offer('disk.root', { warning: '~:1', critical: '~:2' });
    expect(evaluator.observe('disk.root', 10, 50)).toBeUndefined();
  });

  it('routes offered thresholds through a config rule that gives none of its own', () => {
    const evaluator = new AlarmEvaluator(ruleSet([{ name: 'pager', match: 'db.*', notify: ['oncall'] }]));
    expect(evaluator.observe('db.lag', 0, 500)).toBeUndefined();
    expect(evaluator.get('db.lag')).toBeUndefined();
    evaluator.offer('db.lag', { critical: '~:100' });
    expect(evaluator.observe('db.lag', 10, 500)).toMatchObject({ rule: 'pager', to: 'CRITICAL', threshold: '> 100' });
  });

  it('applies a changed offer from the next sample', () => {
    const evaluator = new AlarmEvaluator(ruleSet([]));
    evaluator.offer('x', { critical: '~:90' });
    evaluator.observe('x', 0, 50);
    evaluator.offer('x', { critical: '~:40' });
    expect(evaluator.get('x')?.status).toBe('OK');
    expect(evaluator.observe('x', 10, 50)).toMatchObject({ to: 'CRITICAL', threshold: '> 40' });
  });

  it('returns the problem with an unparsable range, and keeps the other level', () => {
    const evaluator = new AlarmEvaluator(ruleSet([]));
    const problem = evaluator.offer('x', { warning: '8O', critical: '~:90' });
    expect(problem).toBe("offered warning threshold: '8O' is not a Nagios range: expected 10, 10:, ~:10, 10:20 or @10:20");
    expect(evaluator.offer('x', { warning: '8O', critical: '~:90' })).toBe(problem);
    expect(evaluator.observe('x', 0, 85)).toBeUndefined();
    expect(evaluator.observe('x', 10, 95)).toMatchObject({ to: 'CRITICAL' });
  });

  it('names both ranges when both are bad, and alarms nothing', () => {
    const evaluator = new AlarmEvaluator(ruleSet([]));
    expect(evaluator.offer('x', { warning: 'a', critical: '9:1' })).toBe(
      "offered warning threshold: 'a' is not a Nagios range: expected 10, 10:, ~:10, 10:20 or @10:20; offered critical threshold: '9:1': the start 9 is above the end 1",
    );
    expect(evaluator.observe('x', 0, 1e9)).toBeUndefined();
    expect(evaluator.get('x')).toBeUndefined();
  });

  it('keeps the very same thresholds when the same ranges are offered again', () => {
    const evaluator = new AlarmEvaluator(ruleSet([]));
    evaluator.offer('x', { warning: '80', critical: '90' });
    evaluator.observe('x', 0, 1);
    const thresholds = evaluator.get('x')?.thresholds;
    for (let run = 0; run < 10; run++) evaluator.offer('x', { warning: '80', critical: '90' });
    expect(evaluator.get('x')?.thresholds).toBe(thresholds);
  });
});

describe('AlarmEvaluator restored states', () => {
  const restored = (alarm: Partial<RestoredAlarm> & Pick<RestoredAlarm, 'series'>): RestoredAlarm => ({
    rule: 'cpu',
    status: 'CRITICAL',
    since: 1000,
    value: 95,
    lastSampleAt: 1100,
    threshold: '> 90',
    ...alarm,
  });

  it('keeps a state whose series still has a rule, under the current rule', () => {
    const rules = ruleSet([{ name: 'cpu-now', match: 'host.*.cpu', warning: '> 80', critical: '> 90' }]);
    const evaluator = new AlarmEvaluator(rules, [restored({ series: 'host.a.cpu', rule: 'cpu-before' })]);
    expect(evaluator.get('host.a.cpu')).toMatchObject({ rule: 'cpu-now', status: 'CRITICAL', since: 1000, value: 95, lastSampleAt: 1100, threshold: '> 90' });
    expect(evaluator.observe('host.a.cpu', 1200, 99)).toBeUndefined();
    expect(evaluator.observe('host.a.cpu', 1210, 10)).toMatchObject({ from: 'CRITICAL', to: 'OK', rule: 'cpu-now' });
  });

  it('keeps a restored raised status while the value stays there, whatever the `for`', () => {
    const rules = ruleSet([{ name: 'cpu', match: 'host.*.cpu', warning: '> 80', critical: '> 90', for: 300 }]);
    const evaluator = new AlarmEvaluator(rules, [restored({ series: 'host.a.cpu' }), restored({ series: 'host.b.cpu', status: 'WARNING', threshold: '> 80' })]);
    expect(feed(evaluator, 'host.a.cpu', every(10, [95, 99, 92], 1200))).toEqual([]);
    expect(feed(evaluator, 'host.b.cpu', every(10, [85, 95, 85], 1200))).toEqual([]);
    expect(evaluator.get('host.b.cpu')?.status).toBe('WARNING');
  });

  it('drops a state whose series no rule alarms any more', () => {
    const evaluator = new AlarmEvaluator(ruleSet([{ name: 'cpu', match: 'host.*.cpu', warning: 1 }]), [restored({ series: 'host.a.load' })]);
    expect(evaluator.get('host.a.load')).toBeUndefined();
    expect([...evaluator.all()]).toEqual([]);
  });

  it('keeps a state of offered thresholds while they are enabled', () => {
    const alarm = restored({ series: 'nagios.x', rule: 'offered' });
    expect(new AlarmEvaluator(ruleSet([]), [alarm]).get('nagios.x')).toMatchObject({ rule: 'offered', status: 'CRITICAL' });
    expect(new AlarmEvaluator(ruleSet([], { enabled: false }), [alarm]).get('nagios.x')).toBeUndefined();
  });

  it('gives a restored state its thresholds again when they are offered', () => {
    const evaluator = new AlarmEvaluator(ruleSet([]), [restored({ series: 'nagios.x', rule: 'offered' })]);
    evaluator.offer('nagios.x', { critical: '90' });
    expect(evaluator.observe('nagios.x', 1200, 95)).toBeUndefined();
  });

  it('goes NODATA counting from the restored last sample', () => {
    const evaluator = new AlarmEvaluator(ruleSet([{ name: 'beat', match: 'beat', critical: 90, nodata: 60 }]), [restored({ series: 'beat', status: 'OK' })]);
    expect(evaluator.checkNodata(1160)).toEqual([]);
    expect(evaluator.checkNodata(1161)).toMatchObject([{ from: 'OK', to: 'NODATA' }]);
  });

  it('leaves a restored NODATA for the level of the next value', () => {
    const evaluator = new AlarmEvaluator(ruleSet([{ name: 'beat', match: 'beat', critical: 90, nodata: 60 }]), [
      restored({ series: 'beat', status: 'NODATA', threshold: 'no data for 1m', value: null }),
    ]);
    expect(evaluator.checkNodata(5000)).toEqual([]);
    expect(evaluator.get('beat')).toMatchObject({ status: 'NODATA', threshold: 'no data for 1m' });
    expect(evaluator.observe('beat', 5000, 50)).toMatchObject({ from: 'NODATA', to: 'OK' });
    expect(changes(evaluator.checkNodata(5061))).toEqual([[5061, 'NODATA']]);
  });
});

describe('AlarmEvaluator properties', () => {
  const bound = fc.integer({ min: -100, max: 100 });
  const rangeText = fc
    .tuple(bound, bound, fc.boolean(), fc.constantFrom('both', 'low', 'high'))
    .map(([a, b, inside, sides]) => `${inside ? '@' : ''}${sides === 'high' ? '~' : Math.min(a, b)}:${sides === 'low' ? '' : Math.max(a, b)}`);
  const values = fc.array(fc.option(fc.integer({ min: -150, max: 150 }), { nil: null, freq: 5 }), { maxLength: 60 });

  const levelOfValue = (value: number, warning: NagiosRange, critical: NagiosRange): AlarmStatus =>
    alerts(critical, value) ? 'CRITICAL' : alerts(warning, value) ? 'WARNING' : 'OK';

  it('with for 0 and no hysteresis, is at the level of the last value, by a consistent chain of transitions', () => {
    fc.assert(
      fc.property(rangeText, rangeText, values, (warningText, criticalText, sequence) => {
        const evaluator = new AlarmEvaluator(ruleSet([{ name: 'r', match: 's', warning: warningText, critical: criticalText }]));
        const transitions = feed(evaluator, 's', every(10, sequence));
        const last = sequence.filter((v): v is number => v !== null).at(-1);
        const expected = last === undefined ? undefined : levelOfValue(last, parseThreshold(warningText) as NagiosRange, parseThreshold(criticalText) as NagiosRange);
        expect(evaluator.get('s')?.status).toBe(expected);
        let status: AlarmStatus = 'OK';
        for (const t of transitions) {
          expect(t.from).toBe(status);
          expect(t.to).not.toBe(t.from);
          expect(t.threshold === null).toBe(t.to === 'OK');
          status = t.to;
        }
      }),
    );
  });

  it('with hysteresis h, a value oscillating within h of the bound never flaps', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 20, noNaN: true }).chain((h) =>
          fc.tuple(fc.constant(h), fc.array(fc.double({ min: 80 - h, max: 80 + h, noNaN: true, minExcluded: true }), { maxLength: 100 })),
        ),
        ([h, sequence]) => {
          const evaluator = new AlarmEvaluator(ruleSet([{ name: 'r', match: 's', warning: '> 80', hysteresis: h }]));
          expect(evaluator.observe('s', 0, 80 + h)?.to).toBe('WARNING');
          expect(feed(evaluator, 's', every(1, sequence, 1))).toEqual([]);
        },
      ),
    );
  });

  it('raises only after the level was held for `for`, and lowers at once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 80 }), (forSeconds, sequence) => {
        const evaluator = new AlarmEvaluator(ruleSet([{ name: 'r', match: 's', warning: '> 50', critical: '> 80', for: forSeconds }]));
        const rank = { OK: 0, WARNING: 1, CRITICAL: 2, NODATA: 3 } as const;
        const levelAt = (v: number): number => (v > 80 ? 2 : v > 50 ? 1 : 0);
        sequence.forEach((value, t) => {
          const transition = evaluator.observe('s', t, value);
          const status = evaluator.get('s')?.status ?? 'OK';
          // Never above the value's level; back to it at once when lower.
          expect(rank[status]).toBeLessThanOrEqual(levelAt(value));
          if (transition && rank[transition.to] > rank[transition.from]) {
            // Every sample of the last `for` seconds was at that level or above.
            expect(t).toBeGreaterThanOrEqual(forSeconds);
            for (let s = t - forSeconds; s <= t; s++) expect(levelAt(sequence[s])).toBeGreaterThanOrEqual(rank[transition.to]);
          }
        });
      }),
    );
  });
});
