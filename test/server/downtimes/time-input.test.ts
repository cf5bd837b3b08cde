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

  it('prints ISO 8601 in UTC without fractions', () => {
    expect(formatInstant(1_796_112_000)).toBe('2026-12-01T08:00:00Z');
  });
});
