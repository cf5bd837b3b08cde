/**
 * What is sent is what is seen (issue 13): a real `ringmon serve` process on
 * the built-in archives, fed over loopback at cadences from 1 s to a day, by
 * JSON with a declared `interval` and without one (inferred), by Graphite
 * plaintext (inferred), and by slurper instances it runs itself (their
 * `every`, a cron's shortest gap). At least 99 % of the samples sent come back
 * as values from /api/v1/fetch at the series' own step. Samples carry
 * synthetic past times, so no test waits for a cadence. Then a series held
 * for its cadence survives a SIGKILL: its samples replay from the journal,
 * with the interval declared for another.
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { apiCall } from '../helpers/api-call.js';
import { freePort } from '../helpers/free-port.js';
import { launcherInTempDir, type RingmonProcess } from '../helpers/ringmon-process.js';

const { dir, launcher } = launcherInTempDir('ringmon-cadence-');

/** A multiple of 86,400 in the past: aligned to every ladder step. */
const T0 = 1_700_006_400;

interface Served {
  readonly base: string;
  readonly proc: RingmonProcess;
  readonly writer: string;
  readonly graphitePort: number;
}

/** Starts `ringmon serve` on a config of `yaml` (listen, dataDir, graphite, open reads and log added) in `name`'s folder. */
async function serve(name: string, yaml: string, token?: string): Promise<Served> {
  const graphitePort = await freePort();
  const writer = token ?? addToken(join(dir, name, 'data', 'tokens'), 'bot', 'writer');
  const { base, proc } = await launcher.serveIn(join(dir, name), { graphitePort, openReads: true, log: 'warn' }, yaml);
  return { base, proc, writer, graphitePort };
}

/** Sample k's value: exact in binary, varied. */
const valueOf = (k: number): number => (k % 17) + 0.5;

/** The series' step and its rows from `start` to `end`, as a map. */
async function fetchRows(base: string, series: string, start: number, end: number): Promise<{ step: number; rows: Map<number, number | null> }> {
  const answer = await apiCall(base, 'GET', `/api/v1/fetch?series=${series}&start=${start}&end=${end}`, undefined);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  const [result] = answer.json.series;
  return { step: result.step, rows: new Map(result.rows.map((r: [number, number | null]) => [r[0], r[1]])) };
}

/** Posts sample times `times` of `series`: the first five one request each (as they would arrive), the rest in one batch. */
async function post(served: Served, series: string, times: readonly number[], interval?: number): Promise<void> {
  const path = interval === undefined ? '/api/v1/samples' : `/api/v1/samples?interval=${interval}`;
  const body = times.map((t, k) => ({ series, t, v: valueOf(k) }));
  for (const chunk of [...body.slice(0, 5).map((s) => [s]), body.slice(5)]) {
    if (chunk.length === 0) continue;
    const answer = await apiCall(served.base, 'POST', path, served.writer, chunk);
    expect(answer).toEqual({ status: 200, json: { accepted: chunk.length, rejected: [] } });
  }
}

const CADENCES: readonly { every: number; count: number }[] = [
  { every: 1, count: 120 },
  { every: 10, count: 120 },
  { every: 30, count: 120 },
  { every: 60, count: 120 },
  { every: 300, count: 72 },
  { every: 3600, count: 48 },
  { every: 86400, count: 30 },
];

