/**
 * Nothing acknowledged is lost: a real `ringmon serve` under ingest load is
 * killed with SIGKILL at random moments and restarted (journal replay), then
 * every sample that got a 200 must be readable through the fetch API with
 * its exact value.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { freePort } from '../helpers/free-port.js';
import { afterAll, describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ringmon-server-crash-'));
const KILLS = Number(process.env.RINGMON_SERVER_KILLS ?? 6);
const SERIES = 40;
const STEP = 10;
const T0 = 1_700_000_000;
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});


/** Sample k of series s: step-aligned times, so each value is exactly one row of the finest RRA. */
const valueOf = (s: number, k: number): number => ((s * 7919 + k * 104729) % 100_000) / 100;

async function startServer(config: string, base: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [join(root, 'bin', 'ringmon.js'), 'serve', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < 200; i++) {
    try {
      const res = await request(`${base}/healthz`);
      await res.body.dump();
      if (res.statusCode === 200) return proc;
    } catch {
      // not listening yet
    }
    if (proc.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not come up: ${stderr}`);
}

describe('server crash safety', () => {
  it(`keeps every acknowledged sample across ${KILLS} SIGKILLs under load`, async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const config = join(dir, 'ringmon.yaml');
    // Flush every second, so that kills land before, during and after flushes.
    // A rule holds every sample at STEP for 30 days, however many the rounds send (the built-in template keeps
    // fine points for one day at 10 s, and a fast machine sends more than a day's worth): this test is about crashes.
    writeFileSync(
      config,
      `listen:\n  port: ${port}\ndataDir: ${join(dir, 'data')}\nwriteBehind:\n  flushIntervalSeconds: 1\narchives:\n  rules:\n    - match: crash.**\n      retentions: ${STEP}s:30d\nlog:\n  level: warn\n`,
    );
    const token = addToken(join(dir, 'data', 'tokens'), 'loader', 'writer');
    const next = new Array<number>(SERIES).fill(0); // next sample index per series
    const acked: Array<Set<number>> = Array.from({ length: SERIES }, () => new Set());
    let ackedTotal = 0;

    for (let round = 0; round <= KILLS; round++) {
      child = await startServer(config, base);
      if (round === KILLS) break;
      const proc = child;
      let alive = true;
      const killAt = 300 + Math.random() * 1200;
      const killer = setTimeout(() => {
        alive = false;
        proc.kill('SIGKILL');
      }, killAt);
      const worker = async (w: number): Promise<void> => {
        while (alive) {
          // Each worker owns every 4th series, so times per series only grow.
          const batch: { series: string; t: number; v: number }[] = [];
          const sent: Array<[number, number]> = [];
          for (let s = w; s < SERIES; s += 4) {
            for (let j = 0; j < 5; j++) {
              const k = next[s]++;
              batch.push({ series: `crash.s${s}.load`, t: T0 + (k + 1) * STEP, v: valueOf(s, k) });
              sent.push([s, k]);
            }
          }
          try {
            const res = await request(`${base}/api/v1/samples`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify(batch),
            });
            const body = (await res.body.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
            expect(res.statusCode).toBe(200);
            // Only a retried batch that the killed server had already journaled may be refused, as not newer.
            for (const r of body.rejected) expect(r.reason).toContain('is not after the last update');
            const refused = new Set(body.rejected.map((r) => r.index));
            sent.forEach(([s, k], i) => {
              if (!refused.has(i)) acked[s].add(k);
            });
            ackedTotal += sent.length - refused.size;
          } catch (e) {
            if (alive) throw e;
            // The kill cut this request: never acknowledged. Like a real client, send it again next round.
            for (const [s, k] of sent) next[s] = Math.min(next[s], k);
            return;
          }
        }
      };
      await Promise.all([0, 1, 2, 3].map(worker));
      clearTimeout(killer);
      await new Promise<void>((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));
    }
    expect(ackedTotal).toBeGreaterThan(KILLS * 100);

    for (let s = 0; s < SERIES; s++) {
      const last = Math.max(...acked[s]);
      const res = await request(`${base}/api/v1/fetch?series=crash.s${s}.load&start=${T0}&end=${T0 + (last + 2) * STEP}`, {
        headers: { authorization: `Bearer ${addToken(join(dir, 'data', 'tokens'), `reader${s}`, 'viewer')}` },
      });
      expect(res.statusCode).toBe(200);
      const [result] = ((await res.body.json()) as { series: { step: number; rows: [number, number | null][] }[] }).series;
      expect(result.step).toBe(STEP);
      const rows = new Map(result.rows.map(([t, v]) => [t, v]));
      // A PDP is rate x seconds / seconds: equal to the value up to rounding in the last bits.
      const lost = [...acked[s]]
        .filter((k) => {
          const got = rows.get(T0 + (k + 1) * STEP);
          return got === null || got === undefined || Math.abs(got - valueOf(s, k)) > 1e-9 * Math.max(1, Math.abs(valueOf(s, k)));
        })
        .map((k) => ({ k, want: valueOf(s, k), got: rows.get(T0 + (k + 1) * STEP) }));
      expect(lost, `series ${s}: acknowledged samples missing or wrong`).toEqual([]);
    }
    child?.kill('SIGTERM');
  }, 300_000);
});
