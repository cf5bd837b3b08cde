/**
 * /proc/net/dev: bytes, packets and errors per interface since it came up.
 * These are counters; the archive turns them into rates (kind COUNTER), so
 * the slurper keeps no state between runs.
 */

/** One interface's counters. */
export interface InterfaceCounters {
  readonly name: string;
  readonly rxBytes: number;
  readonly rxPackets: number;
  readonly rxErrors: number;
  readonly txBytes: number;
  readonly txPackets: number;
  readonly txErrors: number;
}

export function parseNetDev(text: string): InterfaceCounters[] {
  return text
    .split('\n')
    .slice(2)
    .filter((line) => line.includes(':'))
    .map((line) => {
      const [name, rest] = [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1)];
      const f = rest.trim().split(/\s+/).map(Number);
      return { name, rxBytes: f[0], rxPackets: f[1], rxErrors: f[2], txBytes: f[8], txPackets: f[9], txErrors: f[10] };
    });
}
