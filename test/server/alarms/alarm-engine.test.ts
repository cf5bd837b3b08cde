/**
 * The alarm engine on a real SQLite file with the real downtime database
 * and an injected clock: which notices a change calls for (problem,
 * recovery, reminder, downtime-over), planned downtimes keeping changes
 * quiet and unplanned ones only annotating, transitions stored with the
 * downtime in force, and what a restart keeps. The outbox is a recording
 * sink here; test/server/alarms-e2e.test.ts runs the real one against a
 * real SMTP server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../../../server/alarms/index.js';
import { DATABASE_FILE } from '../../../server/database/index.js';
import { Downtimes } from '../../../server/downtimes/index.js';
import { alarmsSettings, RecordingSink, silentLog } from './fixtures.js';

const T0 = 1_800_000_000;
let dir: string;
let file: string;
let downtimes: Downtimes;
let now: number;
let sink: RecordingSink;
let engine: AlarmEngine;

const settings = alarmsSettings([
  { name: 'cpu', match: 'host.*.cpu', warning: '> 80', critical: '> 90', hysteresis: 5, notify: ['ops'], renotify: 3600 },
  { name: 'beat', match: 'beat.*', nodata: 60, notify: ['ops'] },
  { name: 'quiet', match: 'quiet.*', critical: '> 1' },
  { name: 'edge', match: 'edge.**', critical: '> 1', notify: ['ops'] },
]);

/** Series of `edge.*` come from the agent `edge-7` here. */
const agentOf = (series: string): string | undefined => (series.startsWith('edge.') ? 'edge-7' : undefined);

async function open(): Promise<AlarmEngine> {
  return AlarmEngine.open({ file, alarms: settings, downtimes, notices: sink, log: silentLog, graphUrl: (s) => `http://ringmon/?view=graph&s=${s}`, now: () => now, tickMs: 3_600_000, agentOf });
}

async function feed(series: string, ...values: (number | null)[]): Promise<void> {
  for (const value of values) {
    now += 10;
    engine.observe([{ series, time: now, value }]);
  }
  await engine.settle();
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ringmon-alarm-engine-'));
  file = join(dir, DATABASE_FILE);
  downtimes = await Downtimes.open(file, { maxWindowSeconds: 90 * 86400 });
  now = T0;
  sink = new RecordingSink();
  engine = await open();
});

