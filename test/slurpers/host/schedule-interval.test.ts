/** The cadence a slurper instance's samples carry: its every, or its cron schedule's shortest gap. */
import { describe, expect, it } from 'vitest';
import { scheduleInterval } from '../../../slurpers/host/schedule-interval.js';

describe('scheduleInterval', () => {
  it('is the every of an every schedule', () => {
    expect(scheduleInterval({ every: 30 })).toBe(30);
    expect(scheduleInterval({ every: 0.5 })).toBe(0.5);
  });

  it('is the shortest gap between the next runs of a cron schedule', () => {
    expect(scheduleInterval({ cron: '30 0 * * *' })).toBe(86400);
    expect(scheduleInterval({ cron: '*/5 * * * *' })).toBe(300);
    expect(scheduleInterval({ cron: '*/5 9-17 * * 1-5' })).toBe(300);
    expect(scheduleInterval({ cron: '0 9,17 * * *' })).toBe(8 * 3600);
    expect(scheduleInterval({ cron: '*/2 * * * * *' })).toBe(2);
  });

  it('sees weekly and monthly schedules whole: a week, and the shortest month (the ladder has 1w and 4w steps)', () => {
    expect(scheduleInterval({ cron: '0 6 * * 1' })).toBe(7 * 86400);
    // The next 30 runs span two and a half years, so a February of 28 days is among them.
    expect(scheduleInterval({ cron: '0 6 1 * *' })).toBe(28 * 86400);
  });
});
