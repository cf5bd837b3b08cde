/**
 * Cadences above a day (issue 13's leftovers): a real server on the built-in
 * template, fed over loopback with a declared `interval` at past times (no
 * test waits a week). A daily, a weekly and a monthly series (calendar months,
 * 28 to 31 days apart) each get the ladder step that fits and keep at least
 * 99 % of their samples as values from /api/v1/fetch at that step; an
 * interval beyond the longest month is a 400 naming the field, and stores
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERVAL_RANGE } from '../../slurpers/contract.js';
import { apiCall } from '../helpers/api-call.js';
import { freePort } from '../helpers/free-port.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const DAY = 86400;
const FOUR_WEEKS = 28 * DAY;
/** Six years ago, aligned to 4 weeks (and so to every ladder step). */
const T0 = Math.floor((Date.now() / 1000 - 6 * 365 * DAY) / FOUR_WEEKS) * FOUR_WEEKS;

let running: TestServer;
let base: string;

beforeAll(async () => {
  running = await startTestServer(`listen:\n  port: ${await freePort()}\nlog:\n  level: silent\nslurpers:\n  instances: []\n`);
  base = running.server.url;
});
afterAll(() => running.stop());

const valueOf = (k: number): number => (k % 13) + 0.25;

async function postSeries(series: string, times: readonly number[], interval: number): Promise<void> {
  const body = times.map((t, k) => ({ series, t, v: valueOf(k) }));
  const answer = await apiCall(base, 'POST', `/api/v1/samples?interval=${interval}`, running.tokens.writer, body);
  expect(answer).toEqual({ status: 200, json: { accepted: times.length, rejected: [] } });
}

async function fetchRows(series: string, start: number, end: number): Promise<{ step: number; rows: Map<number, number | null> }> {
  const answer = await apiCall(base, 'GET', `/api/v1/fetch?series=${series}&start=${start}&end=${end}`, running.tokens.viewer);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  const [result] = answer.json.series;
  return { step: result.step, rows: new Map(result.rows.map((r: [number, number | null]) => [r[0], r[1]])) };
}

describe('series written daily, weekly and monthly', () => {
  it('get a step of 1 d, 1 w and 4 w and keep at least 99 % of their samples as values', { timeout: 60_000 }, async () => {
    for (const { series, every, count, step } of [
      { series: 'slow.daily', every: DAY, count: 400, step: DAY },
      { series: 'slow.weekly', every: 7 * DAY, count: 150, step: 7 * DAY },
      { series: 'slow.fortnightly', every: 14 * DAY, count: 100, step: 14 * DAY },
    ]) {
      const times = Array.from({ length: count }, (_, k) => T0 + k * every);
      await postSeries(series, times, every);
      expect((await apiCall(base, 'POST', '/api/v1/admin/flush', running.tokens.admin)).status).toBe(200);
      const fetched = await fetchRows(series, T0 - every, times.at(-1)!);
      expect([series, fetched.step]).toEqual([series, step]);
      const back = times.filter((t, k) => fetched.rows.get(t) === valueOf(k)).length;
      expect(back / count, `${series}: ${back} of ${count}`).toBeGreaterThanOrEqual(0.99);
    }

    // A monthly job: the first of each month at 06:00 UTC, declaring the month it knows (31 days).
    const first = new Date(T0 * 1000);
    const months = Array.from({ length: 66 }, (_, k) => Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1 + k, 1, 6) / 1000);
    await postSeries('slow.monthly', months, 31 * DAY);
    expect((await apiCall(base, 'POST', '/api/v1/admin/flush', running.tokens.admin)).status).toBe(200);
    const monthly = await fetchRows('slow.monthly', months[0], months.at(-1)!);
    expect(monthly.step).toBe(FOUR_WEEKS);
    // Every 4-week row between the first and the last sample is known: no month's gap outlasts the heartbeat.
    const inside = [...monthly.rows].filter(([t]) => t > months[0] + FOUR_WEEKS && t <= months.at(-1)!);
    const known = inside.filter(([, v]) => v !== null).length;
    expect(inside.length).toBeGreaterThan(60);
    expect(known / inside.length, `${known} of ${inside.length}`).toBeGreaterThanOrEqual(0.99);
  });

  it('refuses an interval beyond 31 days with a 400 naming the field, and stores nothing', async () => {
    const over = INTERVAL_RANGE.max + 1;
    const perSample = await apiCall(base, 'POST', '/api/v1/samples', running.tokens.writer, [{ series: 'slow.refused', t: T0, v: 1, interval: over }]);
    expect(perSample.status).toBe(400);
    expect(JSON.stringify(perSample.json)).toContain('body/0/interval');
    const perBatch = await apiCall(base, 'POST', `/api/v1/samples?interval=${over}`, running.tokens.writer, [{ series: 'slow.refused', t: T0, v: 1 }]);
    expect(perBatch.status).toBe(400);
    expect(JSON.stringify(perBatch.json)).toContain('querystring/interval');
    expect((await apiCall(base, 'GET', '/api/v1/fetch?series=slow.refused', running.tokens.viewer)).status).toBe(404);
    // The longest month itself is taken.
    const month = await apiCall(base, 'POST', '/api/v1/samples', running.tokens.writer, [{ series: 'slow.taken', t: T0, v: 1, interval: INTERVAL_RANGE.max }]);
    expect(month.json).toEqual({ accepted: 1, rejected: [] });
  });
});
