/**
 * Downtime benchmark: 10,000 downtimes (a sixth recurring, a tenth
 * unplanned, some scoped to agents or to patterns that match everywhere)
 * over 1,000 hosts. Times the alarm question (is series S in a planned
 * downtime at t?) at times around now, as the evaluator asks it, with the
 * per-series views warm and cold; the graph question over a day and a week;
 * each against a naive scan of every downtime in the same run, which must
 * give the same answers. Also the start-up cost: opening a 10,000-downtime
 * SQLite file and building the index. Run it alone with
 * `npx tsx bench/downtime-bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSqlite } from '../server/database/index.js';
import { migrateToLatest, type Database } from '../server/downtimes/database.js';
import { DowntimeIndex } from '../server/downtimes/downtime-index.js';
import { Downtimes, type Downtime } from '../server/downtimes/index.js';
import { compileRecurrence, scopeCovers, windowAt, windowsTouching } from '../server/downtimes/occurrences.js';
import { downtimeToRow } from '../server/downtimes/rows.js';

const COUNT = 10_000;
const HOSTS = 1_000;
const NOW = 1_796_112_000; // 2026-12-01T08:00:00Z
const METRICS = ['cpu.user', 'cpu.system', 'load', 'disk.sda.used', 'net.eth0.rx'];

let state = 2024;
// The high bits: an LCG's low bits repeat with short periods.
const random = (n: number): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8) % n;
const host = (i: number): string => `h${String(i).padStart(4, '0')}`;

function makeDowntimes(): Downtime[] {
  const wide = ['**.disk.*.used', 'host.*.load', 'host.h00*.**', '**.net.*'];
  return Array.from({ length: COUNT }, (_, i): Downtime => {
    const kind = random(10) === 0 ? 'unplanned' : 'planned';
    const recurring = kind === 'planned' && random(6) === 0;
    const start = NOW - 180 * 86_400 + random(360) * 86_400 + random(24) * 3600;
    const length = (1 + random(8)) * 1800;
    const series = random(50) === 0 ? [wide[random(wide.length)]] : random(8) === 0 ? [] : [`host.${host(random(HOSTS))}.${random(2) ? '*' : '**'}`];
    return {
      id: i + 1,
      kind,
      status: 'filed',
      scope: { series, agents: series.length === 0 || random(10) === 0 ? [host(random(HOSTS))] : [] },
      start,
      end: kind === 'unplanned' && random(5) === 0 ? null : start + length,
      rrule: recurring ? ['FREQ=DAILY', 'FREQ=WEEKLY', 'FREQ=DAILY;INTERVAL=2'][random(3)] : null,
      timezone: recurring && random(2) ? 'Europe/Berlin' : 'UTC',
      reason: 'bench',
      author: 'bench',
      createdAt: start,
      updatedBy: 'bench',
      updatedAt: start,
      revision: 1,
    };
  });
}

interface Query {
  readonly series: string;
  readonly agent: string;
  readonly t: number;
}

function makeQueries(n: number, spread: number): Query[] {
  return Array.from({ length: n }, () => {
    const h = host(random(HOSTS));
    return { series: `host.${h}.${METRICS[random(METRICS.length)]}`, agent: h, t: NOW - spread + random(2 * spread) };
  });
}

function micros(n: number, work: () => void): number {
  const started = performance.now();
  work();
  return ((performance.now() - started) * 1000) / n;
}

async function startupMs(downtimes: readonly Downtime[]): Promise<{ openMs: number; indexMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ringmon-downtime-bench-'));
  try {
    const file = join(dir, 'ringmon.sqlite');
    const db = openSqlite<Database>(file);
    await migrateToLatest(db);
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < downtimes.length; i += 500) await trx.insertInto('downtimes').values(downtimes.slice(i, i + 500).map(downtimeToRow)).execute();
    });
    await db.destroy();
    let started = performance.now();
    const opened = await Downtimes.open(file, { maxWindowSeconds: 90 * 86_400 });
    const openMs = performance.now() - started;
    await opened.close();
    started = performance.now();
    new DowntimeIndex(downtimes);
    return { openMs, indexMs: performance.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runDowntimeBench(): Promise<void> {
  const downtimes = makeDowntimes();
  const recurring = downtimes.filter((d) => d.rrule !== null).length;
  console.log(`downtimes: ${COUNT.toLocaleString('en')} (${recurring} recurring) over ${HOSTS} hosts`);
  const { openMs, indexMs } = await startupMs(downtimes);
  console.log(`  start-up: open the SQLite file and build the index ${openMs.toFixed(0)} ms (index alone ${indexMs.toFixed(0)} ms)`);

  const index = new DowntimeIndex(downtimes);
  const compiled = downtimes.map((d) => ({ d, r: compileRecurrence(d) }));
  const naiveActive = (q: Query): number | undefined => {
    let best: { id: number; end: number } | undefined;
    for (const { d, r } of compiled) {
      if (d.kind !== 'planned' || !scopeCovers(d, q.series, q.agent)) continue;
      const w = windowAt(d, r, q.t);
      const end = w?.end ?? Infinity;
      if (w && (!best || end > best.end || (end === best.end && d.id < best.id))) best = { id: d.id, end };
    }
    return best?.id;
  };
  const naiveTouching = (q: Query, span: number): number =>
    compiled.filter(({ d, r }) => scopeCovers(d, q.series, q.agent) && windowsTouching(d, r, q.t, q.t + span).length > 0).length;

  // The alarm question, at times within a day of now; the first question per series builds its view.
  const alarm = makeQueries(200_000, 86_400);
  const seen = new Set<string>();
  const firsts = alarm.filter((q) => !seen.has(q.series) && seen.add(q.series));
  const cold = micros(firsts.length, () => firsts.forEach((q) => index.activePlannedDowntime(q.series, q.t, q.agent)));
  let hits = 0;
  const warm = micros(alarm.length, () => alarm.forEach((q) => (hits += index.activePlannedDowntime(q.series, q.t, q.agent) ? 1 : 0)));
  const sample = alarm.slice(0, 2_000);
  let naiveHits = 0;
  const naive = micros(sample.length, () => sample.forEach((q) => (naiveHits += naiveActive(q) !== undefined ? 1 : 0)));
  const disagree = sample.filter((q) => index.activePlannedDowntime(q.series, q.t, q.agent)?.downtime.id !== naiveActive(q)).length;
  console.log('  alarm question (series, t within a day of now):');
  console.log(`    index  ${warm.toFixed(2).padStart(8)} µs/question warm, ${cold.toFixed(1)} µs for a series' first question (${firsts.length} series); ${((hits / alarm.length) * 100).toFixed(1)}% in a downtime`);
  console.log(`    naive  ${naive.toFixed(2).padStart(8)} µs/question (scan of all ${COUNT.toLocaleString('en')})`);
  console.log(`    ratio  naive/index = ${(naive / warm).toFixed(0)}x; answers differ on ${disagree} of ${sample.length}`);

  // A change re-checks the cached views against the changed downtime's scope and drops the ones it covers.
  const views = seen.size;
  const change = micros(100, () => {
    for (let i = 0; i < 100; i++) index.put({ ...downtimes[i * 37], reason: 'changed' });
  });
  console.log(`    a change: ${(change / 1000).toFixed(2)} ms with ${views} cached series views`);

  for (const [label, span] of [['a day', 86_400], ['a week', 7 * 86_400]] as const) {
    const graphs = makeQueries(5_000, 30 * 86_400);
    let listed = 0;
    // First pass: views and weekly expansions built as the questions come; second: a dashboard refreshing.
    const coldGraph = micros(graphs.length, () => graphs.forEach((q) => index.touching(q.series, q.t, q.t + span, q.agent)));
    const indexed = micros(graphs.length, () => graphs.forEach((q) => (listed += index.touching(q.series, q.t, q.t + span, q.agent).length)));
    const few = graphs.slice(0, 300);
    const scanned = micros(few.length, () => few.forEach((q) => naiveTouching(q, span)));
    const differ = few.filter((q) => index.touching(q.series, q.t, q.t + span, q.agent).length !== naiveTouching(q, span)).length;
    console.log(`  graph question over ${label}: index ${indexed.toFixed(1)} µs (first time ${coldGraph.toFixed(0)} µs), naive ${scanned.toFixed(0)} µs, ratio ${(scanned / indexed).toFixed(0)}x; ${(listed / graphs.length).toFixed(2)} downtimes per graph; counts differ on ${differ} of ${few.length}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runDowntimeBench();
