/**
 * Feeds one server the Graphite stream and measures what it costs:
 *   create  round 0, the first sample of every series (files/index entries are made)
 *   blast   `rounds` more rounds as fast as the server takes them
 *   paced   real time at one round per step (100k series at 10 s = 10,000 samples/s) for two
 *           minutes, CPU as % of one core: each server with its own default write-out
 *           policy (ringmon flushes every 60 s, carbon writes continuously)
 * Each phase ends when the server says it has received everything (where it
 * tells) and has gone idle (its caches written out).
 */
import { closeStream, openStream, roundChunks, send, type StreamShape } from './graphite-stream.js';
import { cpuSeconds, residentBytes, waitFor, waitUntilIdle } from './proc-stats.js';
import type { IngestTarget } from './targets.js';

export interface PhaseFigures {
  readonly samples: number;
  /** Until the server acknowledged every sample (undefined when it cannot tell). */
  readonly ackSeconds: number | undefined;
  /** Until the server was idle again, all written out. */
  readonly settledSeconds: number;
  readonly cpuSeconds: number;
}

export interface GraphiteFigures {
  readonly target: string;
  readonly create: PhaseFigures;
  readonly blast: PhaseFigures;
  /** CPU used during the paced phase, as a fraction of one core. */
  readonly pacedCoreFraction: number;
  readonly residentBytes: number;
}

async function phase(target: IngestTarget, samplesBefore: number, work: () => Promise<void>, samples: number): Promise<PhaseFigures> {
  const cpu0 = cpuSeconds(target.pid);
  const t0 = performance.now();
  await work();
  let ackSeconds: number | undefined;
  if ((await target.received()) !== undefined) {
    await waitFor(`${target.name} to acknowledge`, async () => ((await target.received()) ?? 0) >= samplesBefore + samples);
    ackSeconds = (performance.now() - t0) / 1000;
  }
  // Rather than wait for the next timed flush: the figure is the work, not the timer.
  await target.flush?.();
  if ((await target.persisted()) !== undefined) await waitFor(`${target.name} to persist`, async () => (await target.persisted()) === true);
  await waitUntilIdle(target.pid);
  // The quiet period that proved idleness is not part of the work.
  const settledSeconds = (performance.now() - t0) / 1000 - 1.5;
  return { samples, ackSeconds, settledSeconds, cpuSeconds: cpuSeconds(target.pid) - cpu0 };
}

async function sendRounds(port: number, shape: StreamShape, rounds: readonly number[]): Promise<void> {
  const socket = await openStream(port);
  for (const round of rounds) await send(socket, roundChunks(shape, round));
  await closeStream(socket);
}

/** One round per step in real time, in tenths of a step so the load is even. */
async function sendPaced(port: number, shape: StreamShape, rounds: readonly number[]): Promise<void> {
  const socket = await openStream(port);
  const slices = 10;
  const sliceMs = (shape.stepSeconds * 1000) / slices;
  const start = performance.now();
  let n = 0;
  for (const round of rounds) {
    for (let s = 0; s < slices; s++) {
      const from = Math.floor((shape.series * s) / slices);
      const to = Math.floor((shape.series * (s + 1)) / slices);
      await send(socket, roundChunks(shape, round, [from, to]));
      n++;
      const wait = start + n * sliceMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
  await closeStream(socket);
}

export async function runGraphiteBench(target: IngestTarget, shape: StreamShape, options: { blastRounds: number; pacedRounds: number }): Promise<GraphiteFigures> {
  const create = await phase(target, 0, () => sendRounds(target.graphitePort, shape, [0]), shape.series);
  const blastRounds = Array.from({ length: options.blastRounds }, (_, i) => 1 + i);
  const blast = await phase(target, shape.series, () => sendRounds(target.graphitePort, shape, blastRounds), shape.series * options.blastRounds);
  const pacedRounds = Array.from({ length: options.pacedRounds }, (_, i) => 1 + options.blastRounds + i);
  const cpu0 = cpuSeconds(target.pid);
  const t0 = performance.now();
  await sendPaced(target.graphitePort, shape, pacedRounds);
  const pacedCoreFraction = (cpuSeconds(target.pid) - cpu0) / ((performance.now() - t0) / 1000);
  return { target: target.name, create, blast, pacedCoreFraction, residentBytes: residentBytes(target.pid) };
}
