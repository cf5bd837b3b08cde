/**
 * Archive engine benchmark: the same workloads through ringmon and through
 * rrdtool 1.7 (pipe mode, many values per update command, so rrdtool's
 * process start-up is not counted). Neither side fsyncs: rrdtool's
 * durability. Prints updates/s for both and the ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createArchive, openArchive, updateArchive, updateArchiveFile, type ArchiveDefinition, type Sample } from '../archive/index.js';
import { runRrdtoolPipe } from './rrdtool-pipe.js';

const START = 1_600_000_000;
const STEP = 10;

const definition: ArchiveDefinition = {
  step: STEP,
  dataSources: [{ name: 'value', type: 'GAUGE', heartbeat: 2 * STEP, min: NaN, max: NaN }],
  rras: [
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 8640 },
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 6, rows: 10080 },
    { cf: 'MAX', xff: 0.5, pdpPerRow: 60, rows: 8760 },
    { cf: 'MIN', xff: 0.5, pdpPerRow: 360, rows: 1460 },
  ],
};
const rrdtoolCreateArgs = `--start ${START} --step ${STEP} DS:value:GAUGE:${2 * STEP}:U:U RRA:AVERAGE:0.5:1:8640 RRA:AVERAGE:0.5:6:10080 RRA:MAX:0.5:60:8760 RRA:MIN:0.5:360:1460`;

function value(i: number): number {
  return Math.round(((i * 7919) % 10007) * 0.37 * 100) / 100;
}

function makeSamples(count: number, archive = 0): Sample[] {
  const out: Sample[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = { time: START + (i + 1) * STEP, values: [value(i + archive)] };
  return out;
}

function rrdtoolUpdates(file: string, samples: readonly Sample[], perCommand: number): string[] {
  const commands: string[] = [];
  for (let i = 0; i < samples.length; i += perCommand) {
    const part = samples.slice(i, i + perCommand).map((s) => `${s.time}:${String(s.values[0])}`);
    commands.push(`update ${file} ${part.join(' ')}`);
  }
  return commands;
}

export interface BenchResult {
  readonly name: string;
  readonly updates: number;
  readonly ringmonMs: number;
  readonly rrdtoolMs: number;
}

async function singleArchive(dir: string, updates: number, batch: number): Promise<BenchResult> {
  const samples = makeSamples(updates);
  const rrdFile = join(dir, 'single.rrd');
  await runRrdtoolPipe([`create ${rrdFile} ${rrdtoolCreateArgs}`]);
  const rrdtoolMs = await runRrdtoolPipe(rrdtoolUpdates(rrdFile, samples, batch));

  const file = join(dir, 'single.rma');
  createArchive(file, definition, { start: START });
  const handle = openArchive(file, { write: true });
  const started = performance.now();
  for (let i = 0; i < samples.length; i += batch) updateArchiveFile(handle, samples.slice(i, i + batch));
  const ringmonMs = performance.now() - started;
  handle.close();
  return { name: `(a) 1 archive, ${updates.toLocaleString('en')} updates, ${batch} per call`, updates, ringmonMs, rrdtoolMs };
}

async function manyArchives(dir: string, archives: number, perArchive: number): Promise<BenchResult> {
  const samples = Array.from({ length: archives }, (_, a) => makeSamples(perArchive, a));
  const creates = Array.from({ length: archives }, (_, a) => `create ${join(dir, `m${a}.rrd`)} ${rrdtoolCreateArgs}`);
  await runRrdtoolPipe(creates);
  const updates = samples.flatMap((s, a) => rrdtoolUpdates(join(dir, `m${a}.rrd`), s, perArchive));
  const rrdtoolMs = await runRrdtoolPipe(updates);

  for (let a = 0; a < archives; a++) createArchive(join(dir, `m${a}.rma`), definition, { start: START });
  const started = performance.now();
  for (let a = 0; a < archives; a++) updateArchive(join(dir, `m${a}.rma`), samples[a]);
  const ringmonMs = performance.now() - started;
  return { name: `(b) ${archives.toLocaleString('en')} archives x ${perArchive} updates (open, update, close each)`, updates: archives * perArchive, ringmonMs, rrdtoolMs };
}

export async function runArchiveBench(options: { scale?: number } = {}): Promise<BenchResult[]> {
  const scale = options.scale ?? 1;
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-bench-'));
  try {
    return [
      await singleArchive(dir, Math.round(1_000_000 * scale), 1000),
      await manyArchives(dir, Math.round(10_000 * scale), 100),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
