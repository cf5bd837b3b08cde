/**
 * Child process of the journal crash test: appends the scenario's batches
 * with 8 concurrent appenders as fast as it can, printing "a <seq> <run> <k>"
 * once an append has resolved and "c <seq>" once a checkpoint has. The parent
 * kills it with SIGKILL at a random moment. Odd runs write through an io that
 * writes at most 2 KiB per call, each a millisecond late, as a slow disk
 * does, so that kills also land in the middle of records.
 */
import { SampleJournal, nodeJournalIo } from '../../../server/journal/index.js';
import { chunkyIo } from '../../lib/segment-log/crash-helpers.js';
import { SEGMENT_BYTES, batchFor } from './crash-scenario.js';

const [dir, runArgument] = process.argv.slice(2);
const run = Number(runArgument);

const journal = await SampleJournal.open(dir, { segmentBytes: SEGMENT_BYTES, io: run % 2 === 1 ? chunkyIo(1) : nodeJournalIo });
// Stdout to a pipe is synchronous on Linux: a line printed is in the pipe before the next step.
process.stdout.write('ready\n');
let next = 0;

async function appender(): Promise<void> {
  for (;;) {
    const k = next++;
    const seq = await journal.append(batchFor(run, k));
    process.stdout.write(`a ${seq} ${run} ${k}\n`);
    // Now and then release all but the last 300 batches, while the other appenders go on.
    if (Math.random() < 0.01 && seq > journal.checkpointSeq + 300) {
      await journal.checkpoint(seq - 300);
      process.stdout.write(`c ${seq - 300}\n`);
    }
  }
}

await Promise.all(Array.from({ length: 8 }, appender));
