/**
 * A series' last message on its notices: the engine asks its `messageOf`
 * port when it makes a notice (a problem, a recovery, a reminder) and puts
 * the answer on it as it is then; a series with no message gets a notice
 * without the key, as before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlarmEngine, type AlarmNotice } from '../../../server/alarms/index.js';
import type { Transition } from '../../../server/alarms/model.js';
import { changeNotice, standingNotice } from '../../../server/alarms/notices.js';
import { DATABASE_FILE } from '../../../server/database/index.js';
import { Downtimes } from '../../../server/downtimes/index.js';
import { memoryLog } from '../notify/helpers/fixtures.js';
import { alarmsSettings } from './fixtures.js';

const T0 = 1_800_000_000;
const settings = alarmsSettings([{ name: 'state', match: '*.*.disk.state', warning: '0', critical: '@2:2', notify: ['ops'], renotify: 3600 }]);

let dir: string;
let downtimes: Downtimes;
let engine: AlarmEngine;
let now: number;
const told: AlarmNotice[] = [];
/** What the store would answer: the message of each series' last sample. */
const messages = new Map<string, string>();

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ringmon-notice-message-'));
  downtimes = await Downtimes.open(join(dir, DATABASE_FILE), { maxWindowSeconds: 86_400 });
  now = T0;
  told.length = 0;
  messages.clear();
  engine = await AlarmEngine.open({
    file: join(dir, DATABASE_FILE),
    alarms: settings,
    downtimes,
    notices: { notify: async (_recipients, notices) => void told.push(...notices) },
    log: memoryLog(),
    graphUrl: (s) => `http://mon.test/?s=${s}`,
    now: () => now,
    tickMs: 3_600_000,
    messageOf: (series) => messages.get(series),
  });
});
afterEach(async () => {
  await engine.close();
  await downtimes.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A check's sample: its state value, with the message the store keeps for it. */
async function check(series: string, value: number, message?: string): Promise<void> {
  now += 10;
  if (message !== undefined) messages.set(series, message);
  engine.observe([{ series, time: now, value }]);
  await engine.settle();
}

describe('notices of a series with a message', () => {
  it('carry the message as it was when each was made', async () => {
    await check('web1.nagios.disk.state', 2, 'DISK CRITICAL - / 95%');
    now += 3600;
    engine.runTimers();
    await engine.settle();
    await check('web1.nagios.disk.state', 0, 'DISK OK - / 40%');
    expect(told.map((n) => [n.kind, n.message])).toEqual([
      ['problem', 'DISK CRITICAL - / 95%'],
      ['reminder', 'DISK CRITICAL - / 95%'],
      ['recovery', 'DISK OK - / 40%'],
    ]);
  });

  it('a series without one gets notices without the key', async () => {
    await check('web2.nagios.disk.state', 2);
    expect(told).toHaveLength(1);
    expect('message' in told[0]).toBe(false);
  });

  it('the builders put a given message on, and nothing when none is given', () => {
    const t: Transition = { series: 'web1.nagios.disk.state', rule: 'state', from: 'OK', to: 'CRITICAL', at: T0, value: 2, threshold: 'inside 2:2' };
    expect(changeNotice('problem', t, undefined, 'http://g', 'DISK CRITICAL - / 95%').message).toBe('DISK CRITICAL - / 95%');
    expect(Object.keys(changeNotice('problem', t, undefined, 'http://g'))).not.toContain('message');
    const state = { series: t.series, rule: 'state', status: 'CRITICAL', since: T0, value: 2, threshold: 'inside 2:2', lastSampleAt: T0 } as const;
    expect(standingNotice('reminder', state, T0 + 3600, undefined, 'http://g', 'still full').message).toBe('still full');
  });
});
