/**
 * Crash safety: a writer process appending as fast as it can is killed with
 * SIGKILL at random moments. After every kill the journal must open, and
 * replay must give every acknowledged batch above the checkpoint exactly
 * once, in seq order, with its exact samples; nothing else but whole batches
 * some writer wrote (the unacknowledged batches a kill caught after their
 * fdatasync); and no checkpoint that was acknowledged may be lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SampleJournal } from '../../../server/journal/index.js';
import { runWriterAndKill } from '../../lib/segment-log/crash-helpers.js';
import { SEGMENT_BYTES, batchFor, batchId } from './crash-scenario.js';

const KILLS = Number(process.env.RINGMON_JOURNAL_CRASH_KILLS ?? 24);
const root = mkdtempSync(join(tmpdir(), 'ringmon-journal-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the writer until it has worked for `delayMs`, kills it, and returns what it printed. */
function runAndKill(dir: string, run: number, delayMs: number): Promise<string> {
  return runWriterAndKill(join(import.meta.dirname, 'crash-writer.ts'), [dir, String(run)], delayMs);
}

describe('journal crash safety under SIGKILL', () => {
  it(`loses no acknowledged batch and replays nothing torn over at least ${KILLS} kills`, async () => {
    const dir = join(root, 'journal');
    /** Every acknowledged seq and the batch it was given: an acknowledged seq is never given to another batch. */
    const acknowledged = new Map<number, string>();
    let checkpointed = 0;
    let tornTails = 0;
    let progressed = 0;
    let replayed = 0;
    // At least KILLS kills, and more until two have landed inside a record (within a bound).
    let run = 0;
    for (; run < KILLS || (tornTails < 2 && run < 3 * KILLS); run++) {
      const output = await runAndKill(dir, run, 20 + Math.floor(Math.random() * 200));
      let acks = 0;
      for (const line of output.split('\n')) {
        const [kind, ...fields] = line.split(' ');
        const [seq, r, k] = fields.map(Number);
        if (kind === 'a' && fields.length === 3) {
          expect(acknowledged.get(seq) ?? `${r}/${k}`, `seq ${seq} acknowledged twice`).toBe(`${r}/${k}`);
          acknowledged.set(seq, `${r}/${k}`);
          acks++;
        }
        if (kind === 'c' && fields.length === 1) checkpointed = Math.max(checkpointed, seq);
      }
      if (acks > 0) progressed++;

      const journal = await SampleJournal.open(dir, { segmentBytes: SEGMENT_BYTES });
      try {
        if (journal.truncatedBytesAtOpen > 0) tornTails++;
        expect(journal.checkpointSeq, 'an acknowledged checkpoint was lost').toBeGreaterThanOrEqual(checkpointed);
        const maxAcknowledged = Math.max(0, ...acknowledged.keys());
        expect(journal.lastSeq, 'acknowledged batches are missing at the end').toBeGreaterThanOrEqual(maxAcknowledged);
        const seen = new Set<string>();
        let expectedSeq = journal.checkpointSeq + 1;
        await journal.replay((seq, samples) => {
          expect(seq, 'replay skipped or repeated a seq').toBe(expectedSeq++);
          const id = batchId(samples);
          expect(id, `batch ${seq} was never written by any writer`).toBeDefined();
          const key = `${id!.run}/${id!.k}`;
          expect(seen.has(key), `batch ${key} replayed twice`).toBe(false);
          seen.add(key);
          expect(samples, `batch ${seq} (${key}) differs from what was appended`).toEqual(batchFor(id!.run, id!.k));
          const acked = acknowledged.get(seq);
          if (acked !== undefined) expect(key, `seq ${seq} holds another batch than the one acknowledged`).toBe(acked);
          replayed++;
        });
        expect(expectedSeq - 1, 'replay ended before the last batch').toBe(journal.lastSeq);
        // Seqs acknowledged but not checkpointed must all have come by: replay is contiguous up to lastSeq ≥ each.
        // Forget what the checkpoint released, so the map stays small.
        for (const seq of acknowledged.keys()) if (seq <= journal.checkpointSeq) acknowledged.delete(seq);
      } finally {
        await journal.close();
      }
    }
    console.log(`journal crash test: ${run} kills, ${progressed} with acknowledged appends, ${tornTails} torn tails truncated, ${replayed} batches verified`);
    // The kills landed while the writer was working, and some in the middle of a record.
    expect(progressed).toBeGreaterThan(run / 2);
    expect(tornTails).toBeGreaterThanOrEqual(2);
  });
});
