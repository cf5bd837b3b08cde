/**
 * The member index of computed series (server/computed/member-index.ts):
 * members found as samples arrive, once per series (not by matching every
 * series at each step), their last value and time kept, their heartbeat
 * taken from the archive when the start-up listing knows it, else from the
 * config at the interval they declare or the gap between their first two
 * samples.
 */
import { describe, expect, it } from 'vitest';
import { MemberIndex } from '../../../server/computed/member-index.js';

/** Heartbeat 3 × step, 60 s for an unknown step: as the default template, roughly. */
const heartbeatOf = (_series: string, step?: number) => 3 * (step ?? 60);

describe('computed series members', () => {
  it('takes members as they appear, each in every computed series whose pattern fits', () => {
    const index = new MemberIndex([['tb.*.web.success'], ['tb.**', 'other.x']], heartbeatOf);
    index.observe([
      { series: 'tb.a.web.success', time: 10, value: 1 },
      { series: 'tb.b.web.failure', time: 10, value: 0 },
      { series: 'elsewhere', time: 10, value: 0 },
      { series: 'other.x', time: 10, value: 3 },
    ]);
    expect(index.members(0).map((m) => m.name)).toEqual(['tb.a.web.success']);
    expect(index.members(1).map((m) => m.name).toSorted()).toEqual(['other.x', 'tb.a.web.success', 'tb.b.web.failure']);
    index.observe([{ series: 'tb.a.web.success', time: 11, value: 0 }]);
    expect(index.members(0)[0]).toMatchObject({ time: 11, value: 0 });
    expect(index.members(1)).toHaveLength(3);
  });

  it('says whether a pattern covers a series without filing it (the node series are written only then)', () => {
    const index = new MemberIndex([['tb.*'], ['ringmon.nodes.*.up']], heartbeatOf);
    expect([index.covers('ringmon.nodes.a.up'), index.covers('tb.x'), index.covers('ringmon.nodes.a.down')]).toEqual([true, true, false]);
    expect(index.members(1)).toEqual([]);
  });

  it('matches a series once, however many samples it sends', () => {
    const index = new MemberIndex([['a.*']], heartbeatOf);
    for (let t = 1; t <= 50; t++) index.observe([{ series: 'a.b', time: t, value: t }, { series: 'z.b', time: t, value: t }]);
    expect(index.matchings).toBe(2);
  });

  it('takes a heartbeat from the declared interval, else from the first gap, and the archive over both', () => {
    const index = new MemberIndex([['m.*']], heartbeatOf);
    index.observe([{ series: 'm.declared', time: 10, value: 1, interval: 5 }, { series: 'm.guessed', time: 10, value: 1 }]);
    const byName = () => new Map(index.members(0).map((m) => [m.name, m]));
    expect(byName().get('m.declared')?.heartbeat).toBe(15);
    expect(byName().get('m.guessed')?.heartbeat).toBe(180);
    index.observe([{ series: 'm.guessed', time: 20, value: 1 }]);
    expect(byName().get('m.guessed')?.heartbeat).toBe(30);
    index.seed([{ series: 'm.guessed', lastUpdate: 15, lastValue: 9, heartbeat: 7 }, { series: 'm.old', lastUpdate: 5, lastValue: 2, heartbeat: 7 }, { series: 'x.y', lastUpdate: 5, lastValue: 2, heartbeat: 7 }]);
    // The archive's heartbeat wins; a listing older than what was heard since does not turn the value back.
    expect(byName().get('m.guessed')).toMatchObject({ heartbeat: 7, time: 20, value: 1 });
    expect(byName().get('m.old')).toMatchObject({ heartbeat: 7, time: 5, value: 2 });
    expect(index.members(0)).toHaveLength(3);
    index.observe([{ series: 'm.guessed', time: 40, value: 1 }]);
    expect(byName().get('m.guessed')?.heartbeat).toBe(7);
  });
});
