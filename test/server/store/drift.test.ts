/**
 * Drift judged from a series' recent sample gaps (server/store/drift.ts):
 * slow past the heartbeat, fast at a quarter step or closer, never on one
 * missed run or one outage, cleared once most recent gaps fit again; and
 * reported once per episode, with the counters of /metrics kept.
 */
import { describe, expect, it } from 'vitest';
import { driftBasis, judgeDrift, medianGap, recordGaps, watchDrift, type GapRecord, type SeriesDrift } from '../../../server/store/drift.js';
import { newStoreStats } from '../../../server/store/store-stats.js';

const T = 1_700_006_400;
const BASIS = { step: 10, heartbeat: 30 };
/** Sample times at the given gaps after T. */
const at = (...gaps: number[]): { time: number }[] => {
  let t = T;
  return [{ time: t }, ...gaps.map((g) => ({ time: (t += g) }))];
};
const judge = (record: GapRecord | undefined, current?: SeriesDrift, basis = BASIS) => judgeDrift(record, basis, current, 5);

describe('the recent gaps of a series', () => {
  it('keep the last nine, oldest overwritten, and skip times not after the last', () => {
    let record = recordGaps(undefined, at(1, 2, 3, 4, 5, 6, 7, 8, 9));
    record = recordGaps(record, [{ time: T + 45 }, { time: T + 40 }, { time: T + 55 }, { time: T + 60 }]);
    expect([...record!.gaps].sort((a, b) => a - b)).toEqual([3, 4, 5, 5, 6, 7, 8, 9, 10]);
    expect(record!.count).toBe(9);
    expect(record!.last).toBe(T + 60);
  });

  it('look only at the last ten samples of a long batch (a backfill)', () => {
    const times = Array.from({ length: 10_000 }, (_, k) => ({ time: T + k * (k < 9_990 ? 1 : 60) }));
    expect(recordGaps(undefined, times)).toMatchObject({ gaps: Array(9).fill(60), count: 9 });
  });

  it('give no median below three gaps, and the median of the latest odd count', () => {
    expect(medianGap(recordGaps(undefined, at(10, 60)))).toBeUndefined();
    expect(medianGap(recordGaps(undefined, at(10, 60, 60)))).toBe(60);
    // Four gaps: the oldest (10) is left out, so the median is a real gap, not 35.
    expect(medianGap(recordGaps(undefined, at(10, 10, 60, 60)))).toBe(60);
    expect(medianGap(recordGaps(undefined, at(0.1 + 0.2, 0.3, 0.3)))).toBe(0.3);
  });
});

describe('drift', () => {
  it('is slow when most recent gaps pass the heartbeat, with the median, step, heartbeat and when first seen', () => {
    const drift = judge(recordGaps(undefined, at(10, 10, 10, 60, 60, 60, 60, 60, 60)));
    expect(drift).toEqual({ kind: 'slow', observedInterval: 60, step: 10, heartbeat: 30, since: 5 });
    // Still slow later: the same episode keeps its start; the object is kept while nothing changes.
    const record = recordGaps(undefined, at(60, 60, 60, 60, 60, 60, 60, 60, 60));
    expect(judgeDrift(record, BASIS, drift, 99)).toBe(drift);
  });

  it('is not flagged by one missed run, one outage, or a gap of exactly the heartbeat', () => {
    expect(judge(recordGaps(undefined, at(10, 10, 20, 10, 10)))).toBeUndefined();
    expect(judge(recordGaps(undefined, at(10, 10, 10, 3600, 10, 10, 10, 10, 10)))).toBeUndefined();
    expect(judge(recordGaps(undefined, at(10, 3600, 10)))).toBeUndefined();
    expect(judge(recordGaps(undefined, at(30, 30, 30)))).toBeUndefined();
  });

  it('is fast at a quarter step or closer, and clears only above half a step', () => {
    const basis = { step: 3600, heartbeat: 10_800 };
    const fast = judge(recordGaps(undefined, at(10, 10, 10)), undefined, basis);
    expect(fast).toEqual({ kind: 'fast', observedInterval: 10, step: 3600, heartbeat: 10_800, since: 5 });
    expect(judge(recordGaps(undefined, at(1200, 1200, 1200)), undefined, basis)).toBeUndefined();
    expect(judge(recordGaps(undefined, at(1200, 1200, 1200)), fast, basis)).toMatchObject({ kind: 'fast', observedInterval: 1200, since: 5 });
    expect(judge(recordGaps(undefined, at(1801, 1801, 1801)), fast, basis)).toBeUndefined();
  });

  it('clears once most recent gaps fit again', () => {
    const slow = judge(recordGaps(undefined, at(60, 60, 60)));
    expect(slow?.kind).toBe('slow');
    let record = recordGaps(undefined, at(60, 60, 60));
    record = recordGaps(record, [{ time: record!.last + 10 }, { time: record!.last + 20 }]);
    expect(judge(record, slow)?.kind).toBe('slow');
    record = recordGaps(record, [{ time: record!.last + 10 }, { time: record!.last + 20 }]);
    expect(judge(record, slow)).toBeUndefined();
  });

  it("is judged against the shortest heartbeat of the archive's data sources", () => {
    expect(driftBasis({ step: 10, dataSources: [{ heartbeat: 120 }, { heartbeat: 30 }] })).toEqual(BASIS);
  });
});

describe('watchDrift', () => {
  it('logs once per episode (warn, with what to do), info when it ends, and keeps the counters', () => {
    const lines: { level: string; obj: object; msg: string }[] = [];
    const log = { info: (obj: object, msg: string) => void lines.push({ level: 'info', obj, msg }), warn: (obj: object, msg: string) => void lines.push({ level: 'warn', obj, msg }) };
    const counters = newStoreStats();
    const entry: { name: string; drift?: SeriesDrift; gaps?: GapRecord } = { name: 'web01.load' };
    let t = T;
    const every = (gap: number, count: number) => Array.from({ length: count }, () => ({ time: (t += gap) }));
    watchDrift(entry, every(10, 4), BASIS, 1, counters, log);
    for (let flush = 0; flush < 5; flush++) watchDrift(entry, every(60, 3), BASIS, 2 + flush, counters, log);
    expect(entry.drift).toEqual({ kind: 'slow', observedInterval: 60, step: 10, heartbeat: 30, since: 2 });
    expect(counters).toMatchObject({ seriesDriftingSlow: 1, seriesDriftingFast: 0, driftDetected: 1 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', obj: { series: 'web01.load', drift: 'slow', observedIntervalSeconds: 60, stepSeconds: 10, heartbeatSeconds: 30 } });
    expect(lines[0].msg).toContain('arrive every 1m');
    expect(lines[0].msg).toContain('POST /api/v1/admin/reshape {"series":"web01.load","step":60}');
    expect(lines[0].msg).toContain('ringmon archive reshape');
    watchDrift(entry, every(10, 9), BASIS, 20, counters, log);
    expect(entry.drift).toBeUndefined();
    expect(counters).toMatchObject({ seriesDriftingSlow: 0, seriesDriftingFast: 0, driftDetected: 1 });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 'info', obj: { series: 'web01.load', observedIntervalSeconds: 10 } });
    // A reshape changes the basis: judged again without new samples (here from fitting to fast).
    watchDrift(entry, [], { step: 3600, heartbeat: 10_800 }, 30, counters, log);
    expect(entry.drift).toMatchObject({ kind: 'fast', since: 30 });
    expect(counters).toMatchObject({ seriesDriftingSlow: 0, seriesDriftingFast: 1, driftDetected: 2 });
  });
});
