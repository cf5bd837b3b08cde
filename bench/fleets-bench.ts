/**
 * Fleets: what computed series and node inhibition cost a real
 * `ringmon serve` (a child process), each against a reference in the same
 * run, on the alarms bench's paced load (paced-load.ts): 100,000 series ×
 * scale at a 10 s step over HTTP. The series are `fleet.g<g>.n<k>.s<j>`:
 * 100 per node n<k>, 10 nodes (1,000 series) per group g<g>.
 *
 * 1. Reference: no computed series, no rules, no nodes (today's server).
 * 2. Computed: the same load with a count where `> 90`, a sum and a percent
 *    over every series, and an avg per group of 1,000: server CPU per
 *    million samples and resident memory against the reference; and, in
 *    this process, the CPU of one evaluation step of them all over a
 *    member index filled with every series (ComputedSeries.samplesAt).
 * 3. Inhibition: one rule alarms every series (critical `> 90`; two series
 *    of each node cross it one step in three, so transitions come all the
 *    time, told by mail to a real SMTP server in this process), every node
 *    an agent heartbeating over HTTP, its series its own by the instance
 *    its heartbeat lists. The rule alone (no agents) is measured against
 *    the reference, and the nodes all up against the rule alone. The
 *    reference of inhibition is the server with every node up; against it,
 *    the same with a tenth of the nodes down (their heartbeats
 *    stopped before the measured phase, their series still fed, so their
 *    transitions are recorded inhibited and not told), once with the series
 *    tied to their node by the instances and once by `nodes.dependencies`
 *    (one pattern per node, heartbeats without instances; at most 1,000
 *    nodes, the section's limit).
 *
 * Each server is fresh: a first pass creates the series, a settling pass
 * lets the stopped nodes go down, then the measured pass. The engine alone
 * (AlarmEngine.observe, a NODATA storm, the nodes' return) is measured in
 * process by `npm run bench -- inhibition`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { ComputedSeries } from '../server/computed/index.js';
import type { ComputedOp, ComputedSettings } from '../server/computed/index.js';
import { SmtpSink } from '../test/helpers/smtp-sink.js';
import { residentBytes } from './ingest/proc-stats.js';
import { scrape, startRingmon, type RingmonTarget } from './ingest/targets.js';
import { pacedLoad, STEP_SECONDS, type PacedSeries } from './paced-load.js';

const PACED_SECONDS = 30;
const PER_NODE = 100;
const PER_GROUP = 1000;
/** Nodes down in the inhibition phases: one in DOWN_EVERY. */
const DOWN_EVERY = 10;
/** nodes.heartbeatInterval; the bench heartbeats each node this often. */
const HEARTBEAT_SECONDS = 5;
/** nodes.downAfter: past heartbeatInterval × graceFactor (2), within the settling pass. */
const DOWN_AFTER_SECONDS = 12;
const SETTLE_SECONDS = DOWN_AFTER_SECONDS + 4;
/** nodes.dependencies holds at most this many entries. */
const MAX_DEPENDENCIES = 1000;
const EVALUATION_ROUNDS = 5;

type Phase = 'reference' | 'computed' | 'rule, no nodes' | 'nodes up' | 'tenth down' | 'tenth down, dependencies';

interface Measured {
  readonly phase: Phase;
  readonly cpu: number;
  readonly samples: number;
  readonly rss: number;
  readonly inhibited?: number;
  readonly down?: number;
  /** Heartbeats per second during the measured pass. */
  readonly heartbeats?: number;
}

const nodeOf = (i: number): number => Math.floor(i / PER_NODE);
const groupOf = (i: number): number => Math.floor(i / PER_GROUP);
const instanceName = (k: number): string => `fleet.g${Math.floor((k * PER_NODE) / PER_GROUP)}.n${k}`;

