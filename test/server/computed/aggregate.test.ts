/**
 * The aggregation of computed series (server/computed/aggregate.ts): which
 * members are known at a step, and what each op makes of them — unknown
 * members (too old for their heartbeat, or an unknown value) left out;
 * count answers 0 when nothing is known, the others UNKNOWN (null).
 */
import { describe, expect, it } from 'vitest';
import { aggregate, isKnown, type MemberValue } from '../../../server/computed/aggregate.js';
import { parseCondition, type Condition } from '../../../server/computed/condition.js';

const condition = (text: string): Condition => {
  const parsed = parseCondition(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};
const member = (time: number, value: number | null, heartbeat = 10): MemberValue => ({ time, value, heartbeat });

describe('computed series aggregation', () => {
  const at = 1000;
  // Three known members (1, 0, 5), one too old for its heartbeat (7), one whose last value is unknown.
  const members = [member(999, 1), member(995, 0), member(990, 5), member(989, 7), member(999, null)];

  it('knows a member while its last sample is within its heartbeat and has a value', () => {
    expect(members.map((m) => isKnown(m, at))).toEqual([true, true, true, false, false]);
  });

  it('counts and percents among known members only', () => {
    expect(aggregate('count', condition('>= 1'), members, at)).toBe(2);
    expect(aggregate('count', undefined, members, at)).toBe(3);
    expect(aggregate('percent', condition('>= 1'), members, at)).toBeCloseTo(200 / 3, 10);
  });

  it('sums, takes min, max and average over known members only', () => {
    expect(aggregate('sum', undefined, members, at)).toBe(6);
    expect(aggregate('min', undefined, members, at)).toBe(0);
    expect(aggregate('max', undefined, members, at)).toBe(5);
    expect(aggregate('avg', undefined, members, at)).toBe(2);
  });

  it('answers 0 for count and UNKNOWN for the others when no member is known', () => {
    const silent = [member(900, 1), member(999, null)];
    expect(aggregate('count', condition('>= 1'), silent, at)).toBe(0);
    expect(aggregate('count', condition('>= 1'), [], at)).toBe(0);
    for (const op of ['sum', 'min', 'max', 'avg', 'percent'] as const) expect(aggregate(op, condition('> 0'), silent, at), op).toBeNull();
  });

  it('a member that vanishes stops counting once its heartbeat passes, and counts again from its next sample', () => {
    const m = member(1000, 1, 3);
    const count = (now: number) => aggregate('count', condition('>= 1'), [m, member(now, 1, 3)], now);
    expect(count(1003)).toBe(2);
    expect(count(1004)).toBe(1);
    Object.assign(m, { time: 1010 });
    expect(count(1010)).toBe(2);
  });
});

describe('where conditions', () => {
  it('reads comparisons', () => {
    const holds = (text: string, v: number) => condition(text).holds(v);
    expect([holds('>= 1', 1), holds('>= 1', 0.5), holds('> 1', 1), holds('<= 2', 2), holds('< 2', 2), holds('== 6', 6), holds('!= 6', 6), holds('=6', 6)]).toEqual([
      true,
      false,
      false,
      true,
      false,
      true,
      false,
      true,
    ]);
  });

  it('reads Nagios thresholds as "holds where a rule would alert"', () => {
    expect([condition('< 5 or > 80').holds(3), condition('< 5 or > 80').holds(50), condition('@10:20').holds(15), condition('10').holds(11)]).toEqual([true, false, true, true]);
  });

  it('refuses what it cannot read, saying what it expects', () => {
    for (const text of ['', '>=', '>= one', 'up', '=> 1']) expect(parseCondition(text), text).toMatch(/expected/);
  });
});
