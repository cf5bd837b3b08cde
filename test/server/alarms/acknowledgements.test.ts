/**
 * Acknowledgements in the alarm engine, on a real SQLite file with an
 * injected clock: while one holds no reminder goes out; a change of state
 * ends it (a WARNING acknowledged does not hide a later CRITICAL) and is
 * told as ever; its until and an unack end it too; each is recorded in the
 * history with who, why and when; a refused one records nothing; a restart
 * keeps it, and one whose state changed is not brought back. A node-down
 * item is acknowledged the same way. Real mail and a real server:
 * test/server/alarm-ack-e2e.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AckConflictError, AlarmEngine, UnknownAlarmError } from '../../../server/alarms/index.js';
import { decideOnTick } from '../../../server/alarms/notice-policy.js';
import { DATABASE_FILE } from '../../../server/database/index.js';
import { Downtimes } from '../../../server/downtimes/index.js';
import { alarmsSettings, RecordingSink, silentLog } from './fixtures.js';

const T0 = 1_800_000_000;
const HOUR = 3600;
let dir: string;
let file: string;
let downtimes: Downtimes;
let now: number;
let sink: RecordingSink;
let engine: AlarmEngine;

const settings = alarmsSettings([{ name: 'cpu', match: 'host.*.cpu', warning: '> 80', critical: '> 90', notify: ['ops'], renotify: HOUR }]);

async function open(): Promise<AlarmEngine> {
  return AlarmEngine.open({
    file,
    alarms: settings,
    downtimes,
    notices: sink,
    log: silentLog,
    graphUrl: (s) => `http://ringmon/?s=${s}`,
    now: () => now,
    tickMs: 3_600_000,
    nodes: { notify: ['ops'], renotify: HOUR, dependencies: [] },
  });
}

async function feed(series: string, value: number): Promise<void> {
  now += 10;
  engine.observe([{ series, time: now, value }]);
  await engine.settle();
}

/** Moves the clock by `seconds` and runs the timers, then waits for what they hand on. */
async function tick(seconds: number): Promise<void> {
  now += seconds;
  engine.runTimers();
  await engine.settle();
  await engine.settle();
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ringmon-acks-'));
  file = join(dir, DATABASE_FILE);
  downtimes = await Downtimes.open(file, { maxWindowSeconds: 86_400 });
  now = T0;
  sink = new RecordingSink();
  engine = await open();
});

afterEach(async () => {
  await engine.close();
  await downtimes.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the notice policy', () => {
  it('sends no reminder and no downtime-over while acknowledged, and keeps the memory', () => {
    const told = { notified: true, lastNotifiedAt: T0, suppressedBy: null };
    expect(decideOnTick(told, 'CRITICAL', T0 + 2 * HOUR, HOUR, () => undefined, true)).toEqual({ notice: undefined, memory: told });
    const quiet = { notified: false, lastNotifiedAt: null, suppressedBy: 7 };
    expect(decideOnTick(quiet, 'CRITICAL', T0, HOUR, () => undefined, true).notice).toBeUndefined();
    expect(decideOnTick(told, 'CRITICAL', T0 + 2 * HOUR, HOUR, () => undefined, false).notice).toBe('reminder');
  });
});

