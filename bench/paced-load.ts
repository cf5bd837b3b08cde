/**
 * The paced load the server benchmarks feed a real `ringmon serve` with:
 * `series` series at one sample per series per 10 s step, over HTTP
 * (POST /api/v1/samples, batches of 1,000 spread evenly over the step), for
 * `seconds`. Samples carry no time: the server's clock stamps them, one
 * step apart for each series. Resolves with the server's CPU seconds over
 * the load and the samples it accepted.
 */
import { Pool } from 'undici';
import { cpuSeconds } from './ingest/proc-stats.js';
import type { RingmonTarget } from './ingest/targets.js';

export const STEP_SECONDS = 10;
const BATCH = 1000;

export interface PacedSeries {
  /** The name of series `i` (default `load.h<i>.v`). */
  readonly name?: (i: number) => string;
  /** The value of series `i` in batch `n` of the run, which is in step `step` of it (default (i + n) % 100). */
  readonly value?: (i: number, n: number, step: number) => number;
}

/** Feeds the load; `during` runs beside it and is told when it stops. */
export async function pacedLoad(
  target: RingmonTarget,
  series: number,
  seconds: number,
  during?: (stop: () => boolean) => Promise<void>,
  shape: PacedSeries = {},
): Promise<{ cpu: number; samples: number }> {
  const name = shape.name ?? ((i: number) => `load.h${i}.v`);
  const value = shape.value ?? ((i: number, n: number) => (i + n) % 100);
  const pool = new Pool(target.url, { connections: 8 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${target.token}` };
  const batchesPerStep = Math.ceil(series / BATCH);
  const interval = (STEP_SECONDS * 1000) / batchesPerStep;
  const start = Date.now();
  const cpu0 = cpuSeconds(target.pid);
  let samples = 0;
  let done = false;
  const side = during?.(() => done);
  for (let n = 0; Date.now() - start < seconds * 1000; n++) {
    const due = start + n * interval;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const first = (n % batchesPerStep) * BATCH;
    const step = Math.floor(n / batchesPerStep);
    const body = JSON.stringify(Array.from({ length: Math.min(BATCH, series - first) }, (_, i) => ({ series: name(first + i), v: value(first + i, n, step) })));
    const response = await pool.request({ path: '/api/v1/samples', method: 'POST', headers, body });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`ingest answered ${response.statusCode}: ${text.slice(0, 200)}`);
    samples += JSON.parse(text).accepted as number;
  }
  done = true;
  await side;
  const cpu = cpuSeconds(target.pid) - cpu0;
  await pool.close();
  return { cpu, samples };
}
