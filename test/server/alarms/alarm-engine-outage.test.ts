/**
 * The alarm engine while its database refuses writes: a real SQLite
 * connection made read-only (`PRAGMA query_only`, every commit fails with
 * SQLITE_READONLY, as a full disk would) under a storm of changes, with the
 * engine's own timer retrying. What waits stays bounded by the number of
 * series, the outage is logged once, nothing is told before it is
 * recorded; once writes work again the states are right, each notice owed
 * is told once, and a restart finds nothing left to tell.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlarmEngine, type AlarmNotice, type AlarmStatus, type NoticeSink } from '../../../server/alarms/index.js';
import { DATABASE_FILE, openSqlite } from '../../../server/database/index.js';
import { Downtimes } from '../../../server/downtimes/index.js';
import { until } from '../../helpers/wait.js';
import { memoryLog } from '../notify/helpers/fixtures.js';
import { alarmsSettings } from './fixtures.js';

const T0 = 1_800_000_000;
const LIMIT = 20;
const settings = alarmsSettings([{ name: 'cpu', match: 'host.*.cpu', critical: '> 90', notify: ['ops'] }]);

class RecordingSink implements NoticeSink {
  readonly notices: AlarmNotice[] = [];
  async notify(_recipients: readonly string[], notices: readonly AlarmNotice[]): Promise<void> {
    this.notices.push(...notices);
  }
  about(series: string, from = 0): string[] {
    return this.notices.slice(from).filter((n) => n.series === series).map((n) => `${n.kind} ${n.status}`);
  }
}

let dir: string;
let database: Kysely<object>;
let downtimes: Downtimes;
let sink: RecordingSink;
let log: ReturnType<typeof memoryLog>;
let engine: AlarmEngine;
let now: number;

const open = (): Promise<AlarmEngine> =>
  AlarmEngine.open({ file: database, alarms: settings, downtimes, notices: sink, log, graphUrl: (s) => `http://mon.test/?s=${s}`, now: () => now, tickMs: 25, maxPendingTransitions: LIMIT });

/** One sample per value, ten seconds apart. */
function feed(series: string, ...values: number[]): void {
  for (const value of values) {
    now += 10;
    engine.observe([{ series, time: now, value }]);
  }
}

const setWritable = (writable: boolean) => sql.raw(`PRAGMA query_only = ${writable ? 'OFF' : 'ON'}`).execute(database);
const linesMatching = (pattern: RegExp) => log.lines.filter((l) => pattern.test(l.msg));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ringmon-alarm-outage-'));
  database = openSqlite<object>(join(dir, DATABASE_FILE));
  downtimes = await Downtimes.open(database, { maxWindowSeconds: 86_400 });
  sink = new RecordingSink();
  log = memoryLog();
  now = T0;
  engine = await open();
});

afterEach(async () => {
  await engine.close();
  await downtimes.close();
  await database.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('commits failing for a while', () => {
  it('keeps memory bounded, logs once, and afterwards has the states right and tells what is owed, once', async () => {
    feed('host.told.cpu', 95);
    feed('host.back.cpu', 95);
    await engine.settle();
    expect(sink.notices.map((n) => `${n.kind} ${n.series}`)).toEqual(['problem host.told.cpu', 'problem host.back.cpu']);

    await setWritable(false);
    const toldBefore = sink.notices.length;
    const fresh = Array.from({ length: 30 }, (_, i) => `host.n${i}.cpu`);
    let most = 0;
    const watch = (): void => {
      most = Math.max(most, engine.stats().queued);
    };
    feed('host.back.cpu', 10);
    feed('host.blip.cpu', 95, 10);
    for (let round = 0; round < 300; round++) {
      feed('host.flap.cpu', 95, 10);
      feed('host.told.cpu', 10, 95);
      if (round === 100) for (const series of fresh) feed(series, 95);
      watch();
      // Let the engine's timer try (and fail) now and then.
      if (round % 50 === 0) await engine.settle();
    }
    feed('host.flap.cpu', 95);
    watch();
    await until(() => engine.stats().commitFailures >= 10, 'the timer to retry');
    watch();

    // 1,233 transitions came; what waits is bounded by the 34 series, not by them.
    expect(most).toBeLessThanOrEqual(Math.max(LIMIT, 2 * 34));
    expect(engine.stats().dropped).toBeGreaterThan(1000);
    expect(sink.notices).toHaveLength(toldBefore);
    expect(linesMatching(/could not record/)).toHaveLength(1);
    expect(linesMatching(/keeping the newest per series/)).toHaveLength(1);

    await setWritable(true);
    await until(() => engine.stats().queued === 0 && linesMatching(/recorded again/).length === 1, 'the timer to record what waited');
    await engine.settle();

    const final: Record<string, AlarmStatus> = { 'host.told.cpu': 'CRITICAL', 'host.back.cpu': 'OK', 'host.blip.cpu': 'OK', 'host.flap.cpu': 'CRITICAL' };
    for (const series of fresh) final[series] = 'CRITICAL';
    for (const [series, status] of Object.entries(final)) expect(engine.get(series)?.status, series).toBe(status);

    // Owed: the recovery of a problem told before, the problems that began and still hold; each once.
    expect(sink.about('host.back.cpu', toldBefore)).toEqual(['recovery OK']);
    for (const series of fresh) expect(sink.about(series, toldBefore), series).toEqual(['problem CRITICAL']);
    expect(sink.about('host.blip.cpu', toldBefore)).toEqual([]);
    // A flapping series may be told some of its flaps, but in turn and ending where it is.
    for (const series of ['host.flap.cpu', 'host.told.cpu']) {
      const told = sink.about(series);
      for (let i = 1; i < told.length; i++) expect(told[i], `${series} #${i}`).not.toBe(told[i - 1]);
      expect(told.at(-1)).toBe('problem CRITICAL');
    }

    // The history chains from each state recorded to the next, and ends in the state the series is in.
    for (const [series, status] of Object.entries(final)) {
      const history = (await engine.history({ series, limit: 10_000 })).reverse();
      let at: AlarmStatus = 'OK';
      for (const t of history) {
        expect(t.from, series).toBe(at);
        at = t.to;
        expect(t.noticed).toBe(true);
      }
      expect(at, series).toBe(status);
    }

    // A restart restores the same states and finds nothing left to tell; the memory came through (a recovery is told).
    const told = sink.notices.length;
    await engine.close();
    engine = await open();
    for (const [series, status] of Object.entries(final)) expect(engine.get(series)?.status, series).toBe(status);
    expect(sink.notices).toHaveLength(told);
    feed('host.flap.cpu', 10);
    feed('host.blip.cpu', 10);
    await engine.settle();
    expect(sink.notices.slice(told).map((n) => `${n.kind} ${n.series}`)).toEqual(['recovery host.flap.cpu']);
  });
});
