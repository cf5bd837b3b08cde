/**
 * The built-in node-down alarm and inhibition, on the real alarm engine
 * with a real SQLite file and an injected clock: a node that goes down is
 * one problem notice (`node:<name>`, rule `node-down`) and its return one
 * recovery, `late` alone tells nothing; while a node is late or down the
 * transitions of its series (and of series that depend on it) are
 * recorded inhibited by it and not sent; when it returns its series are
 * decided afresh by their next sample: told once if still bad, quiet if
 * fine. A node gone (forgotten, removed) ends its alarm, and an agent and
 * a server-run instance of one name are two nodes. test/server/nodes/
 * node-alarm-e2e.test.ts runs it with real agents and a real SMTP server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../../../server/alarms/index.js';
import { NODE_REMOVED } from '../../../server/alarms/node-alarms.js';
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
  { name: 'beat', match: 'tb.*.beat', nodata: 60, notify: ['ops'] },
  { name: 'load', match: 'tb.*.load', critical: '> 10', notify: ['ops'], renotify: 600 },
  { name: 'site', match: 'site.b.*', nodata: 60, notify: ['ops'] },
  { name: 'probe', match: 'srv.*.beat', nodata: 60, notify: ['ops'] },
]);

/** tb.<node>.* comes from the agent <node>, srv.<node>.* from the server-run instance <node> (its key instance:<node>, as start.ts gives it). */
const nodeOf = (series: string): string | undefined => {
  const [top, node] = series.split('.');
  return top === 'tb' ? node : top === 'srv' ? `instance:${node}` : undefined;
};

let nodeSettings: { notify: string[]; renotify?: number; downAfter?: number; dependencies: { match: string | string[]; node: string }[] } = {
  notify: ['ops'],
  renotify: 3600,
  dependencies: [{ match: 'site.b.*', node: 'router-b' }],
};

async function open(): Promise<AlarmEngine> {
  return AlarmEngine.open({
    file,
    alarms: settings,
    nodes: nodeSettings,
    nodeOf,
    downtimes,
    notices: sink,
    log: silentLog,
    graphUrl: (s) => `http://ringmon/?view=graph&s=${s}`,
    now: () => now,
    tickMs: 3_600_000,
  });
}

async function feed(series: string, ...values: number[]): Promise<void> {
  for (const value of values) {
    now += 10;
    engine.observe([{ series, time: now, value }]);
  }
  await engine.settle();
}

async function node(name: string, from: 'up' | 'late' | 'down' | undefined, to: 'up' | 'late' | 'down' | 'gone', kind?: 'agent' | 'instance'): Promise<void> {
  engine.nodeChanged({ kind, name, from, to, at: now });
  await engine.settle();
}

async function tick(seconds: number): Promise<void> {
  now += seconds;
  engine.runTimers();
  await engine.settle();
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ringmon-alarm-nodes-'));
  file = join(dir, DATABASE_FILE);
  downtimes = await Downtimes.open(file, { maxWindowSeconds: 90 * 86400 });
  now = T0;
  sink = new RecordingSink();
  nodeSettings = { notify: ['ops'], renotify: 3600, dependencies: [{ match: 'site.b.*', node: 'router-b' }] };
  engine = await open();
});

