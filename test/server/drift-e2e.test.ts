/**
 * Drift is seen, not silent (issue 13), with a real `ringmon serve` over
 * loopback: a series created at a 10 s step then fed every 60 s is reported
 * slow in GET /api/v1/series (observed 60 s, step 10 s, heartbeat 30 s),
 * counted in /metrics and logged exactly once; back at 10 s it clears. One
 * missed run flags nothing; a series at a 1 h step fed every 10 s is fast; a
 * series held for its cadence shows `held`. Then a restart does not restart
 * the archives.inferWithin wait of a held series.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addToken } from '../../server/auth/token-file.js';
import { apiCall } from '../helpers/api-call.js';
import { launcherInTempDir, type RingmonProcess } from '../helpers/ringmon-process.js';
import { NO_SLURPERS } from '../helpers/server-config.js';
import { sleep, until } from '../helpers/wait.js';

const { dir, launcher } = launcherInTempDir('ringmon-drift-e2e-');

interface Served {
  readonly base: string;
  readonly admin: string;
  readonly proc: RingmonProcess;
}

/** `ringmon serve` in `name`'s folder with `yaml` added to its config; waits until it listens. */
async function serve(name: string, yaml = '', port?: number): Promise<Served & { port: number }> {
  const admin = addToken(join(dir, name, 'data', 'tokens'), `ops-${Date.now()}`, 'admin');
  const served = await launcher.serveIn(join(dir, name), { port }, NO_SLURPERS, yaml);
  return { base: served.base, admin, proc: served.proc, port: served.port };
}

async function call(served: Served, method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> { // any: the test walks the API's JSON
  const answer = await apiCall(served.base, method, path, served.admin, body);
  expect(answer.status, `${path}: ${JSON.stringify(answer.json)}`).toBe(200);
  return answer.json;
}

async function metrics(served: Served): Promise<string> {
  const res = await fetch(`${served.base}/metrics`, { headers: { authorization: `Bearer ${served.admin}` } });
  return res.text();
}

/** Warn lines (pino level 40) of the server's log about `series` drifting. */
const driftWarnings = (served: Served, series: string): unknown[] =>
  served.proc
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .filter((l) => l.level === 40 && l.series === series && l.drift !== undefined);

describe('drift, over HTTP', () => {
  it('is reported slow and fast in /api/v1/series and /metrics, logged once, and clears; a held series shows held', async () => {
    const served = await serve('drift');
    // Past times aligned to 10 s: no waiting for a cadence.
    let t = Math.floor(Date.now() / 10_000) * 10 - 7200;
    const feed = async (series: string, gaps: readonly number[], interval?: number) => {
      await call(served, 'POST', `/api/v1/samples${interval === undefined ? '' : `?interval=${interval}`}`, gaps.map((g, k) => ({ series, t: (t += g), v: k })));
      await call(served, 'POST', '/api/v1/admin/flush');
    };
    const item = async (series: string) => (await call(served, 'GET', `/api/v1/series?match=${series}`)).series[0];
    try {
      await feed('web01.load', [10, 10, 10, 10], 10);
      // One missed run (and one gap past the heartbeat) among 10 s samples flags nothing.
      await feed('web01.load', [60, 10, 10, 10]);
      expect(await item('web01.load')).not.toHaveProperty('drift');

      await feed('web01.load', [60, 60, 60, 60, 60, 60]);
      const slow = (await item('web01.load')).drift;
      expect(slow).toMatchObject({ kind: 'slow', observedInterval: 60, step: 10, heartbeat: 30 });
      expect(slow.since).toBeGreaterThan(Date.now() / 1000 - 60);
      let text = await metrics(served);
      expect(text).toContain('ringmon_series_drifting{kind="slow"} 1\n');
      expect(text).toContain('ringmon_series_drift_detected_total 1\n');
      expect(text).toMatch(/# HELP ringmon_series_drifting .*further apart than its heartbeat/);
      await feed('web01.load', [60, 60, 60]);
      expect((await item('web01.load')).drift).toEqual(slow);
      expect(driftWarnings(served, 'web01.load')).toHaveLength(1);
      expect(driftWarnings(served, 'web01.load')[0]).toMatchObject({ drift: 'slow', observedIntervalSeconds: 60, stepSeconds: 10, heartbeatSeconds: 30, msg: expect.stringContaining('POST /api/v1/admin/reshape') });

      await feed('web01.load', [10, 10, 10, 10, 10, 10, 10, 10, 10]);
      expect(await item('web01.load')).not.toHaveProperty('drift');
      text = await metrics(served);
      expect(text).toContain('ringmon_series_drifting{kind="slow"} 0\n');
      expect(text).toContain('ringmon_series_drift_detected_total 1\n');
      expect(served.proc.output()).toContain('web01.load: its samples fit its archive again');
      expect(driftWarnings(served, 'web01.load')).toHaveLength(1);

      await feed('batch.hourly', [10, 10, 10, 10, 10], 3600);
      expect((await item('batch.hourly')).drift).toMatchObject({ kind: 'fast', observedInterval: 10, step: 3600, heartbeat: 10_800 });
      expect(await metrics(served)).toContain('ringmon_series_drifting{kind="fast"} 1\n');

      const before = Math.floor(Date.now() / 1000);
      await call(served, 'POST', '/api/v1/samples', [{ series: 'new.series', v: 1 }]);
      const held = await item('new.series');
      expect(held.held).toEqual({ samples: 1, since: expect.any(Number) });
      expect(held.held.since).toBeGreaterThanOrEqual(before);
      expect(held).not.toHaveProperty('drift');

      const docs = await apiCall(served.base, 'GET', '/docs/json', undefined);
      const listed = docs.json.paths['/api/v1/series'].get.responses['200'].content['application/json'].schema.properties.series.items;
      expect(listed.properties.drift.properties.kind).toMatchObject({ anyOf: [{ enum: ['slow'] }, { enum: ['fast'] }] });
      expect(listed.properties.drift.properties.observedInterval.description).toContain('Seconds');
      expect(listed.properties.held.properties.since.description).toContain('Unix seconds');
      expect(listed.required).not.toContain('drift');
    } finally {
      served.proc.stop();
      expect(await served.proc.exited).toBe(0);
    }
  }, 60_000);

  it("is held after a restart only for what is left of its inferWithin wait, counted from its sample's arrival", async () => {
    const yaml = 'archives:\n  inferWithin: 15s\nwriteBehind:\n  flushIntervalSeconds: 1\n';
    const first = await serve('restart', yaml);
    const sent = Date.now() / 1000;
    await call(first, 'POST', '/api/v1/samples', [{ series: 'slow.job', v: 1 }]);
    const item = async (served: Served) => (await call(served, 'GET', '/api/v1/series?match=slow.job')).series[0];
    expect((await item(first)).held).toEqual({ samples: 1, since: Math.floor(sent) });
    await sleep(4000);
    first.proc.stop();
    expect(await first.proc.exited).toBe(0);
    const second = await serve('restart', yaml, first.port);
    const restarted = Date.now() / 1000;
    try {
      // Still held, but since its sample arrived, not since the restart; its archive comes 15 s after the sample,
      // at least 5 s sooner than 15 s after the restart.
      expect((await item(second)).held).toEqual({ samples: 1, since: Math.floor(sent) });
      await until(async () => (await item(second)).held === undefined, 'the held series to get its archive', 30_000);
      expect(Date.now() / 1000 - restarted).toBeLessThan(13);
      expect((await item(second)).definition.step).toBeGreaterThan(0);
    } finally {
      second.proc.stop();
      expect(await second.proc.exited).toBe(0);
    }
  }, 60_000);
});
