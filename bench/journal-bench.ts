/**
 * Sample journal benchmark: 1,000,000 samples in batches of 1,000 over
 * 100,000 series names. Measures the batch encoding against JSON (the
 * reason the format is binary), appends with 8 concurrent appenders through
 * group commit with a real fdatasync per group, and replay. Run it alone with
 * `npx tsx bench/journal-bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodeBatch } from '../server/journal/batch-codec.js';
import { SampleJournal, nodeJournalIo, type JournalIo, type JournaledSample } from '../server/journal/index.js';

export interface JournalBenchResult {
  readonly name: string;
  readonly samples: number;
  readonly ms: number;
  /** fdatasyncs the run made, for the runs that write. */
  readonly fdatasyncs?: number;
}

const SERIES = 100_000;
const BATCH = 1000;
const CONCURRENCY = 8;

/** Deterministic batches: each sample picks a random one of SERIES names; 5% of values unknown. */
function makeBatches(samples: number): JournaledSample[][] {
  const names = Array.from({ length: SERIES }, (_, i) => `host-${String(i % 997).padStart(4, '0')}.example.net/cpu-${i % 64}/load.${i}`);
  let state = 12345;
  const random = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  const batches: JournaledSample[][] = [];
  for (let b = 0; b < samples / BATCH; b++) {
    const batch = Array.from({ length: BATCH }, (_, i) => ({
      series: names[Math.floor(random() * SERIES)],
      time: 1_700_000_000 + b + i / BATCH,
      value: random() < 0.05 ? null : Math.round(random() * 1e6) / 100,
    }));
    // As the server gets a batch: parsed from a request body, each sample with strings of its own. (Samples
    // sharing 100,000 name strings scattered over the heap run half as fast: it measures cache misses.)
    batches.push(JSON.parse(JSON.stringify(batch)) as JournaledSample[]);
  }
  return batches;
}

function timed(name: string, samples: number, work: () => void): JournalBenchResult {
  const started = performance.now();
  work();
  return { name, samples, ms: performance.now() - started };
}

async function appendAll(dir: string, batches: readonly JournaledSample[][]): Promise<JournalBenchResult> {
  let fdatasyncs = 0;
  const io: JournalIo = { ...nodeJournalIo, fdatasync: (fd) => (fdatasyncs++, nodeJournalIo.fdatasync(fd)) };
  const journal = await SampleJournal.open(dir, { io });
  const started = performance.now();
  let next = 0;
  const appender = async (): Promise<void> => {
    while (next < batches.length) await journal.append(batches[next++]);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, appender));
  const ms = performance.now() - started;
  await journal.close();
  const samples = batches.length * BATCH;
  return { name: `append, ${CONCURRENCY} concurrent appenders, group commit + fdatasync`, samples, ms, fdatasyncs };
}

async function replayAll(dir: string): Promise<JournalBenchResult> {
  const journal = await SampleJournal.open(dir);
  let samples = 0;
  const started = performance.now();
  await journal.replay((_seq, batch) => (samples += batch.length));
  const ms = performance.now() - started;
  await journal.close();
  return { name: 'open + replay (decode every sample)', samples, ms };
}

export async function runJournalBench(options: { scale?: number } = {}): Promise<JournalBenchResult[]> {
  const samples = Math.max(BATCH, Math.round((1_000_000 * (options.scale ?? 1)) / BATCH) * BATCH);
  const batches = makeBatches(samples);
  // Warm both encoders up so neither pays for the other's JIT time.
  for (const batch of batches.slice(0, 50)) (encodeBatch(batch), Buffer.from(JSON.stringify(batch)));
  const results = [
    timed('encode batches, binary (the journal format)', samples, () => batches.forEach((b) => encodeBatch(b))),
    timed('encode batches, JSON (for comparison)', samples, () => batches.forEach((b) => Buffer.from(JSON.stringify(b)))),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-journal-bench-'));
  try {
    results.push(await appendAll(join(dir, 'journal'), batches));
    results.push(await replayAll(join(dir, 'journal')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await runJournalBench({ scale: Number(process.env.RINGMON_BENCH_SCALE ?? 1) })) {
    const perSecond = Math.round((r.samples / r.ms) * 1000).toLocaleString('en');
    const syncs = r.fdatasyncs === undefined ? '' : `, ${r.fdatasyncs} fdatasyncs (${Math.round((r.fdatasyncs / r.ms) * 1000)}/s)`;
    console.log(`${r.name}\n  ${r.ms.toFixed(0).padStart(6)} ms  ${perSecond} samples/s${syncs}`);
  }
}
