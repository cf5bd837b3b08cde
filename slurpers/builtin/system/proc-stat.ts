/**
 * CPU time from /proc/stat, and CPU % as the change between two readings.
 * The kernel counts jiffies per state since boot; a percentage only means
 * something over a window, which the caller chooses by reading twice.
 * guest and guest_nice are already inside user and nice, so they are not
 * added again.
 */

/** Cumulative jiffies per state of the `cpu` line (all CPUs together). */
export interface CpuTimes {
  readonly user: number;
  readonly nice: number;
  readonly system: number;
  readonly idle: number;
  readonly iowait: number;
  readonly irq: number;
  readonly softirq: number;
  readonly steal: number;
}

/** The `cpu ` line of /proc/stat; throws when there is none. */
export function parseCpuTimes(text: string): CpuTimes {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) throw new Error('/proc/stat has no "cpu" line');
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return { user, nice, system, idle, iowait, irq, softirq, steal };
}

/** Share of each state between two readings, in percent; all zero when no time passed. */
export type CpuPercent = { readonly [K in keyof CpuTimes]: number } & { readonly busy: number };

export function cpuPercent(before: CpuTimes, after: CpuTimes): CpuPercent {
  const keys = Object.keys(before) as Array<keyof CpuTimes>;
  const delta = Object.fromEntries(keys.map((k) => [k, Math.max(0, after[k] - before[k])])) as Record<keyof CpuTimes, number>;
  const total = keys.reduce((sum, k) => sum + delta[k], 0);
  const pct = (n: number): number => (total > 0 ? Math.round((n / total) * 10000) / 100 : 0);
  const shares = Object.fromEntries(keys.map((k) => [k, pct(delta[k])])) as Record<keyof CpuTimes, number>;
  return { ...shares, busy: total > 0 ? pct(total - delta.idle - delta.iowait) : 0 };
}
