/**
 * Reshape in the server (issue 13, "Drift is seen"): a real `ringmon serve`
 * process over loopback.
 *   - A series created at 10 s whose samples then come every 60 s is
 *     reported as drifting, reshaped to 60 s by POST /api/v1/admin/reshape,
 *     and keeps its history: the new 60 s rows equal the 60 s consolidation
 *     of the old 10 s rows (computed here), its drift is cleared, and new
 *     60 s samples come back as values.
 *   - Every bound is a 400 naming its field, and changes no file.
 *   - archives.adapt on: the series is reshaped without a call, a rule-made
 *     archive never; off (the default): nothing is reshaped.
 *   - Samples acknowledged while their series are reshaped are all kept, and
 *     /healthz answers meanwhile; a SIGKILL during a reshape leaves every
 *     archive whole, with the old definition or the new one.
 * Samples carry synthetic past times, so no test waits for a cadence.
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createArchive, openArchive } from '../../archive/index.js';
import { addToken } from '../../server/auth/token-file.js';
import { MAX_RESHAPE_SERIES, RESHAPE_HEARTBEAT_RANGE, RESHAPE_STEP_RANGE } from '../../server/store/index.js';
import { apiCall } from '../helpers/api-call.js';
import { launcherInTempDir, type RingmonProcess } from '../helpers/ringmon-process.js';
import { sleep, until } from '../helpers/wait.js';

const { dir, launcher } = launcherInTempDir('ringmon-reshape-');

/** A multiple of 86,400 in the past: aligned to every ladder step. */
const T0 = 1_700_006_400;

interface Served {
  readonly base: string;
  readonly proc: RingmonProcess;
  readonly writer: string;
  readonly admin: string;
  readonly dataDir: string;
  readonly config: string;
}

/** Starts (or, given `again`, restarts on the same folder) `ringmon serve` on `yaml` plus listen, dataDir, open reads and log. */
async function serve(name: string, yaml: string, again?: Served): Promise<Served> {
  const tokens = join(dir, name, 'data', 'tokens');
  const writer = again?.writer ?? addToken(tokens, 'bot', 'writer');
  const admin = again?.admin ?? addToken(tokens, 'ops', 'admin');
  const { base, proc, dataDir, config } = await launcher.serveIn(join(dir, name), { openReads: true, log: 'info' }, yaml);
  return { base, proc, writer, admin, dataDir, config };
}

async function stop(served: Served): Promise<void> {
  served.proc.stop();
  await served.proc.exited;
}

/** Sample k's value: exact in binary, varied. */
const valueOf = (k: number): number => (k % 17) + 0.5;

async function post(served: Served, samples: readonly { series: string; t: number; v: number }[], interval?: number): Promise<void> {
  const answer = await apiCall(served.base, 'POST', `/api/v1/samples${interval === undefined ? '' : `?interval=${interval}`}`, served.writer, samples);
  expect(answer).toEqual({ status: 200, json: { accepted: samples.length, rejected: [] } });
}

/** The rows of `series` from `start` to `end` at its finest resolution: its step and time → value. */
async function fetchRows(served: Served, series: string, start: number, end: number): Promise<{ step: number; rows: Map<number, number | null> }> {
  const answer = await apiCall(served.base, 'GET', `/api/v1/fetch?series=${series}&start=${start}&end=${end}`, undefined);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  const [result] = answer.json.series;
  return { step: result.step, rows: new Map(result.rows.map((r: [number, number | null]) => [r[0], r[1]])) };
}

async function listed(served: Served, series: string): Promise<Record<string, any>> {
  const answer = await apiCall(served.base, 'GET', `/api/v1/series?match=${series}`, undefined);
  expect(answer.status).toBe(200);
  expect(answer.json.series).toHaveLength(1);
  return answer.json.series[0];
}

const reshape = (served: Served, body: unknown) => apiCall(served.base, 'POST', '/api/v1/admin/reshape', served.admin, body);
const flush = async (served: Served) => expect((await apiCall(served.base, 'POST', '/api/v1/admin/flush', served.admin)).status).toBe(200);

