/** Steps the spool tests share: a restart between spooling and reading, and reading a spool to its end. */
import type { SpooledBatch, SpooledSample } from '../../../slurpers/agent/spool-format.js';
import { Spool } from '../../../slurpers/agent/spool.js';

/** Spools `samples` as one batch in `dir`, closes the spool, opens it again and gives back the first batch's samples as read. */
export async function spoolThenRestart(dir: string, samples: readonly SpooledSample[]): Promise<readonly SpooledSample[]> {
  const first = await Spool.open({ dir, maxBytes: 1 << 20 });
  await first.append(samples);
  await first.close();
  const second = await Spool.open({ dir, maxBytes: 1 << 20 });
  try {
    return (await second.peek(samples.length))[0].samples;
  } finally {
    await second.close();
  }
}

/** Reads and acknowledges every pending batch, `maxSamples` a peek; the batches in the order peek gave them. */
export async function drainSpool(spool: Spool, maxSamples: number): Promise<SpooledBatch[]> {
  const out: SpooledBatch[] = [];
  for (let batches = await spool.peek(maxSamples); batches.length > 0; batches = await spool.peek(maxSamples)) {
    out.push(...batches);
    await spool.ack(batches.at(-1)!.seq);
  }
  return out;
}
