/** Timestamps as JSON APIs give them: ISO 8601 (offset or UTC), Unix seconds or milliseconds, and what is not one. */
import { describe, expect, it } from 'vitest';
import { parseIsoTimestamp, timestampOf } from '../../../../slurpers/builtin/formats/timestamp.js';

const T = Date.UTC(2026, 11, 7, 13, 40, 11) / 1000;

describe('timestamp', () => {
  it('reads ISO 8601 with Z, an offset, a fraction, a space, or no offset (UTC)', () => {
    expect(parseIsoTimestamp('2026-12-07T13:40:11Z')).toBe(T);
    expect(parseIsoTimestamp('2026-12-07T14:40:11+01:00')).toBe(T);
    expect(parseIsoTimestamp('2026-12-07T08:10:11-0530')).toBe(T);
    expect(parseIsoTimestamp('2026-12-07t13:40:11.25z')).toBe(T + 0.25);
    expect(parseIsoTimestamp('2026-12-07 13:40:11')).toBe(T);
    expect(parseIsoTimestamp('2026-12-07T13:40')).toBe(T - 11);
    expect(parseIsoTimestamp('2026-12-07')).toBe(Date.UTC(2026, 11, 7) / 1000);
  });

  it('refuses what names no real time', () => {
    for (const text of ['2026-02-30', '2026-12-07T24:00:00Z', '2026-12-07T13:60Z', '2026-12-07T13:40:11+19:00', 'yesterday', '12/07/2026', '']) {
      expect(parseIsoTimestamp(text), text).toBeUndefined();
    }
  });

  it('numbers count seconds or milliseconds, as the caller says', () => {
    expect(timestampOf(T, 'seconds')).toBe(T);
    expect(timestampOf(T * 1000, 'milliseconds')).toBe(T);
    expect(timestampOf(String(T), 'seconds')).toBe(T);
    expect(timestampOf('2026-12-07T13:40:11Z', 'milliseconds')).toBe(T);
    expect(timestampOf(true, 'seconds')).toBeUndefined();
    expect(timestampOf({}, 'seconds')).toBeUndefined();
  });
});