/** 120 samples every 10 s (declared), then `slow` every 60 s: a series whose cadence slowed. Returns the time of its last sample. */
async function slowedSeries(served: Served, series: string, slow = 60): Promise<number> {
  await post(served, Array.from({ length: 120 }, (_, k) => ({ series, t: T0 + k * 10, v: valueOf(k) })), 10);
  const from = T0 + 1200;
  await post(served, Array.from({ length: slow }, (_, k) => ({ series, t: from + (k + 1) * 60, v: valueOf(k + 3) })));
  return from + slow * 60;
}

describe('POST /api/v1/admin/reshape', () => {
  it('reshapes a series that slowed from 10 s to 60 s, keeping its history, and clears its drift', { timeout: 60_000 }, async () => {
    const served = await serve('slowed', '');
    const end = await slowedSeries(served, 'rs.slowed');
    await flush(served);
    const drifting = await listed(served, 'rs.slowed');
    expect(drifting.drift).toMatchObject({ kind: 'slow', observedInterval: 60, step: 10, heartbeat: 30 });

    const before = await fetchRows(served, 'rs.slowed', T0 - 10, end);
    expect(before.step).toBe(10);
    // The 60 s samples fell into a 10 s archive with a 30 s heartbeat: UNKNOWN.
    expect([...before.rows].filter(([t, v]) => t > T0 + 1260 && v !== null)).toEqual([]);

    const dry = await reshape(served, { series: 'rs.slowed', step: 60, dryRun: true });
    expect(dry.status, JSON.stringify(dry.json)).toBe(200);
    expect(dry.json.series[0]).toMatchObject({ status: 'planned', before: { step: 10, heartbeat: 30 }, after: { step: 60, heartbeat: 180 } });
    expect((await fetchRows(served, 'rs.slowed', T0 - 10, end)).step).toBe(10);

    const answer = await reshape(served, { series: 'rs.slowed', step: 60 });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json.counts).toEqual({ reshaped: 1, planned: 0, unchanged: 0, skipped: 0, failed: 0 });
    const [outcome] = answer.json.series;
    expect(outcome).toMatchObject({ series: 'rs.slowed', status: 'reshaped', before: { step: 10, heartbeat: 30 }, after: { step: 60, heartbeat: 180 } });
    expect(outcome.before.bytes).toBeGreaterThan(outcome.after.bytes);
    expect(outcome.rowsKept).toBeGreaterThan(0);
    expect(served.proc.output()).toMatch(/reshape: 1 reshaped of 1 series/);

    // History: each 60 s row is the time-weighted mean of the six 10 s rows it covers, UNKNOWN when more than half of it was.
    const after = await fetchRows(served, 'rs.slowed', T0 - 60, end);
    expect(after.step).toBe(60);
    let compared = 0;
    for (let t = T0 + 60; t <= T0 + 1200; t += 60) {
      const old = [0, 1, 2, 3, 4, 5].map((i) => before.rows.get(t - 50 + i * 10) ?? null).filter((v): v is number => v !== null);
      const expected = old.length >= 3 ? old.reduce((a, b) => a + b, 0) / old.length : null;
      if (expected === null) expect(after.rows.get(t), `row ${t}`).toBeNull();
      else expect(after.rows.get(t), `row ${t}`).toBeCloseTo(expected, 9);
      compared++;
    }
    expect(compared).toBe(20);
    expect([...after.rows.values()].filter((v) => v !== null).length).toBeGreaterThanOrEqual(19);

    // Drift judged again against the new archive: gone.
    expect((await listed(served, 'rs.slowed')).drift).toBeUndefined();
    const metrics = await request(`${served.base}/metrics`);
    expect(await metrics.body.text()).toMatch(/^ringmon_series_reshaped_total 1$/m);

    // New samples every 60 s come back as values.
    const next = Array.from({ length: 120 }, (_, k) => ({ series: 'rs.slowed', t: end + (k + 1) * 60, v: valueOf(k) }));
    await post(served, next);
    const rows = (await fetchRows(served, 'rs.slowed', end, next.at(-1)!.t)).rows;
    const back = next.filter((s) => rows.get(s.t) === s.v).length;
    expect(back / next.length, `${back} of ${next.length}`).toBeGreaterThanOrEqual(0.99);
    expect((await listed(served, 'rs.slowed')).drift).toBeUndefined();

    // A pattern: the held and unknown are reported, not thrown.
    await post(served, [{ series: 'rs.held', t: T0, v: 1 }]);
    const many = await reshape(served, { match: 'rs.*', step: 60 });
    expect(many.status).toBe(200);
    expect(many.json.series.map((o: any) => [o.series, o.status])).toEqual([
      ['rs.held', 'skipped'],
      ['rs.slowed', 'unchanged'],
    ]);
    expect(many.json.series[0].reason).toMatch(/held while its cadence is learned/);
    const unknown = await reshape(served, { series: 'rs.nothing', step: 60 });
    expect(unknown.json.series).toEqual([{ series: 'rs.nothing', status: 'skipped', reason: 'no such series' }]);
    await stop(served);
  });

  it('refuses every request over a bound with a 400 naming the field, changing nothing', { timeout: 60_000 }, async () => {
    const served = await serve('bounds', '');
    await slowedSeries(served, 'b.one', 10);
    await flush(served);
    // More series than one call may reshape: small archives written beside it before the call.
    const many = join(served.dataDir, 'archives', 'many');
    mkdirSync(many, { recursive: true });
    const small = { step: 10, dataSources: [{ name: 'value', type: 'GAUGE' as const, heartbeat: 30, min: NaN, max: NaN }], rras: [{ cf: 'AVERAGE' as const, xff: 0.5, pdpPerRow: 1, rows: 10 }] };
    for (let i = 0; i <= MAX_RESHAPE_SERIES; i++) createArchive(join(many, `s${i}.rma`), small, { start: T0, sync: false });
    const files = [join(served.dataDir, 'archives', 'b', 'one.rma'), join(many, 's0.rma')];
    const bytes = files.map((f) => readFileSync(f));

    const refused: [unknown, string][] = [
      [{ series: 'b.one', match: 'b.*', step: 60 }, 'body/series'],
      [{ step: 60 }, 'body/series'],
      [{ match: 'b.'.repeat(513), step: 60 }, 'body/match'],
      [{ match: 'b.[0-9]', step: 60 }, 'body/match'],
      [{ match: 'many.*', step: 60 }, 'body/match'],
      [{ series: 'b.one', step: 0 }, 'body/step'],
      [{ series: 'b.one', step: RESHAPE_STEP_RANGE.maximum + 1 }, 'body/step'],
      [{ series: 'b.one', step: 1.5 }, 'body/step'],
      [{ series: 'b.one' }, 'body/step'],
      [{ series: 'b.one', step: 60, heartbeat: 30 }, 'body/heartbeat'],
      [{ series: 'b.one', step: 60, heartbeat: RESHAPE_HEARTBEAT_RANGE.maximum + 1 }, 'body/heartbeat'],
      [{ series: 'b.one', step: 60, rras: Array.from({ length: 21 }, () => 'RRA:AVERAGE:0.5:1:10') }, 'body/rras'],
      [{ series: 'b.one', step: 60, rras: [] }, 'body/rras'],
      [{ series: 'b.one', step: 60, rras: ['RRA:MEDIAN:0.5:1:10'] }, 'body/rras/0'],
      [{ series: 'b.one', step: 60, rras: ['RRA:AVERAGE:0.5:1:1d', 'RRA:MAX:0.5:1:10000000'] }, 'body/rras'],
      [{ series: 'b.one', step: 60, color: 'red' }, 'body'],
    ];
    for (const [body, field] of refused) {
      const answer = await reshape(served, body);
      expect([JSON.stringify(body).slice(0, 80), answer.status]).toEqual([JSON.stringify(body).slice(0, 80), 400]);
      expect(answer.json.error.problems.map((p: { field: string }) => p.field), JSON.stringify(answer.json)).toContain(field);
    }
    const count = await reshape(served, { match: 'many.*', step: 60 });
    expect(count.json.error.message).toContain(`matches ${MAX_RESHAPE_SERIES + 1} series, more than ${MAX_RESHAPE_SERIES}`);
    // Role: a writer may not.
    expect((await apiCall(served.base, 'POST', '/api/v1/admin/reshape', served.writer, { series: 'b.one', step: 60 })).status).toBe(403);
    expect(files.map((f) => readFileSync(f).equals(bytes[files.indexOf(f)]))).toEqual([true, true]);
    expect((await listed(served, 'b.one')).definition.step).toBe(10);
    await stop(served);
  });
});

