/** Subjects and the words and numbers in them: specific for one notice, a summary for a group. */
import { describe, expect, it } from 'vitest';
import { formatElapsed as formatDuration } from '../../../lib/duration.js';
import { formatValue } from '../../../server/notify/format.js';
import type { Payload } from '../../../server/notify/model.js';
import { subjectOf } from '../../../server/notify/subject.js';
import { notice } from './helpers/fixtures.js';
import type { AlarmNotice } from '../../../server/notify/index.js';

const alarm = (over: Partial<AlarmNotice> = {}): Payload => ({ kind: 'alarm', notice: notice(over) });

describe('subjectOf', () => {
  it('names one notice by kind, series, value and threshold', () => {
    expect(subjectOf([alarm()])).toBe('[ringmon] CRITICAL host.web01.cpu.user = 97.2 (> 95)');
    expect(subjectOf([alarm({ status: 'WARNING', threshold: '> 80', value: 85 })])).toBe('[ringmon] WARNING host.web01.cpu.user = 85 (> 80)');
    expect(subjectOf([alarm({ kind: 'recovery', status: 'OK', previous: 'WARNING', value: 12.5, threshold: null })])).toBe('[ringmon] RECOVERED host.web01.cpu.user = 12.5 (was WARNING)');
    expect(subjectOf([alarm({ kind: 'reminder' })])).toBe('[ringmon] still CRITICAL host.web01.cpu.user = 97.2 (> 95)');
    expect(subjectOf([alarm({ kind: 'downtime-over' })])).toBe('[ringmon] CRITICAL after downtime host.web01.cpu.user = 97.2 (> 95)');
    expect(subjectOf([alarm({ status: 'NODATA', value: null, threshold: 'no data for 10m' })])).toBe('[ringmon] NODATA host.web01.cpu.user (no data for 10m)');
  });

  it('summarises a group, worst first', () => {
    const group = [
      alarm({ kind: 'recovery', status: 'OK', previous: 'CRITICAL', threshold: null }),
      alarm({ status: 'WARNING' }),
      alarm(),
      alarm({ status: 'NODATA', value: null }),
      alarm(),
    ];
    expect(subjectOf(group)).toBe('[ringmon] 5 alarms: 2 CRITICAL, 1 NODATA, 1 WARNING, 1 recovered');
  });

  it("takes a report's own subject, on one line", () => {
    expect(subjectOf([{ kind: 'report', report: { subject: 'Weekly\r\nBcc: someone@else', text: '', html: '', attachments: [] } }])).toBe('Weekly Bcc: someone@else');
  });
});

describe('numbers for people', () => {
  // Issue 16: three significant digits, no four-decimal noise (it was up to six).
  it('writes values with three significant digits, integers whole', () => {
    expect([97.2, 0.1 + 0.2, 1234567, 0.00031, 1e-9, -5, 0].map(formatValue)).toEqual(['97.2', '0.300', '1234567', '0.000310', '1.00e-9', '-5', '0']);
    expect([30.0004, 97.25, 13.5, 99.96, 999.6, 1234.56, -0.5].map(formatValue)).toEqual(['30.0', '97.3', '13.5', '100', '1000', '1235', '-0.500']);
  });

  it('writes durations in their two largest units', () => {
    expect([0, 40, 300, 725, 3 * 86_400 + 4 * 3600 + 5].map(formatDuration)).toEqual(['0s', '40s', '5m', '12m 5s', '3d 4h']);
  });
});
