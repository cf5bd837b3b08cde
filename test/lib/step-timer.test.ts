/** lib/step-timer.ts: ticks at each multiple of the step on the clock, a little after it, with the boundary; none after stop. */
import { describe, expect, it } from 'vitest';
import { everyStep } from '../../lib/step-timer.js';
import { until } from '../helpers/wait.js';

describe('everyStep', () => {
  it('ticks after each boundary with the boundary, and stops', async () => {
    const ticks: { boundary: number; at: number }[] = [];
    const timer = everyStep(1, (boundary) => ticks.push({ boundary, at: Date.now() / 1000 }), { lagMs: 50 });
    await until(() => ticks.length >= 2, 'two ticks', 5000);
    timer.stop();
    const seen = ticks.length;
    for (const { boundary, at } of ticks) {
      expect(Number.isInteger(boundary)).toBe(true);
      expect(at).toBeGreaterThanOrEqual(boundary + 0.05 - 0.005);
      expect(at - boundary).toBeLessThan(1); // not a step late, even on a loaded machine
    }
    expect(ticks[1].boundary).toBeGreaterThan(ticks[0].boundary);
    await new Promise((r) => setTimeout(r, 1200));
    expect(ticks.length).toBe(seen);
  });
});

describe('everyStep on a clock a timeout outruns', () => {
  it('never ticks a boundary twice when its timeout fires before the clock reaches it', async () => {
    // The clock lags real time by 5 ms: each timeout fires while the clock still reads just before its due time.
    const start = Date.now();
    const clock = () => start + Math.max(0, Date.now() - start - 5);
    const boundaries: number[] = [];
    const timer = everyStep(0.1, (b) => boundaries.push(b), { lagMs: 10, nowMs: clock });
    await until(() => boundaries.length >= 5, 'five ticks', 5000);
    timer.stop();
    expect(new Set(boundaries).size).toBe(boundaries.length);
    expect(boundaries).toEqual([...boundaries].sort((a, b) => a - b));
  });
});
