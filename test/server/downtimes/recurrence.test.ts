/**
 * Recurring windows in a time zone: local times kept across daylight-saving
 * changes in both directions, whatever the zone of the process, the rule's
 * COUNT and UNTIL, and rules that must be refused naming the field.
 */
import rrule from 'rrule';
import { afterEach, describe, expect, it } from 'vitest';
import { Recurrence } from '../../../server/downtimes/recurrence.js';
import { fromWallTime, toWallTime, zoneOffset } from '../../../server/downtimes/time-zone.js';

const utc = (iso: string): number => Date.parse(iso) / 1000;
const iso = (t: number): string => new Date(t * 1000).toISOString().replace(':00.000Z', 'Z');

function compile(rule: string, zone: string, start: string, end: string): Recurrence {
  const r = Recurrence.compile(rule, zone, utc(start), utc(end));
  if (Array.isArray(r)) throw new Error(JSON.stringify(r));
  return r;
}

const originalTz = process.env.TZ;
afterEach(() => {
  // Assigning undefined would set the string 'undefined'.
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('time zones', () => {
  it('reads wall times across both changes of Europe/Berlin, skipping forward over the gap and taking the first of a repeated hour', () => {
    expect(zoneOffset('Europe/Berlin', utc('2026-01-15T12:00Z'))).toBe(3600);
    expect(zoneOffset('Europe/Berlin', utc('2026-07-15T12:00Z'))).toBe(7200);
    // 2026-03-29 02:30 does not exist in Berlin: it is read as 03:30 CEST.
    expect(iso(fromWallTime('Europe/Berlin', utc('2026-03-29T02:30Z')))).toBe('2026-03-29T01:30Z');
    // 2026-10-25 02:30 happens twice: the first, still CEST.
    expect(iso(fromWallTime('Europe/Berlin', utc('2026-10-25T02:30Z')))).toBe('2026-10-25T00:30Z');
    expect(iso(fromWallTime('America/New_York', utc('2026-11-01T01:30Z')))).toBe('2026-11-01T05:30Z');
    for (const t of [utc('2026-03-29T00:59:59Z'), utc('2026-03-29T01:00Z'), utc('2026-10-25T00:59:59Z'), utc('2026-10-25T02:00Z')]) {
      expect(fromWallTime('Europe/Berlin', toWallTime('Europe/Berlin', t)), iso(t)).toBe(t);
    }
    // 01:00Z is 02:00 CET, the second 02:00 of that night: its wall time reads back as the first.
    expect(iso(fromWallTime('Europe/Berlin', toWallTime('Europe/Berlin', utc('2026-10-25T01:00Z'))))).toBe('2026-10-25T00:00Z');
  });
});

describe('a weekly window in Europe/Berlin', () => {
  // Tuesday 06:00–08:00 local, first on 2026-10-13 (CEST, UTC+2); clocks go back on Sunday 2026-10-25.
  const weekly = (): Recurrence => compile('FREQ=WEEKLY;BYDAY=TU', 'Europe/Berlin', '2026-10-13T04:00Z', '2026-10-13T06:00Z');

  it('stays at 06:00 local across the change to winter time', () => {
    const windows = weekly().between(utc('2026-10-01T00:00Z'), utc('2026-11-04T00:00Z'));
    expect(windows.map((w) => [iso(w.start), iso(w.end as number)])).toEqual([
      ['2026-10-13T04:00Z', '2026-10-13T06:00Z'],
      ['2026-10-20T04:00Z', '2026-10-20T06:00Z'],
      ['2026-10-27T05:00Z', '2026-10-27T07:00Z'],
      ['2026-11-03T05:00Z', '2026-11-03T07:00Z'],
    ]);
  });

  it('stays at 06:00 local across the change to summer time', () => {
    const r = compile('FREQ=WEEKLY;BYDAY=TU', 'Europe/Berlin', '2026-03-17T05:00Z', '2026-03-17T07:00Z');
    expect(r.between(utc('2026-03-20T00:00Z'), utc('2026-04-05T00:00Z')).map((w) => iso(w.start))).toEqual(['2026-03-24T05:00Z', '2026-03-31T04:00Z']);
  });

  it('answers the alarm question at the edges of a window after the change', () => {
    const r = weekly();
    expect(r.at(utc('2026-10-27T04:30Z'))).toBeUndefined(); // 05:30 local: not yet
    expect(r.at(utc('2026-10-27T05:00Z'))).toEqual({ start: utc('2026-10-27T05:00Z'), end: utc('2026-10-27T07:00Z') });
    expect(r.at(utc('2026-10-27T06:59:59Z'))).toBeDefined();
    expect(r.at(utc('2026-10-27T07:00Z'))).toBeUndefined(); // end is exclusive
    expect(r.at(utc('2026-10-12T04:30Z'))).toBeUndefined(); // before the first
  });

  it('gives the same windows whatever the zone of the process', () => {
    const expected = weekly().between(utc('2026-10-01T00:00Z'), utc('2026-12-01T00:00Z'));
    for (const tz of ['America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Chatham']) {
      process.env.TZ = tz;
      expect(new Date(utc('2026-07-01T00:00Z') * 1000).getTimezoneOffset(), tz).not.toBe(0);
      expect(weekly().between(utc('2026-10-01T00:00Z'), utc('2026-12-01T00:00Z')), tz).toEqual(expected);
    }
  });
});

describe('rules', () => {
  it('stop after COUNT occurrences and at UNTIL', () => {
    const counted = compile('FREQ=DAILY;COUNT=3', 'UTC', '2026-12-01T08:00Z', '2026-12-01T09:00Z');
    expect(counted.between(utc('2026-11-01T00:00Z'), utc('2027-01-01T00:00Z'))).toHaveLength(3);
    const until = compile('RRULE:FREQ=DAILY;UNTIL=20261205T080000Z', 'UTC', '2026-12-01T08:00Z', '2026-12-01T09:00Z');
    expect(until.between(utc('2026-11-01T00:00Z'), utc('2027-01-01T00:00Z')).map((w) => iso(w.start)).at(-1)).toBe('2026-12-05T08:00Z');
  });

  it('list only windows that overlap the range, with end exclusive', () => {
    const daily = compile('FREQ=DAILY', 'UTC', '2026-12-01T08:00Z', '2026-12-01T10:00Z');
    expect(daily.between(utc('2026-12-02T10:00Z'), utc('2026-12-03T08:00Z'))).toEqual([]);
    expect(daily.between(utc('2026-12-02T09:59:59Z'), utc('2026-12-03T08:00:01Z'))).toHaveLength(2);
  });

  it.each([
    ['FREQ=FORTNIGHTLY', 'rrule', /FREQ/],
    ['BYDAY=TU', 'rrule', /needs FREQ/],
    ['garbage', 'rrule', /does not parse/],
    ['FREQ=MINUTELY', 'rrule', /finest FREQ .* is HOURLY/],
    ['FREQ=WEEKLY;BYHOUR=25', 'rrule', /BYHOUR must be between 0 and 23/],
    ['FREQ=WEEKLY;BYDAY=XX', 'rrule', /BYDAY/],
    ['FREQ=WEEKLY;INTERVAL=0', 'rrule', /INTERVAL/],
    ['DTSTART:20261201T080000Z;FREQ=DAILY', 'rrule', /DTSTART/],
    ['FREQ=DAILY\nFREQ=WEEKLY', 'rrule', /one RRULE line/],
    ['FREQ=WEEKLY;BYDAY=WE', 'start', /not an occurrence .* 2026-12-02T08:00:00.000Z/],
    ['FREQ=DAILY;UNTIL=20261130T000000Z', 'rrule', /no occurrence/],
    // Bounds on the walk (issue 14): DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=1000 took 11 s to expand.
    ['FREQ=DAILY;COUNT=501', 'rrule', /COUNT must be from 1 to 500; for more, give UNTIL/],
    ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29', 'rrule', /BYMONTH picks days of the month or year: use FREQ=MONTHLY or YEARLY/],
    ['FREQ=HOURLY;BYMONTHDAY=1', 'rrule', /BYMONTHDAY picks days/],
    ['FREQ=HOURLY;BYYEARDAY=1', 'rrule', /BYYEARDAY picks days/],
    ['FREQ=DAILY;BYWEEKNO=1', 'rrule', /BYWEEKNO picks days/],
  ])('refuses %j naming %s', (rule, field, message) => {
    const problems = Recurrence.compile(rule, 'UTC', utc('2026-12-01T08:00Z'), utc('2026-12-01T10:00Z'));
    expect(Array.isArray(problems)).toBe(true);
    expect(problems).toEqual([{ field, message: expect.stringMatching(message) }]);
  });
});

describe('bounds', () => {
  it('ends every rule by 2199, and caps one expansion', () => {
    const start = utc('2199-12-30T08:00Z');
    const daily = Recurrence.compile('FREQ=DAILY', 'UTC', start, start + 3600) as Recurrence;
    expect(daily.between(start, start + 10 * 86_400).map((w) => w.start)).toEqual([start, start + 86_400]);
    const hourly = Recurrence.compile('FREQ=HOURLY', 'UTC', utc('2026-12-01T08:00Z'), utc('2026-12-01T08:30Z')) as Recurrence;
    expect(hourly.between(utc('2026-12-01T08:00Z'), utc('2027-12-01T08:00Z'), 25)).toHaveLength(25);
  });
});

describe('expansion far from the first window', () => {
  // Recurrence starts its walk at a later period boundary for rules of fixed periods; the library itself walks from DTSTART.
  it.each([
    ['FREQ=DAILY', 'UTC'],
    ['FREQ=DAILY;INTERVAL=3;BYHOUR=8,20', 'Europe/Berlin'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR', 'Europe/Berlin'],
    ['FREQ=WEEKLY;BYDAY=TU;WKST=SU;UNTIL=20300101T000000Z', 'America/New_York'],
    ['FREQ=HOURLY;INTERVAL=5', 'Australia/Lord_Howe'],
    ['FREQ=MONTHLY;BYMONTHDAY=1', 'Europe/Berlin'],
    ['FREQ=DAILY;COUNT=400', 'UTC'],
  ])('gives the windows of a walk from the start: %s in %s', (rule, zone) => {
    const start = '2026-12-01T07:00Z'; // a Tuesday; 08:00 in Berlin
    const r = compile(rule, zone, start, '2026-12-01T08:30Z');
    const reference = new rrule.RRule({ ...rrule.RRule.parseString(rule), dtstart: new Date(toWallTime(zone, utc(start)) * 1000) });
    for (const [from, to] of [['2027-03-01T00:00Z', '2027-04-15T00:00Z'], ['2029-10-20T00:00Z', '2029-11-05T00:00Z']]) {
      const walls = reference.between(new Date((toWallTime(zone, utc(from)) - 2 * 86_400) * 1000), new Date((toWallTime(zone, utc(to)) + 86_400) * 1000), true);
      const expected = walls.map((d) => fromWallTime(zone, d.getTime() / 1000)).filter((t) => t < utc(to) && fromWallTime(zone, toWallTime(zone, t) + 5400) > utc(from));
      expect(r.between(utc(from), utc(to)).map((w) => w.start), `${from}`).toEqual(expected);
    }
  });
});
