/**
 * `npm run bench [-- NAME...]`: every benchmark (or those named: archive,
 * journal, ingest, agents, downtimes, alarms, inhibition, fleets, reshape, web), each against its reference in the same run, printing
 * rates and ratios. RINGMON_BENCH_SCALE (default 1) shrinks or grows the
 * workloads.
 */
import { runAgentsBench } from './agents-bench.js';
import { runAlarmsBench } from './alarms-bench.js';
import { runArchiveBench, type BenchResult } from './archive-bench.js';
import { runDowntimeBench } from './downtime-bench.js';
import { runFleetsBench } from './fleets-bench.js';
import { runIngestBench } from './ingest-bench.js';
import { runInhibitionBench } from './inhibition-bench.js';
import { runJournalBench } from './journal-bench.js';
import { runReshapeBench } from './reshape-bench.js';
import { runWebBench } from './web-bench.js';

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

const BENCHES: Record<string, () => Promise<void>> = {
  archive: async () => {
    console.log(`archive engine vs rrdtool 1.7 (pipe mode), scale ${scale}`);
    report(await runArchiveBench({ scale }));
  },
  journal: async () => {
    console.log('server journal (write-behind, fdatasync before acknowledging)');
    for (const r of await runJournalBench({ scale })) {
      const syncs = r.fdatasyncs === undefined ? '' : `, ${r.fdatasyncs} fdatasyncs`;
      console.log(`  ${r.name}: ${Math.round((r.samples / r.ms) * 1000).toLocaleString('en')} samples/s${syncs}`);
    }
  },
  ingest: () => runIngestBench({ scale }),
  agents: () => runAgentsBench({ scale }),
  downtimes: () => runDowntimeBench(),
  alarms: () => runAlarmsBench({ scale }),
  inhibition: () => runInhibitionBench({ scale }),
  fleets: () => runFleetsBench({ scale }),
  reshape: () => runReshapeBench({ scale }),
  web: async () => {
    await runWebBench({ scale });
  },
};

const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}: choose from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
for (const name of chosen.length > 0 ? chosen : Object.keys(BENCHES)) {
  await BENCHES[name]();
  console.log('');
}
