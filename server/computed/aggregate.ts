/**
 * What a computed series' value is at one step, from its members' last
 * samples. The semantics, documented for users in docs/computed.md:
 *
 * - A member is **known** at `at` when its last value is a number and its
 *   last sample is no older than its heartbeat (`at - time <= heartbeat`):
 *   exactly when its own archive would still hold that value. Otherwise it
 *   is **unknown** (silent, vanished, or it last sent UNKNOWN) and left out.
 * - count: the known members whose value satisfies `where` (every known
 *   member without `where`). When no member is known it is 0, not UNKNOWN:
 *   "how many are up" is 0 when none is heard of, and a rule `< 2` on it
 *   must fire then rather than fall silent.
 * - percent: 100 × that count / the number of known members; UNKNOWN when
 *   none is known (no denominator).
 * - sum, min, max, avg: over the known members' values; UNKNOWN when none.
 */

import type { Condition } from './condition.js';

export const COMPUTED_OPS = ['count', 'sum', 'min', 'max', 'avg', 'percent'] as const;
export type ComputedOp = (typeof COMPUTED_OPS)[number];

/** A member's last sample as the index keeps it. */
export interface MemberValue {
  /** Unix seconds of its last sample. */
  readonly time: number;
  /** Its value; null for UNKNOWN. */
  readonly value: number | null;
  /** Seconds after `time` that the value still stands (its archive's heartbeat). */
  readonly heartbeat: number;
}

/** Whether `member` is known at `at` (see the header). */
export function isKnown(member: MemberValue, at: number): boolean {
  return member.value !== null && Number.isFinite(member.value) && at - member.time <= member.heartbeat;
}

/** The value of `op` over `members` at `at`; null for UNKNOWN. `condition` is used by count and percent. */
export function aggregate(op: ComputedOp, condition: Condition | undefined, members: Iterable<MemberValue>, at: number): number | null {
  let known = 0;
  let holding = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const m of members) {
    if (!isKnown(m, at)) continue;
    const v = m.value as number;
    known++;
    if (condition === undefined || condition.holds(v)) holding++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  switch (op) {
    case 'count':
      return holding;
    case 'percent':
      return known === 0 ? null : (100 * holding) / known;
    case 'sum':
      return known === 0 ? null : sum;
    case 'min':
      return known === 0 ? null : min;
    case 'max':
      return known === 0 ? null : max;
    case 'avg':
      return known === 0 ? null : sum / known;
    default: {
      const never: never = op;
      throw new Error(`unknown op ${String(never)}`);
    }
  }
}
