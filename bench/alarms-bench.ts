/**
 * Alarms: how soon a crossing reaches the mail relay, and what evaluating
 * every sample costs.
 *
 * 1. Latency. A real `ringmon serve` (a child process) with a rule on every
 *    series and a real SMTP server (smtp-server, in this process) as the
 *    relay. While 100,000 series × scale are fed at a 10 s step over HTTP
 *    (batches of 1,000), one crossing sample of a new series is posted every
 *    100 ms; the time from posting it to the relay accepting its mail is
 *    its latency. Target: p99 ≤ 2 s.
 * 2. Cost, the reference in the same run: the server's CPU for the same
 *    paced load with every series alarmed, against a server with no alarm
 *    rules; and the CPU each crossing adds.
 * 3. Evaluation alone, in this process: AlarmEvaluator.observe over 100,000
 *    alarmed series, per 100,000 samples.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlarmEvaluator } from '../server/alarms/evaluator.js';
import { compileRules } from '../server/alarms/rule-set.js';
import { SmtpSink } from '../test/helpers/smtp-sink.js';
import { residentBytes } from './ingest/proc-stats.js';
import { startRingmon, type RingmonTarget } from './ingest/targets.js';
import { pacedLoad, STEP_SECONDS } from './paced-load.js';

const PACED_SECONDS = 30;
const CROSSING_EVERY_MS = 100;

interface Relay {
  readonly port: number;
  /** Date.now() at acceptance of the first mail naming each crossing series. */
  accepted(): Map<string, number>;
  stop(): Promise<void>;
}

async function startRelay(): Promise<Relay> {
  const sink = await SmtpSink.start();
  return {
    port: sink.port,
    accepted: () => {
      const at = new Map<string, number>();
      for (const mail of sink.received) for (const [series] of mail.text.matchAll(/cross\.s\d+\.v/g)) if (!at.has(series)) at.set(series, mail.acceptedAt);
      return at;
    },
    stop: () => sink.stop(),
  };
}

