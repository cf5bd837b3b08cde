/** The wait between attempts: doubling from retry.initial, never above retry.max, jittered downwards. */
import { describe, expect, it } from 'vitest';
import { backoffSeconds } from '../../../server/notify/backoff.js';

const retry = { initialSeconds: 5, maxSeconds: 600 };

describe('backoffSeconds', () => {
  it('doubles from initial up to max when the jitter draws nothing', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100, 10_000].map((n) => backoffSeconds(n, retry, () => 0))).toEqual([5, 10, 20, 40, 80, 160, 320, 600, 600, 600]);
  });

  it('takes up to a fifth off at random, so failures that came together spread out', () => {
    expect(backoffSeconds(1, retry, () => 0.999999)).toBeCloseTo(4, 3);
    expect(backoffSeconds(20, retry, () => 0.5)).toBe(540);
    const waits = Array.from({ length: 200 }, () => backoffSeconds(9, retry));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(480);
    expect(Math.max(...waits)).toBeLessThanOrEqual(600);
    expect(new Set(waits).size).toBeGreaterThan(100);
  });
});
