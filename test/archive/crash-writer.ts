/**
 * Child process of the crash test: updates the scenario's archives forever
 * in batches of random size, appending "a k" to the ack log after each
 * update call returns (so every logged sample was acknowledged). The parent
 * kills it with SIGKILL at a random moment.
 */
import { openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openArchive, updateArchiveFile } from '../../archive/index.js';
import { ARCHIVES, SampleStream, appliedCount } from './crash-scenario.js';

const dir = process.argv[2];
const ack = openSync(join(dir, 'ack.log'), 'a');
const files = Array.from({ length: ARCHIVES }, (_, a) => openArchive(join(dir, `a${a}.rma`), { write: true }));
const next = files.map((f, a) => appliedCount(a, f.state.lastUpdate));
const streams = next.map((k, a) => new SampleStream(a).skip(k));
process.stdout.write('ready\n');
let round = 0;
for (;;) {
  const a = round++ % ARCHIVES;
  // Small batches commit through the redo area, large ones (over ~150 samples here) through the sidecar.
  const batch = 1 + Math.floor(Math.random() * (Math.random() < 0.4 ? 2000 : 40));
  // Durable commits (two fdatasyncs each) keep the writer inside commits most of the time, where kills matter most.
  updateArchiveFile(files[a], streams[a].take(batch), { durable: Math.random() < 0.5 });
  next[a] += batch;
  writeSync(ack, `${a} ${next[a]}\n`);
}
