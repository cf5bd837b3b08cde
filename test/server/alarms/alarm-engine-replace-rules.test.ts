/**
 * AlarmEngine.replaceRules, a reload's change of alarms.rules, on a real
 * SQLite file with an injected clock: states of series a rule still
 * alarms are kept (status, since), the new thresholds count from the next
 * sample, series no rule alarms now are forgotten (also in the database),
 * and a transition of the old rules still waiting is recorded first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlarmEngine, type NoticeSink } from '../../../server/alarms/index.js';
import { DATABASE_FILE } from '../../../server/database/index.js';
import { Downtimes } from '../../../server/downtimes/index.js';
import { alarmsSettings } from './fixtures.js';

const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const sink: NoticeSink = { notify: async () => undefined };
const before = alarmsSettings([
  { name: 'cpu', match: 'host.*.cpu', warning: '> 80' },
  { name: 'disk', match: 'disk.*', critical: '> 90' },
]);
const after = alarmsSettings([{ name: 'cpu', match: 'host.*.cpu', warning: '> 50' }]);

let dir: string;
let downtimes: Downtimes;
let now: number;
let engine: AlarmEngine;

const open = (alarms = before): Promise<AlarmEngine> =>
  AlarmEngine.open({ file: join(dir, DATABASE_FILE), alarms, downtimes, notices: sink, log: silentLog, graphUrl: (s) => s, now: () => now, tickMs: 3_600_000 });

function observe(series: string, value: number): void {
  now += 10;
  engine.observe([{ series, time: now, value }]);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ringmon-replace-rules-'));
  downtimes = await Downtimes.open(join(dir, DATABASE_FILE), { maxWindowSeconds: 86400 });
  now = 1_800_000_000;
  engine = await open();
});

afterEach(async () => {
  await engine.close();
  await downtimes.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('replaceRules', () => {
  it('keeps the state of a series still alarmed and applies the new threshold from the next sample', async () => {
    observe('host.a.cpu', 95);
    observe('host.b.cpu', 60);
    await engine.settle();
    const kept = engine.get('host.a.cpu');
    expect(kept?.status).toBe('WARNING');
    expect(await engine.replaceRules(after)).toBe(true);
    expect(engine.get('host.a.cpu')).toMatchObject({ status: 'WARNING', since: kept?.since });
    expect(engine.rules.rules.map((r) => r.name)).toEqual(['cpu']);
    observe('host.b.cpu', 60);
    await engine.settle();
    expect(engine.get('host.b.cpu')?.status).toBe('WARNING');
  });

  it('forgets series no rule alarms any more, in memory and in the database', async () => {
    observe('disk.root', 95);
    await engine.settle();
    expect(engine.get('disk.root')?.status).toBe('CRITICAL');
    expect(await engine.replaceRules(after)).toBe(true);
    expect(engine.get('disk.root')).toBeUndefined();
    await engine.close();
    engine = await open();
    expect(engine.get('disk.root')).toBeUndefined();
  });

  it('records a transition of the old rules that was still waiting, and runs atSwap at the swap', async () => {
    observe('disk.root', 95);
    let swappedWith: string[] | undefined;
    expect(await engine.replaceRules(after, () => (swappedWith = engine.rules.rules.map((r) => r.name)))).toBe(true);
    expect(swappedWith).toEqual(['cpu', 'disk']);
    const history = await engine.history({ series: 'disk.root', limit: 10 });
    expect(history.map((t) => `${t.from}>${t.to}`)).toEqual(['OK>CRITICAL']);
  });
});
