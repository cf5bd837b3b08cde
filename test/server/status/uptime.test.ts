/**
 * Uptime from a state history (server/status/uptime.ts), each case worked
 * out by hand: the state before the first change, spells across the
 * window's start and end, planned downtime overlapping a bad spell (left
 * out of both sides), a window wholly planned (no figure), and an open
 * planned window.
 */
import { describe, expect, it } from 'vitest';
import { badSpans, uptime, type StateChange } from '../../../server/status/uptime.js';

type S = 'OK' | 'CRITICAL' | 'NODATA' | 'WARNING';
const bad = (s: S): boolean => s === 'CRITICAL' || s === 'NODATA';
const change = (at: number, from: S, to: S): StateChange<S> => ({ at, from, to });

describe('badSpans', () => {
  it('cuts the spells at the window and starts from the initial state', () => {
    const changes = [change(50, 'CRITICAL', 'OK'), change(120, 'OK', 'NODATA'), change(150, 'NODATA', 'WARNING'), change(180, 'WARNING', 'CRITICAL')];
    expect(badSpans(changes, 'CRITICAL', 100, 200, bad)).toEqual([
      { start: 120, end: 150 },
      { start: 180, end: 200 },
    ]);
    expect(badSpans(changes, 'CRITICAL', 0, 100, bad)).toEqual([{ start: 0, end: 50 }]);
    expect(badSpans([], 'OK', 0, 100, bad)).toEqual([]);
  });
});

describe('uptime', () => {
  it('counts down time outside planned downtime against the time not planned', () => {
    // Window 0..1000: down 100..300 (200 s), planned 250..450 (200 s): 50 s of the spell are planned.
    const changes = [change(100, 'OK', 'CRITICAL'), change(300, 'CRITICAL', 'OK')];
    const u = uptime(changes, 'OK', [{ start: 250, end: 450 }], 0, 1000, bad);
    expect(u).toEqual({ percent: 81.25, downSeconds: 150, plannedSeconds: 200 }); // 100 × (800 − 150) / 800
  });

  it('joins overlapping planned windows and clips an open one to the window', () => {
    const u = uptime([], 'CRITICAL', [{ start: -50, end: 100 }, { start: 80, end: 200 }, { start: 900, end: null }], 0, 1000, bad);
    expect(u).toEqual({ percent: 0, downSeconds: 700, plannedSeconds: 300 });
  });

  it('has no figure for a window wholly in planned downtime', () => {
    expect(uptime([change(10, 'OK', 'CRITICAL')], 'OK', [{ start: 0, end: 1000 }], 0, 1000, bad)).toEqual({ percent: null, downSeconds: 0, plannedSeconds: 1000 });
  });

  it('rounds to three decimals; WARNING is up', () => {
    const u = uptime([change(0, 'OK', 'WARNING'), change(1, 'WARNING', 'NODATA'), change(2, 'NODATA', 'OK')], 'OK', [], 0, 86_400, bad);
    expect(u).toEqual({ percent: 99.999, downSeconds: 1, plannedSeconds: 0 });
  });
});
