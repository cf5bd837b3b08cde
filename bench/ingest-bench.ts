/**
 * The ingest benchmark: ringmon against VictoriaMetrics and carbon-cache fed
 * the same Graphite stream over loopback, then ringmon's HTTP ingest.
 * Servers run one at a time so they do not share the two cores.
 * RINGMON_BENCH_INGEST=http runs the HTTP part alone (a quick figure after a
 * change to the ingest path). The HTTP part runs twice: samples as they
 * were, and samples that each declare a unit (server/units).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGraphiteBench, type GraphiteFigures } from './ingest/graphite-bench.js';
import { runHttpBench, type HttpFigures } from './ingest/http-bench.js';
import { startCarbon, startRingmon, startVictoriaMetrics, type IngestTarget } from './ingest/targets.js';

export interface IngestBenchOptions {
  readonly scale: number;
}

const available = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const perSecond = (n: number, s: number): string => `${Math.round(n / s).toLocaleString('en')}/s`;

/** Carbon does not say what it has written: read back the last round of a sample of series. */
function checkWhisper(whisperDir: string, series: number, t: number, round: number): string {
  const picks = Array.from({ length: 50 }, (_, k) => Math.floor((k * series) / 50));
  const script = [
    'import sys, whisper',
    'bad = 0',
    'for i in map(int, sys.argv[3:]):',
    `    h, m = i // 100, i % 100`,
    `    path = "%s/bench/h%04d/m%02d.wsp" % (sys.argv[1], h, m)`,
    '    (start, end, step), values = whisper.fetch(path, int(sys.argv[2]) - 10, int(sys.argv[2]) + 10)',
    `    if ${round} + i % 1000 not in values: bad += 1`,
    'print(bad)',
  ].join('\n');
  const result = spawnSync("/usr/bin/python3", ['-c', script, whisperDir, String(t), ...picks.map(String)], { encoding: 'utf8' });
  return result.status === 0 ? `${result.stdout.trim()} of 50 sampled series missing the last value` : `could not read whisper files: ${result.stderr.trim().split('\n').pop()}`;
}

function printGraphite(f: GraphiteFigures): void {
  const ack = (p: GraphiteFigures['blast']): string => (p.ackSeconds === undefined ? 'n/a (no acknowledgement)'.padEnd(22) : perSecond(p.samples, p.ackSeconds).padEnd(22));
  console.log(`  ${f.target}`);
  console.log(`    create  ${f.create.samples.toLocaleString('en')} new series: received ${ack(f.create)} written ${perSecond(f.create.samples, f.create.settledSeconds)}, ${f.create.cpuSeconds.toFixed(1)} CPU s`);
  console.log(`    blast   ${f.blast.samples.toLocaleString('en')} samples: received ${ack(f.blast)} written ${perSecond(f.blast.samples, f.blast.settledSeconds)}, ${((f.blast.cpuSeconds / f.blast.samples) * 1e6).toFixed(2)} CPU s per million`);
  console.log(`    paced   ${(f.pacedCoreFraction * 100).toFixed(1)}% of one core; resident memory ${(f.residentBytes / 2 ** 20).toFixed(0)} MiB`);
}

function printHttp(name: string, f: HttpFigures): void {
  console.log(`    ${name.padEnd(7)} ${f.samples.toLocaleString('en')} samples in ${f.requests} requests: ${perSecond(f.samples, f.seconds)} acknowledged, server ${((f.serverCpuSeconds / f.samples) * 1e6).toFixed(2)} CPU s per million (${((f.serverCpuSeconds / f.seconds) * 100).toFixed(0)}% of a core)`);
}

export async function runIngestBench(options: IngestBenchOptions): Promise<void> {
  const series = Math.max(1000, Math.round(100_000 * options.scale));
  const blastRounds = 10;
  const pacedRounds = Number(process.env.RINGMON_BENCH_PACED_ROUNDS ?? 12);
  const now = Math.floor(Date.now() / 1000);
  // Whisper refuses future points and points older than its retention (1 day here).
  const shape = { series, stepSeconds: 10, t0: now - now % 10 - 10 * (1 + blastRounds + pacedRounds + 60) };
  const root = mkdtempSync(join(tmpdir(), 'ringmon-ingest-bench-'));
  console.log(`Graphite plaintext over loopback: ${series.toLocaleString('en')} series, step 10 s, retention 10s:1h,1m:1d, one server at a time`);
  const starters: Array<[string, () => Promise<IngestTarget & { whisperDir?: string }>]> = [
    ['ringmon', () => startRingmon(join(root, 'ringmon'), { flushIntervalSeconds: 60 })],
    ['victoria-metrics', () => startVictoriaMetrics(join(root, 'vm'))],
    ['carbon-cache', () => startCarbon(join(root, 'carbon'))],
  ];
  const results: GraphiteFigures[] = [];
  const httpOnly = process.env.RINGMON_BENCH_INGEST === 'http';
  try {
    for (const [command, start] of httpOnly ? [] : starters) {
      if (command !== 'ringmon' && !available(command)) {
        console.log(`  ${command}: not installed (apt-get install ${command === 'carbon-cache' ? 'graphite-carbon' : 'victoria-metrics'}); skipped`);
        continue;
      }
      const target = await start();
      try {
        const figures = await runGraphiteBench(target, shape, { blastRounds, pacedRounds });
        results.push(figures);
        printGraphite(figures);
        if (target.whisperDir) console.log(`    check   ${checkWhisper(target.whisperDir, series, shape.t0 + (blastRounds + pacedRounds) * 10, blastRounds + pacedRounds)}`);
      } finally {
        await target.stop();
      }
    }
    const ringmon = results.find((r) => r.target === 'ringmon');
    for (const other of results.filter((r) => r !== ringmon)) {
      if (!ringmon) break;
      const cost = (f: GraphiteFigures): number => f.blast.cpuSeconds / f.blast.samples;
      console.log(`  ratio   ${other.target}/ringmon CPU per sample = ${(cost(other) / cost(ringmon)).toFixed(2)}x; paced CPU ${(other.pacedCoreFraction / ringmon.pacedCoreFraction).toFixed(2)}x`);
    }

    console.log(`\nHTTP POST /api/v1/samples over loopback: batches of 1,000 over ${series.toLocaleString('en')} series, 4 requests in flight, acknowledged once durable`);
    for (const units of [false, true]) {
      console.log(units ? '  each sample with a unit' : '  samples without units');
      const target = await startRingmon(join(root, units ? 'ringmon-http-units' : 'ringmon-http'), { flushIntervalSeconds: 60 });
      try {
        const http = await runHttpBench(target, { series, batch: 1000, rounds: blastRounds, t0: shape.t0, inFlight: 4, units });
        printHttp('create', http.create);
        printHttp('steady', http.steady);
      } finally {
        await target.stop();
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
