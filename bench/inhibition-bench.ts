/**
 * Inhibition at 100,000 alarmed series × scale on 1,000 nodes (100 series
 * each), in this process, on the real alarm engine with a real SQLite file:
 *
 * 1. CPU per sample of AlarmEngine.observe, the reference in the same run:
 *    an engine without nodes (today's path) against one with nodeOf,
 *    nodes.dependencies and 10 nodes away (late or down).
 * 2. 10 nodes' series going NODATA while away: the timer's pass and the
 *    commit of their inhibited transitions (nothing told).
 * 3. The 10 nodes back in one look: the pass that marks their series to be
 *    decided afresh (over every alarmed series), then one round of samples
 *    with those decided (told only where people heard otherwise: here none).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlarmEngine, type AlarmNotice } from '../server/alarms/index.js';
import { DATABASE_FILE } from '../server/database/index.js';
import { Downtimes } from '../server/downtimes/index.js';

const T0 = 1_800_000_000;
const PER_NODE = 100;
const AWAY = 10;
const ROUNDS = 5;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Phase {
  readonly name: string;
  readonly nsPerSample: number;
}

async function openEngine(dir: string, withNodes: boolean, clock: { now: number }, told: AlarmNotice[]): Promise<{ engine: AlarmEngine; downtimes: Downtimes }> {
  const file = join(dir, DATABASE_FILE);
  const downtimes = await Downtimes.open(file, { maxWindowSeconds: 86_400 });
  const engine = await AlarmEngine.open({
    file,
    alarms: {
      rules: [{ name: 'load', match: 'n*.**', warning: '> 80', critical: '> 90', for: 0, hysteresis: 5, nodata: 60, notify: ['ops'] }],
      recipients: [],
      offered: { enabled: false, for: 0, notify: [] },
      groupWait: 0,
      maxPendingTransitions: 1_000_000,
    },
    downtimes,
    notices: { notify: async (_r, notices) => void told.push(...notices) },
    log: quiet,
    graphUrl: (s) => s,
    now: () => clock.now,
    tickMs: 3_600_000,
    ...(withNodes
      ? {
          // Series n<node>.s<i>.v come from node n<node>, as AgentRegistry.agentOf answers from the series' prefix.
          nodeOf: (series: string) => series.slice(0, series.indexOf('.')),
          nodes: { notify: ['ops'], dependencies: [{ match: 'n1.**', node: 'router-1' }] },
        }
      : {}),
  });
  return { engine, downtimes };
}

function feed(engine: AlarmEngine, names: readonly string[], clock: { now: number }, rounds: number): number {
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    clock.now += 10;
    for (let i = 0; i < names.length; i++) engine.observe([{ series: names[i], time: clock.now, value: (i + r) % 70 }]);
  }
  return Number(process.hrtime.bigint() - start) / (rounds * names.length);
}

export async function runInhibitionBench(options: { scale: number }): Promise<void> {
  const nodes = Math.max(20, Math.round((100_000 * options.scale) / PER_NODE));
  const names = Array.from({ length: nodes * PER_NODE }, (_, i) => `n${Math.floor(i / PER_NODE)}.s${i % PER_NODE}.v`);
  console.log(`inhibition: ${names.length.toLocaleString('en')} alarmed series on ${nodes.toLocaleString('en')} nodes, ${AWAY} away`);
  const phases: Phase[] = [];
  for (const withNodes of [false, true]) {
    const dir = mkdtempSync(join(tmpdir(), 'ringmon-inhibition-bench-'));
    const clock = { now: T0 };
    const told: AlarmNotice[] = [];
    const { engine, downtimes } = await openEngine(dir, withNodes, clock, told);
    try {
      feed(engine, names, clock, 2);
      await engine.settle();
      if (withNodes) for (let n = 0; n < AWAY; n++) engine.nodeChanged({ name: `n${n}`, from: 'up', to: 'late', at: clock.now });
      phases.push({ name: withNodes ? `nodes, ${AWAY} away` : 'no nodes (today)', nsPerSample: feed(engine, names, clock, ROUNDS) });
      await engine.settle();
      if (!withNodes) continue;

      // The away nodes' series fall silent past nodata; the others go on.
      const away = new Set(Array.from({ length: AWAY }, (_, n) => `n${n}`));
      const present = names.filter((s) => !away.has(s.slice(0, s.indexOf('.'))));
      for (let r = 0; r < 7; r++) feed(engine, present, clock, 1);
      await engine.settle();
      let start = process.hrtime.bigint();
      engine.runTimers();
      await engine.settle();
      const stormMs = Number(process.hrtime.bigint() - start) / 1e6;
      const inhibited = engine.stats().inhibited;
      console.log(`  ${inhibited.toLocaleString('en')} series of ${AWAY} away nodes go NODATA: ${stormMs.toFixed(1)} ms (timer pass and one commit), ${told.length} notices`);

      start = process.hrtime.bigint();
      for (const n of away) engine.nodeChanged({ name: n, from: 'late', to: 'up', at: clock.now });
      await Promise.resolve();
      const backMs = Number(process.hrtime.bigint() - start) / 1e6;
      start = process.hrtime.bigint();
      feed(engine, names, clock, 1);
      await engine.settle();
      const afreshMs = Number(process.hrtime.bigint() - start) / 1e6;
      console.log(`  ${AWAY} nodes back in one look: ${backMs.toFixed(1)} ms to mark their series (one pass over ${names.length.toLocaleString('en')}); the next round of every series with theirs decided afresh: ${afreshMs.toFixed(1)} ms, ${told.length} notices`);
    } finally {
      await engine.close();
      await downtimes.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  for (const p of phases) console.log(`  observe, ${p.name.padEnd(18)} ${p.nsPerSample.toFixed(0)} ns CPU per sample`);
  const [today, inhibition] = phases;
  console.log(`  ratio    with nodes / today = ${(inhibition.nsPerSample / today.nsPerSample).toFixed(2)}x`);
}