afterEach(async () => {
  await engine.close();
  await downtimes.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('notices', () => {
  it('tells a crossing once, nothing while it stays, and the recovery after hysteresis', async () => {
    await feed('host.web01.cpu', 50, 95, 97, 88, 91, 86);
    expect(sink.kinds()).toEqual(['problem host.web01.cpu CRITICAL']);
    const [notice] = sink.sent[0].notices;
    expect(notice).toMatchObject({ rule: 'cpu', previous: 'OK', value: 95, threshold: '> 90', graphUrl: 'http://ringmon/?view=graph&s=host.web01.cpu' });
    expect(sink.sent[0].recipients).toEqual(['ops']);
    await feed('host.web01.cpu', 84, 74);
    expect(sink.kinds()).toEqual(['problem host.web01.cpu CRITICAL', 'problem host.web01.cpu WARNING', 'recovery host.web01.cpu OK']);
    const history = await engine.history({ series: 'host.web01.cpu', limit: 10 });
    expect(history.map((t) => `${t.from}>${t.to}`)).toEqual(['WARNING>OK', 'CRITICAL>WARNING', 'OK>CRITICAL']);
    expect(history.every((t) => t.noticed && !t.suppressed && t.downtime === null)).toBe(true);
  });

  it('records but tells no one for a rule without recipients', async () => {
    await feed('quiet.a', 0, 5);
    expect(sink.sent).toEqual([]);
    expect(engine.get('quiet.a')?.status).toBe('CRITICAL');
    expect((await engine.history({ limit: 10 })).map((t) => t.noticed)).toEqual([true]);
  });

  it('goes NODATA on the timer and back on the next sample', async () => {
    await feed('beat.a', 1);
    now += 61;
    engine.runTimers();
    await engine.settle();
    expect(sink.kinds()).toEqual(['problem beat.a NODATA']);
    expect(sink.sent[0].notices[0].threshold).toMatch(/no data/);
    await feed('beat.a', 1);
    expect(sink.kinds()).toEqual(['problem beat.a NODATA', 'recovery beat.a OK']);
  });

  it('reminds after renotify while still bad, and not before', async () => {
    await feed('host.web01.cpu', 95);
    now += 3000;
    engine.runTimers();
    await engine.settle();
    expect(sink.kinds()).toHaveLength(1);
    now += 700;
    engine.runTimers();
    await engine.settle();
    expect(sink.kinds()).toEqual(['problem host.web01.cpu CRITICAL', 'reminder host.web01.cpu CRITICAL']);
    engine.runTimers();
    await engine.settle();
    expect(sink.kinds()).toHaveLength(2);
  });
});

describe('downtimes', () => {
  it('a planned downtime keeps changes quiet and tells what is still bad when it ends', async () => {
    const planned = await downtimes.create({ kind: 'planned', scope: { series: ['host.db*.**'], agents: [] }, start: T0, end: T0 + 600, rrule: null, timezone: 'UTC', reason: 'upgrade' }, 'ops', T0);
    await feed('host.db01.cpu', 95);
    await feed('host.db02.cpu', 95, 50);
    expect(sink.sent).toEqual([]);
    const history = await engine.history({ limit: 10 });
    expect(history.every((t) => t.suppressed && t.downtime?.id === planned.id && t.downtime.kind === 'planned')).toBe(true);
    expect(engine.get('host.db01.cpu')).toMatchObject({ status: 'CRITICAL', suppressed: true });
    now = T0 + 599;
    engine.runTimers();
    await engine.settle();
    expect(sink.sent).toEqual([]);
    now = T0 + 600;
    engine.runTimers();
    await engine.settle();
    // db02 recovered inside the window: nobody hears of it.
    expect(sink.kinds()).toEqual(['downtime-over host.db01.cpu CRITICAL']);
    expect(engine.get('host.db01.cpu')?.suppressed).toBe(false);
    await feed('host.db01.cpu', 10);
    expect(sink.kinds()).toEqual(['downtime-over host.db01.cpu CRITICAL', 'recovery host.db01.cpu OK']);
  });

  it('a planned downtime of an agent covers the series that agent sends', async () => {
    const planned = await downtimes.create({ kind: 'planned', scope: { series: [], agents: ['edge-7'] }, start: T0, end: T0 + 600, rrule: null, timezone: 'UTC', reason: 'agent upgrade' }, 'ops', T0);
    await feed('edge.router1.temp', 5);
    expect(sink.sent).toEqual([]);
    expect((await engine.history({ series: 'edge.router1.temp', limit: 1 }))[0]).toMatchObject({ suppressed: true, downtime: { id: planned.id } });
    expect(engine.get('edge.router1.temp')?.downtime?.downtime.id).toBe(planned.id);
  });

  it('an unplanned downtime does not silence; it is named in the notice and the history', async () => {
    const incident = await downtimes.create({ kind: 'unplanned', scope: { series: ['host.web01.*'], agents: [] }, start: T0, end: null, rrule: null, timezone: 'UTC', reason: 'switch down' }, 'ops', T0);
    await feed('host.web01.cpu', 95);
    expect(sink.kinds()).toEqual(['problem host.web01.cpu CRITICAL']);
    expect(sink.sent[0].notices[0].downtime).toEqual({ id: incident.id, kind: 'unplanned', reason: 'switch down' });
    const [t] = await engine.history({ limit: 1 });
    expect(t).toMatchObject({ suppressed: false, downtime: { id: incident.id, kind: 'unplanned' } });
    expect(engine.get('host.web01.cpu')?.downtime?.downtime.id).toBe(incident.id);
  });
});

describe('across a restart', () => {
  it('keeps states, and a recovery after the restart is told', async () => {
    await feed('host.web01.cpu', 95);
    await engine.close();
    engine = await open();
    expect(engine.get('host.web01.cpu')).toMatchObject({ status: 'CRITICAL', value: 95 });
    await feed('host.web01.cpu', 96);
    expect(sink.kinds()).toEqual(['problem host.web01.cpu CRITICAL']);
    await feed('host.web01.cpu', 10);
    expect(sink.kinds()).toEqual(['problem host.web01.cpu CRITICAL', 'recovery host.web01.cpu OK']);
  });

  it('hands on at start the notices the outbox did not take before the stop', async () => {
    sink.failing = true;
    await feed('host.web01.cpu', 95);
    expect(sink.sent).toEqual([]);
    expect((await engine.history({ limit: 1 }))[0].noticed).toBe(false);
    await engine.close();
    sink.failing = false;
    engine = await open();
    expect(sink.kinds()).toEqual(['problem host.web01.cpu CRITICAL']);
    expect((await engine.history({ limit: 1 }))[0].noticed).toBe(true);
    await engine.close();
    engine = await open();
    expect(sink.kinds()).toHaveLength(1);
  });
});