describe('archives.adapt', () => {
  const yaml = (adapt: string) =>
    `writeBehind:\n  flushIntervalSeconds: 1\narchives:\n  rules:\n    - { match: "ruled.**", step: 10, heartbeat: 30, rras: ["RRA:AVERAGE:0.5:1:1d"] }\n${adapt}`;

  it('on: reshapes a drifting built-in archive to its cadence without a call, once per atMostEvery, never a rule-made one', { timeout: 60_000 }, async () => {
    const served = await serve('adapt-on', yaml('  adapt:\n    enabled: true\n    after: 1s\n'));
    const end = await slowedSeries(served, 'ad.slowed');
    await slowedSeries(served, 'ruled.slowed');
    await until(async () => (await listed(served, 'ad.slowed')).definition.step === 60, 'ad.slowed reshaped to 60 s', 20_000);
    expect((await listed(served, 'ad.slowed')).drift).toBeUndefined();
    const logged = /ad\.slowed: archives\.adapt reshaped its archive to its cadence \(samples every 60 s\): step 10 s -> 60 s, heartbeat 30 s -> 180 s/;
    await until(() => logged.test(served.proc.output()), 'the reshape logged');
    // Its history is kept.
    const rows = (await fetchRows(served, 'ad.slowed', T0, T0 + 1200)).rows;
    expect([...rows.values()].filter((v) => v !== null).length).toBeGreaterThanOrEqual(19);
    const ruled = await listed(served, 'ruled.slowed');
    expect(ruled.drift).toMatchObject({ kind: 'slow', step: 10 });
    await sleep(2500);
    expect((await listed(served, 'ruled.slowed')).definition.step).toBe(10);
    expect(served.proc.output()).not.toMatch(/ruled\.slowed: archives\.adapt reshaped/);
    // At most once per series per atMostEvery (1 d by default): its cadence changing back is reported, not reshaped again.
    await post(served, Array.from({ length: 12 }, (_, k) => ({ series: 'ad.slowed', t: end + (k + 1) * 10, v: valueOf(k) })));
    await until(async () => (await listed(served, 'ad.slowed')).drift?.kind === 'fast', 'ad.slowed drifting fast', 10_000);
    await sleep(2500);
    expect((await listed(served, 'ad.slowed')).definition.step).toBe(60);
    const metrics = await request(`${served.base}/metrics`);
    expect(await metrics.body.text()).toMatch(/^ringmon_series_reshaped_total 1$/m);
    await stop(served);
  });

  it('off (the default): a drifting archive keeps its definition', { timeout: 60_000 }, async () => {
    const served = await serve('adapt-off', yaml(''));
    await slowedSeries(served, 'ad.slowed');
    await until(async () => (await listed(served, 'ad.slowed')).drift !== undefined, 'drift reported', 10_000);
    await sleep(3000);
    const item = await listed(served, 'ad.slowed');
    expect([item.definition.step, item.drift.kind]).toEqual([10, 'slow']);
    expect(served.proc.output()).not.toMatch(/archives\.adapt reshaped/);
    const metrics = await request(`${served.base}/metrics`);
    expect(await metrics.body.text()).toMatch(/^ringmon_series_reshaped_total 0$/m);
    await stop(served);
  });
});

