/**
 * The workload of the spool crash test, shared by the writer child process
 * and the checking test: batch k of run r is always the same samples, and
 * its first series names (r, k).
 */
import type { SpooledSample } from '../../../slurpers/agent/spool-format.js';

/** Small segments so kills land in rotations too; a bound large enough that nothing is dropped. */
export const SPOOL_CRASH_OPTIONS = { maxBytes: 64 * 2 ** 20, segmentBytes: 32 * 1024 };

export function spoolCrashBatch(run: number, k: number): SpooledSample[] {
  return Array.from({ length: 1 + (k % 13) }, (_, i) => ({
    series: i === 0 ? `batch.${run}.${k}` : `host${k % 50}.metric${i}`,
    t: 1_700_000_000 + k,
    v: i % 5 === 4 ? null : k + i / 4,
    ...(i % 3 === 1 ? { kind: 'COUNTER' as const } : {}),
  }));
}
