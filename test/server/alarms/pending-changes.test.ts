/**
 * The transitions waiting for the database: kept as they came up to the
 * limit, folded to the newest per series past it, what folds away counted,
 * and a refused batch put back in front.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmStatus, Transition } from '../../../server/alarms/model.js';
import { PendingChanges } from '../../../server/alarms/pending-changes.js';

let clock = 0;
const change = (series: string, from: AlarmStatus, to: AlarmStatus): Transition => ({ series, rule: 'r', from, to, at: ++clock, value: to === 'OK' ? 1 : 99, threshold: to === 'OK' ? null : '> 90' });
const arrows = (transitions: readonly Transition[]): string[] => transitions.map((t) => `${t.series} ${t.from}>${t.to}`);

/** A PendingChanges of `limit` given changes written as arrows (`a OK>CRITICAL`). */
function filled(limit: number, ...changes: string[]): PendingChanges {
  const pending = new PendingChanges(limit);
  for (const arrow of changes) {
    const [series, from, to] = arrow.split(/[ >]/) as [string, AlarmStatus, AlarmStatus];
    pending.add(change(series, from, to));
  }
  return pending;
}

describe('PendingChanges', () => {
  it('keeps transitions as they came up to the limit', () => {
    const pending = filled(4, 'a OK>CRITICAL', 'a CRITICAL>OK', 'a OK>WARNING', 'b OK>WARNING');
    expect(pending.size).toBe(4);
    const batch = pending.take();
    expect(arrows(batch.transitions)).toEqual(['a OK>CRITICAL', 'a CRITICAL>OK', 'a OK>WARNING', 'b OK>WARNING']);
    expect(pending.isEmpty).toBe(true);
    expect(pending.dropped).toBe(0);
  });

  it('past the limit, folds each series to one transition from its first state to its newest', () => {
    const pending = filled(3, 'a OK>CRITICAL', 'b OK>WARNING', 'a CRITICAL>OK', 'a OK>WARNING');
    const { transitions, series } = pending.take();
    expect(arrows(transitions)).toEqual(['b OK>WARNING', 'a OK>WARNING']);
    expect(transitions[1]).toMatchObject({ at: clock, value: 99, threshold: '> 90' });
    expect([...series]).toEqual([]);
    expect(pending.dropped).toBe(2);
  });

  it('folds away a series that ends where it began, keeping its name so its state row is written', () => {
    const pending = filled(2, 'a OK>CRITICAL', 'a CRITICAL>OK', 'b OK>NODATA');
    const { transitions, series } = pending.take();
    expect(arrows(transitions)).toEqual(['b OK>NODATA']);
    expect([...series]).toEqual(['a']);
    expect(pending.dropped).toBe(2);
  });

  it('holds at most one transition per series (or the limit) however long the database refuses', () => {
    const pending = new PendingChanges(50);
    const names = Array.from({ length: 20 }, (_, i) => `s${i}`);
    let most = 0;
    for (let round = 0; round < 2000; round++) {
      const batch = pending.take();
      for (const name of names) pending.add(change(name, round % 2 === 0 ? 'OK' : 'CRITICAL', round % 2 === 0 ? 'CRITICAL' : 'OK'));
      pending.putBack(batch);
      most = Math.max(most, pending.size);
    }
    expect(most).toBeLessThanOrEqual(50 + names.length);
    expect(pending.dropped).toBeGreaterThan(2000 * names.length - 100);
    // 2,000 rounds: every series back where it began, so nothing is left to record but the state rows.
    const { transitions, series } = pending.take();
    expect(transitions.length + pending.dropped).toBe(2000 * names.length);
    // Each series' waiting transitions still chain from the state it was recorded in to the one it is in.
    for (const name of names) {
      let status: AlarmStatus = 'OK';
      for (const t of transitions.filter((x) => x.series === name)) {
        expect(t.from).toBe(status);
        status = t.to;
      }
      expect(status).toBe('OK');
      expect(series.has(name) || transitions.some((t) => t.series === name)).toBe(true);
    }
  });

  it('puts a refused batch back in front of what came since', () => {
    const pending = new PendingChanges(10);
    pending.add(change('a', 'OK', 'CRITICAL'));
    pending.touch('c');
    const refused = pending.take();
    pending.add(change('b', 'OK', 'WARNING'));
    pending.putBack(refused);
    const { transitions, series } = pending.take();
    expect(arrows(transitions)).toEqual(['a OK>CRITICAL', 'b OK>WARNING']);
    expect([...series]).toEqual(['c']);
  });

  it('knows which series have a change not yet recorded: waiting or under commit', () => {
    const pending = filled(2, 'a OK>CRITICAL');
    const batch = pending.take();
    pending.add(change('b', 'OK', 'CRITICAL'));
    expect(['a', 'b', 'c'].map((s) => pending.hasChange(s))).toEqual([true, true, false]);
    pending.putBack(batch);
    expect(pending.hasChange('a')).toBe(true);
    pending.take();
    pending.committed();
    expect(['a', 'b'].map((s) => pending.hasChange(s))).toEqual([false, false]);
    pending.add(change('c', 'OK', 'CRITICAL'));
    pending.add(change('c', 'CRITICAL', 'OK'));
    pending.add(change('d', 'OK', 'CRITICAL'));
    // c folded away: nothing of it left to tell.
    expect(['c', 'd'].map((s) => pending.hasChange(s))).toEqual([false, true]);
  });

  it('refuses a limit below one', () => {
    expect(() => new PendingChanges(0)).toThrow(/limit/);
  });
});
