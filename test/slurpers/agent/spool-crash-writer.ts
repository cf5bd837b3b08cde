/**
 * Child process of the spool crash test: opens the spool in `dir` and
 * appends batches with 8 concurrent appenders as fast as it can, printing
 * "a <seq> <run> <k>" once an append has resolved; now and then it takes
 * the oldest batches and acknowledges them, as the uploader does, printing
 * "k <seq>" once the ack has resolved. The parent kills it with SIGKILL.
 */
import { Spool } from '../../../slurpers/agent/spool.js';
import { spoolCrashBatch, SPOOL_CRASH_OPTIONS } from './spool-crash-scenario.js';

const [dir, runArgument] = process.argv.slice(2);
const run = Number(runArgument);
const spool = await Spool.open({ dir, ...SPOOL_CRASH_OPTIONS });
// Stdout to a pipe is synchronous on Linux: a line printed is in the pipe before the next step.
process.stdout.write('ready\n');
let next = 0;

async function appender(): Promise<void> {
  for (;;) {
    const k = next++;
    const seq = await spool.append(spoolCrashBatch(run, k));
    process.stdout.write(`a ${seq} ${run} ${k}\n`);
    if (Math.random() < 0.02) {
      const peeked = await spool.peek(500);
      if (peeked.length > 0) {
        await spool.ack(peeked.at(-1)!.seq);
        process.stdout.write(`k ${peeked.at(-1)!.seq}\n`);
      }
    }
  }
}

await Promise.all(Array.from({ length: 8 }, appender));
