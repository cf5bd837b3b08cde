/**
 * The agent spool under SIGKILL, on the shared segment log: a writer
 * appending and acknowledging as fast as it can is killed at random
 * moments. After every kill the spool must open, never go back behind an
 * acknowledgement it confirmed, and give every batch it confirmed as
 * spooled and not acknowledged, once, in seq order, with its exact samples
 * (the test then acknowledges them all, and the next writer goes on).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Spool } from '../../../slurpers/agent/spool.js';
import { runWriterAndKill } from '../../lib/segment-log/crash-helpers.js';
import { spoolCrashBatch, SPOOL_CRASH_OPTIONS } from './spool-crash-scenario.js';

const KILLS = Number(process.env.RINGMON_SPOOL_CRASH_KILLS ?? 10);
const root = mkdtempSync(join(tmpdir(), 'ringmon-spool-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('spool crash safety under SIGKILL', () => {
  it(`loses no spooled batch and no acknowledgement over ${KILLS} kills`, async () => {
    const dir = join(root, 'spool');
    /** Every batch confirmed as spooled and not yet seen acknowledged: seq → "run/k". */
    const spooled = new Map<number, string>();
    let acknowledged = 0;
    let progressed = 0;
    let checked = 0;
    for (let run = 0; run < KILLS; run++) {
      const output = await runWriterAndKill(join(import.meta.dirname, 'spool-crash-writer.ts'), [dir, String(run)], 30 + Math.floor(Math.random() * 200));
      let appends = 0;
      for (const line of output.split('\n')) {
        const [kind, ...fields] = line.split(' ');
        if (kind === 'a' && fields.length === 3) {
          spooled.set(Number(fields[0]), `${fields[1]}/${fields[2]}`);
          appends++;
        }
        if (kind === 'k' && fields.length === 1) acknowledged = Math.max(acknowledged, Number(fields[0]));
      }
      if (appends > 0) progressed++;

      const spool = await Spool.open({ dir, ...SPOOL_CRASH_OPTIONS });
      try {
        expect(spool.stats().ackedSeq, 'a confirmed acknowledgement was lost').toBeGreaterThanOrEqual(acknowledged);
        acknowledged = spool.stats().ackedSeq;
        for (const seq of spooled.keys()) if (seq <= acknowledged) spooled.delete(seq);
        // Take everything, as the uploader would, checking each batch; what was confirmed must all come by.
        let previous = acknowledged;
        for (let batches = await spool.peek(5000); batches.length > 0; batches = await spool.peek(5000)) {
          for (const { seq, samples } of batches) {
            expect(seq, 'batches out of order or repeated').toBeGreaterThan(previous);
            previous = seq;
            const match = /^batch\.(\d+)\.(\d+)$/.exec(samples[0]?.series ?? '');
            expect(match, `batch ${seq} was never written by any writer`).not.toBeNull();
            const [r, k] = [Number(match![1]), Number(match![2])];
            expect(samples, `batch ${seq} differs from what was appended`).toEqual(spoolCrashBatch(r, k));
            const confirmed = spooled.get(seq);
            if (confirmed !== undefined) expect(`${r}/${k}`, `seq ${seq} holds another batch than the one confirmed`).toBe(confirmed);
            spooled.delete(seq);
            checked++;
          }
          await spool.ack(previous);
        }
        expect([...spooled.keys()], 'confirmed batches are missing').toEqual([]);
        acknowledged = previous;
      } finally {
        await spool.close();
      }
    }
    console.log(`spool crash test: ${KILLS} kills, ${progressed} with confirmed appends, ${checked} batches checked, acknowledged up to ${acknowledged}`);
    expect(progressed).toBeGreaterThan(KILLS / 2);
  }, 300_000);
});