describe('a reshape under load', () => {
  const SERIES = Array.from({ length: 300 }, (_, i) => `cc.s${i}`);
  /** History of every series: 60 samples at 10 s. */
  const history = (): { series: string; t: number; v: number }[] => SERIES.flatMap((series) => Array.from({ length: 60 }, (_, k) => ({ series, t: T0 + k * 10, v: valueOf(k) })));

  it('keeps every sample acknowledged while its series are reshaped, and /healthz answers meanwhile', { timeout: 120_000 }, async () => {
    const served = await serve('concurrent', '');
    await post(served, history(), 10);
    await flush(served);
    // Same step, other RRAs: a sample reads back exactly whether it reached the old archive or the new one.
    const reshaping = reshape(served, { match: 'cc.*', step: 10, heartbeat: 30, rras: ['RRA:AVERAGE:0.5:1:2d', 'RRA:MAX:0.5:1h:30d'] });
    let done = false;
    void reshaping.then(() => (done = true));
    const acknowledged: { series: string; t: number; v: number }[] = [];
    let slowestHealth = 0;
    for (let k = 60; !done || k < 70; k++) {
      const batch = SERIES.map((series, i) => ({ series, t: T0 + k * 10, v: valueOf(k + i) }));
      await post(served, batch);
      acknowledged.push(...batch);
      const started = performance.now();
      const health = await request(`${served.base}/healthz`);
      await health.body.dump();
      slowestHealth = Math.max(slowestHealth, performance.now() - started);
    }
    const answer = await reshaping;
    expect(answer.status).toBe(200);
    expect(answer.json.counts.reshaped).toBe(SERIES.length);
    console.log(`reshape of ${SERIES.length} series under ingest: slowest /healthz ${slowestHealth.toFixed(1)} ms, ${acknowledged.length} samples acknowledged meanwhile`);
    expect(slowestHealth).toBeLessThan(500);
    const last = acknowledged.at(-1)!.t;
    for (const series of SERIES) {
      const { step, rows } = await fetchRows(served, series, T0, last);
      expect(step).toBe(10);
      const lost = acknowledged.filter((s) => s.series === series && rows.get(s.t) !== s.v);
      expect(lost, series).toEqual([]);
    }
    await stop(served);
  });

  it('leaves every archive whole, old or new, after a SIGKILL during a reshape', { timeout: 120_000 }, async () => {
    const first = await serve('killed', '');
    await post(first, history(), 10);
    await flush(first);
    const reshaping = reshape(first, { match: 'cc.*', step: 60 }).catch(() => undefined);
    // Kill it once some archives are new and others not yet.
    const root = join(first.dataDir, 'archives', 'cc');
    await until(() => SERIES.filter((s) => archiveStep(join(root, `${s.slice(3)}.rma`)) === 60).length >= 20, 'some archives reshaped', 20_000);
    launcher.killAll();
    await first.proc.exited;
    await reshaping;
    const steps = SERIES.map((s) => archiveStep(join(root, `${s.slice(3)}.rma`)));
    expect(steps.every((s) => s === 10 || s === 60)).toBe(true);
    console.log(`SIGKILL during a reshape: ${steps.filter((s) => s === 60).length} of ${SERIES.length} archives new, the rest old`);
    const again = await serve('killed', '', first);
    for (const series of SERIES) {
      const { rows } = await fetchRows(again, series, T0, T0 + 600);
      expect([...rows.values()].filter((v) => v !== null).length, series).toBeGreaterThanOrEqual(9);
    }
    // The rest can be reshaped now; no temporary file is taken for a series.
    const rest = await reshape(again, { match: 'cc.*', step: 60 });
    expect(rest.json.counts.failed).toBe(0);
    expect(rest.json.counts.reshaped + rest.json.counts.unchanged).toBe(SERIES.length);
    expect((await apiCall(again.base, 'GET', '/api/v1/series?match=cc.*', undefined)).json.series).toHaveLength(SERIES.length);
    expect(readdirSync(root).filter((f) => f.endsWith('.rma'))).toHaveLength(SERIES.length);
    await stop(again);
  });
});

/** The step of the archive at `path` (it must open: a whole archive). */
function archiveStep(path: string): number {
  const file = openArchive(path);
  try {
    return file.definition.step;
  } finally {
    file.close();
  }
}
