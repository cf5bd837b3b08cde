/** A recurring downtime's rule in words (web/src/recurrence-text.ts), with wall times in the downtime's own zone. */
import { describe, expect, it } from 'vitest';
import { describeRecurrence } from '../../web/src/recurrence-text.js';
import { zonedInput } from '../../web/src/wall-time.js';

/** Monday 7 December 2026, 01:00Z = 02:00 in Berlin (CET, UTC+1). */
const MONDAY_1H_UTC = '2026-12-07T01:00:00Z';
const at = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * 3_600_000).toISOString();

const words = (rrule: string, start = MONDAY_1H_UTC, hours: number | null = 2, timezone = 'Europe/Berlin') =>
  describeRecurrence({ rrule, start, end: hours === null ? null : at(start, hours), timezone });

describe('describeRecurrence', () => {
  it('words a weekly rule by the first window\'s weekday and wall times in its zone', () => {
    expect(words('FREQ=WEEKLY')).toBe('every Monday 02:00–04:00 Europe/Berlin');
    // The same instant in UTC is 01:00–03:00.
    expect(words('FREQ=WEEKLY', MONDAY_1H_UTC, 2, 'UTC')).toBe('every Monday 01:00–03:00 UTC');
    // In summer Berlin is UTC+2: the wall time is what the rule keeps.
    expect(words('FREQ=WEEKLY', '2026-07-06T00:00:00Z')).toBe('every Monday 02:00–04:00 Europe/Berlin');
  });

  it('names several days, intervals, ordinals and month days', () => {
    expect(words('FREQ=WEEKLY;BYDAY=MO,WE,FR')).toBe('every Monday, Wednesday and Friday 02:00–04:00 Europe/Berlin');
    expect(words('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO')).toBe('every 2 weeks on Monday 02:00–04:00 Europe/Berlin');
    expect(words('FREQ=DAILY')).toBe('every day 02:00–04:00 Europe/Berlin');
    expect(words('FREQ=DAILY;INTERVAL=3')).toBe('every 3 days 02:00–04:00 Europe/Berlin');
    expect(words('FREQ=MONTHLY;BYDAY=1MO')).toBe('every month on the first Monday 02:00–04:00 Europe/Berlin');
    expect(words('FREQ=MONTHLY;BYDAY=-1FR')).toBe('every month on the last Friday 02:00–04:00 Europe/Berlin');
    expect(words('FREQ=MONTHLY')).toBe('every month on day 7 02:00–04:00 Europe/Berlin');
    expect(words('FREQ=MONTHLY;BYMONTHDAY=1,15')).toBe('every month on day 1 and 15 02:00–04:00 Europe/Berlin');
    expect(words('FREQ=YEARLY')).toBe('every year on 7 December 02:00–04:00 Europe/Berlin');
    expect(words('RRULE:freq=weekly')).toBe('every Monday 02:00–04:00 Europe/Berlin');
  });

  it('says where the rule stops', () => {
    expect(words('FREQ=WEEKLY;COUNT=5')).toBe('every Monday 02:00–04:00 Europe/Berlin, 5 times');
    expect(words('FREQ=WEEKLY;UNTIL=20270131T000000Z')).toBe('every Monday 02:00–04:00 Europe/Berlin, until 2027-01-31');
  });

  it('words windows past midnight, long ones, hourly ones and open ones', () => {
    expect(words('FREQ=WEEKLY', '2026-12-11T21:00:00Z', 4)).toBe('every Friday 22:00–02:00 (next day) Europe/Berlin');
    expect(words('FREQ=WEEKLY', MONDAY_1H_UTC, 72)).toBe('every Monday from 02:00 for 3 d Europe/Berlin');
    expect(words('FREQ=HOURLY', '2026-12-07T01:15:00Z', 1 / 3)).toBe('every hour :15–:35 Europe/Berlin');
    expect(words('FREQ=DAILY', MONDAY_1H_UTC, null)).toBe('every day from 02:00, open Europe/Berlin');
  });

  it('keeps the rule itself beside the words for parts it does not word, and alone when it cannot word it', () => {
    expect(words('FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1')).toBe('every month on Monday and Tuesday 02:00–04:00 Europe/Berlin (FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1)');
    expect(words('FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1')).toBe('repeats: FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1, 02:00–04:00 Europe/Berlin');
    expect(words('FREQ=WEEKLY', MONDAY_1H_UTC, 2, 'Mars/Olympus')).toBe('repeats: FREQ=WEEKLY (Mars/Olympus)');
  });
});

describe('zonedInput', () => {
  it('gives the wall time of an instant in a zone, as a datetime-local value', () => {
    expect(zonedInput(Date.parse(MONDAY_1H_UTC) / 1000, 'Europe/Berlin')).toBe('2026-12-07T02:00');
    expect(zonedInput(Date.parse(MONDAY_1H_UTC) / 1000, 'America/New_York')).toBe('2026-12-06T20:00');
    expect(zonedInput(Date.parse('2026-12-31T23:59:00Z') / 1000, 'UTC')).toBe('2026-12-31T23:59');
  });
});
