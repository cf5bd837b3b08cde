/** CPU time and memory of a process, from /proc (Linux), to compare servers by what they cost. */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; count fields from the closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident memory in bytes. */
export function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves once the process has been (nearly) idle for `quietMs`: the end of
 * work a server does after acknowledging (flushing caches to disk).
 */
export async function waitUntilIdle(pid: number, options: { quietMs?: number; idleFraction?: number; timeoutMs?: number } = {}): Promise<void> {
  const quietMs = options.quietMs ?? 1500;
  const idle = options.idleFraction ?? 0.05;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const pollMs = 250;
  let quiet = 0;
  let last = cpuSeconds(pid);
  while (quiet < quietMs) {
    if (Date.now() > deadline) throw new Error(`process ${pid} did not go idle`);
    await sleep(pollMs);
    const now = cpuSeconds(pid);
    quiet = now - last < (idle * pollMs) / 1000 ? quiet + pollMs : 0;
    last = now;
  }
}

/** Polls `probe` until it returns true. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
