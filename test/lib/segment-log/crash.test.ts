/**
 * The segment log under SIGKILL, with each full-log policy: a writer
 * appending as fast as it can is killed at random moments; after every kill
 * the log must open, hold every record it acknowledged (under drop-oldest:
 * every one not older than what it kept, and the newest), each byte for
 * byte, in seq order without holes, and nothing torn. Under drop-oldest the
 * files also stay within the bound.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWriterAndKill } from './crash-helpers.js';
import { crashLogOptions, DROP_MAX_BYTES, type CrashPolicy } from './crash-scenario.js';
import { openTestLog, seqsIn } from './test-log.js';

const KILLS = Number(process.env.RINGMON_LOG_CRASH_KILLS ?? 10);
const root = mkdtempSync(join(tmpdir(), 'ringmon-log-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the writer for `delayMs` after it is ready, kills it, and returns the seqs it acknowledged. */
async function runAndKill(dir: string, policy: CrashPolicy, run: number, delayMs: number): Promise<number[]> {
  const stdout = await runWriterAndKill(join(import.meta.dirname, 'crash-writer.ts'), [dir, policy, String(run)], delayMs);
  return stdout.split('\n').flatMap((line) => (/^a \d+$/.test(line) ? [Number(line.slice(2))] : []));
}

describe.each(['refuse', 'drop-oldest'] as const)("segment log crash safety under SIGKILL, policy '%s'", (policy) => {
  it(`keeps every acknowledged record whole over at least ${KILLS} kills`, async () => {
    const dir = join(root, policy);
    let acknowledged = 0;
    let progressed = 0;
    let damaged = 0;
    // At least KILLS kills, and more until one has landed inside a record (within a bound).
    let run = 0;
    for (; run < KILLS || (damaged < 1 && run < 3 * KILLS); run++) {
      const acked = await runAndKill(dir, policy, run, 30 + Math.floor(Math.random() * 150));
      if (acked.length > 0) progressed++;
      acknowledged = Math.max(acknowledged, ...acked);
      const { log, damagedBytes } = await openTestLog(dir, crashLogOptions(policy));
      try {
        if (damagedBytes > 0) damaged++;
        // seqsIn checks every record byte for byte and in seq order.
        const seqs = await seqsIn(log);
        const first = policy === 'refuse' ? 1 : (seqs[0] ?? 1);
        expect(seqs.slice(0, 1), 'records are missing at the start').toEqual(seqs.length > 0 ? [first] : []);
        expect(seqs, 'a hole in the log').toEqual(Array.from({ length: seqs.length }, (_, i) => first + i));
        expect(seqs.at(-1) ?? 0, 'acknowledged records are missing at the end').toBeGreaterThanOrEqual(acknowledged);
        if (policy === 'drop-oldest') {
          const onDisk = readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
          expect(onDisk).toBeLessThanOrEqual(DROP_MAX_BYTES);
        }
      } finally {
        await log.close();
      }
    }
    console.log(`segment log crash test (${policy}): ${run} kills, ${progressed} with acknowledged records, ${damaged} torn tails cut, up to seq ${acknowledged}`);
    // The kills landed while the writer was working, and some in the middle of a record.
    expect(progressed).toBeGreaterThan(run / 2);
    expect(damaged).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
