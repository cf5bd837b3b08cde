/** What a listed downtime offers (downtime-lists.ts actionsOf) and what an edit sends (downtime-form-fields.ts changesOf). */
import { describe, expect, it } from 'vitest';
import type { Downtime } from '../../web/src/api-types.js';
import { changesOf, valuesOfDowntime, valuesOfRange } from '../../web/src/downtime-form-fields.js';
import { actionsOf } from '../../web/src/downtime-lists.js';

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
  });
});