/** Two series of each node cross `> 90` one step in three (each at its own phase); the others stay below. */
const FLEET: PacedSeries = {
  name: (i) => `${instanceName(nodeOf(i))}.s${i % PER_NODE}`,
  value: (i, _n, step) => (i % PER_NODE < 2 ? ((step + i) % 3 === 0 ? 95 : 50) : 10 + (i % 50)),
};

/** The computed series of the computed phase: three over every series, one per group (within the config's limit). */
function computedList(series: number): { name: string; op: ComputedOp; match: string; where?: string }[] {
  const groups = Math.min(Math.ceil(series / PER_GROUP), 1000 - 3);
  return [
    { name: 'calc.high', op: 'count', match: 'fleet.**', where: '> 90' },
    { name: 'calc.total', op: 'sum', match: 'fleet.**' },
    { name: 'calc.high_percent', op: 'percent', match: 'fleet.**', where: '> 90' },
    ...Array.from({ length: groups }, (_, g) => ({ name: `calc.g${g}.avg`, op: 'avg' as const, match: `fleet.g${g}.**` })),
  ];
}

function phaseConfig(phase: Phase, series: number, relayPort: number): string[] {
  if (phase === 'reference') return [];
  if (phase === 'computed') return ['computed:', ...computedList(series).map((c) => `  - ${JSON.stringify({ ...c, step: `${STEP_SECONDS}s` })}`)];
  const nodes = Math.ceil(series / PER_NODE);
  const dependencies = phase === 'tenth down, dependencies' ? Array.from({ length: nodes }, (_, k) => `    - { match: '${instanceName(k)}.**', node: n${k} }`) : [];
  const rule = [
    'alarms:',
    `  groupWait: ${STEP_SECONDS}s`,
    '  rules:',
    '    - { name: fleet, match: "fleet.**", critical: "> 90", notify: [ops] }',
    '  recipients:',
    '    - { name: ops, email: [ops@bench.example] }',
    'notify:',
    `  email: { host: 127.0.0.1, port: ${relayPort}, starttls: never, from: ringmon@bench.example }`,
  ];
  if (phase === 'rule, no nodes') return rule;
  return [
    ...rule,
    'agents: { maxAgents: 1000000, maxInstances: 10000000 }',
    'nodes:',
    `  heartbeatInterval: ${HEARTBEAT_SECONDS}s`,
    '  graceFactor: 2',
    `  downAfter: ${DOWN_AFTER_SECONDS}s`,
    '  notify: [ops]',
    ...(dependencies.length > 0 ? ['  dependencies:', ...dependencies] : []),
  ];
}

