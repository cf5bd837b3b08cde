/** The times the API accepts: Unix seconds, ISO 8601 with and without offsets, and what it refuses. */
import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../../../server/downtimes/index.js';

describe('parseInstant', () => {
  it.each([
    [1_796_112_000, 'UTC', 1_796_112_000],
    ['1796112000', 'UTC', 1_796_112_000],
    ['2026-12-01T08:00Z', 'UTC', 1_796_112_000],
    ['2026-12-01T08:00:00.750Z', 'UTC', 1_796_112_000],
    ['2026-12-01 09:00:00+01:00', 'UTC', 1_796_112_000],
    ['2026-12-01T03:00-0500', 'UTC', 1_796_112_000],
    ['2026-12-01T08:00', 'UTC', 1_796_112_000],
    ['2026-12-01T09:00', 'Europe/Berlin', 1_796_112_000],
    ['2026-07-01T10:00', 'Europe/Berlin', Date.parse('2026-07-01T08:00Z') / 1000],
  ])('reads %j in %s', (text, zone, expected) => {
    expect(parseInstant(text, zone)).toBe(expected);
  });

  it.each(['tomorrow', '2026-02-30T08:00Z', '2026-12-01T24:00Z', '2026-12-01', '12/01/2026 08:00', '+2h', '99999999999999'])('refuses %j with a message', (text) => {
    expect(parseInstant(text)).toEqual(expect.any(String));
  });

  it.each(['0001-01-01T00:00Z', '0070-01-01T00:00Z', '1969-12-31T23:59:59Z', '1970-01-01T00:30+01:00', '2200-01-01T00:00Z', '9999-12-31T23:59Z', '7258118400', 7_258_118_400])(
    'refuses %j, outside 1970 to 2199, as out of range',
    (text) => {
      expect(parseInstant(text)).toMatch(/out of range: times are from 1970-01-01 to 2199-12-31/);
    },
  );

  it('accepts the first and the last second of the range', () => {
    expect(parseInstant('1970-01-01T00:00Z')).toBe(0);
    expect(parseInstant('2199-12-31T23:59:59Z')).toBe(7_258_118_399);
  });

  it('prints ISO 8601 in UTC without fractions', () => {
    expect(formatInstant(1_796_112_000)).toBe('2026-12-01T08:00:00Z');
  });
});
