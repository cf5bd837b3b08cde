/**
 * InstanceRuns: what the runs of the server's instances said, for their
 * nodes — last run, its up, last good run; a restarted instance keeps its
 * history, a stopped one is gone; a series belongs to the running instance
 * that is its longest dotted prefix.
 */
import { describe, expect, it } from 'vitest';
import { InstanceRuns } from '../../../server/slurpers/instance-runs.js';

describe('InstanceRuns', () => {
  it('keeps each instance’s last run, its up and its last good run', () => {
    let now = 100;
    const runs = new InstanceRuns(() => now);
    runs.started('web01.http', 'http', 10);
    expect(runs.list()).toEqual([{ name: 'web01.http', slurper: 'http', interval: 10, startedAt: 100 }]);
    runs.ran('web01.http', 110, true);
    runs.ran('web01.http', 120, false);
    runs.ran('nobody', 120, true);
    expect(runs.list()).toEqual([{ name: 'web01.http', slurper: 'http', interval: 10, startedAt: 100, lastRun: 120, up: false, lastGood: 110 }]);

    now = 130; // a reload changed its interval: what its runs said stays
    runs.started('web01.http', 'http', 30);
    expect(runs.list()[0]).toMatchObject({ interval: 30, startedAt: 100, lastRun: 120, up: false, lastGood: 110 });
    runs.stopped('web01.http');
    expect(runs.list()).toEqual([]);
  });

  it('maps a series to the running instance that is its longest dotted prefix', () => {
    const runs = new InstanceRuns();
    runs.started('web01', 'ping', 10);
    runs.started('web01.http', 'http', 10);
    expect(runs.nodeOf('web01.http.status')).toBe('web01.http');
    expect(runs.nodeOf('web01.rtt_seconds')).toBe('web01');
    expect(runs.nodeOf('web01')).toBeUndefined();
    expect(runs.nodeOf('web02.http.status')).toBeUndefined();
    runs.stopped('web01.http');
    expect(runs.nodeOf('web01.http.status')).toBe('web01');
  });
});
