/**
 * Rules over a set of good values in a window (server/alarms/state-set.ts):
 * `require: all` (bad once any value of the window is outside the set) and
 * `require: any` (bad only when none is in it), the window not yet covered
 * at start and after a restart, gaps, NODATA, and the raw value in the text.
 */
import { describe, expect, it } from 'vitest';
import { AlarmEvaluator, type RestoredAlarm } from '../../../server/alarms/evaluator.js';
import { changes, every, feed } from './feed-samples.js';
import { ruleSet } from './fixtures.js';

type States = { ok: number[]; window: number; require?: 'all' | 'any'; level?: 'warning' | 'critical' };
const SERIES = 'fleet.a.n1.code';
const node = (states: States, more: { nodata?: number } = {}, restored: RestoredAlarm[] = []): AlarmEvaluator =>
  new AlarmEvaluator(ruleSet([{ name: 'node-up', match: 'fleet.*.*.code', states: { require: 'all', level: 'critical', ...states }, ...more }]), restored);

describe('a state set with require: all', () => {
  it('stays OK while every value is in the set', () => {
    const evaluator = node({ ok: [6], window: 60 });
    expect(feed(evaluator, SERIES, every(10, [6, 6, 6, 6, 6, 6, 6, 6, 6, 6]))).toEqual([]);
    expect(evaluator.get(SERIES)).toMatchObject({ status: 'OK', value: 6, threshold: null });
  });

  it('goes bad at the first value outside the set, showing the raw value and the set', () => {
    const evaluator = node({ ok: [6], window: 60 });
    const transitions = feed(evaluator, SERIES, every(10, [6, 6, 6, 5]));
    expect(transitions).toEqual([{ series: SERIES, rule: 'node-up', from: 'OK', to: 'CRITICAL', at: 30, value: 5, threshold: '5 not in {6}' }]);
  });

  it('stays bad while the bad value is in the window, and recovers once the window holds only good values', () => {
    const evaluator = node({ ok: [6], window: 60 });
    // The 5 at 30 leaves the window (t − 60, t] at t = 90.
    const transitions = feed(evaluator, SERIES, every(10, [6, 6, 6, 5, 6, 6, 6, 6, 6, 6, 6]));
    expect(changes(transitions)).toEqual([[30, 'CRITICAL'], [90, 'OK']]);
    expect(transitions[1]).toMatchObject({ from: 'CRITICAL', to: 'OK', value: 6, threshold: null });
  });

  it('is bad while the window still holds a bad value, its text naming the last bad value', () => {
    const evaluator = node({ ok: [6], window: 60 });
    feed(evaluator, SERIES, every(10, [6, 5, 6, 3, 6]));
    expect(evaluator.get(SERIES)).toMatchObject({ status: 'CRITICAL', value: 6, threshold: '3 not in {6}' });
  });

  it('takes a set of several values, listed in order', () => {
    const evaluator = node({ ok: [6, 5], window: 60 });
    const transitions = feed(evaluator, SERIES, every(10, [5, 6, 5, 3]));
    expect(transitions).toEqual([{ series: SERIES, rule: 'node-up', from: 'OK', to: 'CRITICAL', at: 30, value: 3, threshold: '3 not in {5, 6}' }]);
  });

  it('is bad at once at a first value outside the set', () => {
    const evaluator = node({ ok: [6], window: 60 });
    expect(changes(feed(evaluator, SERIES, [[100, 2]]))).toEqual([[100, 'CRITICAL']]);
  });

  it('raises the level it is given', () => {
    const evaluator = node({ ok: [6], window: 60, level: 'warning' });
    expect(changes(feed(evaluator, SERIES, every(10, [6, 4])))).toEqual([[10, 'WARNING']]);
  });

  it('counts the values that came: a gap is no value', () => {
    const evaluator = node({ ok: [6], window: 60 });
    // 5 at 0, nothing until 100: the window (40, 100] holds only the 6.
    expect(changes(feed(evaluator, SERIES, [[0, 6], [10, 5], [100, 6]]))).toEqual([[10, 'CRITICAL'], [100, 'OK']]);
  });

  it('has nothing pending: a bad value is bad at once', () => {
    const evaluator = node({ ok: [6], window: 60 });
    feed(evaluator, SERIES, every(10, [6, 5, 6]));
    expect(evaluator.get(SERIES)?.pending).toBeUndefined();
  });

  it('ignores null and NaN', () => {
    const evaluator = node({ ok: [6], window: 60 });
    expect(feed(evaluator, SERIES, every(10, [6, null, Number.NaN, 6]))).toEqual([]);
  });

  it('after a restart keeps a restored bad status until a whole window of good values', () => {
    const restored: RestoredAlarm = { series: SERIES, rule: 'node-up', status: 'CRITICAL', since: 0, value: 5, threshold: '5 not in {6}', lastSampleAt: 0 };
    const evaluator = node({ ok: [6], window: 60 }, {}, [restored]);
    expect(changes(feed(evaluator, SERIES, every(10, [6, 6, 6, 6, 6, 6, 6], 1000)))).toEqual([[1060, 'OK']]);
  });

  it('from NODATA, judges the values that come back at once', () => {
    const evaluator = node({ ok: [6], window: 60 }, { nodata: 30 });
    feed(evaluator, SERIES, [[0, 6]]);
    expect(changes(evaluator.checkNodata(100))).toEqual([[100, 'NODATA']]);
    expect(changes(feed(evaluator, SERIES, [[110, 6]]))).toEqual([[110, 'OK']]);
    expect(changes(evaluator.checkNodata(200))).toEqual([[200, 'NODATA']]);
    expect(feed(evaluator, SERIES, [[210, 5]])).toMatchObject([{ from: 'NODATA', to: 'CRITICAL', value: 5, threshold: '5 not in {6}' }]);
  });

  it('decided afresh (its node is back), judges only the values from then, at once', () => {
    const evaluator = node({ ok: [6], window: 60 });
    feed(evaluator, SERIES, every(10, [6, 5]));
    evaluator.afresh((series) => series === SERIES, 15);
    // The 5 at 10 is forgotten: the 6 at 20 decides, and is told even though it only confirms a change.
    expect(feed(evaluator, SERIES, [[20, 6], [30, 6]])).toMatchObject([{ from: 'CRITICAL', to: 'OK', at: 20 }]);
    evaluator.afresh((series) => series === SERIES, 35);
    expect(feed(evaluator, SERIES, [[40, 6]])).toMatchObject([{ from: 'OK', to: 'OK', at: 40 }]);
  });

  it('ignores thresholds a slurper offers for the series', () => {
    const evaluator = node({ ok: [6], window: 60 });
    evaluator.offer(SERIES, { warning: '1', critical: '2' });
    expect(feed(evaluator, SERIES, every(10, [6, 6]))).toEqual([]);
  });
});