afterEach(async () => {
  await engine.close();
  await downtimes.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the node-down alarm', () => {
  it('tells one problem when a node goes down and one recovery when it is back; late alone tells nothing', async () => {
    await node('n1', undefined, 'up');
    await node('n1', 'up', 'late');
    expect(sink.sent).toEqual([]);
    await node('n1', 'late', 'up');
    expect(sink.sent).toEqual([]);
    await node('n1', 'up', 'late');
    now += 30;
    await node('n1', 'late', 'down');
    expect(sink.kinds()).toEqual(['problem node:n1 CRITICAL']);
    expect(sink.sent[0].recipients).toEqual(['ops']);
    expect(sink.sent[0].notices[0]).toMatchObject({ rule: 'node-down', previous: 'OK', at: now });
    expect(engine.get('node:n1')).toMatchObject({ status: 'CRITICAL', rule: 'node-down', since: now, inhibitedBy: null });
    expect(engine.current().map((a) => a.series)).toContain('node:n1');
    now += 100;
    await node('n1', 'down', 'up');
    expect(sink.kinds()).toEqual(['problem node:n1 CRITICAL', 'recovery node:n1 OK']);
    const history = await engine.history({ series: 'node:n1', limit: 10 });
    expect(history.map((t) => `${t.rule} ${t.from}>${t.to}`)).toEqual(['node-down CRITICAL>OK', 'node-down OK>CRITICAL']);
  });

  it('reminds after nodes.renotify while the node stays down', async () => {
    await node('n1', 'late', 'down');
    await tick(3000);
    expect(sink.kinds()).toHaveLength(1);
    await tick(700);
    expect(sink.kinds()).toEqual(['problem node:n1 CRITICAL', 'reminder node:n1 CRITICAL']);
  });

  it("a planned downtime of the node's agent keeps its node-down quiet", async () => {
    const planned = await downtimes.create({ kind: 'planned', scope: { series: [], agents: ['n1'] }, start: T0, end: T0 + 600, rrule: null, timezone: 'UTC', reason: 'reboot' }, 'ops', T0);
    await node('n1', 'late', 'down');
    expect(sink.sent).toEqual([]);
    expect((await engine.history({ series: 'node:n1', limit: 1 }))[0]).toMatchObject({ suppressed: true, downtime: { id: planned.id } });
    now += 100;
    await node('n1', 'down', 'up');
    expect(sink.sent).toEqual([]);
  });

  it('a node first seen down at a start (its agent silent while the server was off) is told only once the start is downAfter old', async () => {
    await engine.close();
    nodeSettings = { ...nodeSettings, downAfter: 300 };
    engine = await open();
    await node('n1', undefined, 'down');
    await node('n2', undefined, 'down');
    await tick(100);
    expect(sink.sent).toEqual([]);
    expect(engine.get('node:n1')).toBeUndefined();
    // n1 was only waiting for the server: it heartbeats again.
    await node('n1', 'down', 'up');
    await tick(201);
    expect(sink.kinds()).toEqual(['problem node:n2 CRITICAL']);
    await tick(1000);
    expect(sink.kinds()).toEqual(['problem node:n2 CRITICAL']);
  });

  it('records a down node that no one is to hear of', async () => {
    await engine.close();
    nodeSettings = { notify: [], dependencies: [] };
    engine = await open();
    await node('n1', 'late', 'down');
    expect(sink.sent).toEqual([]);
    expect(engine.get('node:n1')?.status).toBe('CRITICAL');
    expect((await engine.history({ series: 'node:n1', limit: 1 }))[0]).toMatchObject({ to: 'CRITICAL', noticed: true });
  });

  it('a node still down at a restart is no new problem, and its return after it is told', async () => {
    await node('n1', 'late', 'down');
    await engine.close();
    engine = await open();
    expect(engine.get('node:n1')?.status).toBe('CRITICAL');
    // The tracker's first look after a start reports every node as new.
    await node('n1', undefined, 'down');
    expect(sink.kinds()).toEqual(['problem node:n1 CRITICAL']);
    await node('n1', 'down', 'up');
    expect(sink.kinds()).toEqual(['problem node:n1 CRITICAL', 'recovery node:n1 OK']);
  });
});

