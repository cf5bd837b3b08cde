/** Values with their units, as the page shows them (web/src/units.ts): IEC for bytes, SI for the rest, durations for seconds, three significant digits, no exponents. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { axisTitle, formatLastValue, formatUnit } from '../../web/src/units.js';

describe('formatUnit', () => {
  it('writes bytes with IEC prefixes, rates with their /s', () => {
    expect([formatUnit(1.5 * 2 ** 30, 'B'), formatUnit(700, 'B/s'), formatUnit(8.14e10, 'B'), formatUnit(1023.9, 'B'), formatUnit(2 ** 20, 'B/s')]).toEqual(['1.5 GiB', '700 B/s', '75.8 GiB', '1 KiB', '1 MiB/s']);
  });

  it('writes bits and everything else with SI prefixes, and no unit as a bare number', () => {
    expect([formatUnit(12_345, 'bit/s'), formatUnit(4.6), formatUnit(1234), formatUnit(999.7), formatUnit(3e7, 'req/s'), formatUnit(0.34900000000000003)]).toEqual(['12.3 kbit/s', '4.6', '1.23 k', '1 k', '30 Mreq/s', '0.349']);
  });

  it('writes seconds as durations, below a second in ms and µs', () => {
    expect([formatUnit(0.35, 's'), formatUnit(0.0004, 's'), formatUnit(9000, 's'), formatUnit(45, 's'), formatUnit(0, 's')]).toEqual(['350 ms', '400 µs', '2.5 h', '45 s', '0 s']);
  });

  it('writes percent plain, and unknown for a missing value', () => {
    expect([formatUnit(45.27, '%'), formatUnit(100, '%'), formatUnit(null, '%'), formatUnit(undefined)]).toEqual(['45.3%', '100%', 'unknown', 'unknown']);
  });

  it('never writes an exponent, and keeps at most three significant digits before the prefix', () => {
    const units = fc.constantFrom(undefined, 'B', 'B/s', 'bit/s', '%', 'req');
    fc.assert(
      fc.property(fc.double({ min: -1e20, max: 1e20, noNaN: true }), units, (value, unit) => {
        const text = formatUnit(value, unit);
        expect(text).not.toMatch(/e[+-]?\d/i);
        const number = text.replace(/^-/, '').split(' ')[0].replace(/[,%]/g, '');
        // Significant digits: without leading zeros, nor the trailing zeros of a whole number (`12,300%`).
        const digits = (number.includes('.') ? number.replace('.', '') : number.replace(/0+$/, '')).replace(/^0+/, '');
        expect(digits.length).toBeLessThanOrEqual(3);
      }),
    );
  });

  it('keeps the sign and the unit of any value', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e15, noNaN: true }), fc.constantFrom('B', 'bit/s', 'req/s'), (value, unit) => {
        const [plus, minus] = [formatUnit(value, unit), formatUnit(-value, unit)];
        expect(minus).toBe(`-${plus}`);
        expect(plus.endsWith(unit)).toBe(true);
      }),
    );
  });
});

describe('axisTitle', () => {
  it('is the unit, or says there is none', () => {
    expect([axisTitle('B/s'), axisTitle('%'), axisTitle(undefined), axisTitle('')]).toEqual(['B/s', '%', '(no unit)', '(no unit)']);
  });
});

describe('formatLastValue', () => {
  it("says a rate kind's last sample as the reading it is, not as a rate", () => {
    expect(formatLastValue(238_115_000, 'B/s', 'COUNTER')).toBe('227 MiB (counter)');
    expect(formatLastValue(54_592, 'count/s', 'DERIVE')).toBe('54.6 k (counter)');
    expect(formatLastValue(12, 'B/s', 'ABSOLUTE')).toBe('12 B (last reading)');
    expect(formatLastValue(null, 'B/s', 'COUNTER')).toBe('unknown');
  });
  it('says any other kind as formatUnit does', () => {
    expect(formatLastValue(238_115_000, 'B', 'GAUGE')).toBe(formatUnit(238_115_000, 'B'));
    expect(formatLastValue(4.6, undefined, undefined)).toBe('4.6');
  });
});