describe('a state set with require: any', () => {
  it('stays OK while some value of the window is in the set', () => {
    const evaluator = node({ ok: [5, 6], window: 60, require: 'any' });
    expect(feed(evaluator, SERIES, every(10, [6, 3, 3, 3, 3, 3, 5, 3, 3, 3, 3, 3, 6]))).toEqual([]);
  });

  it('goes bad when no value of the window is in the set, and recovers at the first good one', () => {
    const evaluator = node({ ok: [5, 6], window: 60, require: 'any' });
    // The 6 at 0 leaves the window at 60.
    const transitions = feed(evaluator, SERIES, every(10, [6, 3, 3, 3, 3, 3, 2, 3, 5]));
    expect(transitions).toEqual([
      { series: SERIES, rule: 'node-up', from: 'OK', to: 'CRITICAL', at: 60, value: 2, threshold: '2 not in {5, 6}, nor any value for 1m' },
      { series: SERIES, rule: 'node-up', from: 'CRITICAL', to: 'OK', at: 80, value: 5, threshold: null },
    ]);
  });

  it('shows a run of bad values as pending until it fills the window', () => {
    const evaluator = node({ ok: [5, 6], window: 60, require: 'any' });
    feed(evaluator, SERIES, every(10, [6, 3, 3]));
    expect(evaluator.get(SERIES)).toMatchObject({ status: 'OK', pending: { status: 'CRITICAL', since: 10 } });
    feed(evaluator, SERIES, [[30, 5]]);
    expect(evaluator.get(SERIES)?.pending).toBeUndefined();
    feed(evaluator, SERIES, every(10, [3, 3, 3, 3, 3, 3], 40));
    expect(evaluator.get(SERIES)).toMatchObject({ status: 'CRITICAL', threshold: '3 not in {5, 6}, nor any value for 1m' });
    expect(evaluator.get(SERIES)?.pending).toBeUndefined();
  });

  it('waits for a covered window at start before calling a series bad', () => {
    const evaluator = node({ ok: [6], window: 60, require: 'any' });
    expect(changes(feed(evaluator, SERIES, every(10, [3, 3, 3, 3, 3, 3, 3], 500)))).toEqual([[560, 'CRITICAL']]);
  });
});
