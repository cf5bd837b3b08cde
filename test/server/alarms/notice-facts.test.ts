/**
 * Issue 16: what the engine puts on a notice for people to act on — the
 * rule's unit (also from the node's metadata), the time of the series'
 * last sample, and a graph link only when the server has a public URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../../../server/alarms/index.js';
import { DATABASE_FILE } from '../../../server/database/index.js';
import { Downtimes } from '../../../server/downtimes/index.js';
import { compileNodeKey, metadataSnapshot, readMetadata } from '../../../server/metadata/index.js';
import { alarmsSettings, RecordingSink, silentLog } from './fixtures.js';

const T0 = 1_800_000_000;
let dir: string;
let downtimes: Downtimes;
let now: number;
let sink: RecordingSink;
let engine: AlarmEngine;

const settings = alarmsSettings([
  { name: 'beat', match: 'beat.*', nodata: 60, unit: 'beats', notify: ['ops'] },
  { name: 'age', match: 'broker.*.age', critical: '> 24', unit: { meta: 'unit', default: 'hours' }, notify: ['ops'] },
]);
const metadata = metadataSnapshot(readMetadata('b1: { name: Broker one, unit: h }\nb2: { name: Broker two }', 'yaml'), compileNodeKey('broker.{node}.age'));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ringmon-notice-facts-'));
  const file = join(dir, DATABASE_FILE);
  downtimes = await Downtimes.open(file, { maxWindowSeconds: 86_400 });
  now = T0;
  sink = new RecordingSink();
  engine = await AlarmEngine.open({ file, alarms: settings, downtimes, notices: sink, log: silentLog, graphUrl: () => undefined, now: () => now, tickMs: 3_600_000, metadata: () => metadata });
});

afterEach(async () => {
  await engine.close();
  await downtimes.close();
  rmSync(dir, { recursive: true, force: true });
});

async function feed(series: string, value: number): Promise<void> {
  now += 10;
  engine.observe([{ series, time: now, value }]);
  await engine.settle();
}

describe('a notice', () => {
  it('of NODATA tells when the last sample came, and the unit; no link without a public URL', async () => {
    await feed('beat.a', 1);
    const last = now;
    now += 61;
    engine.runTimers();
    await engine.settle();
    const [notice] = sink.sent[0].notices;
    expect(notice).toMatchObject({ kind: 'problem', status: 'NODATA', unit: 'beats', lastSampleAt: last, at: now });
    expect(notice).not.toHaveProperty('graphUrl');
  });

  it("takes the unit from the node's metadata, the rule's default for a node without one", async () => {
    await feed('broker.b1.age', 30);
    await feed('broker.b2.age', 30);
    const notices = sink.sent.flatMap((s) => s.notices);
    expect(notices.map((n) => [n.displayName, n.unit, n.lastSampleAt === n.at])).toEqual([
      ['Broker one', 'h', true],
      ['Broker two', 'hours', true],
    ]);
  });
});
