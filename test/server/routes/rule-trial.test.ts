/**
 * POST /api/v1/rules/try over real HTTP, on a real server whose archives
 * hold a known week (test/helpers/trial-history.ts): the figures a trial
 * could get wrong (crossings, `for`, the step and CF it ran at, a planned
 * downtime), and the bounds: a bad rule is a 400 naming the field with the
 * very message ringmon.yaml would get, a long range or too many series a
 * 400 naming the field, a viewer a 403.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchive } from '../../../archive/index.js';
import { ConfigError, loadConfig } from '../../../server/config/index.js';
import { archivePath } from '../../../server/store/series-paths.js';
import { apiCall, type ApiAnswer } from '../../helpers/api-call.js';
import { DAY, FROM, ROWS, startTrialServer, STEP, UNTIL, type TrialServer } from '../../helpers/trial-history.js';

let server: TrialServer;
const MANY = 1001;
/** Copies of host.a.cpu's archive: a trial of 2 million rows. */
const LOADED = 200;

const metaDir = mkdtempSync(join(tmpdir(), 'ringmon-trial-meta-'));

beforeAll(async () => {
  writeFileSync(join(metaDir, 'nodes.yaml'), 'a: { max_load: "> 95" }\n');
  server = await startTrialServer(`metadata:\n  file: ${join(metaDir, 'nodes.yaml')}\n  key: host.{node}.cpu\n`, (dataDir) => {
    // More series than one trial takes, each a tiny archive.
    for (let i = 0; i < MANY; i++) {
      const path = archivePath(join(dataDir, 'archives'), `many.s${i}.cpu`);
      mkdirSync(dirname(path), { recursive: true });
      createArchive(path, { step: 60, dataSources: [{ name: 'value', type: 'GAUGE', heartbeat: 180, min: NaN, max: NaN }], rras: [{ cf: 'AVERAGE', xff: 0.5, pdpPerRow: 1, rows: 10 }] }, { start: FROM });
    }
    const sine = archivePath(join(dataDir, 'archives'), 'host.a.cpu');
    for (let i = 0; i < LOADED; i++) {
      const path = archivePath(join(dataDir, 'archives'), `load.s${i}.cpu`);
      mkdirSync(dirname(path), { recursive: true });
      copyFileSync(sine, path);
    }
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(metaDir, { recursive: true, force: true });
});

const cpuRule = (extra: Record<string, unknown> = {}) => ({ name: 'cpu-high', match: 'host.*.cpu', critical: '> 80', notify: ['ops'], ...extra });
const tryRule = (rule: unknown, range: Record<string, unknown> = { from: FROM, until: UNTIL }, token = server.operator): Promise<ApiAnswer> =>
  apiCall(server.base, 'POST', '/api/v1/rules/try', token, { rule, ...range });
const fields = (answer: ApiAnswer): string[] => answer.json.error.problems.map((p: { field: string }) => p.field);

describe('what a rule would have done over a known week', () => {
  it('counts a threshold at 80 over a sine that crosses it 7 times: 7 problems, 7 recoveries, at one-minute AVERAGE rows', async () => {
    const res = await tryRule(cpuRule({ match: 'host.a.cpu' }));
    expect(res.status).toBe(200);
    expect(res.json.totals).toMatchObject({ series: 1, rows: ROWS, transitions: 14, notices: { problem: 7, recovery: 7, reminder: 0, total: 14 } });
    expect(res.json.series).toHaveLength(1);
    const [a] = res.json.series;
    expect(a).toMatchObject({ series: 'host.a.cpu', cf: 'AVERAGE', step: STEP, rows: ROWS, status: 'OK' });
    const expected = 7 * DAY * ((Math.PI - 2 * Math.asin(0.75)) / (2 * Math.PI));
    expect(Math.abs(a.timeIn.CRITICAL - expected)).toBeLessThanOrEqual(7 * STEP);
    expect(a.timeIn.OK + a.timeIn.CRITICAL).toBe(7 * DAY);
    expect(res.json.notify).toEqual(['ops']);
    expect(res.json.steps).toEqual([STEP]);
    expect(res.json.notices[0]).toMatchObject({ series: 'host.a.cpu', kind: 'problem', status: 'CRITICAL', threshold: '> 80' });
    expect(res.json.from).toBe(new Date(FROM * 1000).toISOString().replace('.000', ''));
  });

  it('adds the 42 five-minute spikes of another series, and with for: 10m keeps only the 7 long crossings', async () => {
    const all = await tryRule(cpuRule());
    expect(all.json.totals).toMatchObject({ series: 2, transitions: 98, notices: { problem: 49, recovery: 49 } });
    expect(all.json.series.map((s: { series: string; cf: string; transitions: number }) => [s.series, s.cf, s.transitions])).toEqual([
      ['host.a.cpu', 'AVERAGE', 14],
      ['host.b.cpu', 'LAST', 84],
    ]);
    const held = await tryRule(cpuRule({ for: '10m' }));
    expect(held.json.totals).toMatchObject({ transitions: 14, notices: { problem: 7, recovery: 7, total: 14 } });
    expect(held.json.series[1]).toMatchObject({ series: 'host.b.cpu', transitions: 0, notices: 0 });
  });

  it('reads the finest archive that covers the range and says its step (5 minutes where one-minute rows keep a day)', async () => {
    const res = await tryRule(cpuRule({ match: 'coarse.*.cpu' }));
    expect(res.json.series[0]).toMatchObject({ series: 'coarse.c.cpu', step: 300, cf: 'AVERAGE', rows: ROWS / 5 });
    expect(res.json.steps).toEqual([300]);
    expect(res.json.totals.notices).toMatchObject({ problem: 7, recovery: 7 });
  });

  it('resolves settings from node metadata per series, as the engine would: node a\'s own threshold, b the default', async () => {
    const res = await tryRule(cpuRule({ critical: { meta: 'max_load', default: '> 80' } }));
    expect(res.status).toBe(200);
    expect(res.json.series.map((s: { series: string; transitions: number }) => [s.series, s.transitions])).toEqual([
      ['host.a.cpu', 0],
      ['host.b.cpu', 84],
    ]);
  });

  it('lists at most 500 notices and counts the rest; an empty answer for a pattern nothing matches', async () => {
    // A reminder every minute while the sine is above 80: some 2,700 notices.
    const hover = await tryRule(cpuRule({ match: 'host.a.cpu', renotify: '1m' }));
    expect(hover.json.totals.notices.total).toBeGreaterThan(500);
    expect(hover.json.notices).toHaveLength(500);
    expect(hover.json.listed.notices).toBe(500);
    const none = await tryRule(cpuRule({ match: 'nothing.*' }));
    expect(none.status).toBe(200);
    expect(none.json.totals).toMatchObject({ series: 0, transitions: 0 });
    expect(none.json.notes.join(' ')).toMatch(/no series/);
  });
});

describe('bounds at the door', () => {
  /** The problem ringmon.yaml gets for the same rule, as `key: message`. */
  function configProblem(rule: Record<string, unknown>): { key: string; message: string } {
    const dir = mkdtempSync(join(tmpdir(), 'ringmon-trial-config-'));
    try {
      writeFileSync(join(dir, 'ringmon.yaml'), JSON.stringify({ alarms: { rules: [rule], recipients: [{ name: 'ops', email: ['ops@example.org'] }] } }));
      loadConfig(join(dir, 'ringmon.yaml'), { cwd: dir, env: {} });
      throw new Error('the config took the rule');
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return e.problems[0];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const badRules: [what: string, rule: Record<string, unknown>, field: string, key: string][] = [
    ['a threshold that is no range', cpuRule({ critical: 'above 80' }), 'body/rule/critical', 'alarms.rules[0].critical'],
    ['a duration with a bad unit', cpuRule({ for: '10x' }), 'body/rule/for', 'alarms.rules[0].for'],
    ['an unknown key', cpuRule({ threshold: 80 }), 'body/rule/threshold', 'alarms.rules[0].threshold'],
    ['hysteresis wider than the range', cpuRule({ critical: '10:20', hysteresis: 6 }), 'body/rule/hysteresis', 'alarms.rules[0].hysteresis'],
    ['a pattern with a bad glob', cpuRule({ match: ['host.*.cpu', 'a.***'] }), 'body/rule/match/1', 'alarms.rules[0].match[1]'],
  ];
  for (const [what, rule, field, key] of badRules) {
    it(`refuses ${what}: 400 naming ${field}, with the config's message`, async () => {
      const res = await tryRule(rule);
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual([field]);
      const problem = configProblem(rule);
      expect(problem.key).toBe(key);
      expect(res.json.error.problems[0].message).toBe(problem.message);
    });
  }

  it('refuses a rule with nothing to try, a range over 31 days, an until before from, and a bad time, naming the field', async () => {
    expect(fields(await tryRule({ name: 'idle', match: 'host.*', notify: ['ops'] }))).toEqual(['body/rule']);
    expect(fields(await tryRule(cpuRule(), { from: UNTIL - 32 * DAY, until: UNTIL }))).toEqual(['body/from']);
    expect(fields(await tryRule(cpuRule(), { from: UNTIL, until: UNTIL - DAY }))).toEqual(['body/until']);
    expect(fields(await tryRule(cpuRule(), { from: 'last tuesday' }))).toEqual(['body/from']);
  });

  it(`refuses a rule matching more than 1000 series before reading a row: 400 naming body/rule/match`, async () => {
    const res = await tryRule(cpuRule({ match: 'many.*.cpu' }));
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['body/rule/match']);
    expect(res.json.error.message).toMatch(/more than 1000 series/);
  });

  it('refuses a trial that would read more than 20,000,000 rows, counted from the headers: 400 naming body/from', async () => {
    // 556 archives whose only one-minute rows cannot hold 31 days: 44,640 rows each over the range.
    const match = [1, 2, 3, 4, 5].map((d) => `many.s${d}*.cpu`);
    const res = await tryRule(cpuRule({ match }), { from: UNTIL - 31 * DAY, until: UNTIL });
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual(['body/from']);
    const [, rows] = /the 556 series matched would read (\d+) rows; a trial reads at most 20000000/.exec(res.json.error.message) ?? [];
    expect(Number(rows)).toBeGreaterThanOrEqual(556 * 44_640);
  });

  it('needs an operator token: a viewer gets 403', async () => {
    expect((await tryRule(cpuRule(), undefined, server.tokens.viewer)).status).toBe(403);
    expect((await tryRule(cpuRule(), undefined, server.tokens.admin)).status).toBe(200);
  });
});

describe('planned downtimes', () => {
  it('keeps quiet the crossing of the day a planned downtime covers, and counts it', async () => {
    const filed = await apiCall(server.base, 'POST', '/api/v1/downtimes', server.tokens.admin, {
      kind: 'planned',
      scope: { series: ['host.a.cpu'] },
      start: FROM + DAY,
      end: FROM + 2 * DAY,
      reason: 'maintenance day',
    });
    expect(filed.status).toBe(201);
    const res = await tryRule(cpuRule({ match: 'host.a.cpu' }));
    expect(res.json.plannedDowntimes).toBe(true);
    expect(res.json.totals).toMatchObject({ transitions: 14, quiet: 2, notices: { problem: 6, recovery: 6, 'downtime-over': 0 } });
    expect(res.json.transitions.filter((t: { quietBy: number | null }) => t.quietBy === filed.json.id)).toHaveLength(2);
  });
});

describe('a large trial', () => {
  it(`tries ${LOADED} series of a week of one-minute rows while /healthz keeps answering`, async () => {
    let done = false;
    const started = performance.now();
    const trial = tryRule(cpuRule({ match: 'load.*.cpu' })).finally(() => (done = true));
    const latencies: number[] = [];
    while (!done) {
      const t = performance.now();
      const res = await request(`${server.base}/healthz`);
      await res.body.dump();
      latencies.push(performance.now() - t);
    }
    const res = await trial;
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.json.totals).toMatchObject({ series: LOADED, rows: LOADED * ROWS, transitions: LOADED * 14 });
    const worst = Math.max(...latencies);
    console.log(`rule trial: ${LOADED * ROWS} rows in ${Math.round(elapsed)} ms (${Math.round((LOADED * ROWS) / (elapsed / 1000) / 1e6 * 10) / 10} M rows/s); /healthz ${latencies.length} answers, worst ${Math.round(worst)} ms`);
    expect(latencies.length).toBeGreaterThan(5);
    expect(worst).toBeLessThan(500);
  }, 120_000);

  it('runs one trial at a time: a second one meanwhile is a 429', async () => {
    const [first, second] = await Promise.all([tryRule(cpuRule({ match: 'load.*.cpu' })), tryRule(cpuRule({ match: 'load.*.cpu' }))]);
    expect([first.status, second.status].sort()).toEqual([200, 429]);
    expect([first, second].find((r) => r.status === 429)!.json.error.message).toMatch(/another rule trial is running/);
    expect((await tryRule(cpuRule({ match: 'host.a.cpu' }))).status).toBe(200);
  }, 120_000);
});