describe('acknowledging', () => {
  it('holds off reminders until the state changes; the new state is told and reminded again', async () => {
    await feed('host.a.cpu', 85);
    await tick(HOUR);
    expect(sink.kinds()).toEqual(['problem host.a.cpu WARNING', 'reminder host.a.cpu WARNING']);

    const view = await engine.acknowledge('host.a.cpu', 'alice', 'looking at it', null);
    expect(view.acknowledgement).toMatchObject({ author: 'alice', comment: 'looking at it', status: 'WARNING', until: null });
    for (let i = 0; i < 3; i++) await tick(HOUR);
    expect(sink.kinds()).toHaveLength(2);

    await feed('host.a.cpu', 95);
    expect(sink.kinds().slice(2)).toEqual(['problem host.a.cpu CRITICAL']);
    expect(engine.get('host.a.cpu')?.acknowledgement).toBeUndefined();
    await tick(HOUR);
    expect(sink.kinds().slice(3)).toEqual(['reminder host.a.cpu CRITICAL']);

    const events = await engine.ackHistory({ limit: 10 });
    expect(events.map((e) => [e.action, e.status, e.author, e.comment])).toEqual([
      ['ended', 'WARNING', null, 'state changed to CRITICAL'],
      ['ack', 'WARNING', 'alice', 'looking at it'],
    ]);
  });

  it('ends at a return to OK: the recovery is told', async () => {
    await feed('host.a.cpu', 95);
    await engine.acknowledge('host.a.cpu', 'alice', 'disk job', null);
    await feed('host.a.cpu', 10);
    expect(sink.kinds()).toEqual(['problem host.a.cpu CRITICAL', 'recovery host.a.cpu OK']);
    await feed('host.a.cpu', 95);
    expect(engine.get('host.a.cpu')?.acknowledgement).toBeUndefined();
  });

  it('ends at its until, recorded as expired; the reminder due then goes out', async () => {
    await feed('host.a.cpu', 95);
    await engine.acknowledge('host.a.cpu', 'alice', 'for two hours', now + 2 * HOUR);
    await tick(HOUR);
    expect(sink.kinds()).toEqual(['problem host.a.cpu CRITICAL']);
    await tick(HOUR);
    expect(sink.kinds()).toEqual(['problem host.a.cpu CRITICAL', 'reminder host.a.cpu CRITICAL']);
    expect(engine.get('host.a.cpu')?.acknowledgement).toBeUndefined();
    const [expired] = await engine.ackHistory({ series: 'host.a.cpu', limit: 10 });
    expect(expired).toMatchObject({ action: 'expired', author: null, at: T0 + 10 + 2 * HOUR });
  });

  it('ends by an unack, recorded with who and why; reminders due go out again', async () => {
    await feed('host.a.cpu', 95);
    await engine.acknowledge('host.a.cpu', 'alice', 'mine', null);
    await tick(2 * HOUR);
    expect(sink.kinds()).toHaveLength(1);
    const view = await engine.unacknowledge('host.a.cpu', 'bob', 'not fixed after all');
    expect(view.acknowledgement).toBeUndefined();
    await tick(1);
    expect(sink.kinds()).toEqual(['problem host.a.cpu CRITICAL', 'reminder host.a.cpu CRITICAL']);
    const [unack] = await engine.ackHistory({ limit: 1 });
    expect(unack).toMatchObject({ action: 'unack', author: 'bob', comment: 'not fixed after all', status: 'CRITICAL' });
  });

  it('refuses an unknown series, an OK one and an unack of what is not acknowledged, recording nothing', async () => {
    await feed('host.ok.cpu', 10);
    await expect(engine.acknowledge('host.none.cpu', 'alice', 'x', null)).rejects.toBeInstanceOf(UnknownAlarmError);
    await expect(engine.acknowledge('host.ok.cpu', 'alice', 'x', null)).rejects.toBeInstanceOf(AckConflictError);
    await expect(engine.unacknowledge('host.ok.cpu', 'alice', null)).rejects.toBeInstanceOf(AckConflictError);
    expect(await engine.ackHistory({ limit: 10 })).toEqual([]);
  });

  it('survives a restart; one whose state changed before the stop does not come back', async () => {
    await feed('host.a.cpu', 95);
    await feed('host.b.cpu', 85);
    await engine.acknowledge('host.a.cpu', 'alice', 'kept', null);
    await engine.acknowledge('host.b.cpu', 'alice', 'ends', null);
    await feed('host.b.cpu', 95);
    await engine.close();
    engine = await open();
    expect(engine.get('host.a.cpu')?.acknowledgement).toMatchObject({ author: 'alice', comment: 'kept' });
    expect(engine.get('host.b.cpu')?.acknowledgement).toBeUndefined();
    const before = sink.kinds().length;
    await tick(3 * HOUR);
    expect(sink.kinds().slice(before)).toEqual(['reminder host.b.cpu CRITICAL']);
  });

  it('acknowledges a node-down item: no reminders while the node stays down, its return told', async () => {
    engine.nodeChanged({ kind: 'agent', name: 'web3', from: 'up', to: 'down', at: now });
    await engine.settle();
    expect(sink.kinds()).toEqual(['problem node:web3 CRITICAL']);
    await engine.acknowledge('node:web3', 'alice', 'power cut at the site', null);
    await tick(3 * HOUR);
    expect(sink.kinds()).toHaveLength(1);
    expect(engine.current().find((a) => a.series === 'node:web3')?.acknowledgement?.comment).toBe('power cut at the site');
    engine.nodeChanged({ kind: 'agent', name: 'web3', from: 'down', to: 'up', at: now });
    await engine.settle();
    expect(sink.kinds()).toEqual(['problem node:web3 CRITICAL', 'recovery node:web3 OK']);
    expect(engine.get('node:web3')?.acknowledgement).toBeUndefined();
  });
});
