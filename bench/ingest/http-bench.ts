/**
 * HTTP ingest as agents and slurpers use it: POST /api/v1/samples with
 * batches of 1,000 samples spread over the series, several requests in
 * flight, each acknowledged only once durable in the journal. With
 * `units`, every sample declares a unit as agents' samples do (`B`, the
 * same at every round: the server keeps it once, so only the first round
 * writes units to its database).
 */
import { Pool } from 'undici';
import { seriesName } from './graphite-stream.js';
import { cpuSeconds } from './proc-stats.js';
import type { RingmonTarget } from './targets.js';

export interface HttpFigures {
  readonly samples: number;
  readonly seconds: number;
  readonly serverCpuSeconds: number;
  readonly requests: number;
}

function batchBodies(series: number, batch: number, t: number, round: number, units: boolean): string[] {
  const bodies: string[] = [];
  const unit = units ? ',"unit":"B"' : '';
  for (let from = 0; from < series; from += batch) {
    const samples: string[] = [];
    for (let i = from; i < Math.min(series, from + batch); i++) samples.push(`{"series":"${seriesName('http', i)}","t":${t},"v":${(i % 1000) + round}${unit}}`);
    bodies.push(`[${samples.join(',')}]`);
  }
  return bodies;
}

export async function runHttpBench(target: RingmonTarget, options: { series: number; batch: number; rounds: number; t0: number; inFlight: number; units?: boolean }): Promise<{ create: HttpFigures; steady: HttpFigures }> {
  const pool = new Pool(target.url, { connections: options.inFlight, pipelining: 1 });
  const post = async (body: string): Promise<void> => {
    const response = await pool.request({
      path: '/api/v1/samples',
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` },
      body,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`ingest answered ${response.statusCode}: ${text.slice(0, 300)}`);
    if (!text.includes('"rejected":[]')) throw new Error(`ingest rejected samples: ${text.slice(0, 300)}`);
  };
  const run = async (rounds: readonly number[]): Promise<HttpFigures> => {
    // Bodies are built before the clock starts: the client's JSON work is not the server's cost.
    const bodies = rounds.flatMap((round) => batchBodies(options.series, options.batch, options.t0 + round * 10, round, options.units === true));
    const cpu0 = cpuSeconds(target.pid);
    const start = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < bodies.length) await post(bodies[next++]);
    };
    await Promise.all(Array.from({ length: options.inFlight }, worker));
    return { samples: rounds.length * options.series, seconds: (performance.now() - start) / 1000, serverCpuSeconds: cpuSeconds(target.pid) - cpu0, requests: bodies.length };
  };
  try {
    const create = await run([0]);
    const steady = await run(Array.from({ length: options.rounds }, (_, i) => i + 1));
    return { create, steady };
  } finally {
    await pool.close();
  }
}
