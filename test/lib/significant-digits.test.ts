import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundSignificant } from '../../lib/significant-digits.js';

describe('roundSignificant', () => {
  it.each([
    [0.34900000000000003, 7, 0.349],
    [0.1 + 0.2, 12, 0.3],
    [81_412_345_678, 7, 81_412_350_000],
    [-1.23456789e-12, 4, -1.235e-12],
    [0, 7, 0],
    [NaN, 7, NaN],
    [Infinity, 7, Infinity],
  ])('%s to %s digits is %s', (value, digits, rounded) => expect(roundSignificant(value, digits)).toBe(rounded));

  it('moves a value by at most half a unit of its last kept digit', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), fc.integer({ min: 1, max: 15 }), (v, digits) => {
        expect(Math.abs(roundSignificant(v, digits) - v)).toBeLessThanOrEqual(Math.abs(v) * 5 * 10 ** -digits * (1 + 1e-12));
      }),
    );
  });
});
