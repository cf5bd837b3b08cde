import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jitterMs, nextSlot, slotTime, stableFraction } from '../../../slurpers/host/schedule-timing.js';

describe('jitter', () => {
  it('is stable for a name and within min(interval, max jitter)', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 86_400_000 }), (name, interval) => {
        const jitter = jitterMs(name, interval, 10_000);
        expect(jitter).toBe(jitterMs(name, interval, 10_000));
        expect(jitter).toBeGreaterThanOrEqual(0);
        expect(jitter).toBeLessThan(Math.min(interval, 10_000));
      }),
    );
  });

  it('spreads a thousand similar names evenly over the window', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 1000; i++) buckets[Math.floor(jitterMs(`web${i}.http`, 60_000, 10_000) / 1000)] += 1;
    // Even would be 100 per second of the window; a clustered hash would leave buckets empty.
    for (const count of buckets) expect(count).toBeGreaterThan(50);
    const distinct = new Set(Array.from({ length: 1000 }, (_, i) => jitterMs(`web${i}.http`, 60_000, 10_000)));
    expect(distinct.size).toBeGreaterThan(900);
  });

  it('stableFraction is in [0, 1)', () => {
    fc.assert(fc.property(fc.string(), (name) => stableFraction(name) >= 0 && stableFraction(name) < 1));
  });
});

describe('nextSlot', () => {
  it('is the first slot strictly after now, on the interval plus the jitter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1e12, max: 2e12 }), fc.integer({ min: 1, max: 3_600_000 }), fc.nat(), (now, interval, seed) => {
        const jitter = seed % interval;
        const slot = nextSlot(now, interval, jitter);
        const at = slotTime(slot, interval, jitter);
        expect(at).toBeGreaterThan(now);
        expect(at - now).toBeLessThanOrEqual(interval);
        expect((at - jitter) % interval).toBe(0);
      }),
    );
  });

  it('never repeats a slot when a timer fires early', () => {
    const interval = 1000;
    const slot = nextSlot(10_000, interval, 250);
    expect(slotTime(slot, interval, 250)).toBe(10_250);
    expect(nextSlot(10_249, interval, 250, slot)).toBe(slot + 1);
  });
});
