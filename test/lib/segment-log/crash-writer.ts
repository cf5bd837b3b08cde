/**
 * Child process of the segment log's crash test: opens the log in `dir`
 * under `policy` ('refuse' or 'drop-oldest'), goes on after its last seq
 * with 16 concurrent appenders through group commit as fast as it can, and
 * prints "a <seq>" once a record is durable. The parent kills it with
 * SIGKILL. Odd runs write at most 2 KiB per call and wait a millisecond
 * before each, as a slow disk does, so kills also land in the middle of
 * records.
 */
import { nodeFileIo } from '../../../lib/durable-file.js';
import { GroupCommit } from '../../../lib/segment-log/group-commit.js';
import { chunkyIo } from './crash-helpers.js';
import { crashLogOptions, type CrashPolicy } from './crash-scenario.js';
import { openTestLog, recordOf } from './test-log.js';

const [dir, policy, runArgument] = process.argv.slice(2) as [string, CrashPolicy, string];

const { log } = await openTestLog(dir, { ...crashLogOptions(policy), io: Number(runArgument) % 2 === 1 ? chunkyIo(1) : nodeFileIo });
let next = Math.max(0, ...log.segments.map((s) => s.lastSeq)) + 1;
const group = new GroupCommit<number, number>(
  async (seqs) => {
    await log.write(seqs[0], seqs[seqs.length - 1], seqs.map(recordOf));
    return seqs;
  },
  (k) => recordOf(k).length,
  16 * 1024,
);
// Stdout to a pipe is synchronous on Linux: a line printed is in the pipe before the next step.
process.stdout.write('ready\n');

async function appender(): Promise<void> {
  for (;;) process.stdout.write(`a ${await group.submit(next++)}\n`);
}

await Promise.all(Array.from({ length: 16 }, appender));
