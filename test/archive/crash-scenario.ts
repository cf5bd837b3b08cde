/**
 * The deterministic workload of the crash test, shared by the writer child
 * process and the checking test: archive a's i-th sample is always the same,
 * so a recovered archive can be compared with a reference built from the
 * same prefix of samples.
 */
import type { ArchiveDefinition, Sample } from '../../archive/index.js';

export const ARCHIVES = 4;
export const START = 1_700_000_000;

export const definition: ArchiveDefinition = {
  step: 10,
  dataSources: [
    { name: 'load', type: 'GAUGE', heartbeat: 25, min: 0, max: 900 },
    { name: 'bytes', type: 'COUNTER', heartbeat: 40, min: 0, max: NaN },
  ],
  rras: [
    { cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 200 },
    { cf: 'MAX', xff: 0.5, pdpPerRow: 6, rows: 50 },
    { cf: 'MIN', xff: 0.2, pdpPerRow: 30, rows: 20 },
    { cf: 'LAST', xff: 0.9, pdpPerRow: 3, rows: 40 },
  ],
};

/** A small integer hash (mulberry32 step), deterministic across processes. */
export function hash(a: number, i: number): number {
  let t = (a * 0x9e3779b9 + i * 0x85ebca6b + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Archive a's samples in order; times are irregular: sub-step, multi-step and beyond-heartbeat gaps. */
export class SampleStream {
  private i = 0;
  private time = START;
  private counter = 0n;

  constructor(private readonly a: number) {}

  /** The next n samples. */
  take(n: number): Sample[] {
    const out: Sample[] = [];
    for (const end = this.i + n; this.i < end; this.i++) {
      const { a, i } = this;
      const h = hash(a, i);
      this.time += h < 0.02 ? 60 + Math.floor(h * 1000) : 1 + Math.floor(h * 17);
      this.counter += BigInt(Math.floor(hash(a + 100, i) * 50_000));
      const load = hash(a + 200, i) < 0.05 ? null : Math.round(hash(a + 300, i) * 10_000) / 10;
      out.push({ time: this.time, values: [load, this.counter % 4294967296n] });
    }
    return out;
  }

  /** Moves past the first n samples. */
  skip(n: number): this {
    this.take(n);
    return this;
  }
}

/** How many samples an archive whose last update is `lastUpdate` holds. */
export function appliedCount(a: number, lastUpdate: number): number {
  if (lastUpdate === START) return 0;
  const stream = new SampleStream(a);
  for (let k = 1; ; k++) {
    const [sample] = stream.take(1);
    if (sample.time === lastUpdate) return k;
    if (sample.time > lastUpdate) throw new Error(`archive ${a}: last update ${lastUpdate} is not a sample time`);
  }
}