describe('inhibition', () => {
  it("records the transitions of a down node's series inhibited by it and sends none of them", async () => {
    await node('n1', undefined, 'up');
    await feed('tb.n1.beat', 1);
    await feed('tb.n2.beat', 1);
    await node('n1', 'up', 'late');
    await tick(61);
    // n2 is up: its silence is told; n1's is held while n1 is late.
    expect(sink.kinds()).toEqual(['problem tb.n2.beat NODATA']);
    await node('n1', 'late', 'down');
    expect(sink.kinds()).toEqual(['problem tb.n2.beat NODATA', 'problem node:n1 CRITICAL']);
    const [t] = await engine.history({ series: 'tb.n1.beat', limit: 1 });
    expect(t).toMatchObject({ from: 'OK', to: 'NODATA', inhibitedBy: 'n1', noticed: true });
    expect((await engine.history({ series: 'tb.n2.beat', limit: 1 }))[0].inhibitedBy).toBeNull();
    expect(engine.get('tb.n1.beat')).toMatchObject({ status: 'NODATA', inhibitedBy: 'n1' });
    expect(engine.stats().inhibited).toBe(1);
  });

  it('decides afresh when the node is back: a series fine again is not told', async () => {
    await feed('tb.n1.beat', 1);
    await node('n1', 'up', 'late');
    await tick(61);
    await node('n1', 'late', 'down');
    await tick(600);
    await node('n1', 'down', 'up');
    expect(engine.get('tb.n1.beat')?.inhibitedBy).toBeNull();
    await feed('tb.n1.beat', 1, 1);
    expect(sink.kinds()).toEqual(['problem node:n1 CRITICAL', 'recovery node:n1 OK']);
    expect(engine.get('tb.n1.beat')?.status).toBe('OK');
  });

  it('a series still silent after its node is back is told once, nodata after the return', async () => {
    await feed('tb.n1.beat', 1);
    await node('n1', 'up', 'late');
    await tick(61);
    await node('n1', 'late', 'up');
    await tick(30);
    expect(sink.sent).toEqual([]);
    await tick(31);
    expect(sink.kinds()).toEqual(['problem tb.n1.beat NODATA']);
    await tick(120);
    await feed('tb.n1.beat', 1);
    expect(sink.kinds()).toEqual(['problem tb.n1.beat NODATA', 'recovery tb.n1.beat OK']);
  });

  it('a series still bad after its node is back is told once', async () => {
    await feed('tb.n1.load', 1);
    await node('n1', 'up', 'late');
    await feed('tb.n1.load', 50, 60);
    expect(sink.sent).toEqual([]);
    expect((await engine.history({ series: 'tb.n1.load', limit: 1 }))[0]).toMatchObject({ to: 'CRITICAL', inhibitedBy: 'n1' });
    await node('n1', 'late', 'up');
    expect(sink.sent).toEqual([]);
    await feed('tb.n1.load', 70, 80, 90);
    expect(sink.kinds()).toEqual(['problem tb.n1.load CRITICAL']);
    await feed('tb.n1.load', 1);
    expect(sink.kinds()).toEqual(['problem tb.n1.load CRITICAL', 'recovery tb.n1.load OK']);
  });

  it('a problem told before the node went away: its recovery after the return is told, no repeat of the problem', async () => {
    await feed('tb.n1.load', 50);
    expect(sink.kinds()).toEqual(['problem tb.n1.load CRITICAL']);
    await node('n1', 'up', 'late');
    await feed('tb.n1.load', 1);
    expect(sink.kinds()).toEqual(['problem tb.n1.load CRITICAL']);
    await node('n1', 'late', 'up');
    await feed('tb.n1.load', 1);
    expect(sink.kinds()).toEqual(['problem tb.n1.load CRITICAL', 'recovery tb.n1.load OK']);
  });

  it('holds reminders of a series while its node is down', async () => {
    await feed('tb.n1.load', 50);
    await node('n1', 'up', 'late');
    await tick(700);
    expect(sink.kinds()).toEqual(['problem tb.n1.load CRITICAL']);
  });

  it('an explicit dependency inhibits the series that match it while its node is down', async () => {
    await feed('site.b.web', 1);
    await feed('site.c.web', 1);
    await node('router-b', 'late', 'down');
    await tick(61);
    expect(sink.kinds()).toEqual(['problem node:router-b CRITICAL']);
    expect((await engine.history({ series: 'site.b.web', limit: 1 }))[0]).toMatchObject({ to: 'NODATA', inhibitedBy: 'router-b' });
    await node('router-b', 'down', 'up');
    await feed('site.b.web', 1);
    expect(sink.kinds()).toEqual(['problem node:router-b CRITICAL', 'recovery node:router-b OK']);
  });
});

