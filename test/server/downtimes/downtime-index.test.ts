/**
 * The in-memory index: windows are [start, end) at both questions' edges,
 * open unplanned downtimes, scopes by glob and by agent, changes seen at
 * once, and the same answers as a naive scan on thousands of random
 * downtimes.
 */
import { describe, expect, it } from 'vitest';
import { DowntimeIndex, type ActiveDowntime } from '../../../server/downtimes/downtime-index.js';
import type { Downtime } from '../../../server/downtimes/index.js';
import { compileRecurrence, scopeCovers, windowAt } from '../../../server/downtimes/occurrences.js';

const T = 1_796_112_000; // 2026-12-01T08:00:00Z, a Tuesday

function downtime(id: number, over: Partial<Downtime> = {}): Downtime {
  return {
    id,
    kind: 'planned',
    status: 'filed',
    scope: { series: ['host.web01.*'], agents: [] },
    start: T,
    end: T + 3600,
    rrule: null,
    timezone: 'UTC',
    reason: 'test',
    author: 'alice',
    createdAt: T,
    updatedBy: 'alice',
    updatedAt: T,
    revision: 1,
    ...over,
  };
}

describe('edges', () => {
  const index = new DowntimeIndex([downtime(1)]);

  it('counts the start in and the end out, for the alarm question', () => {
    expect(index.activePlannedDowntime('host.web01.cpu', T - 1)).toBeUndefined();
    expect(index.activePlannedDowntime('host.web01.cpu', T)?.downtime.id).toBe(1);
    expect(index.activePlannedDowntime('host.web01.cpu', T + 3599.999)?.window).toEqual({ start: T, end: T + 3600 });
    expect(index.activePlannedDowntime('host.web01.cpu', T + 3600)).toBeUndefined();
  });

  it('does not list a downtime ending exactly when a graph starts, or starting exactly when it ends', () => {
    expect(index.touching('host.web01.cpu', T + 3600, T + 7200)).toEqual([]);
    expect(index.touching('host.web01.cpu', T - 3600, T)).toEqual([]);
    expect(index.touching('host.web01.cpu', T + 3599, T + 7200).map((t) => t.downtime.id)).toEqual([1]);
    expect(index.touching('host.web01.cpu', T - 3600, T + 1)[0].windows).toEqual([{ start: T, end: T + 3600 }]);
  });

  it('matches series by their whole name', () => {
    expect(index.activePlannedDowntime('host.web01', T)).toBeUndefined();
    expect(index.activePlannedDowntime('host.web01.cpu.user', T)).toBeUndefined();
    expect(index.activePlannedDowntime('host.web011.cpu', T)).toBeUndefined();
    expect(index.activePlannedDowntime('xhost.web01.cpu', T)).toBeUndefined();
  });
});

describe('open unplanned downtimes', () => {
  const index = new DowntimeIndex([downtime(1, { kind: 'unplanned', end: null, scope: { series: [], agents: ['web02'] } })]);

  it('touch every graph after their start, for the agent they name', () => {
    const far = T + 10 * 365 * 86_400;
    expect(index.touching('host.web02.cpu', far, far + 60, 'web02')).toEqual([{ downtime: expect.objectContaining({ id: 1 }), windows: [{ start: T, end: null }] }]);
    expect(index.touching('host.web02.cpu', T - 60, T, 'web02')).toEqual([]);
    expect(index.touching('host.web02.cpu', far, far + 60, 'web03')).toEqual([]);
    expect(index.touching('host.web02.cpu', far, far + 60)).toEqual([]);
  });

  it('never silence alarms: only planned downtimes do', () => {
    expect(index.activePlannedDowntime('host.web02.cpu', T + 60, 'web02')).toBeUndefined();
  });
});