/** Heartbeats every node (but those `silenced` holds) every HEARTBEAT_SECONDS, spread over the interval, until stopped. */
function heartbeats(target: RingmonTarget, nodes: number, withInstances: boolean, silenced: ReadonlySet<number>): { sent(): number; stop(): Promise<void> } {
  const pool = new Pool(target.url, { connections: 4 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${target.token}` };
  const gap = (HEARTBEAT_SECONDS * 1000) / nodes;
  let stopped = false;
  let sent = 0;
  const start = Date.now();
  const loop = (async () => {
    for (let n = 0; !stopped; n++) {
      const wait = start + n * gap - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const k = n % nodes;
      if (silenced.has(k)) continue;
      const instances = withInstances ? [{ name: instanceName(k), slurper: 'bench', up: true, lastRun: Date.now() / 1000 }] : [];
      const body = JSON.stringify({ name: `n${k}`, hostname: `n${k}.bench.example`, version: 'bench', instances, spooledSamples: 0 });
      const response = await pool.request({ path: '/api/v1/agents/heartbeat', method: 'POST', headers, body });
      const text = await response.body.text();
      if (response.statusCode !== 204) throw new Error(`heartbeat answered ${response.statusCode}: ${text.slice(0, 200)}`);
      sent++;
    }
  })();
  return {
    sent: () => sent,
    stop: async () => {
      stopped = true;
      await loop;
      await pool.close();
    },
  };
}

/** Fails the bench unless the server computed calc.high (a count of the crossing series, never 0 after a step of load). */
async function expectComputed(target: RingmonTarget): Promise<void> {
  const response = await fetch(`${target.url}/api/v1/series?match=calc.high`, { headers: { authorization: `Bearer ${target.token}` } });
  const listed = ((await response.json()) as { series?: { series: string; lastValue: number | null }[] }).series ?? [];
  const high = listed.find((s) => s.series === 'calc.high');
  if (!response.ok || !high || !(Number(high.lastValue) > 0)) throw new Error(`computed: calc.high was not computed (GET /api/v1/series answered ${response.status}: ${JSON.stringify(listed).slice(0, 200)})`);
}

async function runPhase(phase: Phase, series: number, relayPort: number): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-fleets-bench-'));
  // No timed flush within the phases: writing the archives costs the same in each, and is measured by the ingest bench.
  const target = await startRingmon(dir, { flushIntervalSeconds: 3600, extraConfig: phaseConfig(phase, series, relayPort) });
  const nodes = Math.ceil(series / PER_NODE);
  const withRule = phase !== 'reference' && phase !== 'computed';
  const withNodes = withRule && phase !== 'rule, no nodes';
  const silenced = new Set<number>();
  const beats = withNodes ? heartbeats(target, nodes, phase !== 'tenth down, dependencies', silenced) : undefined;
  try {
    // A first pass creates the series (and brings every node up), so every phase measures the steady state.
    await pacedLoad(target, series, STEP_SECONDS + 1, undefined, FLEET);
    if (phase === 'tenth down' || phase === 'tenth down, dependencies') for (let k = 0; k < nodes; k += DOWN_EVERY) silenced.add(k);
    if (withRule) await pacedLoad(target, series, SETTLE_SECONDS, undefined, FLEET);
    const down = withNodes ? await scrape(`${target.url}/metrics`, 'ringmon_nodes{state="down"}') : undefined;
    if (down !== undefined && down !== silenced.size) throw new Error(`${phase}: ${down} nodes down before the measured pass, ${silenced.size} expected`);
    const beats0 = beats?.sent() ?? 0;
    const inhibited0 = await scrape(`${target.url}/metrics`, 'ringmon_alarm_transitions_inhibited_total');
    const load = await pacedLoad(target, series, PACED_SECONDS, undefined, FLEET);
    const heartbeatRate = beats && (beats.sent() - beats0) / PACED_SECONDS;
    if (phase === 'computed') await expectComputed(target);
    const inhibited1 = await scrape(`${target.url}/metrics`, 'ringmon_alarm_transitions_inhibited_total');
    const inhibited = withNodes && inhibited0 !== undefined && inhibited1 !== undefined ? inhibited1 - inhibited0 : undefined;
    return { phase, ...load, rss: residentBytes(target.pid), inhibited, down, heartbeats: heartbeatRate };
  } finally {
    await beats?.stop();
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** In this process: ns per sample to index the members, and ms of CPU for one step of every computed series over `series` members. */
function evaluationStep(series: number): { observeNs: number; stepMs: number } {
  const quiet = { info: () => undefined, warn: () => undefined };
  const sink = { ingest: () => Promise.reject(new Error('the bench computes, never writes')) };
  // The list the computed phase's server loaded and checked from its config; the section's static type does not carry `op` (typebox).
  const settings = computedList(series).map((c) => ({ ...c, step: STEP_SECONDS })) as unknown as ComputedSettings;
  const computed = new ComputedSeries({ computed: settings, archives: { rules: [] }, sink, log: quiet });
  const names = Array.from({ length: series }, (_, i) => FLEET.name!(i));
  const t0 = 1_800_000_000;
  const observe = (round: number): number => {
    const start = process.hrtime.bigint();
    const at = t0 + round * STEP_SECONDS;
    for (let i = 0; i < series; i++) computed.observe([{ series: names[i], time: at, value: FLEET.value!(i, 0, round) }]);
    return Number(process.hrtime.bigint() - start);
  };
  observe(0);
  observe(1);
  let observed = 0;
  let stepped = 0;
  let written = 0;
  for (let r = 2; r < 2 + EVALUATION_ROUNDS; r++) {
    observed += observe(r);
    const start = process.hrtime.bigint();
    written += computed.samplesAt(t0 + r * STEP_SECONDS + 1, STEP_SECONDS).length;
    stepped += Number(process.hrtime.bigint() - start);
  }
  if (written !== EVALUATION_ROUNDS * computedList(series).length) throw new Error(`computed ${written} samples in ${EVALUATION_ROUNDS} steps`);
  return { observeNs: observed / (EVALUATION_ROUNDS * series), stepMs: stepped / EVALUATION_ROUNDS / 1e6 };
}

const perMillion = (r: Measured): number => (r.cpu / r.samples) * 1e6;

export async function runFleetsBench(options: { scale: number }): Promise<void> {
  const series = Math.max(PER_GROUP, Math.round((100_000 * options.scale) / PER_GROUP) * PER_GROUP);
  const nodes = Math.ceil(series / PER_NODE);
  const computedCount = computedList(series).length;
  console.log(`fleets: ${series.toLocaleString('en')} series on ${nodes.toLocaleString('en')} nodes at a ${STEP_SECONDS} s step over HTTP, ${PACED_SECONDS} s measured per phase`);
  const relay = await SmtpSink.start();
  const phases: Phase[] = ['reference', 'computed', 'rule, no nodes', 'nodes up', 'tenth down'];
  if (nodes <= MAX_DEPENDENCIES) phases.push('tenth down, dependencies');
  else console.log(`  (no dependencies phase: ${nodes} nodes need more than the ${MAX_DEPENDENCIES} entries nodes.dependencies holds)`);
  const results = new Map<Phase, Measured>();
  try {
    for (const phase of phases) results.set(phase, await runPhase(phase, series, relay.port));
  } finally {
    await relay.stop();
  }
  for (const r of results.values()) {
    const extra = r.down === undefined ? '' : `, ${r.heartbeats?.toFixed(0)} heartbeats/s, ${r.down} nodes down, ${r.inhibited ?? '?'} transitions inhibited`;
    console.log(`  ${r.phase.padEnd(25)} ${((r.cpu / PACED_SECONDS) * 100).toFixed(1)} % of a core, ${perMillion(r).toFixed(2)} CPU s per million samples, RSS ${Math.round(r.rss / 2 ** 20)} MiB${extra}`);
  }
  const ratio = (a: Phase, b: Phase): string => {
    const [x, y] = [results.get(a), results.get(b)];
    return x && y ? `${(perMillion(x) / perMillion(y)).toFixed(2)}x` : 'n/a';
  };
  const reference = results.get('reference')!;
  const computed = results.get('computed')!;
  console.log(`  ratio    CPU with ${computedCount} computed series / reference = ${ratio('computed', 'reference')}, RSS ${(computed.rss / reference.rss).toFixed(2)}x (+${Math.round((computed.rss - reference.rss) / 2 ** 20)} MiB)`);
  console.log(`  ratio    CPU with a rule on every series / reference = ${ratio('rule, no nodes', 'reference')}; with ${nodes} nodes heartbeating, all up / the rule alone = ${ratio('nodes up', 'rule, no nodes')}`);
  console.log(`  ratio    CPU with a tenth of the nodes down / all up (same rule) = ${ratio('tenth down', 'nodes up')}`);
  if (results.has('tenth down, dependencies')) console.log(`  ratio    the same, series tied by ${nodes} nodes.dependencies / all up = ${ratio('tenth down, dependencies', 'nodes up')}`);
  const step = evaluationStep(series);
  console.log(
    `  evaluation alone: one step of ${computedCount} computed series over ${series.toLocaleString('en')} members ${step.stepMs.toFixed(1)} ms CPU (${((step.stepMs * 1e6) / (series * 3 + series)).toFixed(0)} ns per member read), members indexed at ${step.observeNs.toFixed(0)} ns per sample`,
  );
}
