/**
 * The deterministic workload of the journal crash test, shared by the writer
 * child process and the checking test: batch k of writer run r is always the
 * same samples, and its first sample's series names (r, k), so the parent
 * can tell from a replayed batch which one it is and check every byte of it.
 */
import type { JournaledSample } from '../../../server/journal/index.js';

/** Small segments, so that kills also land in rotations and in checkpoints' deletions. */
export const SEGMENT_BYTES = 64 * 1024;

/** A small integer hash (mulberry32 step), deterministic across processes. */
function hash(a: number, b: number): number {
  let t = (a * 0x9e3779b9 + b * 0x85ebca6b + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export function batchFor(run: number, k: number): JournaledSample[] {
  const size = 1 + Math.floor(hash(run, k) * 120);
  return Array.from({ length: size }, (_, i) => {
    const h = hash(run * 1_000_003 + k, i);
    return {
      series: i === 0 ? `batch/${run}/${k}` : `host-${Math.floor(h * 500)}/metric-${i}`,
      time: 1_700_000_000 + k + h,
      value: h < 0.1 ? null : Math.round(h * 1e9) / 1000,
    };
  });
}

/** Which batch this is, from its first sample; undefined for samples no writer ever wrote. */
export function batchId(samples: readonly JournaledSample[]): { run: number; k: number } | undefined {
  const match = /^batch\/(\d+)\/(\d+)$/.exec(samples[0]?.series ?? '');
  return match ? { run: Number(match[1]), k: Number(match[2]) } : undefined;
}