function alarmConfig(relayPort: number, alarmed: boolean): string[] {
  return [
    'alarms:',
    '  groupWait: 0',
    '  rules:',
    ...(alarmed
      ? [
          '    - name: crossing',
          '      match: "cross.*.v"',
          '      critical: "> 90"',
          '      notify: [ops]',
          '    - name: load',
          '      match: "load.**"',
          '      warning: "> 1000000"',
          '      hysteresis: 1',
          '      nodata: 1h',
        ]
      : []),
    '  recipients:',
    '    - { name: ops, email: [ops@bench.example] }',
    'notify:',
    `  email: { host: 127.0.0.1, port: ${relayPort}, starttls: never, from: ringmon@bench.example }`,
  ];
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function crossings(target: RingmonTarget, relay: Relay, stop: () => boolean): Promise<number[]> {
  const sent = new Map<string, number>();
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${target.token}` };
  for (let i = 0; !stop(); i++) {
    const series = `cross.s${i}.v`;
    sent.set(series, Date.now());
    const response = await fetch(`${target.url}/api/v1/samples`, { method: 'POST', headers, body: JSON.stringify([{ series, v: 99 }]) });
    if (!response.ok) throw new Error(`crossing answered ${response.status}`);
    await new Promise((r) => setTimeout(r, CROSSING_EVERY_MS));
  }
  const deadline = Date.now() + 10_000;
  while (relay.accepted().size < sent.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const accepted = relay.accepted();
  const missing = [...sent.keys()].filter((s) => !accepted.has(s));
  if (missing.length > 0) console.log(`  ${missing.length} of ${sent.size} crossings had no mail 10 s after the last one`);
  return [...sent].filter(([s]) => accepted.has(s)).map(([s, t]) => (accepted.get(s) ?? t) - t);
}

function evaluationCost(series: number): { alarmedNs: number; unalarmedNs: number } {
  const rules = compileRules({
    rules: [{ name: 'load', match: 'load.**', warning: '> 80', critical: '> 90', for: 60, hysteresis: 5, nodata: 3600, notify: [] }],
    recipients: [],
    offered: { enabled: true, for: 0, notify: [] },
    groupWait: 0,
    maxPendingTransitions: 10_000,
  });
  const evaluator = new AlarmEvaluator(rules);
  const names = Array.from({ length: series }, (_, i) => `load.h${i}.v`);
  const others = Array.from({ length: series }, (_, i) => `other.h${i}.v`);
  const run = (list: readonly string[], rounds: number): number => {
    const start = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) for (let i = 0; i < list.length; i++) evaluator.observe(list[i], 1_800_000_000 + r * 10, (i + r) % 70);
    return Number(process.hrtime.bigint() - start) / (rounds * list.length);
  };
  run(names, 2);
  run(others, 2);
  return { alarmedNs: run(names, 10), unalarmedNs: run(others, 10) };
}

export async function runAlarmsBench(options: { scale: number }): Promise<void> {
  const series = Math.max(1000, Math.round(100_000 * options.scale));
  console.log(`alarms: ${series.toLocaleString('en')} series at a ${STEP_SECONDS} s step over HTTP, ${PACED_SECONDS} s per phase`);
  const relay = await startRelay();
  const loads: { name: string; cpu: number; samples: number; rss: number }[] = [];
  let storm: { cpu: number; latencies: number[] } | undefined;
  for (const alarmed of [false, true]) {
    const dir = mkdtempSync(join(tmpdir(), 'ringmon-alarms-bench-'));
    // No timed flush within the phases: writing the archives costs the same either way, and is measured by the ingest bench.
    const target = await startRingmon(dir, { flushIntervalSeconds: 3600, extraConfig: alarmConfig(relay.port, alarmed) });
    try {
      // A first pass creates the archives, so every phase measures the steady state.
      await pacedLoad(target, series, STEP_SECONDS + 1);
      const load = await pacedLoad(target, series, PACED_SECONDS);
      loads.push({ name: alarmed ? 'every series alarmed' : 'no alarm rules', ...load, rss: residentBytes(target.pid) });
      if (alarmed) {
        let latencies: number[] = [];
        const withCrossings = await pacedLoad(target, series, PACED_SECONDS, async (stop) => void (latencies = await crossings(target, relay, stop)));
        storm = { cpu: withCrossings.cpu - load.cpu, latencies };
      }
    } finally {
      await target.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  await relay.stop();
  for (const r of loads) {
    console.log(`  ${r.name.padEnd(22)} ${((r.cpu / PACED_SECONDS) * 100).toFixed(1)} % of a core, ${((r.cpu / r.samples) * 1e6).toFixed(2)} CPU s per million samples, RSS ${Math.round(r.rss / 2 ** 20)} MiB`);
  }
  const [off, on] = loads;
  console.log(`  ratio    CPU with every series alarmed / with none = ${(on.cpu / on.samples / (off.cpu / off.samples)).toFixed(2)}x`);
  if (storm && storm.latencies.length > 0) {
    const sorted = storm.latencies.toSorted((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    console.log(`  a crossing every ${CROSSING_EVERY_MS} ms on top of that load: ${sorted.length} crossings, ${((storm.cpu / sorted.length) * 1000).toFixed(1)} ms CPU each (new series, transition, outbox, SMTP)`);
    console.log(`  crossing → mail accepted: p50 ${percentile(sorted, 50)} ms, p99 ${p99} ms, max ${sorted[sorted.length - 1]} ms (target p99 ≤ 2000 ms: ${(p99 / 2000).toFixed(2)} of it)`);
  }
  const cost = evaluationCost(series);
  console.log(`  evaluation alone: ${((cost.alarmedNs * 100_000) / 1000).toFixed(0)} µs per 100,000 samples of alarmed series (${cost.alarmedNs.toFixed(0)} ns each), ${((cost.unalarmedNs * 100_000) / 1000).toFixed(0)} µs for series without a rule`);
}
