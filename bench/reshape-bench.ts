/**
 * Reshape benchmark: 10,000 small archives (a day of 10 s history each,
 * about 36 KB) reshaped from a 10 s to a 1 min step, keeping what each RRA
 * covers (reshapedDefinition with { step: 60 }).
 *
 * rrdtool has no reshape (tune changes heartbeats and min/max, resize one
 * RRA's rows), so the nearest reference is the full rewrite it offers:
 * `dump FILE XML` then `restore -f XML FILE`, both through one `rrdtool -`
 * pipe so that process start-up is not counted. It rewrites each file
 * without changing its step, and fsyncs nothing; ringmon is timed the same
 * way (sync: false) and once more with its default, an fdatasync of each
 * new file and an fsync of its directory (what `ringmon archive reshape`
 * does).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatArchiveDefinition, reshapeArchive, reshapedDefinition } from '../archive/index.js';
import { filledArchive, gaugeDefinition, stepSamples, type Fill } from '../test/helpers/archive-fixture.js';
import { runRrdtoolPipe } from './rrdtool-pipe.js';

const START = 1_600_000_000;
const SAMPLES = 8640;

const definition = gaugeDefinition('value', 10, 20, ['RRA:AVERAGE:0.5:1:360', 'RRA:AVERAGE:0.5:6:1440', 'RRA:MAX:0.5:6:1440', 'RRA:AVERAGE:0.5:360:720']);
const rrdCreate = `--start ${START} --step ${definition.step} ${formatArchiveDefinition(definition).join(' ')}`;
const fill: Fill = { start: START, count: SAMPLES, value: (i) => ((i * 7919) % 10007) * 0.37 };

function rate(files: number, ms: number): string {
  return `${Math.round((files / ms) * 1000).toLocaleString('en')} files/s`;
}

/** Copies of one filled archive (ringmon's and rrdtool's), then the timed rewrites. */
export async function runReshapeBench(options: { scale: number }): Promise<void> {
  const files = Math.max(10, Math.round(10_000 * options.scale));
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-reshape-bench-'));
  try {
    const seed = join(dir, 'seed.rma');
    filledArchive(seed, definition, fill);
    const rrdSeed = join(dir, 'seed.rrd');
    const lines = stepSamples(definition.step, fill).map((s) => `${s.time}:${String(s.values[0])}`);
    const updates: string[] = [];
    for (let i = 0; i < lines.length; i += 500) updates.push(`update ${rrdSeed} ${lines.slice(i, i + 500).join(' ')}`);
    await runRrdtoolPipe([`create ${rrdSeed} ${rrdCreate}`, ...updates]);
    const target = reshapedDefinition(definition, { step: 60 });
    console.log(`reshape of ${files.toLocaleString('en')} archives (10 s step, 1 day of history, ${definition.rras.length} RRAs) to a 60 s step`);

    for (const sync of [false, true]) {
      const sub = join(dir, sync ? 'synced' : 'plain');
      mkdirSync(sub);
      const paths = Array.from({ length: files }, (_, i) => join(sub, `a${i}.rma`));
      for (const p of paths) copyFileSync(seed, p);
      const t0 = performance.now();
      for (const p of paths) reshapeArchive(p, target, { sync });
      const ms = performance.now() - t0;
      console.log(`  ringmon reshape${sync ? ', fdatasync + dir fsync' : ', no fsync'}`.padEnd(44) + `${ms.toFixed(0).padStart(7)} ms  ${rate(files, ms)}`);
      rmSync(sub, { recursive: true, force: true });
    }

    const rrdDir = join(dir, 'rrd');
    mkdirSync(rrdDir);
    const rrds = Array.from({ length: files }, (_, i) => join(rrdDir, `a${i}.rrd`));
    for (const p of rrds) copyFileSync(rrdSeed, p);
    const commands = rrds.flatMap((p) => [`dump ${p} ${p}.xml`, `restore -f ${p}.xml ${p}`]);
    const ms = await runRrdtoolPipe(commands);
    console.log(`  rrdtool dump + restore -f (no reshape)`.padEnd(44) + `${ms.toFixed(0).padStart(7)} ms  ${rate(files, ms)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
