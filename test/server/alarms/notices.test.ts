/**
 * Notices built from the policy's answers: a change notice tells the
 * transition, a reminder tells the state as it stands (no transition with
 * from = to), and the mail of a reminder reads as it always has.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmState, Transition } from '../../../server/alarms/model.js';
import { changeNotice, standingNotice } from '../../../server/alarms/notices.js';
import type { ActiveDowntime } from '../../../server/downtimes/index.js';
import { alarmBodies } from '../../../server/notify/email-body.js';

const T0 = 1_800_000_000;
const graphUrl = 'http://mon.test/?view=graph&s=rack.r1.temp';
const state: AlarmState = { series: 'rack.r1.temp', rule: 'temp', status: 'CRITICAL', since: T0, value: 45, threshold: '> 40', lastSampleAt: T0 + 86_390 };

describe('notices', () => {
  it('a problem tells the transition, at its time', () => {
    const t: Transition = { series: 'rack.r1.temp', rule: 'temp', from: 'WARNING', to: 'CRITICAL', at: T0, value: 45, threshold: '> 40' };
    expect(changeNotice('problem', t, undefined, graphUrl)).toEqual({ kind: 'problem', series: 'rack.r1.temp', rule: 'temp', status: 'CRITICAL', previous: 'WARNING', since: T0, at: T0, value: 45, threshold: '> 40', graphUrl });
  });

  it('a reminder tells the state: since its start, at now, and names an unplanned downtime', () => {
    const incident = { downtime: { id: 4, kind: 'unplanned', reason: 'feed B lost' } } as ActiveDowntime;
    expect(standingNotice('reminder', state, T0 + 86_400, incident, graphUrl)).toEqual({
      kind: 'reminder',
      series: 'rack.r1.temp',
      rule: 'temp',
      status: 'CRITICAL',
      previous: 'CRITICAL',
      since: T0,
      at: T0 + 86_400,
      value: 45,
      threshold: '> 40',
      downtime: { id: 4, kind: 'unplanned', reason: 'feed B lost' },
      graphUrl,
    });
  });

  it('the mail of a reminder reads as before', () => {
    const { text } = alarmBodies([standingNotice('reminder', state, T0 + 86_400, undefined, graphUrl)]);
    expect(text).toBe(
      [
        'ringmon alarm at 2027-01-16 08:00:00 UTC',
        '',
        'still CRITICAL rack.r1.temp = 45 (> 40)',
        '  value:     45',
        '  threshold: > 40',
        '  since:     2027-01-15 08:00:00 UTC (for 1d)',
        '  was:       CRITICAL',
        '  rule:      temp',
        `  graph:     ${graphUrl}`,
        '',
      ].join('\n'),
    );
  });
});
