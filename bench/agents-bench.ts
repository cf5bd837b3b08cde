/**
 * Many remote agents against one server: 10,000 × scale simulated agents,
 * each posting a batch of 10 samples of its own series every 10 s (at its
 * own phase within the step) and a heartbeat every 30 s, for about a minute,
 * to a real `ringmon serve` on loopback. The old system broke above 1,000
 * slurpers; the target here is an ingest lag below one step.
 *
 * Ingest lag: the time from a sample's timestamp (when the agent would have
 * collected it) to the server's acknowledgement (durable in the journal).
 * The agents run in two load-generator processes (this file, started again
 * with RINGMON_AGENTS_BENCH_ROLE=load-generator), so the clients' own work
 * does not share the server's CPU queue within one event loop; their event
 * loop delay is reported too, to tell a slow client from a slow server.
 * The server flushes to its archives every 25 s, so the run includes the
 * first flush (creating every archive) and a steady one.
 * RINGMON_AGENTS_BENCH_SECONDS changes the duration (default 60).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { cpuSeconds, residentBytes } from './ingest/proc-stats.js';
import { startRingmon } from './ingest/targets.js';

const STEP_SECONDS = 10;
const HEARTBEAT_SECONDS = 30;
const SERIES_PER_AGENT = 10;
const GENERATORS = 2;
/** The server's write-behind interval: two flushes in a minute's run. */
const FLUSH_SECONDS = 25;
/** Connections per load generator: agents share them as real agents would share a proxy; each request still waits for its own answer. */
const CONNECTIONS = 512;

interface GeneratorTask {
  readonly url: string;
  readonly token: string;
  readonly first: number;
  readonly count: number;
  readonly total: number;
  readonly seconds: number;
}

interface GeneratorResult {
  /** Lag of each acknowledged batch, in seconds, with the time it was due. */
  readonly lags: readonly [due: number, lag: number][];
  readonly requests: number;
  readonly heartbeats: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly loopDelayP99Ms: number;
}

/** A stable fraction in [0, 1) per agent: its phase within the step. */
const phase = (i: number): number => ((Math.imul(i + 1, 2654435761) >>> 0) % 10_000) / 10_000;

async function loadGenerator(task: GeneratorTask): Promise<GeneratorResult> {
  const pool = new Pool(task.url, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 60_000 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${task.token}` };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const lags: [number, number][] = [];
  let requests = 0;
  let heartbeats = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = Date.now();
  const end = start + task.seconds * 1000;
  const inFlight = new Set<Promise<void>>();

  const post = async (path: string, body: string): Promise<string> => {
    const response = await pool.request({ path, method: 'POST', headers, body });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`${path} answered ${response.statusCode}: ${text.slice(0, 200)}`);
    return text;
  };
  const track = (work: Promise<void>): void => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const fail = (e: unknown): void => {
    errors++;
    firstError ??= e instanceof Error ? e.message : String(e);
  };

  const pushBatch = (agent: number, dueMs: number): void => {
    const t = dueMs / 1000;
    const samples = Array.from({ length: SERIES_PER_AGENT }, (_, j) => `{"series":"bench.agent${agent}.s${j}","t":${t},"v":${(agent + j) % 100}}`);
    requests++;
    track(
      post('/api/v1/samples', `[${samples.join(',')}]`).then((text) => {
        if (!text.includes('"rejected":[]')) throw new Error(`samples rejected: ${text.slice(0, 200)}`);
        lags.push([t, Date.now() / 1000 - t]);
      }, fail),
    );
  };
  const beat = (agent: number): void => {
    heartbeats++;
    const body = { name: `bench-agent-${agent}`, version: 'bench', hostname: `bench${agent}`, instances: [{ name: `bench.agent${agent}`, slurper: 'bench', up: true, lastRun: Date.now() / 1000 }], spooledSamples: 0 };
    track(post('/api/v1/agents/heartbeat', JSON.stringify(body)).then(() => undefined, fail));
  };

  const timers: NodeJS.Timeout[] = [];
  for (let i = task.first; i < task.first + task.count; i++) {
    const offset = phase(i) * STEP_SECONDS * 1000;
    const every = (periodMs: number, act: (dueMs: number) => void): void => {
      const arm = (dueMs: number): void => {
        if (dueMs >= end) return;
        timers.push(setTimeout(() => (act(dueMs), arm(dueMs + periodMs)), dueMs - Date.now()));
      };
      arm(Math.ceil((start - offset) / periodMs) * periodMs + offset);
    };
    every(STEP_SECONDS * 1000, (due) => pushBatch(i, due));
    every(HEARTBEAT_SECONDS * 1000, () => beat(i));
  }
  await new Promise((r) => setTimeout(r, end - Date.now()));
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  for (const t of timers) clearTimeout(t);
  await pool.close();
  loop.disable();
  return { lags, requests, heartbeats, errors, firstError, loopDelayP99Ms: loop.percentile(99) / 1e6 };
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

function runGenerator(task: GeneratorTask): Promise<GeneratorResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, RINGMON_AGENTS_BENCH_ROLE: 'load-generator', RINGMON_AGENTS_BENCH_TASK: JSON.stringify(task) },
    });
    child.once('message', (result) => resolve(result as GeneratorResult));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load generator exited with ${code}`))));
  });
}

