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
    const report = textBody({
      definition: { name: 'daily', cron: '0 8 * * *', timezone: 'UTC', notify: ['ops'], match: '**', groupBy: 2, statuses: ['CRITICAL'] },
      at: n.at,
      matched: 1,
      subject: 'daily',
      groups: [
        {
          name: 'host.web01',
          counts: { CRITICAL: 1 },
          lines: [{ series: n.series, rule: 'cpu', status: 'CRITICAL', since: n.at - AGE, value: 97.2, threshold: '> 95', group: 'host.web01', durationSeconds: AGE }],
        },
      ],
    });
    expect(mail).toContain('(for 3d)');
    expect(report).toContain('(3d)');
    expect(mail).not.toContain('3d 5s');
  });
});
