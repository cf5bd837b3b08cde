/**
 * A separate client measuring GET /healthz while a fuzz runs: run as its own
 * process (`node --import tsx healthz-prober.ts URL`), so the fuzzer's own
 * work never delays it. It asks every 20 ms over one keep-alive connection,
 * each answer waited for at most 10 s (a timeout counts as 10 s and a
 * failure), and on SIGTERM prints one JSON line: count, failures, p50, p99
 * and max in milliseconds. It exits when its standard input closes, so it
 * never outlives the test that started it.
 */
import { Agent, get } from 'node:http';

const url = process.argv[2];
if (!url) throw new Error('usage: healthz-prober.ts http://127.0.0.1:PORT/healthz');
const INTERVAL_MS = 20;
const TIMEOUT_MS = 10_000;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const latencies: number[] = [];
const failures: string[] = [];
let running = true;

function once(): Promise<void> {
  return new Promise((resolve) => {
    const started = performance.now();
    const done = (failure?: string) => {
      latencies.push(performance.now() - started);
      if (failure !== undefined) failures.push(failure);
      resolve();
    };
    const req = get(url, { agent, timeout: TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode === 200 ? undefined : `status ${res.statusCode}`));
      res.on('error', (e) => done(e.message));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    req.on('error', (e) => done(e.message));
  });
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

process.on('SIGTERM', () => {
  running = false;
});
// The test holds our standard input open: when it ends (the test process died), so do we.
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();

while (running) {
  const started = performance.now();
  await once();
  const wait = INTERVAL_MS - (performance.now() - started);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
const sorted = [...latencies].sort((a, b) => a - b);
const round = (n: number) => Math.round(n * 10) / 10;
process.stdout.write(`${JSON.stringify({ count: sorted.length, failures: failures.length, firstFailures: failures.slice(0, 5), p50: round(quantile(sorted, 0.5)), p99: round(quantile(sorted, 0.99)), max: round(sorted[sorted.length - 1] ?? NaN) })}\n`);
agent.destroy();
process.exit(0);