describe('several downtimes and changes', () => {
  it('answers with the window that ends last, and sees every change at once', () => {
    const index = new DowntimeIndex([
      downtime(1, { end: T + 600 }),
      downtime(2, { scope: { series: ['**'], agents: [] }, start: T - 60, end: T + 7200 }),
      downtime(3, { scope: { series: ['host.*.cpu'], agents: [] }, rrule: 'FREQ=DAILY', end: T + 1800 }),
    ]);
    expect(index.activePlannedDowntime('host.web01.cpu', T + 10)?.downtime.id).toBe(2);
    expect(index.activePlannedDowntime('host.web01.cpu', T + 86_400 + 10)?.downtime.id).toBe(3);
    expect(index.activePlannedDowntime('host.web01.cpu', T + 86_400 + 10)?.window).toEqual({ start: T + 86_400, end: T + 86_400 + 1800 });
    // Cached views of series the changes below reach, before the changes.
    expect(index.activePlannedDowntime('host.web01.disk', T + 86_400 + 10)).toBeUndefined();
    expect(index.activePlannedDowntime('host.web09.load', T + 7300, 'web09')).toBeUndefined();
    index.put(downtime(2, { status: 'cancelled', scope: { series: ['**'], agents: [] }, start: T - 60, end: T + 7200 }));
    expect(index.activePlannedDowntime('host.web01.cpu', T + 10)?.downtime.id).toBe(3);
    index.put(downtime(3, { scope: { series: ['host.*.disk'], agents: [] }, rrule: 'FREQ=DAILY', end: T + 1800 }));
    expect(index.activePlannedDowntime('host.web01.cpu', T + 10)?.downtime.id).toBe(1);
    expect(index.activePlannedDowntime('host.web01.disk', T + 86_400 + 10)?.downtime.id).toBe(3);
    index.put(downtime(4, { scope: { series: [], agents: ['web09'] }, start: T + 7200, end: T + 9000 }));
    expect(index.activePlannedDowntime('host.web09.load', T + 7300, 'web09')?.downtime.id).toBe(4);
    expect(index.activePlannedDowntime('host.web09.load', T + 7300)).toBeUndefined();
    index.remove(1);
    expect(index.activePlannedDowntime('host.web01.cpu', T + 10)).toBeUndefined();
    expect(index.size).toBe(2);
  });
});

describe('against a naive scan', () => {
  it('gives the same answers on 3,000 random downtimes', () => {
    let seed = 42;
    const rand = (n: number): number => ((seed = (seed * 48271) % 2147483647) % n);
    const hosts = Array.from({ length: 40 }, (_, i) => `web${String(i).padStart(2, '0')}`);
    const patterns = (): string => [`host.${hosts[rand(40)]}.*`, `host.${hosts[rand(40)]}.**`, `host.web${rand(4)}*.cpu`, '**.disk.*', `app.${rand(5)}.**`, `host.*.net.${rand(3)}`][rand(6)];
    const all: Downtime[] = [];
    for (let id = 1; id <= 3000; id++) {
      const start = T + rand(60 * 24) * 3600;
      const kind = rand(5) === 0 ? 'unplanned' : 'planned';
      const rrule = kind === 'planned' && rand(8) === 0 ? ['FREQ=DAILY', 'FREQ=WEEKLY', 'FREQ=HOURLY;INTERVAL=5'][rand(3)] : null;
      all.push(
        downtime(id, {
          kind,
          scope: { series: rand(6) === 0 ? [] : [patterns()], agents: rand(6) === 0 ? [hosts[rand(40)]] : [] },
          start,
          end: kind === 'unplanned' && rand(3) === 0 ? null : start + (1 + rand(48)) * 900,
          rrule,
          timezone: rrule && rand(2) ? 'Europe/Berlin' : 'UTC',
          status: rand(20) === 0 ? 'cancelled' : 'filed',
        }),
      );
    }
    const index = new DowntimeIndex(all);
    const compiled = all.map((d) => ({ d, r: compileRecurrence(d) }));
    const naive = (series: string, t: number, agent: string): ActiveDowntime | undefined => {
      let best: ActiveDowntime | undefined;
      for (const { d, r } of compiled) {
        if (d.status !== 'filed' || d.kind !== 'planned' || !scopeCovers(d, series, agent)) continue;
        const window = windowAt(d, r, t);
        if (!window) continue;
        const end = window.end ?? Infinity;
        const bestEnd = best ? (best.window.end ?? Infinity) : -Infinity;
        if (!best || end > bestEnd || (end === bestEnd && d.id < best.downtime.id)) best = { downtime: d, window };
      }
      return best;
    };
    const leaves = ['cpu', 'disk.sda', 'net.1', 'load'];
    let hits = 0;
    for (let q = 0; q < 3000; q++) {
      const host = hosts[rand(40)];
      const series = rand(10) === 0 ? `app.${rand(5)}.latency` : `host.${host}.${leaves[rand(4)]}`;
      const t = T + rand(62 * 24 * 3600);
      const agent = hosts[rand(40)];
      const expected = naive(series, t, agent);
      const got = index.activePlannedDowntime(series, t, agent);
      expect(got?.downtime.id, `${series} at ${t}`).toBe(expected?.downtime.id);
      expect(got?.window).toEqual(expected?.window);
      if (got) hits++;
    }
    expect(hits).toBeGreaterThan(300);
  });
});