describe('a node gone', () => {
  it('a down node forgotten ends its alarm: recorded OK, one recovery saying so, its item gone, its series held no more', async () => {
    await feed('tb.n1.beat', 1);
    await node('n1', 'up', 'late');
    await tick(61);
    await node('n1', 'late', 'down');
    expect(engine.get('tb.n1.beat')).toMatchObject({ status: 'NODATA', inhibitedBy: 'n1' });
    expect(sink.kinds()).toEqual(['problem node:n1 CRITICAL']);
    now += 100;
    await node('n1', 'down', 'gone');
    expect(sink.kinds()).toEqual(['problem node:n1 CRITICAL', 'recovery node:n1 OK']);
    expect(sink.sent[1].notices[0]).toMatchObject({ rule: 'node-down', at: now, message: NODE_REMOVED });
    expect(engine.get('node:n1')).toBeUndefined();
    expect(engine.current().map((a) => a.series)).not.toContain('node:n1');
    const history = await engine.history({ series: 'node:n1', limit: 10 });
    expect(history.map((t) => `${t.from}>${t.to} ${t.noticed}`)).toEqual(['CRITICAL>OK true', 'OK>CRITICAL true']);
    // Its series: no longer held, nor told (silent since their node left: what was recorded stays).
    expect(engine.get('tb.n1.beat')).toMatchObject({ status: 'NODATA', inhibitedBy: null });
    await tick(700);
    expect(sink.kinds()).toHaveLength(2);
    // Forgotten in the database too: a restart does not bring it back.
    await engine.close();
    engine = await open();
    expect(engine.get('node:n1')).toBeUndefined();
  });

  it('a node gone that no one heard of as down tells nothing; one only late leaves no item', async () => {
    await downtimes.create({ kind: 'planned', scope: { series: [], agents: ['n1'] }, start: T0, end: T0 + 600, rrule: null, timezone: 'UTC', reason: 'retiring' }, 'ops', T0);
    await node('n1', 'late', 'down');
    await node('n2', 'up', 'late');
    await feed('tb.n2.load', 50);
    expect(engine.get('tb.n2.load')?.inhibitedBy).toBe('n2');
    await node('n1', 'down', 'gone');
    await node('n2', 'late', 'gone');
    expect(sink.sent).toEqual([]);
    expect(engine.get('node:n1')).toBeUndefined();
    expect(engine.get('node:n2')).toBeUndefined();
    expect((await engine.history({ series: 'node:n1', limit: 10 })).map((t) => `${t.from}>${t.to}`)).toEqual(['CRITICAL>OK', 'OK>CRITICAL']);
    expect(await engine.history({ series: 'node:n2', limit: 10 })).toEqual([]);
    // n2's series is held no more: its next change is told.
    expect(engine.get('tb.n2.load')?.inhibitedBy).toBeNull();
    await feed('tb.n2.load', 1);
    await feed('tb.n2.load', 60);
    expect(sink.kinds()).toEqual(['problem tb.n2.load CRITICAL']);
  });

  it('a node first seen down after a start and gone before it was told is never told', async () => {
    await engine.close();
    nodeSettings = { ...nodeSettings, downAfter: 300 };
    engine = await open();
    await node('n1', undefined, 'down');
    await node('n1', 'down', 'gone');
    await tick(400);
    expect(sink.sent).toEqual([]);
    expect(engine.get('node:n1')).toBeUndefined();
  });

  it('at a start, the stored alarm of a node no longer there ends as a gone one: the others stay', async () => {
    await node('n1', 'late', 'down');
    await node('m1', 'late', 'down', 'instance');
    await engine.close();
    engine = await open();
    engine.nodesKnown(['n1', 'instance:other']);
    await engine.settle();
    expect(sink.kinds()).toEqual(['problem node:n1 CRITICAL', 'problem node:instance:m1 CRITICAL', 'recovery node:instance:m1 OK']);
    expect(sink.sent[2].notices[0].message).toBe(NODE_REMOVED);
    expect(engine.get('node:instance:m1')).toBeUndefined();
    expect(engine.get('node:n1')?.status).toBe('CRITICAL');
  });

  it('a node back after it was forgotten starts afresh: its next down is a new problem', async () => {
    await node('n1', 'late', 'down');
    await node('n1', 'down', 'gone');
    await node('n1', undefined, 'up');
    expect(engine.get('node:n1')).toBeUndefined();
    await node('n1', 'up', 'late');
    await node('n1', 'late', 'down');
    expect(sink.kinds()).toEqual(['problem node:n1 CRITICAL', 'recovery node:n1 OK', 'problem node:n1 CRITICAL']);
    expect(engine.get('node:n1')?.status).toBe('CRITICAL');
  });
});

