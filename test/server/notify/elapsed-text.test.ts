/**
 * How long an alarm has lasted reads the same in a notice and in a report
 * (both lib/duration.ts formatElapsed): a problem 3 days and 5 seconds old
 * is "3d" in both, where notices used to say "3d 5s".
 */
import { describe, expect, it } from 'vitest';
import { alarmBodies } from '../../../server/notify/email-body.js';
import { textBody } from '../../../server/reports/report-bodies.js';
import { notice } from './helpers/fixtures.js';

const AGE = 3 * 86_400 + 5;

describe('elapsed time in notices and reports', () => {
  it('is the same text in both', () => {
    const n = notice();
    const mail = alarmBodies([notice({ since: n.at - AGE })]).text;
    const line = {
      group: 'host.web01',
      series: n.series,
      rule: 'cpu',
      worst: 'CRITICAL' as const,
      worstValue: 97.2,
      worstThreshold: '> 95',
      notOkSeconds: AGE,
      badSpells: 1,
      firstBad: n.at - AGE,
      lastBad: n.at,
      plannedSeconds: 0,
      notOkPlannedSeconds: 0,
      availability: 0,
      plannedDowntimes: [],
      end: { status: 'CRITICAL' as const, since: n.at - AGE, value: 97.2, threshold: '> 95' },
    };
    const report = textBody({
      definition: { name: 'daily', cron: '0 8 * * *', timezone: 'UTC', notify: ['ops'], match: '**', groupBy: 2, statuses: ['CRITICAL'], keep: 90 * 86_400 },
      at: n.at,
      window: { from: n.at - 4 * 86_400, to: n.at },
      matched: 1,
      subject: 'daily',
      groups: [{ name: 'host.web01', lines: [line], counts: { CRITICAL: 1 }, worst: 'CRITICAL', notOkSeconds: AGE, availability: 0 }],
    });
    expect(mail).toContain('(for 3d)');
    // The report's period model (issue 16) writes the time not OK as `3d (259205 s)`.
    expect(report).toContain('not OK: 3d (');
    expect(mail).not.toContain('3d 5s');
  });
});
