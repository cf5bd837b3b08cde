/**
 * `npm run bench`: every benchmark, each against its reference in the same
 * run, printing rates and ratios. RINGMON_BENCH_SCALE (default 1) shrinks or
 * grows the workloads.
 */
import { runArchiveBench, type BenchResult } from './archive-bench.js';
import { runJournalBench } from './journal-bench.js';

function rate(updates: number, ms: number): string {
  return `${Math.round((updates / ms) * 1000).toLocaleString('en')}/s`;
}

function report(results: readonly BenchResult[]): void {
  for (const r of results) {
    console.log(r.name);
    console.log(`  ringmon  ${r.ringmonMs.toFixed(0).padStart(7)} ms  ${rate(r.updates, r.ringmonMs)}`);
    console.log(`  rrdtool  ${r.rrdtoolMs.toFixed(0).padStart(7)} ms  ${rate(r.updates, r.rrdtoolMs)}`);
    console.log(`  ratio    ringmon/rrdtool = ${(r.rrdtoolMs / r.ringmonMs).toFixed(2)}x`);
  }
}

const scale = Number(process.env.RINGMON_BENCH_SCALE ?? 1);
console.log(`archive engine vs rrdtool 1.7 (pipe mode), scale ${scale}`);
report(await runArchiveBench({ scale }));

console.log('\nserver journal (write-behind, fdatasync before acknowledging); no reference yet: carbon-cache and VictoriaMetrics come with the ingest benchmark');
for (const r of await runJournalBench({ scale })) {
  const syncs = r.fdatasyncs === undefined ? '' : `, ${r.fdatasyncs} fdatasyncs`;
  console.log(`  ${r.name}: ${Math.round((r.samples / r.ms) * 1000).toLocaleString('en')} samples/s${syncs}`);
}