describe('an agent and a server-run instance of one name', () => {
  it('are two nodes: node:<name> and node:instance:<name>, each with its own alarm and its own series', async () => {
    await feed('tb.n1.beat', 1);
    await feed('srv.n1.beat', 1);
    await node('n1', 'up', 'late', 'instance');
    await tick(61);
    expect(engine.get('srv.n1.beat')).toMatchObject({ status: 'NODATA', inhibitedBy: 'instance:n1' });
    // The agent n1 is up: its series' silence is told.
    expect(sink.kinds()).toEqual(['problem tb.n1.beat NODATA']);
    await node('n1', 'late', 'down', 'instance');
    await node('n1', 'up', 'late');
    await node('n1', 'late', 'down');
    expect(sink.kinds()).toEqual(['problem tb.n1.beat NODATA', 'problem node:instance:n1 CRITICAL', 'problem node:n1 CRITICAL']);
    await node('n1', 'down', 'up');
    expect(engine.get('node:n1')?.status).toBe('OK');
    expect(engine.get('node:instance:n1')?.status).toBe('CRITICAL');
    expect(engine.get('srv.n1.beat')?.inhibitedBy).toBe('instance:n1');
    await node('n1', 'down', 'gone', 'instance');
    expect(engine.get('node:instance:n1')).toBeUndefined();
    expect(engine.get('node:n1')?.status).toBe('OK');
    expect(sink.kinds().slice(3)).toEqual(['recovery node:n1 OK', 'recovery node:instance:n1 OK']);
  });

  it("an instance's planned downtime is not the agent's of the same name", async () => {
    await downtimes.create({ kind: 'planned', scope: { series: [], agents: ['n1'] }, start: T0, end: T0 + 600, rrule: null, timezone: 'UTC', reason: 'agent reboot' }, 'ops', T0);
    await node('n1', 'late', 'down', 'instance');
    expect(sink.kinds()).toEqual(['problem node:instance:n1 CRITICAL']);
  });

  it('a dependency names an agent, or else the instance of that name', async () => {
    await feed('site.b.web', 1);
    await node('router-b', 'late', 'down', 'instance');
    await tick(61);
    expect((await engine.history({ series: 'site.b.web', limit: 1 }))[0]).toMatchObject({ to: 'NODATA', inhibitedBy: 'instance:router-b' });
    expect(sink.kinds()).toEqual(['problem node:instance:router-b CRITICAL']);
  });
});

describe('the node-down rule', () => {
  it('is the rule of node items, with its recipients and reminders from the nodes section', () => {
    expect(engine.nodeRule).toMatchObject({ name: 'node-down', notify: ['ops'], renotifySeconds: 3600 });
  });
});
