/**
 * The two set-ups the segment log's crash test kills a writer under, shared
 * by the writer child process and the checking test: the journal's (refuse
 * when full, only a torn tail expected, append to the last segment) and the
 * spool's (drop the oldest past a small bound, cut any damage, a new segment
 * at every start).
 */
import type { FullPolicy } from '../../../lib/segment-log/segment-log.js';

export type CrashPolicy = 'refuse' | 'drop-oldest';

/** Small, so that kills also land in rotations and drops. */
export const SEGMENT_BYTES = 64 * 1024;
export const DROP_MAX_BYTES = 320 * 1024;

export function crashLogOptions(policy: CrashPolicy): { full: FullPolicy; segmentBytes: number; damage: 'torn-tail' | 'truncate'; appendToLast: boolean } {
  return policy === 'refuse'
    ? { full: { kind: 'refuse' }, segmentBytes: SEGMENT_BYTES, damage: 'torn-tail', appendToLast: true }
    : { full: { kind: 'drop-oldest', maxBytes: DROP_MAX_BYTES }, segmentBytes: SEGMENT_BYTES, damage: 'truncate', appendToLast: false };
}