describe('a series gets an archive that fits how often it is written', () => {
  it('keeps at least 99 % of the samples at every cadence, declared, inferred, by Graphite and by the server slurpers', { timeout: 60_000 }, async () => {
    const served = await serve(
      'cadences',
      // A slurper every second and one on a cron schedule every 5 s: their samples carry the cadence.
      'slurpers:\n  instances:\n    - { slurper: host, name: e2e.fast, every: 1s }\n    - { slurper: host, name: e2e.cron, cron: "*/5 * * * * *" }\n',
    );
    for (const { every, count } of CADENCES) {
      const times = Array.from({ length: count }, (_, k) => T0 + k * every);
      await post(served, `cad.s${every}.declared`, times, every);
      await post(served, `cad.s${every}.inferred`, times);
      for (const how of ['declared', 'inferred']) {
        const { step, rows } = await fetchRows(served.base, `cad.s${every}.${how}`, T0 - every, times.at(-1)!);
        expect([how, every, step]).toEqual([how, every, every]);
        const back = times.filter((t, k) => rows.get(t) === valueOf(k)).length;
        expect(back / count, `${how} every ${every} s: ${back} of ${count}`).toBeGreaterThanOrEqual(0.99);
      }
    }

    // A collector with jitter (±1 s around every 10 s), inferred: every step holds a value.
    const jittered = Array.from({ length: 120 }, (_, k) => T0 + k * 10 + Math.sin(k * 12.9898) * 1);
    await post(served, 'cad.jittered', jittered);
    const jitter = await fetchRows(served.base, 'cad.jittered', T0, T0 + 1190);
    expect(jitter.step).toBe(10);
    const known = Array.from({ length: 119 }, (_, k) => jitter.rows.get(T0 + (k + 1) * 10)).filter((v) => v !== null && v !== undefined).length;
    expect(known / 119).toBeGreaterThanOrEqual(0.99);

    // Graphite plaintext carries no interval: inferred, a minute.
    const lines = Array.from({ length: 120 }, (_, k) => `cad.graphite.m1 ${valueOf(k)} ${T0 + k * 60}\n`).join('');
    await new Promise<void>((resolve, reject) => {
      const socket = connect(served.graphitePort, '127.0.0.1', () => socket.end(lines));
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    let graphite: Awaited<ReturnType<typeof fetchRows>> | undefined;
    for (let i = 0; i < 100 && graphite === undefined; i++) {
      const answer = await apiCall(served.base, 'GET', `/api/v1/fetch?series=cad.graphite.m1&start=${T0 - 60}&end=${T0 + 119 * 60}`, undefined);
      if (answer.status === 200 && answer.json.series[0].rows.filter((r: [number, number | null]) => r[1] !== null).length === 120) {
        graphite = await fetchRows(served.base, 'cad.graphite.m1', T0 - 60, T0 + 119 * 60);
      } else await new Promise((r) => setTimeout(r, 100));
    }
    expect(graphite?.step).toBe(60);
    expect(Array.from({ length: 120 }, (_, k) => graphite!.rows.get(T0 + k * 60) === valueOf(k)).filter(Boolean).length).toBeGreaterThanOrEqual(119);

    // The server's slurpers: each sample carries its instance's every (1 s) or its cron's shortest gap (5 s).
    const steps = new Map<string, number>();
    for (let i = 0; i < 200 && steps.size < 2; i++) {
      for (const instance of ['e2e.fast', 'e2e.cron']) {
        const now = Math.floor(Date.now() / 1000);
        const answer = await apiCall(served.base, 'GET', `/api/v1/fetch?series=${instance}.up&start=${now - 60}&end=${now}`, undefined);
        // `up` is known once runs reached the archive: 1, or 0 for a run the 1 s schedule's timeout cut short on a busy machine.
        if (answer.status === 200 && answer.json.series[0].rows.some((r: [number, number | null]) => r[1] !== null)) steps.set(instance, answer.json.series[0].step);
      }
      if (steps.size < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(Object.fromEntries(steps)).toEqual({ 'e2e.fast': 1, 'e2e.cron': 5 });
  });

  it('holds a new series across a SIGKILL: its samples replay from the journal, a declared interval with them', { timeout: 60_000 }, async () => {
    const yaml = 'writeBehind:\n  flushIntervalSeconds: 1h\nslurpers:\n  instances: []\n';
    const first = await serve('restart', yaml);
    await post(first, 'held.m1', [T0, T0 + 60]);
    // A flush while the series is held: its samples stay in the journal.
    const admin = addToken(join(dir, 'restart', 'data', 'tokens'), 'ops', 'admin');
    expect((await apiCall(first.base, 'POST', '/api/v1/admin/flush', admin)).status).toBe(200);
    expect((await apiCall(first.base, 'GET', `/api/v1/fetch?series=held.m1&start=${T0}&end=${T0 + 60}`, undefined)).status).toBe(404);
    // One sample of an hourly series, declared: not applied before the kill.
    await post(first, 'held.h1', [T0], 3600);
    first.proc.kill('SIGKILL');
    await first.proc.exited;
    const second = await serve('restart', yaml, first.writer);
    await post(second, 'held.m1', [T0 + 120]);
    const minute = await fetchRows(second.base, 'held.m1', T0 - 60, T0 + 120);
    expect([minute.step, minute.rows.get(T0), minute.rows.get(T0 + 60), minute.rows.get(T0 + 120)]).toEqual([60, valueOf(0), valueOf(1), valueOf(0)]);
    const hourly = await fetchRows(second.base, 'held.h1', T0 - 3600, T0);
    expect([hourly.step, hourly.rows.get(T0)]).toEqual([3600, valueOf(0)]);
  });
});
