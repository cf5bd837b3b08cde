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
