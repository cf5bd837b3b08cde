/** One time format across the page (web/src/format.ts): the clock and zone settings change every formatted time alike, and form fields read back what they show. */
import { afterEach, describe, expect, it } from 'vitest';
import { applyTimeSettings, dayNumber, formatTick, formatTime, fromLocalInput, timeSettings, toLocalInput, zoneName } from '../../web/src/format.js';
import { DEFAULT_TIME_SETTINGS, loadTimeSettings } from '../../web/src/time-settings.js';

// 19:05:30 UTC.
const T = Date.UTC(2026, 11, 7, 19, 5, 30);

afterEach(() => applyTimeSettings(DEFAULT_TIME_SETTINGS));

describe('time settings', () => {
  it('write ticks and table times with the 24 h clock or the language’s, in the zone named', () => {
    applyTimeSettings({ clock: '24h', utc: true });
    expect([formatTick(T, 60, false), formatTick(T, 5, false), zoneName(T)]).toEqual(['19:05', '19:05:30', 'UTC']);
    expect(formatTime(T / 1000)).toContain('19:05');
    applyTimeSettings({ clock: 'locale', utc: true });
    // As the language of the process writes a clock time (en-US: `07:05 PM`).
    const languages = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(T);
    expect(formatTick(T, 60, false)).toBe(languages);
    expect(formatTime(T / 1000)).toContain(languages);
  });

  it('put the day under the first tick of a day, and ticks a day apart as days', () => {
    applyTimeSettings({ clock: '24h', utc: true });
    expect(formatTick(T, 3600, true)).toEqual(['19:05', 'Dec 7']);
    expect(formatTick(T, 86_400, false)).toBe('Dec 7');
    expect(dayNumber(T)).toBe(dayNumber(Date.UTC(2026, 11, 7)));
    expect(dayNumber(T)).not.toBe(dayNumber(Date.UTC(2026, 11, 8)));
  });

  it('read back a time from a form field as the field shows it', () => {
    applyTimeSettings({ clock: '24h', utc: true });
    expect(toLocalInput(T / 1000)).toBe('2026-12-07T19:05');
    expect(fromLocalInput('2026-12-07T19:05')).toBe(Date.UTC(2026, 11, 7, 19, 5) / 1000);
    expect(fromLocalInput('')).toBeNaN();
  });

  it('default to the language’s clock in the browser’s zone where none was saved', () => {
    expect(loadTimeSettings()).toEqual({ clock: 'locale', utc: false });
    expect(timeSettings()).toEqual(DEFAULT_TIME_SETTINGS);
  });
});
