/** What a listed downtime offers (downtime-lists.ts actionsOf), a recurring one's next window, and what an edit sends (downtime-form-fields.ts changesOf). */
import { describe, expect, it } from 'vitest';
import type { Downtime } from '../../web/src/api-types.js';
import { changesOf, valuesOfDowntime, valuesOfRange } from '../../web/src/downtime-form-fields.js';
import { actionsOf, sortDowntimes } from '../../web/src/downtime-lists.js';

const NOW = 1_800_000_000;
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

const downtime = (over: Partial<Downtime> = {}): Downtime => ({
  id: 1,
  kind: 'planned',
  status: 'filed',
  scope: { series: ['a.b.c', 'a.b.*'], agents: [] },
  start: iso(NOW + 3600),
  end: iso(NOW + 7200),
  rrule: null,
  timezone: 'Europe/Berlin',
  reason: 'patching',
  author: 'alice',
  created: iso(NOW),
  updated: iso(NOW),
  ...over,
});

describe('actionsOf', () => {
  const listed = (d: Downtime, start: number, end: number | null) => ({ downtime: d, window: { start: iso(start), end: end === null ? null : iso(end) } });

  it('offers edit and cancel before a window begins, edit and end during one, nothing after', () => {
    expect(actionsOf(listed(downtime(), NOW + 60, NOW + 120), NOW)).toEqual(['edit', 'cancel']);
    expect(actionsOf(listed(downtime(), NOW - 60, NOW + 120), NOW)).toEqual(['edit', 'end']);
    expect(actionsOf(listed(downtime({ kind: 'unplanned', end: null }), NOW - 60, null), NOW)).toEqual(['edit', 'end']);
    expect(actionsOf(listed(downtime(), NOW - 120, NOW), NOW)).toEqual([]);
  });

  it('cancels a recurring one in effect rather than ending it (the API ends none that recurs)', () => {
    expect(actionsOf(listed(downtime({ rrule: 'FREQ=DAILY' }), NOW - 60, NOW + 120), NOW)).toEqual(['edit', 'cancel']);
  });
});

describe('editing', () => {
  it('prefills the form with the wall times of the downtime\'s own zone', () => {
    expect(valuesOfDowntime(downtime())).toEqual({
      kind: 'planned',
      scope: 'a.b.c, a.b.*',
      start: '2027-01-15T10:00',
      end: '2027-01-15T11:00',
      rrule: '',
      timezone: 'Europe/Berlin',
      reason: 'patching',
    });
  });

  it('sends only what changed; an emptied end or rule as null', () => {
    const before = valuesOfDowntime(downtime({ rrule: 'FREQ=WEEKLY' }));
    expect(changesOf(before, before)).toEqual({});
    expect(changesOf(before, { ...before, reason: 'patching and reboot', end: '2027-01-15T12:00' })).toEqual({ reason: 'patching and reboot', end: '2027-01-15T12:00' });
    expect(changesOf(before, { ...before, rrule: '', scope: 'a.b.c,a.b.*' })).toEqual({ rrule: null });
    expect(changesOf(before, { ...before, kind: 'unplanned', end: '' })).toEqual({ kind: 'unplanned', end: null });
  });

  it('sends both times with a new zone, so they are read in it', () => {
    const before = valuesOfDowntime(downtime());
    expect(changesOf(before, { ...before, timezone: 'UTC' })).toEqual({ timezone: 'UTC', start: '2027-01-15T10:00', end: '2027-01-15T11:00' });
  });
});

describe('valuesOfRange', () => {
  it('gives a planned downtime of the series over the range, in the zone given', () => {
    expect(valuesOfRange(['x.y', 'x.z'], NOW, NOW + 1800, 'UTC')).toEqual({ kind: 'planned', scope: 'x.y, x.z', start: '2027-01-15T08:00', end: '2027-01-15T08:30', rrule: '', timezone: 'UTC', reason: '' });
    // To the nearest minute on both sides.
    expect(valuesOfRange(['x.y'], NOW + 29, NOW + 1830, 'Europe/Berlin')).toMatchObject({ start: '2027-01-15T09:00', end: '2027-01-15T09:31', timezone: 'Europe/Berlin' });
  });
});

describe('the next window of a recurring downtime', () => {
  it('is the first window after now, for one in effect and for one coming', () => {
    const window = (start: number) => ({ start: iso(start), end: iso(start + 600) });
    const inEffect = downtime({ id: 1, rrule: 'FREQ=HOURLY', start: iso(NOW - 7200), end: iso(NOW - 6600), windows: [window(NOW - 300)] });
    const coming = downtime({ id: 2, rrule: 'FREQ=DAILY', start: iso(NOW + 600), end: iso(NOW + 1200) });
    const once = downtime({ id: 3, start: iso(NOW + 900), end: iso(NOW + 1500) });
    const ahead = [
      { ...inEffect, windows: [window(NOW - 300), window(NOW + 3300), window(NOW + 6900)] },
      { ...coming, windows: [window(NOW + 600), window(NOW + 87_000)] },
      { ...once, windows: [window(NOW + 900)] },
    ];
    const lists = sortDowntimes([inEffect, coming, once], [inEffect], ahead, NOW);
    expect(lists.active.map((l) => [l.downtime.id, l.next])).toEqual([[1, window(NOW + 3300)]]);
    expect(lists.upcoming.map((l) => [l.downtime.id, l.window, l.next])).toEqual([
      [2, window(NOW + 600), window(NOW + 600)],
      [3, window(NOW + 900), undefined],
    ]);
  });
});