export async function runAgentsBench(options: { scale: number }): Promise<void> {
  const agents = Math.max(GENERATORS, Math.round(10_000 * options.scale));
  const seconds = Number(process.env.RINGMON_AGENTS_BENCH_SECONDS ?? 60);
  console.log(`remote agents: ${agents.toLocaleString('en')} agents × ${SERIES_PER_AGENT} samples every ${STEP_SECONDS} s + a heartbeat every ${HEARTBEAT_SECONDS} s, ${seconds} s, one server on loopback`);
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-agents-bench-'));
  // Flushes within the run: the lag must hold while 100,000 archives are created and written, not only between flushes.
  const server = await startRingmon(dir, { flushIntervalSeconds: FLUSH_SECONDS });
  try {
    let peakRss = residentBytes(server.pid);
    const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, residentBytes(server.pid))), 500);
    const cpu0 = cpuSeconds(server.pid);
    const t0 = performance.now();
    const per = Math.ceil(agents / GENERATORS);
    const results = await Promise.all(
      Array.from({ length: GENERATORS }, (_, g) =>
        runGenerator({ url: server.url, token: server.token, first: g * per, count: Math.min(per, agents - g * per), total: agents, seconds }),
      ),
    );
    const wall = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(server.pid) - cpu0;
    clearInterval(rssTimer);
    const requests = results.reduce((n, r) => n + r.requests + r.heartbeats, 0);
    const errors = results.reduce((n, r) => n + r.errors, 0);
    const all = results.flatMap((r) => r.lags);
    const firstDue = Math.min(...all.map(([due]) => due));
    const report = (label: string, lags: number[]): void => {
      const sorted = lags.sort((a, b) => a - b);
      const verdict = sorted.at(-1)! < STEP_SECONDS ? 'under one step' : 'OVER one step';
      console.log(`  ${label}: p50 ${quantile(sorted, 0.5).toFixed(3)} s, p99 ${quantile(sorted, 0.99).toFixed(3)} s, max ${sorted.at(-1)!.toFixed(3)} s (${verdict}, step ${STEP_SECONDS} s)`);
    };
    console.log(`  server: CPU ${((cpu / wall) * 100).toFixed(0)} % of one core (${cpu.toFixed(1)} s in ${wall.toFixed(0)} s), peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
    console.log(`  requests: ${Math.round(requests / wall).toLocaleString('en')}/s (${requests.toLocaleString('en')} batches and heartbeats), ${(all.length * SERIES_PER_AGENT).toLocaleString('en')} samples acknowledged, ${errors} errors${errors ? `: ${results.find((r) => r.firstError)?.firstError}` : ''}`);
    report('ingest lag, all', all.map(([, lag]) => lag));
    report('ingest lag, after the first step (series known)', all.filter(([due]) => due >= firstDue + STEP_SECONDS).map(([, lag]) => lag));
    console.log(`  load generators' event loop delay p99: ${results.map((r) => `${r.loopDelayP99Ms.toFixed(0)} ms`).join(', ')}`);
    const stopStart = performance.now();
    await server.stop();
    console.log(`  server shutdown (flushes every series to its archive): ${((performance.now() - stopStart) / 1000).toFixed(1)} s`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.RINGMON_AGENTS_BENCH_ROLE === 'load-generator') {
  const result = await loadGenerator(JSON.parse(process.env.RINGMON_AGENTS_BENCH_TASK ?? '{}') as GeneratorTask);
  process.send?.(result, () => process.exit(0));
}
