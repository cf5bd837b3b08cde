/**
 * The alarm engine with rules taking settings from node metadata, on a real
 * SQLite file with an injected clock: each series is told to its own node's
 * contacts, with its display name, and reminded at its own node's
 * interval; refreshRules puts changed metadata in force keeping states.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../../../server/alarms/index.js';
import { DATABASE_FILE } from '../../../server/database/index.js';
import { Downtimes } from '../../../server/downtimes/index.js';
import { compileNodeKey, metadataSnapshot, readMetadata, type MetadataSnapshot } from '../../../server/metadata/index.js';
import { alarmsSettings, RecordingSink, silentLog } from './fixtures.js';

const key = compileNodeKey('broker.{node}.age');
const snapshot = (yaml: string): MetadataSnapshot => metadataSnapshot(readMetadata(yaml, 'yaml'), key);
const alarms = alarmsSettings(
  [{ name: 'contact', match: 'broker.*.age', critical: { meta: 'max_hours', default: 24 }, renotify: { meta: 'remind_hours', unit: 'h', default: 86400 }, notify: [{ meta: 'contacts' }] }],
  { enabled: false },
);

let dir: string;
let downtimes: Downtimes;
let now: number;
let engine: AlarmEngine;
let metadata: MetadataSnapshot;
let sink: RecordingSink;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ringmon-engine-metadata-'));
  downtimes = await Downtimes.open(join(dir, DATABASE_FILE), { maxWindowSeconds: 86400 });
  now = 1_800_000_000;
  sink = new RecordingSink();
  metadata = snapshot(['a: { name: Broker A, contacts: [a@x.example], max_hours: 10, remind_hours: 1 }', 'b: { name: Broker B, contacts: [b@x.example], max_hours: 100, remind_hours: 3 }'].join('\n'));
  engine = await AlarmEngine.open({ file: join(dir, DATABASE_FILE), alarms, downtimes, notices: sink, log: silentLog, graphUrl: (s) => s, now: () => now, tickMs: 3_600_000, metadata: () => metadata });
});

afterEach(async () => {
  await engine.close();
  await downtimes.close();
  rmSync(dir, { recursive: true, force: true });
});

function observe(series: string, value: number): void {
  now += 10;
  engine.observe([{ series, time: now, value }]);
}

describe('the engine with settings from metadata', () => {
  it("tells each node's contacts with its display name, and reminds at the node's own interval", async () => {
    observe('broker.a.age', 50);
    observe('broker.b.age', 150);
    await engine.settle();
    expect(sink.sent.map((s) => [s.recipients, s.notices.map((n) => [n.series, n.displayName, n.threshold])])).toEqual([
      [['a@x.example'], [['broker.a.age', 'Broker A', '> 10']]],
      [['b@x.example'], [['broker.b.age', 'Broker B', '> 100']]],
    ]);
    expect(engine.get('broker.a.age')?.displayName).toBe('Broker A');
    sink.sent.length = 0;
    now += 3600;
    engine.runTimers();
    await engine.settle();
    expect(sink.kinds()).toEqual(['reminder broker.a.age CRITICAL']);
    now += 2 * 3600;
    engine.runTimers();
    await engine.settle();
    expect(sink.kinds()).toEqual(['reminder broker.a.age CRITICAL', 'reminder broker.a.age CRITICAL', 'reminder broker.b.age CRITICAL']);
  });

  it('puts changed metadata in force with refreshRules, keeping states', async () => {
    observe('broker.a.age', 50);
    observe('broker.c.age', 20);
    await engine.settle();
    const since = engine.get('broker.a.age')?.since;
    expect(engine.get('broker.c.age')?.status).toBe('OK');
    metadata = snapshot(['a: { name: Broker A, contacts: [a@x.example], max_hours: 10 }', 'c: { name: Broker C, contacts: [c@x.example], max_hours: 12 }'].join('\n'));
    expect(await engine.refreshRules()).toBe(true);
    expect(engine.get('broker.a.age')).toMatchObject({ status: 'CRITICAL', since });
    sink.sent.length = 0;
    observe('broker.c.age', 20);
    await engine.settle();
    expect(sink.sent).toMatchObject([{ recipients: ['c@x.example'], notices: [{ series: 'broker.c.age', displayName: 'Broker C', threshold: '> 12' }] }]);
  });
});
